import Demo
import Foundation
import Ingest
@testable import Query
import Store
import Testing

/// `stats` over the trace rollup gives the rows the traces give: every golden query and a
/// thousand generated ones run both ways on the test store; writes inside and outside relops
/// make the rollup stale, and a stale rollup is never read.
@Suite struct TraceRollupTests {
    static func run(_ engine: QueryEngine, _ text: String, _ aggregation: QueryEngine.Aggregation) throws -> QueryResult {
        engine.aggregation = aggregation
        return try engine.run(QuerySource(text: text))
    }

    @Test(arguments: GoldenQueryTests.cases) func goldenQueriesAgree(_ name: String) throws {
        let (bySQL, byRollup) = try HashAggregationTests.goldenBothWays(name, { $0.aggregation = .sql }, { $0.aggregation = .rollup })
        #expect(HashAggregationTests.same(bySQL.rows, byRollup.rows), "\(name):\n\(QueryStore.text(bySQL.rows))\nrollup:\n\(QueryStore.text(byRollup.rows))")
        #expect(byRollup.compiled == bySQL.compiled, "the reported SQL is GROUP BY's")
    }

    /// An aggregate call made from random choices.
    typealias Maker = (inout QueryFuzzTests.Random) -> String

    /// One to four aggregates, each from a random maker, named `a0` ….
    static func aggregates(_ random: inout QueryFuzzTests.Random, _ makers: [Maker]) -> String {
        var out: [String] = []
        for i in 0..<(1 + random.below(4)) { out.append("a\(i) = " + makers[random.below(makers.count)](&random)) }
        return out.joined(separator: ", ")
    }

    /// Runs `text` over the rollups (where they can answer) and in SQL: the rows must be the
    /// same. Returns whether a rollup answered.
    static func agreeBothWays(_ engine: QueryEngine, _ text: String) throws -> Bool {
        let byRollup = try run(engine, text, .rollup)
        let bySQL = try run(engine, text, .sql)
        #expect(HashAggregationTests.same(bySQL.rows, byRollup.rows), "\(text)\n\(QueryStore.text(bySQL.rows))\nrollup:\n\(QueryStore.text(byRollup.rows))")
        return byRollup.rolledUp
    }

    /// The investigations of the benchmark and the shipped queries that slice by version and
    /// day read the rollup; what it does not hold reads the traces.
    @Test func whatReadsTheRollup() throws {
        let engine = try QueryStore.engine()
        for text in [
            "traces | stats traces = count(), refusal_rate = round(rate(refused), 4), avg_ms = round(avg(latency_ms), 1), p95_ms = p95(latency_ms) by prompt_version",
            "traces | stats traces = count(), refusal_rate = round(rate(refused), 4), avg_ms = round(avg(latency_ms), 1), p95_ms = p95(latency_ms) by day = date(ts), prompt_version",
            "traces | where prompt_version in (\"v1\", \"v2\") and intent != \"refund\" | stats n = count(), c = sum(cost_usd), t = p99(output_tokens) by bin(ts, 1d), model | sort n desc | limit 3",
            "traces | stats count(), countif(safety_flagged), dcount(model), min(prompt_version), max(latency_ms), count(retrieval_top_score), percentile(input_tokens, 0.25)",
            "traces | where date(ts) == \"2026-11-20\" | stats n = count() by cohort",
            "traces | where ts >= \"2026-11-20\" and ts < \"2026-11-25T00:00:00Z\" | stats n = count(), p = p90(latency_ms) by prompt_version",
            "traces | where not (ts < \"2026-11-22\") | stats n = count() by model",
            "traces | stats traces = count(), first_seen = min(ts), last_seen = max(ts) by prompt_version, model | sort first_seen",
        ] {
            let result = try Self.run(engine, text, .automatic)
            #expect(result.rolledUp, "\(text)")
            #expect(HashAggregationTests.same(result.rows, try Self.run(engine, text, .sql).rows), "\(text)")
        }
        for text in [
            "traces | where ts >= \"2026-11-20T06:00:00Z\" | stats n = count() by prompt_version", // not a midnight
            "traces | where ts > \"2026-11-20\" | stats n = count() by prompt_version",          // a midnight's instant is in
            "traces | where ts <= \"2026-11-20\" | stats n = count() by prompt_version",         // the day after it
            "traces | where ts between \"2026-11-20\" and \"2026-11-22\" | stats n = count()",
            "traces | where latency_ms > 1000 | stats n = count() by prompt_version",            // a signal, not a key
            "traces | stats n = count() by hour = hour(ts)",
            "traces | stats n = count() by bin(ts, 12h)",
            "traces | stats s = stddev(latency_ms) by model",
            "traces | stats a = avgif(latency_ms, refused) by model",
            "traces | stats a = avg(latency_ms * 2) by model",
            "traces | stats p = p95(retrieval_top_score) by model",                             // no values kept
            "traces | stats s = count(ts) by model",                                          // only the extremes of ts
            "traces | extend m = model | stats n = count() by m",
            "llm | stats n = count() by model",
            "traces | where last 7d | stats n = count()",
            "traces | where output contains \"sorry\" | stats n = count() by input_hash",        // output read
            "traces | stats n = count(), o = max(output) by input_hash",                     // only its minimum kept
            "traces | stats n = count(), first = min(ts) by input_hash",                      // no time in the input rollup
            "traces | stats p = p95(latency_ms) by input_hash",                              // no values there
            "traces | stats n = countif(latency_ms > 100) by input_hash",                    // a condition over a signal
        ] {
            #expect(try !Self.run(engine, text, .automatic).rolledUp, "\(text)")
        }
    }

    /// Random `stats` over slice keys, days and signals: the rollup's rows equal GROUP BY's.
    @Test func generatedQueriesAgree() throws {
        let engine = try QueryStore.engine()
        var random = QueryFuzzTests.Random(state: 2026_12_07)
        let keys = ["prompt_version", "model", "index_version", "tool_version", "cohort", "intent", "release", "status", "environment",
                    "date(ts)", "bin(ts, 1d)", "bin(ts, 7d)", "lower(model)", "coalesce(cohort, \"none\")"]
        let measures = ["latency_ms", "cost_usd", "input_tokens", "output_tokens", "tool_errors", "spans", "feedback", "retrieval_top_score"]
        let flags = ["refused", "safety_flagged", "error", "retrieval_empty"]
        let filters = ["prompt_version == \"v2\"", "model != \"gpt-4o\"", "intent in (\"refund\", \"billing\")", "cohort is null",
                       "cohort is not null", "date(ts) >= \"2026-11-25\"", "not (tool_version == \"t1\")", "length(intent) > 5",
                       "prompt_version between \"v1\" and \"v2\"", "ts >= \"2026-11-21\"", "ts < \"2026-11-24\"", "not (ts >= \"2026-11-27\")"]
        let makers: [Maker] = [
            { _ in "count()" }, { "sum(\($0.pick(measures)))" }, { "avg(\($0.pick(measures)))" },
            { "min(\($0.pick(measures + ["ts"])))" }, { "max(\($0.pick(measures + ["ts"])))" },
            { "\($0.pick(["p50", "p90", "p95", "p99", "median"]))(\($0.pick(["latency_ms", "cost_usd", "input_tokens", "output_tokens"])))" },
            { "rate(\($0.pick(flags)))" }, { "countif(\($0.pick(flags)))" }, { "count(\($0.pick(measures + ["cohort", "release"])))" },
        ]
        var rolled = 0
        for _ in 0..<400 {
            var text = "traces"
            if random.below(2) == 0 {
                text += " | where \(random.pick(filters))"
                if random.below(3) == 0 { text += " and \(random.pick(filters))" }
            }
            text += " | stats " + Self.aggregates(&random, makers)
            let groups = random.below(3)
            if groups > 0 { text += " by " + (0..<groups).map { "k\($0) = \(random.pick(keys))" }.joined(separator: ", ") }
            if try Self.agreeBothWays(engine, text) { rolled += 1 }
        }
        #expect(rolled == 400, "every generated query reads only what the rollup holds")
    }

    /// The benchmark's q5 and comparisons of versions over the same inputs read the input
    /// rollup, with conditions over the keys in their aggregates.
    @Test func whatReadsTheInputRollup() throws {
        let engine = try QueryStore.engine()
        let q5 = try String(contentsOf: QueryStore.packageRoot.appendingPathComponent("Benchmarks/queries/q5_diff.rq"), encoding: .utf8)
        for text in [
            q5,
            "traces | where output is not null | stats n = count(), o = min(output), r = rate(refused) by input_hash, prompt_version",
            "traces | where output is null | stats n = count(), e = countif(error) by model",
            "traces | stats a = countif(cohort == \"canary\"), b = rate(cohort is null), c = sumif(cost_usd, model == \"gpt-4o\") by input_hash",
        ] {
            let result = try Self.run(engine, text, .automatic)
            #expect(result.rolledUp, "\(text)")
            #expect(HashAggregationTests.same(result.rows, try Self.run(engine, text, .sql).rows), "\(text)")
        }
    }

    /// Random `stats` by input and slice keys, with conditions over the keys: the input
    /// rollup's rows equal GROUP BY's.
    @Test func generatedInputQueriesAgree() throws {
        let engine = try QueryStore.engine()
        var random = QueryFuzzTests.Random(state: 2026_12_08)
        let keys = ["input_hash", "prompt_version", "model", "cohort", "intent", "status", "lower(model)", "coalesce(cohort, \"none\")"]
        let measures = ["latency_ms", "cost_usd", "input_tokens", "output_tokens", "tool_errors", "feedback", "retrieval_top_score"]
        let flags = ["refused", "safety_flagged", "error", "retrieval_empty"]
        let conditions = ["prompt_version == \"v1\"", "prompt_version == \"v2\"", "model != \"gpt-4o\"", "cohort is null",
                          "output is not null", "intent in (\"refund\", \"billing\")", "not (status == \"ok\")"]
        let makers: [Maker] = [
            { _ in "count()" }, { "sum(\($0.pick(measures)))" }, { "avg(\($0.pick(measures)))" }, { _ in "min(output)" },
            { "rate(\($0.pick(flags + conditions)))" }, { "countif(\($0.pick(flags + conditions)))" },
            { "sumif(\($0.pick(measures)), \($0.pick(conditions)))" }, { "avgif(\($0.pick(measures + flags)), \($0.pick(conditions)))" },
            { "minif(output, \($0.pick(conditions)))" }, { "maxif(prompt_version, \($0.pick(conditions)))" },
            { "count(\($0.pick(measures + ["cohort", "input_hash"])))" },
        ]
        var rolled = 0
        for _ in 0..<300 {
            var text = "traces"
            if random.below(2) == 0 { text += " | where \(random.pick(conditions))" }
            text += " | stats " + Self.aggregates(&random, makers)
            text += " by k0 = input_hash" + (random.below(2) == 0 ? ", k1 = \(random.pick(keys))" : "")
            if random.below(2) == 0 { text += " | where a0 is not null | stats n = count(), c = count(a0), m = max(k0)" }
            if try Self.agreeBothWays(engine, text) { rolled += 1 }
        }
        #expect(rolled == 300, "every generated query reads only what the input rollup holds")
    }

    // MARK: - staleness

    /// A writable store of its own: 300 demo traces through the real loader.
    static func freshStore() throws -> (path: String, config: WorkspaceConfig, dir: URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relops-rollup-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let corpus = dir.appendingPathComponent("demo.jsonl").path
        _ = try DemoCorpus.write(to: corpus, traces: 300, seed: 7)
        let configPath = dir.appendingPathComponent("relops.yaml").path
        try Data(DemoCorpus.workspaceConfig.utf8).write(to: URL(fileURLWithPath: configPath))
        let config = try WorkspaceConfig.load(path: configPath)
        let store = dir.appendingPathComponent("rollup.db").path
        _ = try Loader(database: try Database(path: store), config: config).load(corpus)
        return (store, config, dir)
    }

    static func sqlite3(_ store: String, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", "-cmd", ".timeout 10000", store, sql]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "sqlite3: \(sql)")
    }

    static let byVersion = "traces | stats n = count(), r = rate(refused), p = p95(latency_ms) by prompt_version"

    /// A load builds the rollup in its transaction; the sqlite3 CLI updating, deleting or
    /// inserting traces makes it stale, and the next query rebuilds it with the new rows.
    @Test func writesOutsideRelopsMakeItStale() throws {
        let (store, _, dir) = try Self.freshStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        let engine = QueryEngine(database: try Database(path: store), library: SavedQueryLibrary(directories: []))
        #expect(try engine.database.traceRollupIsCurrent(), "the load built it")
        let before = try Self.run(engine, Self.byVersion, .automatic)
        #expect(before.rolledUp)
        for sql in ["UPDATE traces SET refused = 1 - refused WHERE rowid % 3 = 0",
                    "DELETE FROM traces WHERE rowid % 5 = 0",
                    "INSERT INTO traces SELECT * FROM traces WHERE rowid = (SELECT min(rowid) FROM traces) LIMIT 0",
                    "CREATE TEMP TABLE t AS SELECT * FROM traces LIMIT 1; UPDATE t SET trace_id = 'copied', prompt_version = 'v9'; INSERT INTO traces SELECT * FROM t"] {
            try Self.sqlite3(store, sql)
            let changed = sql.contains("LIMIT 0") == false
            #expect(try engine.database.traceRollupIsCurrent() == !changed, "\(sql)")
            let after = try Self.run(engine, Self.byVersion, .automatic)
            #expect(after.rolledUp, "rebuilt by the query")
            #expect(HashAggregationTests.same(after.rows, try Self.run(engine, Self.byVersion, .sql).rows), "\(sql)")
        }
        let rows = try Self.run(engine, Self.byVersion, .automatic).rows.rows
        #expect(rows.contains { $0[0] == .text("v9") && $0[1] == .integer(1) }, "the inserted trace is counted")
    }

    /// A rollup's rows in key order, to compare two of them.
    static func rollupRows(_ database: Database, _ rollup: TraceRollup = .daily) throws -> Rows {
        let keys = rollup.keyColumns.map { "\"\($0.name)\"" }.joined(separator: ", ")
        return try database.query("SELECT * FROM \(rollup.table) ORDER BY \(keys)")
    }

    /// Traces appended after the rollup was built merge into it — rows of a day and keys it
    /// had add up, new ones are inserted — and it then equals a rollup built from every trace.
    @Test func appendedTracesMergeIntoIt() throws {
        let (store, config, dir) = try Self.freshStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        let database = try Database(path: store)
        let base = try #require(try database.traceRollupBase())
        try Self.sqlite3(store, """
            CREATE TEMP TABLE t AS SELECT * FROM traces WHERE rowid % 3 = 0;
            UPDATE t SET trace_id = 'copy-' || trace_id, prompt_version = CASE WHEN rowid % 2 = 0 THEN 'v7' ELSE prompt_version END,
                         latency_ms = latency_ms + 0.5, refused = 1 - refused;
            INSERT INTO traces SELECT * FROM t;
            """)
        #expect(try database.transaction { try database.refreshTraceRollup(appendedAfter: base) }, "merged, not rebuilt")
        for rollup in TraceRollup.all { #expect(try database.traceRollupIsCurrent(rollup)) }
        let merged = try TraceRollup.all.map { try Self.rollupRows(database, $0) }
        try database.rebuildTraceRollup(ownTransaction: true)
        let rebuilt = try TraceRollup.all.map { try Self.rollupRows(database, $0) }
        for (m, r) in zip(merged, rebuilt) { #expect(m.rows.count > 0 && HashAggregationTests.same(m, r)) }
        // Through the loader: a second file of new traces merges; its queries agree with SQL.
        let corpus = dir.appendingPathComponent("more.jsonl").path
        _ = try DemoCorpus.write(to: corpus, traces: 120, seed: 99)
        _ = try Loader(database: database, config: config).load(corpus)
        #expect(try database.traceRollupIsCurrent())
        let engine = QueryEngine(database: database, library: SavedQueryLibrary(directories: []))
        let result = try Self.run(engine, Self.byVersion, .automatic)
        let bySQL = try Self.run(engine, Self.byVersion, .sql)
        #expect(result.rolledUp && HashAggregationTests.same(result.rows, bySQL.rows))
        let afterLoad = try TraceRollup.all.map { try Self.rollupRows(database, $0) }
        try database.rebuildTraceRollup(ownTransaction: true)
        for (rollup, rows) in zip(TraceRollup.all, afterLoad) {
            #expect(HashAggregationTests.same(rows, try Self.rollupRows(database, rollup)), "\(rollup.table)")
        }
    }

    /// A load that replaces stored traces (their spans came again, with more) fires the delete
    /// trigger: the commit rebuilds the rollup instead of merging.
    @Test func replacingTracesRebuildsIt() throws {
        let (store, _, dir) = try Self.freshStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        let database = try Database(path: store)
        let base = try #require(try database.traceRollupBase())
        try database.transaction {
            try database.execute("PRAGMA recursive_triggers = ON")
            try database.execute("INSERT OR REPLACE INTO traces SELECT * FROM traces WHERE rowid <= 5")
            #expect(try !database.refreshTraceRollup(appendedAfter: base), "rebuilt")
            try database.execute("PRAGMA recursive_triggers = OFF")
        }
        #expect(try database.traceRollupIsCurrent())
        let engine = QueryEngine(database: database, library: SavedQueryLibrary(directories: []))
        #expect(HashAggregationTests.same(try Self.run(engine, Self.byVersion, .rollup).rows, try Self.run(engine, Self.byVersion, .sql).rows))
    }

    /// A read-only reader never reads a stale rollup: it scans the traces.
    @Test func aReadOnlyReaderScansWhenStale() throws {
        let (store, _, dir) = try Self.freshStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.sqlite3(store, "UPDATE traces SET latency_ms = latency_ms * 10 WHERE prompt_version = 'v2'")
        let engine = QueryEngine(database: try Database(path: store, readOnly: true), library: SavedQueryLibrary(directories: []))
        let result = try Self.run(engine, Self.byVersion, .automatic)
        #expect(!result.rolledUp)
        #expect(HashAggregationTests.same(result.rows, try Self.run(engine, Self.byVersion, .sql).rows))
        #expect(try !engine.database.traceRollupIsCurrent())
    }

    /// A re-derivation (every trace rewritten) rebuilds the rollup and its triggers.
    @Test func rederivingRebuildsIt() throws {
        let (store, config, dir) = try Self.freshStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        let database = try Database(path: store)
        _ = try Loader(database: database, config: config).rederive()
        #expect(try database.traceRollupIsCurrent())
        let triggers = try database.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'traces'")
        #expect(triggers == .integer(2))
        try Self.sqlite3(store, "UPDATE traces SET model = 'other' WHERE rowid = 1")
        #expect(try !database.traceRollupIsCurrent())
    }

    /// Long distinct outputs would make the input rollup's build hold them all: past its byte
    /// budget it is not kept (queries by input scan the traces), while the daily one is.
    @Test func aBuildPastItsBytesIsNotKept() throws {
        let (store, _, dir) = try Self.freshStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        let database = try Database(path: store)
        // Every output its own 4 KB text: 300 traces hold 1.2 MB of smallest outputs.
        try Self.sqlite3(store, "UPDATE traces SET output = printf('%.4000c', 'x') || trace_id")
        try database.rebuildTraceRollup(ownTransaction: true, maxBytes: 1 << 20)
        #expect(try !database.traceRollupIsCurrent(.inputs))
        #expect(try !database.traceRollupIsWorthBuilding(.inputs))
        // The daily rollup holds no text: 300 traces' values are far under a megabyte.
        #expect(try database.traceRollupIsCurrent(.daily))
        let engine = QueryEngine(database: database, library: SavedQueryLibrary(directories: []))
        let byInput = "traces | where output is not null | stats n = count(), o = min(output) by input_hash, prompt_version"
        let scanned = try Self.run(engine, byInput, .automatic)
        let bySQL = try Self.run(engine, byInput, .sql)
        let scannedRolledUp = scanned.rolledUp
        #expect(!scannedRolledUp, "not built again by a query while the traces are the same")
        #expect(HashAggregationTests.same(scanned.rows, bySQL.rows))
        // Its own budget (128 MB) holds these: rebuilt, it answers as the scan does.
        try database.rebuildTraceRollup(ownTransaction: true)
        #expect(try database.traceRollupIsCurrent(.inputs))
        let rolled = try Self.run(engine, byInput, .automatic)
        let rolledUp = rolled.rolledUp
        #expect(rolledUp)
        #expect(HashAggregationTests.same(rolled.rows, bySQL.rows))
    }

    /// Keys and signals of every storage class a script can write (reals, blobs, -0.0 and 0.0,
    /// integers in text columns, text in number columns): both rollups' rows, keys encoded and
    /// decoded again, answer as GROUP BY does.
    @Test func keysAndValuesOfEveryStorageClassAgree() throws {
        let (store, _, dir) = try Self.freshStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.sqlite3(store, """
            UPDATE traces SET model = CASE rowid % 4 WHEN 0 THEN 1.5 WHEN 1 THEN x'00ff' WHEN 2 THEN 7 ELSE model END WHERE rowid % 3 = 0;
            UPDATE traces SET cohort = CASE WHEN rowid % 2 = 0 THEN 0.0 ELSE -0.0 END WHERE rowid % 5 = 0;
            UPDATE traces SET input_hash = CASE WHEN rowid % 2 = 0 THEN NULL ELSE x'01' END WHERE rowid % 11 = 0;
            UPDATE traces SET tool_errors = 'two', output = CASE WHEN rowid % 2 = 0 THEN x'6869' ELSE output END WHERE rowid % 13 = 0;
            """)
        let database = try Database(path: store)
        try database.rebuildTraceRollup(ownTransaction: true)
        for rollup in TraceRollup.all { #expect(try database.traceRollupIsCurrent(rollup), "\(rollup.table)") }
        let engine = QueryEngine(database: database, library: SavedQueryLibrary(directories: []))
        for text in [
            "traces | stats n = count(), e = sum(tool_errors), l = avg(latency_ms), r = countif(refused) by model, cohort",
            "traces | stats n = count(), e = sum(tool_errors), o = min(output), r = rate(refused) by input_hash, model, cohort",
            "traces | where output is not null | stats n = count(), o = minif(output, model == \"gpt-4o\") by input_hash | stats n = count(), c = count(o)",
        ] {
            let byRollup = try Self.run(engine, text, .rollup)
            let rolledUp = byRollup.rolledUp
            #expect(rolledUp, "\(text)")
            #expect(HashAggregationTests.same(byRollup.rows, try Self.run(engine, text, .sql).rows), "\(text)")
        }
    }

    /// More combinations than the rollup keeps: it is not built, and queries scan the traces.
    @Test func tooManyCombinationsAreNotKept() throws {
        let (store, _, dir) = try Self.freshStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        let database = try Database(path: store)
        // Every trace its own release: more rows than traces' worth.
        try Self.sqlite3(store, "UPDATE traces SET release = trace_id")
        #expect(try database.rebuildTraceRollup(ownTransaction: true, maxRows: 100) == nil)
        #expect(try !database.traceRollupIsCurrent())
        #expect(try !database.traceRollupIsWorthBuilding())
        let engine = QueryEngine(database: database, library: SavedQueryLibrary(directories: []))
        let result = try Self.run(engine, Self.byVersion, .automatic)
        #expect(!result.rolledUp)
        #expect(HashAggregationTests.same(result.rows, try Self.run(engine, Self.byVersion, .sql).rows))
    }
}
