import Foundation
import Ingest
import Investigate
@testable import Notebook
import Query
import Store
import Testing

/// Rollback triggers on a corpus of ../shared/bench/gen_traces.py with two incidents (refund
/// refusals under a new prompt, then order_lookup tool errors under a new tool version): the
/// backtest fires each rule inside its incident, after the onset the truth file gives, and never
/// before; `check at` a time before the onset does not fire, at a time inside it does.
@Suite(.serialized) struct TriggerCorpusTests {
    static let rules = """
        version: 1
        defaults: {min_samples: 30}
        rules:
          refund-refusals:
            signal: refused
            where: intent == "refund" and cohort != "shadow" and environment == "production"
            window: 12h
            above: 0.10
          order-tool-errors:
            signal: tool_error
            where: intent in ("order_status", "refund") and environment == "production"
            window: 6h
            above: 0.08
            min_samples: 50
            action: page
        """

    struct Incident {
        var onset: Int64
        var fullRollout: Int64
    }

    /// Generates the corpus, loads it with Benchmarks/relops.yaml, and returns the store and
    /// the onsets of the refusal and tool incidents.
    static func corpus(_ dir: URL) throws -> (Database, refusal: Incident, tool: Incident) {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let traces = dir.appendingPathComponent("corpus.jsonl").path, truthPath = dir.appendingPathComponent("truth.json").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", here.appendingPathComponent("../../../shared/bench/gen_traces.py").standardized.path,
                             "--traces", "12000", "--days", "10", "--seed", "5", "--scenario", "refusal", "--scenario", "tool",
                             "--out", traces, "--truth", truthPath, "--quiet"]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "gen_traces.py failed")
        let database = try Database(path: dir.appendingPathComponent("triggers.db").path)
        let config = try WorkspaceConfig.load(path: here.appendingPathComponent("../../Benchmarks/relops.yaml").standardized.path)
        _ = try Loader(database: database, config: config).load(traces)
        try? FileManager.default.removeItem(atPath: traces)
        let truth = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: truthPath))) as? [String: Any])
        let incidents = try #require(truth["incidents"] as? [[String: Any]])
        func incident(_ scenario: String) throws -> Incident {
            let i = try #require(incidents.first { $0["scenario"] as? String == scenario })
            let onsetText = try #require(i["onset"] as? String), fullText = try #require(i["full_rollout"] as? String)
            let onset = try #require(Timestamp.parse(onsetText)), full = try #require(Timestamp.parse(fullText))
            return Incident(onset: onset, fullRollout: full)
        }
        return (database, try incident("refusal"), try incident("tool"))
    }

    @Test func triggersFireInsideTheIncidentsAndNeverBefore() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relops-trigger-corpus-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (database, refusal, tool) = try Self.corpus(dir)
        let queries = QueryEngine(database: database, library: SavedQueryLibrary(directories: []))
        let config = try TriggerConfig.parse(Self.rules)
        let day: Int64 = 86_400_000_000_000

        let backtest = try TriggerBacktest.run(config, from: nil, to: nil, database: database, queries: queries)
        #expect(backtest.rules.map(\.rule.name) == ["refund-refusals", "order-tool-errors"])
        for (result, incident) in zip(backtest.rules, [refusal, tool]) {
            let name = result.rule.name
            #expect(result.evaluations > 10 && result.fired > 0, "\(name) never fired")
            // Every window that fired ends after the onset (so it holds incident traffic) …
            for w in result.windows where w.status == .fired {
                #expect(w.to > incident.onset, "\(name) fired at \(Timestamp.iso8601(nanoseconds: w.to)), before the onset")
            }
            // … every window before the onset was evaluated and did not fire …
            let before = result.windows.filter { $0.to <= incident.onset }
            #expect(!before.isEmpty && before.allSatisfy { $0.status != .fired })
            #expect(before.filter { $0.status == .ok }.count > before.count / 2, "\(name): the rule had enough traffic to judge before the onset")
            // … and it fires within a day of the full rollout.
            let first = try #require(result.firstFired)
            #expect(first <= incident.fullRollout + day, "\(name) first fired at \(Timestamp.iso8601(nanoseconds: first))")
            #expect(result.episodes.allSatisfy { $0.first > incident.onset && $0.evaluations >= 1 })
            #expect(result.fired == result.episodes.map(\.evaluations).reduce(0, +))
        }

        // The latest window, as `triggers check` sees it before the refusal onset and inside the incident.
        let early = try TriggerCheck.run(config, at: refusal.onset - day / 2, database: database, queries: queries)
        #expect(early.fired.isEmpty && early.evaluations.allSatisfy { $0.status == .ok }, "\(early.evaluations.map(TriggerCorpusTests.describe))")
        let firstRefusal = try #require(backtest.rules[0].firstFired)
        let inside = try TriggerCheck.run(config, at: firstRefusal, database: database, queries: queries)
        #expect(inside.fired.map(\.rule.name) == ["refund-refusals"])
        let refusals = inside.evaluations[0]
        #expect(refusals.n >= 30 && (refusals.value ?? 0) > 0.10 && refusals.exceeded == ["above"] && refusals.upperLimit == 0.10)
        #expect(refusals.to == firstRefusal && refusals.to - refusals.from == 12 * 3_600_000_000_000)

        // The check's window agrees with the store's own query of the same traces.
        let count = try database.scalar("""
            SELECT count(*) FROM traces WHERE intent = 'refund' AND cohort <> 'shadow' AND environment = 'production'
            AND start_ns > ? AND start_ns <= ? AND refused IS NOT NULL
            """, [.integer(refusals.from), .integer(refusals.to)]).int64Value
        #expect(count == Int64(refusals.n))
    }

    static func describe(_ e: Trigger.Evaluation) -> String {
        "\(e.rule.name): n \(e.n) value \(String(describing: e.value)) \(e.status.rawValue)"
    }
}
