import Foundation
import Ingest
import Investigate
@testable import Notebook
import Query
import Store
import Testing

/// `Gate` on a corpus of ../shared/bench/gen_traces.py with the `refusal` incident: the
/// truth file's new prompt version, as the candidate for the incident's intent, holds on
/// `refused` against the previous version; the same versions on the other intents pass.
@Suite(.serialized) struct GateCorpusTests {
    @Test func theRefusalIncidentsPromptHoldsOnRefused() throws {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relops-gate-corpus-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let traces = dir.appendingPathComponent("corpus.jsonl").path, truthPath = dir.appendingPathComponent("truth.json").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", here.appendingPathComponent("../../../shared/bench/gen_traces.py").standardized.path,
                             "--traces", "6000", "--days", "10", "--seed", "5", "--scenario", "refusal",
                             "--out", traces, "--truth", truthPath, "--quiet"]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "gen_traces.py failed")
        let database = try Database(path: dir.appendingPathComponent("gate.db").path)
        let config = try WorkspaceConfig.load(path: here.appendingPathComponent("../../Benchmarks/relops.yaml").standardized.path)
        _ = try Loader(database: database, config: config).load(traces)
        try? FileManager.default.removeItem(atPath: traces)

        let truth = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: truthPath))) as? [String: Any])
        let incident = try #require((truth["incidents"] as? [[String: Any]])?.first { $0["scenario"] as? String == "refusal" })
        let dimension = try #require(incident["dimension"] as? String), value = try #require(incident["value"] as? String)
        let previous = try #require(incident["previous_value"] as? String), intent = try #require(incident["intent"] as? String)
        #expect(incident["signal"] as? String == "refused")

        let queries = QueryEngine(database: database, library: SavedQueryLibrary(directories: []))
        let gates = try GateConfig.parse("signals:\n  refused: {max_increase: 0.01}\n  latency_ms: {statistic: p95, max_relative_increase: 0.5}\n")
        func gate(_ scope: String) throws -> Gate {
            try Gate.run(database: database, queries: queries,
                         candidate: QuerySource(text: "\(scope) and \(dimension) == \"\(value)\""),
                         baseline: QuerySource(text: "\(scope) and \(dimension) == \"\(previous)\""), config: gates, caseFiles: [])
        }
        let held = try gate("intent == \"\(intent)\"")
        #expect(held.verdict == .hold)
        let refused = try #require(held.signals.first { $0.rule.signal.name == "refused" })
        #expect(refused.status == .fail && refused.exceeded == ["max_increase"], "\(refused)")
        #expect((refused.delta?.interval?.lower ?? 0) > 0.01, "the whole interval is above the threshold: \(String(describing: refused.delta))")
        #expect(held.risks.contains { $0.level == .hold && $0.message.hasPrefix("refused rate went from") })
        #expect(held.signals.first { $0.rule.signal.name == "latency_ms" }?.status == .pass)

        let others = try gate("intent != \"\(intent)\"")
        #expect(others.signals.first { $0.rule.signal.name == "refused" }?.status == .pass, "\(others.risks)")
        #expect(others.verdict == .ship, "\(others.risks)")
    }
}
