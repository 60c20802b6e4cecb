import Foundation
import Ingest
import Investigate
import Query
import Replay
import Store
import Testing

/// `diff` on a corpus from ../shared/bench/gen_traces.py with the `refusal` incident: the
/// flips it reports are the incident the truth file describes, and its counts agree with a
/// hand-written SQL pairing run by the sqlite3 CLI on the same store.
@Suite(.serialized) struct DiffCorpusTests {
    /// One corpus for the suite: 12,000 traces over 14 days, seed 11, refusal incident.
    static let corpus: (store: String, truth: Data) = {
        let generator = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared/bench/gen_traces.py").standardized.path
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relops-diff-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let corpus = dir.appendingPathComponent("corpus.jsonl").path
        let truth = dir.appendingPathComponent("truth.json").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", generator, "--traces", "12000", "--days", "14", "--seed", "11",
                             "--scenario", "refusal", "--out", corpus, "--truth", truth, "--quiet"]
        try! process.run()
        process.waitUntilExit()
        precondition(process.terminationStatus == 0, "gen_traces.py failed")
        let store = dir.appendingPathComponent("diff.db").path
        let db = try! Database(path: store)
        let config = try! WorkspaceConfig.load(path: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Benchmarks/relops.yaml").standardized.path)
        _ = try! Loader(database: db, config: config).load(corpus)
        return (store, try! Data(contentsOf: URL(fileURLWithPath: truth)))
    }()

    static func diff(_ dimension: String, _ a: String, _ b: String, where condition: String?, parts: Int? = nil) throws -> VersionDiff {
        let db = try Database(path: corpus.store, readOnly: true)
        let engine = QueryEngine(database: db, library: SavedQueryLibrary(directories: []))
        return try VersionDiff.compute(database: db, queries: engine, dimension: dimension, a: a, b: b,
                                       condition: condition.map { QuerySource(text: $0) }, examples: 3, parts: parts)
    }

    /// A large store is scanned in rowid ranges on several threads: the merged result is the
    /// one scan's, example for example.
    @Test func aSplitScanGivesTheSameResult() throws {
        let one = try Self.diff("prompt_version", "v1", "v2", where: "intent != \"small_talk\"", parts: 1)
        for parts in [2, 3, 7] {
            let split = try Self.diff("prompt_version", "v1", "v2", where: "intent != \"small_talk\"", parts: parts)
            #expect((split.inputsA, split.inputsB, split.tracesA, split.tracesB, split.matched)
                    == (one.inputsA, one.inputsB, one.tracesA, one.tracesB, one.matched))
            #expect(split.outputs == one.outputs)
            #expect(split.flips.map(\.table) == one.flips.map(\.table))
            #expect(split.flips.map { $0.raised.map(\.b.traceId) } == one.flips.map { $0.raised.map(\.b.traceId) })
            #expect(split.deltas.map(\.delta) == one.deltas.map(\.delta))
            #expect(split.changedExamples.map(\.a.traceId) == one.changedExamples.map(\.a.traceId))
        }
    }

    @Test func findsTheRefusalIncidentOfTheTruthFile() throws {
        let truth = try #require(try JSONSerialization.jsonObject(with: Self.corpus.truth) as? [String: Any])
        let incidents = try #require(truth["incidents"] as? [[String: Any]])
        let incident = try #require(incidents.first { $0["scenario"] as? String == "refusal" })
        let dimension = incident["dimension"] as! String, previous = incident["previous_value"] as! String
        let value = incident["value"] as! String, intent = incident["intent"] as! String
        let signal = incident["signal"] as! String
        #expect(incident["direction"] as? String == "up")

        let diff = try Self.diff(dimension, previous, value, where: "intent == \"\(intent)\"")
        #expect(diff.matched > 100)
        let flip = try #require(diff.flips.first { $0.signal == signal })
        // Answered → refused dominates, and McNemar's test says it is no accident.
        #expect(flip.table.falseToTrue > 5 * max(flip.table.trueToFalse, 1))
        #expect(flip.table.mcnemarPValue < 1e-6)
        // The rates on matched inputs are the incident's realized rates, within sampling error.
        let realized = incident["realized"] as! [String: [String: Any]]
        let before = realized["previous"]!["rate"] as! Double, after = realized["value"]!["rate"] as! Double
        let n = Double(flip.table.n)
        #expect(abs((flip.table.rateA ?? .nan) - before) < 4 * (before * (1 - before) / n).squareRoot() + 0.005)
        #expect(abs((flip.table.rateB ?? .nan) - after) < 4 * (after * (1 - after) / n).squareRoot())
        // Each example of the flip is evidence: refused under the new value, not under the old.
        #expect(!flip.raised.isEmpty)
        let db = try Database(path: Self.corpus.store, readOnly: true)
        for example in flip.raised {
            let a = try #require(try db.traceRow(id: example.a.traceId)), b = try #require(try db.traceRow(id: example.b.traceId))
            #expect(a.flag("refused") == false && b.flag("refused") == true)
            #expect(a.text(dimension) == previous && b.text(dimension) == value)
            #expect(a.text("input_hash") == b.text("input_hash"))
        }
    }

    @Test func otherIntentsShowNoRefusalShift() throws {
        let diff = try Self.diff("prompt_version", "v1", "v2", where: "intent not in (\"refund\", \"out_of_scope\")")
        let flip = try #require(diff.flips.first { $0.signal == "refused" })
        #expect(flip.table.n > 500)
        #expect(flip.table.mcnemarPValue > 0.001)
    }

    /// The same pairing written independently in SQL: the latest trace of each input under
    /// each value, joined on the input.
    @Test func countsAgreeWithSQLRunByTheSQLiteCLI() throws {
        let diff = try Self.diff("prompt_version", "v1", "v2", where: nil)
        let sql = """
            WITH s AS (SELECT input_hash, prompt_version AS v, output, refused, tool_errors > 0 AS tool_error, latency_ms,
                         row_number() OVER (PARTITION BY input_hash, prompt_version ORDER BY start_ns DESC, rowid DESC) AS r
                       FROM traces WHERE prompt_version IN ('v1', 'v2') AND input_hash IS NOT NULL),
                 a AS (SELECT * FROM s WHERE v = 'v1' AND r = 1), b AS (SELECT * FROM s WHERE v = 'v2' AND r = 1)
            SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM b), count(*),
                   sum(a.output = b.output), sum(a.output <> b.output), sum(a.output IS NULL AND b.output IS NOT NULL),
                   sum(NOT a.refused AND b.refused), sum(a.refused AND NOT b.refused),
                   sum(NOT a.tool_error AND b.tool_error), avg(b.latency_ms - a.latency_ms)
            FROM a JOIN b USING (input_hash)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", "-readonly", Self.corpus.store, ".mode list", ".separator |", sql]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let cells = out.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|").map(String.init)
        try #require(cells.count == 10, "sqlite3 printed \(out)")
        #expect(Int(cells[0]) == diff.inputsA)
        #expect(Int(cells[1]) == diff.inputsB)
        #expect(Int(cells[2]) == diff.matched)
        #expect(Int(cells[3]) == diff.outputs.identical)
        #expect(Int(cells[4]) == diff.outputs.changed)
        #expect(Int(cells[5]) == diff.outputs.missingA)
        let refused = try #require(diff.flips.first { $0.signal == "refused" })
        #expect(Int(cells[6]) == refused.table.falseToTrue)
        #expect(Int(cells[7]) == refused.table.trueToFalse)
        let tool = try #require(diff.flips.first { $0.signal == "tool_error" })
        #expect(Int(cells[8]) == tool.table.falseToTrue)
        let latency = try #require(diff.deltas.first { $0.signal == "latency_ms" })
        #expect(abs((Double(cells[9]) ?? .nan) - (latency.delta.meanDelta ?? .nan)) < 1e-6)
    }

    /// The analysis commands on the same corpus: `changes` finds the onset of the truth file's
    /// refusal incident within one daily bucket, and `explain` ranks the prompt first (its hash,
    /// the config hash and the release, which travel with it, as its aliases).
    @Test func changesAndExplainFindTheIncident() throws {
        let truth = try #require(try JSONSerialization.jsonObject(with: Self.corpus.truth) as? [String: Any])
        let incident = try #require((truth["incidents"] as? [[String: Any]])?.first { $0["scenario"] as? String == "refusal" })
        let intent = incident["intent"] as! String, onsetText = incident["onset"] as! String
        let fullText = incident["full_rollout"] as! String
        let db = try Database(path: Self.corpus.store, readOnly: true)
        let engine = QueryEngine(database: db, library: SavedQueryLibrary(directories: []))
        let day: Int64 = 86_400_000_000_000
        let report = try ChangeReport.compute(database: db, queries: engine, signal: try #require(Signal.named("refused")), every: day,
                                              condition: QuerySource(text: "intent == \"\(intent)\""), by: nil, penalty: nil)
        let found = try #require(report.series.first?.onsets.first)
        let onset = try #require(Timestamp.parse(onsetText))
        #expect(abs(found - onset) <= day, "change at \(Timestamp.iso8601(nanoseconds: found)), incident at \(onsetText)")

        // Two days before the canary saw the new prompt against the day after everyone did.
        let before = Timestamp.iso8601(nanoseconds: onset - 2 * day), after = Timestamp.iso8601(nanoseconds: (Timestamp.parse(fullText) ?? 0) + day)
        let slices = SlicePairSpec(
            baseline: QuerySource(text: "intent == \"\(intent)\" and ts >= \"\(before)\" and ts < \"\(onsetText)\""),
            current: QuerySource(text: "intent == \"\(intent)\" and ts >= \"\(fullText)\" and ts < \"\(after)\""))
        let explained = try Explanation.compute(database: db, queries: engine, signal: try #require(Signal.named("refused")), slices: slices)
        let first = try #require(explained.causes.first)
        #expect(first.dimension == incident["dimension"] as? String, "\(explained.causes)")
        #expect(first.values.contains(try #require(incident["value"] as? String)))
    }

    @Test func badArgumentsAreClearErrors() throws {
        #expect(throws: ReplayError.self) { try Self.diff("prompt_verison", "v1", "v2", where: nil) }
        #expect(throws: ReplayError.self) { try Self.diff("prompt_version", "v1", "v1", where: nil) }
        #expect(throws: QueryError.self) { try Self.diff("prompt_version", "v1", "v2", where: "intnt == \"refund\"") }
        #expect(throws: QueryError.self) { try Self.diff("prompt_version", "v1", "v2", where: "latency_ms") }
    }
}
