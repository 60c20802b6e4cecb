import Foundation
import Ingest
import Investigate
@testable import Notebook
import Query
import Store
import Testing

/// `Gate` on corpora of ../shared/bench/gen_traces.py, one incident each (refusal, tool,
/// latency): the incident's new version, as the candidate where the incident strikes, holds on
/// the incident's signal against the previous version; where it does not strike, it passes.
@Suite(.serialized) struct GateCorpusTests {
    /// A gen_traces corpus with one incident, loaded with Benchmarks/relops.yaml into a store in
    /// a fresh folder (removed by the caller); returns the store and the incident of truth.json.
    static func corpus(_ scenario: String, traces: Int, days: Int, seed: Int, dir: URL, incident: Bool = true) throws -> (Database, [String: Any]) {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let tracesPath = dir.appendingPathComponent("corpus.jsonl").path, truthPath = dir.appendingPathComponent("truth.json").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", here.appendingPathComponent("../../../shared/bench/gen_traces.py").standardized.path,
                             "--traces", "\(traces)", "--days", "\(days)", "--seed", "\(seed)", "--scenario", scenario,
                             "--out", tracesPath, "--truth", truthPath, "--quiet"]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "gen_traces.py failed")
        let database = try Database(path: dir.appendingPathComponent("gate.db").path)
        let config = try WorkspaceConfig.load(path: here.appendingPathComponent("../../Benchmarks/relops.yaml").standardized.path)
        _ = try Loader(database: database, config: config).load(tracesPath)
        try? FileManager.default.removeItem(atPath: tracesPath)
        let truth = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: truthPath))) as? [String: Any])
        guard incident else { return (database, truth) }
        let found = try #require((truth["incidents"] as? [[String: Any]])?.first { $0["scenario"] as? String == scenario })
        return (database, found)
    }

    static func gate(_ database: Database, candidate: String, baseline: String, _ yaml: String) throws -> Gate {
        let queries = QueryEngine(database: database, library: SavedQueryLibrary(directories: []))
        return try Gate.run(database: database, queries: queries, candidate: QuerySource(text: candidate),
                            baseline: QuerySource(text: baseline), config: try GateConfig.parse(yaml), caseFiles: [])
    }

    /// The tool incident: the new version of one tool fails far more calls. Traces that ran it,
    /// against traces that ran the previous version, hold on `tool_error`; latency passes.
    @Test func theToolIncidentsVersionHoldsOnToolErrors() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relops-gate-tool-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (database, incident) = try Self.corpus("tool", traces: 8000, days: 10, seed: 6, dir: dir)
        let value = try #require(incident["value"] as? String), previous = try #require(incident["previous_value"] as? String)
        #expect(incident["signal"] as? String == "tool_errors")
        let yaml = "signals:\n  tool_error: {max_increase: 0.02}\n  latency_ms: {statistic: p95, max_relative_increase: 0.5}\n"
        let held = try Self.gate(database, candidate: "tool_version == \"\(value)\"", baseline: "tool_version == \"\(previous)\"", yaml)
        #expect(held.verdict == .hold, "\(held.risks)")
        let errors = try #require(held.signals.first { $0.rule.signal.name == "tool_error" })
        #expect(errors.status == .fail && errors.exceeded == ["max_increase"], "\(errors)")
        #expect((errors.delta?.interval?.lower ?? 0) > 0.02, "\(String(describing: errors.delta))")
        #expect(held.signals.first { $0.rule.signal.name == "latency_ms" }?.status == .pass)
        // The previous version against itself, split by time: nothing to hold.
        let control = try Self.gate(database, candidate: "tool_version == \"\(previous)\" and ts >= \"2026-11-04T00:00:00Z\"",
                                    baseline: "tool_version == \"\(previous)\" and ts < \"2026-11-04T00:00:00Z\"", yaml)
        #expect(control.verdict == .ship, "\(control.risks)")
    }

    /// The latency incident: the new model is slower on long inputs only. On inputs of 2,000+
    /// tokens the new model's p95 is well over 10% above the previous model's (HOLD); on short
    /// inputs it passes.
    @Test func theLatencyIncidentsModelHoldsOnLongInputsOnly() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relops-gate-latency-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (database, incident) = try Self.corpus("latency", traces: 12000, days: 10, seed: 7, dir: dir)
        let value = try #require(incident["value"] as? String), previous = try #require(incident["previous_value"] as? String)
        let condition = try #require(incident["condition"] as? [String: Any])
        let tokens = try #require(condition["value"] as? Int)
        let yaml = "signals:\n  latency_ms: {statistic: p95, max_relative_increase: 0.10}\n  refused: {max_increase: 0.05}\n"
        func gate(_ inputs: String) throws -> Gate {
            try Self.gate(database, candidate: "model == \"\(value)\" and \(inputs)", baseline: "model == \"\(previous)\" and \(inputs)", yaml)
        }
        let long = try gate("input_tokens >= \(tokens)")
        #expect(long.verdict == .hold, "\(long.risks)")
        let latency = try #require(long.signals.first { $0.rule.signal.name == "latency_ms" })
        #expect(latency.status == .fail && latency.exceeded == ["max_relative_increase"], "\(latency)")
        #expect(long.risks.contains { $0.level == .hold && $0.message.contains("latency_ms") }, "\(long.risks)")
        let short = try gate("input_tokens < \(tokens)")
        #expect(short.signals.first { $0.rule.signal.name == "latency_ms" }?.status == .pass, "\(short.signals)")
    }

    @Test func theRefusalIncidentsPromptHoldsOnRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relops-gate-corpus-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (database, incident) = try Self.corpus("refusal", traces: 6000, days: 10, seed: 5, dir: dir)
        let dimension = try #require(incident["dimension"] as? String), value = try #require(incident["value"] as? String)
        let previous = try #require(incident["previous_value"] as? String), intent = try #require(incident["intent"] as? String)
        #expect(incident["signal"] as? String == "refused")

        func gate(_ scope: String) throws -> Gate {
            try Self.gate(database, candidate: "\(scope) and \(dimension) == \"\(value)\"", baseline: "\(scope) and \(dimension) == \"\(previous)\"",
                          "signals:\n  refused: {max_increase: 0.01}\n  latency_ms: {statistic: p95, max_relative_increase: 0.5}\n")
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

        // Must-pass cases: two inputs the new prompt refuses on their newest trace, one it answers.
        func inputs(refused: Bool) throws -> [(hash: String, text: String)] {
            try database.query("""
                SELECT input_hash, input FROM traces AS t WHERE intent = ? AND \(dimension) = ? AND refused = ?
                   AND start_ns = (SELECT max(start_ns) FROM traces AS u WHERE u.input_hash = t.input_hash AND u.\(dimension) = t.\(dimension))
                 ORDER BY input_hash LIMIT 2
                """, [.text(intent), .text(value), .integer(refused ? 1 : 0)]).rows.map { ($0[0].stringValue ?? "", $0[1].stringValue ?? "") }
        }
        let refusedInputs = try inputs(refused: true), answered = try #require(try inputs(refused: false).first)
        try #require(refusedInputs.count == 2)
        let yaml = "relops_cases: 1\nsession: \"refusals\"\ntitle: \"refusals\"\nredactions: []\ncases:\n"
            + (refusedInputs + [answered]).enumerated().map { i, input in
                """
                  - id: "case-\(i)"
                    severity: critical
                    tags: []
                    provenance: {session: "refusals", incident: "refusals", traces: [], causes: [], notes: []}
                    input: {hash: "\(input.hash)", text: \(Self.quoted(input.text))}
                    expect: ["not refused"]
                    observed: {refused: true}

                """
            }.joined()
        let casesPath = dir.appendingPathComponent("refusals.yaml").path
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: casesPath))
        let withCases = try Gate.run(database: database, queries: QueryEngine(database: database, library: SavedQueryLibrary(directories: [])),
                                     candidate: QuerySource(text: "intent == \"\(intent)\" and \(dimension) == \"\(value)\""),
                                     baseline: QuerySource(text: "intent == \"\(intent)\" and \(dimension) == \"\(previous)\""),
                                     config: try GateConfig.parse("signals:\n  refused: {max_increase: 0.01}\n"),
                                     caseFiles: [try CaseFiles.open(casesPath, directory: dir.path)])
        #expect(withCases.verdict == .hold)
        let statuses = withCases.cases.flatMap(\.results).map { "\($0.regressionCase.id)=\($0.status.rawValue)" }
        #expect(statuses == ["case-0=fail", "case-1=fail", "case-2=pass"], "\(statuses)")
        for id in ["case-0", "case-1"] {
            #expect(withCases.risks.contains { $0.level == .hold && $0.message.hasPrefix("must-pass case \(id) ") }, "\(withCases.risks)")
        }
        #expect(!withCases.risks.contains { $0.message.hasPrefix("must-pass case case-2 ") })
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// The control corpus (no incident): the same prompt rollout with nothing wrong in it ships.
    @Test func theControlCorpusShips() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relops-gate-control-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (database, _) = try Self.corpus("none", traces: 8000, days: 10, seed: 5, dir: dir, incident: false)
        let held = try Self.gate(database, candidate: "prompt_version == \"v2\"", baseline: "prompt_version == \"v1\"",
                                 "signals:\n  refused: {max_increase: 0.01}\n  latency_ms: {statistic: p95, max_relative_increase: 0.1}\n  tool_error: {max_increase: 0.01}\n")
        #expect(held.candidateTraces > 1000 && held.baselineTraces > 1000)
        #expect(held.verdict == .ship, "\(held.risks)")
    }
}
