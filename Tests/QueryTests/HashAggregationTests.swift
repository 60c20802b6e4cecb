import Foundation
@testable import Query
import Store
import Testing

/// `stats` as a hash aggregation gives the rows SQL's GROUP BY gives: every golden query runs
/// both ways on the test store, and edge cases of SQLite's aggregates run both ways on a table
/// built for them.
@Suite struct HashAggregationTests {
    /// Equal rows; reals to 1e-9 relative (a sum's order of additions differs between the two).
    static func same(_ a: Rows, _ b: Rows) -> Bool {
        guard a.columns == b.columns, a.rows.count == b.rows.count else { return false }
        for (x, y) in zip(a.rows, b.rows) {
            guard x.count == y.count else { return false }
            for (u, v) in zip(x, y) {
                switch (u, v) {
                case (.real(let p), .real(let q)):
                    if abs(p - q) > 1e-9 * max(1, abs(p), abs(q)) { return false }
                default:
                    if u != v { return false }
                }
            }
        }
        return true
    }

    /// A golden query run on the test store with `first`'s settings, then `second`'s.
    static func goldenBothWays(_ name: String, _ first: (QueryEngine) -> Void, _ second: (QueryEngine) -> Void) throws -> (QueryResult, QueryResult) {
        let text = try String(contentsOf: GoldenQueryTests.directory.appendingPathComponent(name + ".rq"), encoding: .utf8)
        let source = QuerySource(name: "Golden/\(name).rq", text: text)
        let engine = try QueryStore.engine(library: [QueryStore.packageRoot.appendingPathComponent("queries").path])
        first(engine)
        let a = try engine.run(source)
        second(engine)
        return (a, try engine.run(source))
    }

    @Test(arguments: GoldenQueryTests.cases) func goldenQueriesAgree(_ name: String) throws {
        let (bySQL, byHash) = try Self.goldenBothWays(name, { $0.aggregation = .sql }, { $0.aggregation = .hash })
        #expect(Self.same(bySQL.rows, byHash.rows), "\(name):\n\(QueryStore.text(bySQL.rows))\nhash:\n\(QueryStore.text(byHash.rows))")
        #expect(byHash.compiled == bySQL.compiled, "the reported SQL is GROUP BY's")
    }

    /// The scan in rowid ranges, each on its own connection, the parts' groups merged: the
    /// rows of one scan.
    @Test(arguments: GoldenQueryTests.cases) func goldenQueriesAgreeInParts(_ name: String) throws {
        let (bySQL, inParts) = try Self.goldenBothWays(name, { $0.aggregation = .sql }, { $0.aggregation = .hash; $0.hashParts = 3 })
        #expect(Self.same(bySQL.rows, inParts.rows), "\(name):\n\(QueryStore.text(bySQL.rows))\nin parts:\n\(QueryStore.text(inParts.rows))")
    }

    /// Merging parts keeps SQL's groups: texts equal as Unicode but not as bytes stay apart;
    /// minima, sums, spreads and percentiles over parts equal the one scan's.
    @Test func partsMergeAsOneScan() throws {
        let (store, _, dir) = try TraceRollupTests.freshStore()
        defer { try? FileManager.default.removeItem(at: dir) }
        try TraceRollupTests.sqlite3(store, "UPDATE traces SET intent = CASE rowid % 3 WHEN 0 THEN 'caf\u{E9}' WHEN 1 THEN 'cafe\u{301}' ELSE intent END")
        let engine = QueryEngine(database: try Database(path: store, readOnly: true), library: SavedQueryLibrary(directories: []))
        let text = "traces | stats n = count(), s = sum(input_tokens), a = avg(latency_ms), lo = min(output), hi = max(model), sd = stddev(latency_ms), p = p90(cost_usd), d = dcount(model) by intent, day = date(ts)"
        engine.aggregation = .sql
        let bySQL = try engine.run(QuerySource(text: text))
        engine.aggregation = .hash
        for parts in [2, 5] {
            engine.hashParts = parts
            let inParts = try engine.run(QuerySource(text: text))
            #expect(inParts.hashAggregated)
            #expect(Self.same(bySQL.rows, inParts.rows), "\(parts) parts:\n\(QueryStore.text(bySQL.rows))\nin parts:\n\(QueryStore.text(inParts.rows))")
        }
        #expect(Set(bySQL.rows.rows.compactMap { $0[0].stringValue }).count >= 3, "both spellings are groups")
    }

    @Test func mostGoldenStatsQueriesCanHash() throws {
        let engine = try QueryStore.engine(library: [QueryStore.packageRoot.appendingPathComponent("queries").path])
        engine.aggregation = .hash
        var hashed = 0
        for name in GoldenQueryTests.cases {
            let text = try String(contentsOf: GoldenQueryTests.directory.appendingPathComponent(name + ".rq"), encoding: .utf8)
            if try engine.run(QuerySource(name: name, text: text)).hashAggregated { hashed += 1 }
        }
        #expect(hashed >= 15, "only \(hashed) golden queries ran as a hash aggregation")
    }

    /// Automatic: a grouping SQLite would sort for (a day of the time) hashes; a grouping in the
    /// order of an index (prompt_version, the covering index's first column) stays in SQL.
    @Test func automaticChoosesByThePlan() throws {
        let engine = try QueryStore.engine()
        // (`stddev` keeps it from the trace rollup, which would answer first.)
        let byDay = try engine.run(QuerySource(text: "traces | stats n = count(), p95 = p95(latency_ms), s = stddev(latency_ms) by day = date(ts), prompt_version"))
        #expect(byDay.hashAggregated)
        engine.aggregation = .sql
        #expect(Self.same(byDay.rows, try engine.run(QuerySource(text: "traces | stats n = count(), p95 = p95(latency_ms), s = stddev(latency_ms) by day = date(ts), prompt_version")).rows))
        engine.aggregation = .automatic
        let byVersion = try engine.run(QuerySource(text: "traces | stats n = count(), s = stddev(latency_ms) by prompt_version"))
        #expect(!byVersion.hashAggregated)
        #expect(try !engine.run(QuerySource(text: "traces | stats n = count()")).hashAggregated, "no groups: nothing to hash")
        // Grouped along an index that does not cover the query (traces_input_hash: a row
        // look-up per entry), then summarised again: the first stats hashes, with SQL's rows
        // (`stddev` keeps it from the input rollup).
        let byInput = "traces | where output is not null | stats a = minif(output, prompt_version == \"v1\"), r = avg(refused), d = stddev(latency_ms) by input_hash | stats n = count(), m = max(a), s = sum(r)"
        let hashedByInput = try engine.run(QuerySource(text: byInput))
        #expect(hashedByInput.hashAggregated)
        engine.aggregation = .sql
        #expect(Self.same(hashedByInput.rows, try engine.run(QuerySource(text: byInput)).rows))
        engine.aggregation = .automatic
        // A selective look-up (one prompt version, through traces_slices) stays in SQL... and a
        // walk along a covering index too (above: by prompt_version).
        #expect(try !engine.run(QuerySource(text: "traces | where trace_id == \"x\" | stats n = count() by intent")).hashAggregated)
        #expect(try !engine.run(QuerySource(text: "traces | stats n = count() by b = bin(latency_ms, 100.0)")).hashAggregated, "a real group")
    }

    /// `date(ts)` hashes by the day's number: days before 1970 (negative nanoseconds) and the
    /// instants around midnight fall in the right day, as SQL's text says.
    @Test func dayNumbersMatchDateTextAroundMidnightAndBefore1970() throws {
        let db = try Database(path: ":memory:")
        let day = HashAggregation.nanosecondsPerDay
        for ns in [-day - 1, -day, -1, 0, 1, day - 1, day, 20_000 * day + 5, 20_001 * day - 1] {
            let number = HashAggregation.dayNumber(ofNanoseconds: ns)
            let texts = try db.query("SELECT relops_date(?), relops_date(?)", [.integer(ns), .integer(number * day)]).rows[0]
            #expect(texts[0] == texts[1], "\(ns): \(texts)")
        }
        // Through a scan: the instants of one day are one group, in either order.
        try db.execute("CREATE TABLE t (ns INTEGER); INSERT INTO t VALUES (\(day + 5)), (\(-3)), (\(2 * day - 1)), (NULL), (\(-day))")
        let groups = try #require(try HashAggregation.run(try db.prepare("SELECT ns FROM t"), groupColumns: 1, aggregates: [.countRows],
                                                          inputs: [-1], dayKeys: [0], maxGroups: 10))
        #expect(groups == [[.integer(1), .integer(2)], [.integer(-1), .integer(2)], [.null, .integer(1)]])
    }

    /// The scan reads each distinct input once and nothing for `count()`.
    @Test func theScanReadsEachInputOnce() throws {
        let engine = try QueryStore.engine()
        let (checked, _) = try engine.compile(QuerySource(text: "traces | stats n = count(), a = avg(latency_ms), p = p95(latency_ms), r = rate(refused) by day = date(ts)"))
        let plan = try #require(SQLCompiler.compileHashed(checked)?.hash)
        #expect(plan.inputs == [-1, 1, 1, 2])
        #expect(plan.aggregates == [.countRows, .avg, .percentile(0.95), .avg])
        #expect(plan.scanSQL.components(separatedBy: "\"latency_ms\"").count == 2, "\(plan.scanSQL)")
    }

    /// Past the group limit the hash hands over to SQL, with the same rows.
    @Test func tooManyGroupsFallBackToSQL() throws {
        let engine = try QueryStore.engine()
        engine.aggregation = .hash
        engine.maxHashGroups = 10
        let query = QuerySource(text: "traces | stats n = count(), m = max(latency_ms) by trace_id | sort n desc, trace_id | limit 5")
        let fallen = try engine.run(query)
        #expect(!fallen.hashAggregated)
        engine.maxHashGroups = 100_000
        let hashed = try engine.run(query)
        #expect(hashed.hashAggregated && Self.same(fallen.rows, hashed.rows))
    }

    /// SQLite's aggregates on awkward values — NULLs, mixed storage classes, text that reads as
    /// a number, an integer sum that overflows — through `HashAggregation` and through SQL.
    @Test func edgeCasesMatchSQLite() throws {
        let db = try Database(path: ":memory:")
        try db.execute("""
            CREATE TABLE t (g, x);
            INSERT INTO t VALUES ('a', 1), ('a', 2.5), ('a', NULL), ('a', '7'), ('a', 'zz'), ('a', x'00ff'),
                                 ('b', NULL), ('b', NULL),
                                 ('c', 3), ('c', 3), ('c', -4),
                                 (NULL, 10), (NULL, 20),
                                 ('é', 1), ('e', 2);
            CREATE TABLE big (g, x);
            INSERT INTO big VALUES (1, 9223372036854775807), (1, 1), (2, 5);
            """)
        let kinds: [(GroupAggregate, String)] = [
            (.countRows, "count(*)"), (.count, "count(x)"), (.countDistinct, "count(DISTINCT x)"), (.sum, "sum(x)"),
            (.avg, "avg(x)"), (.min, "min(x)"), (.max, "max(x)"), (.percentile(0.5), "relops_percentile(x, 0.5)"),
            (.percentile(0.9), "relops_percentile(x, 0.9)"), (.stddev(ddof: 1), "relops_stddev(x)"), (.stddev(ddof: 0), "relops_stddev_pop(x)"),
        ]
        let scan = try db.prepare("SELECT g, " + kinds.map { $0.0 == .countRows ? "1" : "x" }.joined(separator: ", ") + " FROM t")
        let hashed = try #require(try HashAggregation.run(scan, groupColumns: 1, aggregates: kinds.map(\.0), maxGroups: 100))
        let sorted = hashed.sorted { GroupAggregateState.compare($0[0], $1[0]) < 0 }
        let sql = try db.query("SELECT g, " + kinds.map(\.1).joined(separator: ", ") + " FROM t GROUP BY g ORDER BY g")
        #expect(Self.same(Rows(columns: sql.columns, rows: sorted), sql), "hash:\n\(sorted)\nsql:\n\(sql.rows)")

        // sum() overflows: SQL reports the error, so the hash hands over (nil).
        let overflow = try db.prepare("SELECT g, x FROM big")
        #expect(try HashAggregation.run(overflow, groupColumns: 1, aggregates: [.sum], maxGroups: 100) == nil)
        #expect(throws: StoreError.self) { try db.query("SELECT g, sum(x) FROM big GROUP BY g") }
        let averaged = try db.prepare("SELECT g, x FROM big")
        #expect(try HashAggregation.run(averaged, groupColumns: 1, aggregates: [.avg], maxGroups: 100)?.count == 2, "avg does not overflow")
    }
    /// Thousands of groups in no order (the table grows many times), keys of every storage
    /// class and two key columns, min and max of texts that are prefixes of one another: the
    /// same groups and values as GROUP BY.
    @Test func manyShuffledGroupsMatchSQLite() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t (g, h, x)")
        let insert = try db.prepare("INSERT INTO t VALUES (?, ?, ?)")
        var rng = QueryFuzzTests.Random(state: 42)
        let texts = ["", "a", "ab", "abc", "abd", "b", "é", "e\u{301}", "zz", "Z"]
        for _ in 0..<40_000 {
            let k = Int64(rng.next() % 3_000)
            let g: SQLValue
            switch k % 5 {
            case 0: g = .integer(k)
            case 1: g = .text("key-\(k)")
            case 2: g = .blob([UInt8(k & 0xff), UInt8(k >> 8)])
            case 3: g = k % 7 == 0 ? .null : .text(String(repeating: "long key ", count: Int(k % 4)) + "\(k)")
            default: g = .integer(-k)
            }
            let h: SQLValue = rng.next() % 4 == 0 ? .null : .integer(Int64(rng.next() % 2))
            let x: SQLValue = rng.next() % 10 == 0 ? .integer(Int64(rng.next() % 100)) : .text(texts[Int(rng.next() % UInt64(texts.count))])
            try insert.bind([g, h, x])
            try insert.run()
        }
        let scan = try db.prepare("SELECT g, h, x, x, x FROM t")
        let hashed = try #require(try HashAggregation.run(scan, groupColumns: 2, aggregates: [.min, .max, .count], maxGroups: 100_000))
        let sql = try db.query("SELECT g, h, min(x), max(x), count(x) FROM t GROUP BY g, h")
        #expect(hashed.count == sql.rows.count)
        func key(_ row: [SQLValue]) -> String { "\(row[0])|\(row[1])" }
        let byKey = Dictionary(uniqueKeysWithValues: sql.rows.map { (key($0), $0) })
        for row in hashed {
            #expect(byKey[key(row)] == row, "\(row)")
        }
    }
}

