import Foundation
import Testing

/// `diff` and `replay` through the real binary on the demo store (whose prompt v2 makes refund
/// questions refused): text, JSON, script use, runners from relops.yaml, and the errors.
@Suite(.serialized) struct ReplayCommandLineTests {
    /// The demo workspace, built once: `relops-demo/demo.db` and its relops.yaml.
    static let demo: URL = {
        let dir = RelopsBinary.temporaryDirectory("replaydemo")
        let run = try! RelopsBinary.run(["demo"], stdin: "", directory: dir)
        precondition(run.status == 0, run.stderr)
        return dir.appendingPathComponent("relops-demo")
    }()

    static var db: String { demo.appendingPathComponent("demo.db").path }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func diffReportsTheRefusalFlipInTextAndJSON() throws {
        let command = "diff prompt_version v1 v2 where intent == \"refund\""
        let text = try RelopsBinary.run(["--db", Self.db, "-c", command])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("diff prompt_version: v1 → v2\nwhere intent == \"refund\"\n"))
        for heading in ["Outputs", "Flips (on inputs where the signal is known under both)", "Paired differences (v2 − v1, 95% intervals)",
                        "refused: false → true"] {
            #expect(text.stdout.contains("\n" + heading), "\(heading)")
        }
        let json = try RelopsBinary.run(["--db", Self.db, "--format", "json", "-c", command])
        #expect(json.status == 0)
        let doc = try Self.json(json.stdout)
        #expect(doc["command"] as? String == "diff" && doc["where"] as? String == "intent == \"refund\"")
        let inputs = try #require(doc["inputs"] as? [String: Int])
        let matched = try #require(inputs["matched"])
        #expect(matched > 0 && inputs["only_a"] == inputs["a"]! - matched)
        #expect(text.stdout.contains("\(matched) inputs seen under both"))
        let flips = try #require(doc["flips"] as? [[String: Any]])
        #expect(flips.map { $0["signal"] as? String } == ["refused", "safety_flagged", "error", "tool_error", "retrieval_empty"])
        let refused = flips[0]
        let raised = try #require(refused["false_to_true"] as? Int)
        #expect(raised > (refused["true_to_false"] as? Int ?? 0))
        let examples = try #require(refused["false_to_true_examples"] as? [[String: Any]])
        #expect(examples.count == min(3, raised))
        // Each example names both traces, so they can be shown and pinned.
        let b = try #require(examples.first?["b"] as? [String: Any])
        let id = try #require(b["trace_id"] as? String)
        let show = try RelopsBinary.run(["--db", Self.db, "--format", "csv", "-c", "traces | where trace_id == \"\(id)\" | select prompt_version, refused"])
        #expect(show.stdout.contains("v2,1"))
        let deltas = try #require(doc["deltas"] as? [[String: Any]])
        #expect(deltas.map { $0["signal"] as? String } == ["latency_ms", "input_tokens", "output_tokens", "cost_usd", "retrieval_top_score"])
        #expect((deltas[0]["mean_delta_interval"] as? [Double])?.count == 2)

        let markdown = try RelopsBinary.run(["--db", Self.db, "--format", "markdown", "-c",
                                              "diff prompt_version v1 v2 examples 1 where intent == \"refund\""])
        #expect(markdown.stdout.hasPrefix("## diff prompt_version: v1 → v2\n"))
        #expect(markdown.stdout.contains("| signal | inputs | rate v1 | rate v2 |"))
    }

    @Test func diffErrorsExitWithStatusTwo() throws {
        let dimension = try RelopsBinary.run(["--db", Self.db, "-c", "diff prompt_verison v1 v2"])
        #expect(dimension.status == 2)
        #expect(dimension.stderr.contains("did you mean `prompt_version`?"), "\(dimension.stderr)")
        let expression = try RelopsBinary.run(["--db", Self.db, "-c", "diff prompt_version v1 v2 where intnt == \"refund\""])
        #expect(expression.status == 2)
        #expect(expression.stderr.contains("^"), "\(expression.stderr)")
        #expect(expression.stderr.contains("intent"), "\(expression.stderr)")
        let missing = try RelopsBinary.run(["--db", Self.db, "-c", "diff prompt_version v1"])
        #expect(missing.status == 2 && missing.stderr.contains("Usage: diff DIMENSION A B"))
    }

    @Test func replayShowsTheStoredAnswersAcrossVersions() throws {
        let pick = try RelopsBinary.run(["--db", Self.db, "--format", "csv", "-c",
                                         "traces | where refused and intent == \"refund\" and prompt_version == \"v2\" | sort ts | limit 1 | select trace_id"])
        let id = try #require(pick.stdout.split(separator: "\r\n").last.map(String.init))
        let text = try RelopsBinary.run(["--db", Self.db, "-c", "replay \(id.prefix(10)) across prompt_version"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("replay \(id)\n"))
        #expect(text.stdout.contains("\nacross prompt_version\n"))
        let json = try Self.json(try RelopsBinary.run(["--db", Self.db, "--format", "json", "-c", "replay \(id)"]).stdout)
        let dims = try #require(json["dimensions"] as? [[String: Any]])
        #expect(dims.contains { $0["dimension"] as? String == "prompt_version" })
        let values = try #require(dims.first?["values"] as? [[String: Any]])
        #expect(values.first?["own"] as? Bool == true)
        let bad = try RelopsBinary.run(["--db", Self.db, "-c", "replay \(id) across prompt_verison"])
        #expect(bad.status == 2 && bad.stderr.contains("did you mean `prompt_version`?"), "\(bad.stderr)")
    }

    @Test func replayThroughARunnerStoresTheResults() throws {
        let runner = RelopsBinary.packageRoot.appendingPathComponent("Tests/ReplayTests/Fixtures/exec_runner.py").path
        let config = Self.demo.deletingLastPathComponent().appendingPathComponent("runners.yaml")
        let demoConfig = try String(contentsOf: Self.demo.appendingPathComponent("relops.yaml"), encoding: .utf8)
        try (demoConfig + "\nrunners:\n  local:\n    kind: exec\n    command: [\"python3\", \"\(runner)\"]\n    timeout: 5s\n")
            .write(to: config, atomically: true, encoding: .utf8)
        let env = ["RELOPS_CONFIG": config.path]
        let run = try RelopsBinary.run(["--db", Self.db, "--format", "json", "-c",
                                        "replay where intent == \"refund\" and refused using local set prompt_version=v9 limit 3"],
                                       environment: env)
        #expect(run.status == 0, "\(run.stderr)")
        let report = try Self.json(run.stdout)
        #expect(report["requested"] as? Int == 3 && report["succeeded"] as? Int == 3)
        let runId = try #require(report["run_id"] as? String)
        let count = try RelopsBinary.run(["--db", Self.db, "--format", "csv", "-c",
                                          "traces | where replay_run == \"\(runId)\" and prompt_version == \"v9\" and cohort == \"replay\" | stats count()"])
        #expect(count.stdout.hasSuffix("\r\n3\r\n"), "\(count.stdout)")
        let text = try RelopsBinary.run(["--db", Self.db, "-c", "replay where intent == \"refund\" using local set prompt_version=v9 limit 1"],
                                        environment: env)
        #expect(text.stdout.contains("1 requested, 1 answered, 0 failed"), "\(text.stdout)")
        #expect(text.stdout.contains("diff prompt_version v2 v9") || text.stdout.contains("diff prompt_version v1 v9"), "\(text.stdout)")

        let unknown = try RelopsBinary.run(["--db", Self.db, "-c", "replay where refused using locl"], environment: env)
        #expect(unknown.status == 2 && unknown.stderr.contains("did you mean `local`?"), "\(unknown.stderr)")
        let noUsing = try RelopsBinary.run(["--db", Self.db, "-c", "replay where refused"], environment: env)
        #expect(noUsing.status == 2 && noUsing.stderr.contains("needs `using RUNNER`"), "\(noUsing.stderr)")
        let badSet = try RelopsBinary.run(["--db", Self.db, "-c", "replay where refused using local set promt_version=v3"], environment: env)
        #expect(badSet.status == 2 && badSet.stderr.contains("did you mean `prompt_version`?"), "\(badSet.stderr)")
    }

    /// A run killed half-way (kill -9) keeps every batch it committed: the store opens, and the
    /// replays recorded so far are there, linked to their originals.
    @Test func aKilledRunKeepsWhatItRecorded() throws {
        let dir = RelopsBinary.temporaryDirectory()
        let db = dir.appendingPathComponent("copy.db").path
        try FileManager.default.copyItem(atPath: Self.db, toPath: db)
        let config = dir.appendingPathComponent("relops.yaml")
        let demoConfig = try String(contentsOf: Self.demo.appendingPathComponent("relops.yaml"), encoding: .utf8)
        try (demoConfig + """

            runners:
              slow:
                kind: exec
                command: "cat > /dev/null; sleep 0.2; echo '{\\"output\\": \\"later\\"}'"
                concurrency: 1
            """).write(to: config, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RelopsBinary.path)
        process.arguments = ["--db", db, "-c", "replay where intent == \"refund\" using slow limit 100"]
        process.environment = ProcessInfo.processInfo.environment.merging(["RELOPS_CONFIG": config.path]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Other tests may have replayed into the demo store before it was copied: count this run's.
        var runId = ""
        var recorded: Int64 = 0
        for _ in 0..<150 where recorded < 3 {
            Thread.sleep(forTimeInterval: 0.1)
            if runId.isEmpty {
                let runs = try RelopsBinary.run(["--db", db, "--format", "csv", "-c", "replays | where runner == \"slow\" | select run_id"])
                runId = runs.stdout.split(separator: "\r\n").dropFirst().first.map(String.init) ?? ""
                continue
            }
            let count = try RelopsBinary.run(["--db", db, "--format", "csv", "-c", "traces | where replay_run == \"\(runId)\" | stats count()"])
            recorded = Int64(count.stdout.split(separator: "\r\n").last.map(String.init) ?? "") ?? 0
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(recorded >= 3)
        let after = try RelopsBinary.run(["--db", db, "--format", "csv", "-c",
                                          "traces | where replay_run == \"\(runId)\" | stats n = count(), linked = countif(replay_of is not null), answered = countif(output == \"later\")"])
        #expect(after.status == 0, "\(after.stderr)")
        let cells = (after.stdout.split(separator: "\r\n").last ?? "").split(separator: ",").compactMap { Int($0) }
        #expect(cells.count == 3 && cells[0] >= Int(recorded) && cells[0] < 100 && cells[1] == cells[0] && cells[2] == cells[0], "\(after.stdout)")
        let run = try RelopsBinary.run(["--db", db, "--format", "csv", "-c", "replays | where runner == \"slow\" | select status, succeeded"])
        #expect(run.stdout.contains("running,\(cells.first ?? -1)"), "the run row says how far it got: \(run.stdout)")
    }
}
