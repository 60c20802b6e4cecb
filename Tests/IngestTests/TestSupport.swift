import Foundation
import Ingest
import Store

/// Paths and scratch space shared by the ingest tests.
enum TestSupport {
    /// The package root (this file is Tests/IngestTests/TestSupport.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sharedDir = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static let fixturesDir = sharedDir.appendingPathComponent("fixtures/otel")
    static let benchConfig = packageRoot.appendingPathComponent("Benchmarks/relops.yaml").path

    /// A fresh folder under the temporary folder (`scripts/test` gives each run its own and
    /// removes it at the end).
    static func temporaryDirectory(_ name: String = #function) -> URL {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("relops-tests-\(getpid())-\(safe)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url)
    }

    /// Runs ../shared/bench/gen_traces.py; returns the native file, the OTLP file (if asked) and the truth.
    static func benchCorpus(traces: Int, seed: Int = 7, scenarios: [String] = ["refusal"], otlp: Bool = false,
                            days: Int = 14) throws -> (native: URL, otlp: URL?, truth: [String: Any]) {
        let dir = temporaryDirectory("bench\(traces)-\(seed)-\(scenarios.joined())-\(otlp)")
        let out = dir.appendingPathComponent("corpus.jsonl")
        let truth = dir.appendingPathComponent("truth.json")
        var args = [sharedDir.appendingPathComponent("bench/gen_traces.py").path, "--traces", "\(traces)", "--days", "\(days)",
                    "--seed", "\(seed)", "--out", out.path, "--truth", truth.path, "--quiet", "--format", otlp ? "both" : "native"]
        for s in scenarios { args += ["--scenario", s] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + args
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestFailure("gen_traces.py failed") }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: truth)) as? [String: Any] ?? [:]
        return (out, otlp ? dir.appendingPathComponent("corpus.otlp.jsonl") : nil, json)
    }

    static func benchWorkspace() throws -> WorkspaceConfig {
        try WorkspaceConfig.load(path: benchConfig)
    }

    /// Row counts of every table: "nothing changed" means these are equal before and after.
    static func tableCounts(_ db: Database) throws -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for table in ["spans", "traces", "loads", "rejects", "resources", "logs"] {
            counts[table] = try db.scalar("SELECT count(*) FROM \(table)").int64Value
        }
        return counts
    }

    static func int(_ db: Database, _ sql: String, _ parameters: [SQLValue] = []) throws -> Int64 {
        try db.scalar(sql, parameters).int64Value ?? -1
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
