import Foundation
import Ingest
import Query
import Replay
import Store
import Testing

/// `replay … using RUNNER` end to end with the exec runner of Fixtures/exec_runner.py: every
/// result — answers and each kind of failure — is stored as a trace linked to its original,
/// under the run id and the chosen versions, and `diff` and queries read replays like any
/// other traces.
@Suite struct ReplayRunTests {
    static let runner = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/exec_runner.py").path

    static let config = try! WorkspaceConfig.parse("""
        version: 1
        mappings:
          prompt_version: [app.prompt.version]
          intent: [app.intent]
        runners:
          local:
            kind: exec
            command: ["python3", "\(runner)"]
            timeout: 2s
            concurrency: 3
        """, path: "/tmp/relops.yaml")

    /// Four requests under prompt v1: one answered, and three that fail each its own way.
    static func store(_ inputs: [String] = ["where is my order?", "exit", "hang", "not-json"], config: WorkspaceConfig = config,
                      _ name: String = #function) throws -> Database {
        var lines: [String] = []
        for (i, input) in inputs.enumerated() {
            let trace = String(format: "%032x", i + 1)
            lines.append(ShowFixtures.span(trace, "a\(i)", parent: nil, kind: "llm", name: "chat", startMs: i * 1000, endMs: i * 1000 + 400,
                                           attributes: """
                {"gen_ai.request.model":"gpt-4o","gen_ai.request.temperature":0.2,"app.prompt.version":"v1","app.intent":"order_status",\
                "gen_ai.input.messages":"[{\\"role\\":\\"system\\",\\"parts\\":[{\\"type\\":\\"text\\",\\"content\\":\\"Be brief.\\"}]},{\\"role\\":\\"user\\",\\"parts\\":[{\\"type\\":\\"text\\",\\"content\\":\\"\(input)\\"}]}]",\
                "output.value":"Answer \(i)"}
                """))
        }
        let dir = ShowFixtures.temporaryDirectory(name)
        let file = dir.appendingPathComponent("traces.jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
        let db = try Database(path: dir.appendingPathComponent("t.db").path)
        _ = try Loader(database: db, config: config).load(file.path)
        return db
    }

    static func targets(_ db: Database, settings: [String: String]) throws -> [ReplayTarget] {
        let engine = QueryEngine(database: db, library: SavedQueryLibrary(directories: []))
        return try ReplayTargets.select(database: db, queries: engine, condition: QuerySource(text: "intent == \"order_status\""),
                                        limit: 10, settings: settings)
    }

    @Test func everyResultIsStoredLinkedToItsOriginal() throws {
        let db = try Self.store()
        let targets = try Self.targets(db, settings: ["prompt_version": "v2"])
        #expect(targets.count == 4)
        let answered = try #require(targets.first { $0.request.input == "where is my order?" })
        #expect(answered.request.messages == [ChatMessage(role: "system", content: "Be brief."), ChatMessage(role: "user", content: "where is my order?")])
        #expect(answered.request.model == "gpt-4o")
        #expect(answered.request.parameters["temperature"] == .number(0.2))
        #expect(answered.request.versions["prompt_version"] == "v2" && answered.request.versions["cohort"] == "replay")
        #expect(answered.replaced == ["prompt_version": "v1"])

        let runner = try RunnerFactory.make(named: "local", in: Self.config)
        let run = ReplayRun(database: db, config: Self.config, runner: runner, concurrency: 3)
        let report = try run.run(targets, command: "replay where intent == \"order_status\" using local set prompt_version=v2",
                                 settings: ["prompt_version": "v2"])
        #expect(report.requested == 4 && report.succeeded == 1 && report.failed == 3)
        #expect(report.failures == ["exit_3": 1, "timeout": 1, "malformed": 1])
        #expect(report.previous == ["prompt_version": "v1"])

        let rows = try db.query("""
            SELECT o.input, r.replay_run, r.prompt_version, r.cohort, r.intent, r.error, r.output, s.status, s.error_type,
                   r.input_hash = o.input_hash
            FROM traces r JOIN traces o ON o.trace_id = r.replay_of JOIN spans s ON s.trace_id = r.trace_id
            ORDER BY o.input
            """).rows
        #expect(rows.count == 4)
        for row in rows {
            #expect(row[1] == .text(run.runId))
            #expect(row[2] == .text("v2") && row[3] == .text("replay") && row[4] == .text("order_status"))
            #expect(row[9] == .integer(1), "the replay matches its original's input")
        }
        let byInput = Dictionary(uniqueKeysWithValues: rows.map { ($0[0].stringValue ?? "", $0) })
        #expect(byInput["where is my order?"]?[6] == .text("WHERE IS MY ORDER?"))
        #expect(byInput["where is my order?"]?[5] == .integer(0))
        #expect(byInput["exit"]?[8] == .text("exit_3") && byInput["exit"]?[5] == .integer(1))
        #expect(byInput["hang"]?[8] == .text("timeout") && byInput["hang"]?[7] == .text("error"))
        #expect(byInput["not-json"]?[8] == .text("malformed"))

        let runRow = try db.query("SELECT status, requested, succeeded, failed, runner, kind, settings FROM replay_runs").rows
        #expect(runRow == [[.text("partial"), .integer(4), .integer(1), .integer(3), .text("local"), .text("exec"), .text("{\"prompt_version\":\"v2\"}")]])
        #expect(try db.scalar("SELECT format || ' ' || status || ' ' || spans FROM loads WHERE sha256 = ?", [.text(run.runId)])
                == .text("replay partial 4"))

        // The replays are traces like any other: diff pairs each with its original.
        let engine = QueryEngine(database: db, library: SavedQueryLibrary(directories: []))
        let diff = try VersionDiff.compute(database: db, queries: engine, dimension: "prompt_version", a: "v1", b: "v2", condition: nil)
        #expect(diff.matched == 4)
        #expect(diff.flips.first { $0.signal == "error" }?.table.falseToTrue == 3)
        #expect(diff.outputs.changed == 1 && diff.outputs.missingB == 3)
        // And the query language sees the run.
        let replays = try engine.run(QuerySource(text: "replays | select run_id, status"))
        #expect(replays.rows.rows == [[.text(run.runId), .text("partial")]])
    }

    @Test func aStoppedRunKeepsWhatItRecorded() throws {
        let db = try Self.store()
        let targets = try Self.targets(db, settings: [:]).filter { $0.request.input != "hang" }
        let runner = try RunnerFactory.make(named: "local", in: Self.config)
        let run = ReplayRun(database: db, config: Self.config, runner: runner, concurrency: 1)
        // Stopped at once (Ctrl-C): the one or two calls already started finish and are recorded.
        let report = try run.run(targets, command: "replay", settings: [:], shouldStop: { true })
        #expect(report.interrupted)
        #expect(report.succeeded + report.failed >= 1 && report.succeeded + report.failed < targets.count)
        let stored = try db.scalar("SELECT count(*) FROM traces WHERE replay_run = ?", [.text(run.runId)])
        #expect(stored == .integer(Int64(report.succeeded + report.failed)))
        #expect(try db.scalar("SELECT status FROM replay_runs") == .text("interrupted"))
    }

    /// The OpenAI-compatible runner against Fixtures/fake_openai.py: an answer, a refusal, a 429
    /// then an answer, a 500, a hang past the timeout and a malformed body, each stored.
    @Test func openAIResultsAreStoredWithTheirSignals() throws {
        try RunnerTests().withFakeServer { url in
            let config = try WorkspaceConfig.parse("""
                version: 1
                mappings:
                  prompt_version: [app.prompt.version]
                  intent: [app.intent]
                runners:
                  vllm:
                    kind: openai
                    url: \(url)
                    model: llama-test
                    timeout: 1s
                    retries: 2
                    backoff: 10ms
                    concurrency: 6
                """, path: "/tmp/relops.yaml")
            let db = try Self.store(["hello there", "refuse", "flaky", "always-500", "hang", "malformed"], config: config)
            let engine = QueryEngine(database: db, library: SavedQueryLibrary(directories: []))
            let targets = try ReplayTargets.select(database: db, queries: engine, condition: QuerySource(text: "true"), limit: 10,
                                                   settings: ["prompt_version": "v2"], runnerModel: config.runners["vllm"]?.model)
            #expect(targets.allSatisfy { $0.request.model == "llama-test" })
            let runner = try RunnerFactory.make(named: "vllm", in: config)
            let run = ReplayRun(database: db, config: config, runner: runner, concurrency: 6)
            let report = try run.run(targets, command: "replay where true using vllm", settings: ["prompt_version": "v2"])
            #expect(report.succeeded == 3 && report.failed == 3)
            #expect(report.failures == ["http_500": 1, "timeout": 1, "malformed": 1])
            #expect(report.retried == 2, "the 429 and the 500 were tried again")

            let rows = try db.query("""
                SELECT o.input, r.refused, r.error, r.output, r.model, s.error_type,
                       json_extract(s.attrs, '$."relops.replay.attempts"')
                FROM traces r JOIN traces o ON o.trace_id = r.replay_of JOIN spans s ON s.trace_id = r.trace_id
                """).rows
            let byInput = Dictionary(uniqueKeysWithValues: rows.map { ($0[0].stringValue ?? "", $0) })
            #expect(byInput["hello there"]?[3] == .text("echo: hello there") && byInput["hello there"]?[1] == .integer(0))
            #expect(byInput["refuse"]?[1] == .integer(1), "the endpoint's refusal is the trace's `refused`")
            #expect(byInput["flaky"]?[2] == .integer(0) && byInput["flaky"]?[6] == .integer(2))
            #expect(byInput["always-500"]?[5] == .text("http_500") && byInput["always-500"]?[6] == .integer(3))
            #expect(byInput["hang"]?[5] == .text("timeout"))
            #expect(byInput["malformed"]?[5] == .text("malformed") && byInput["malformed"]?[2] == .integer(1))
        }
    }

    @Test func unknownSettingsAndRunnersAreClearErrors() throws {
        #expect(throws: ReplayError.self) { try ReplayTargets.validate(["prompt_verison": "v3"]) }
        #expect(throws: (any Error).self) { try RunnerFactory.make(named: "locl", in: Self.config) }
    }
}
