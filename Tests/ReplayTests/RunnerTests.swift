import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Ingest
@testable import Replay
import Testing

/// The replay runners: `runners` in relops.yaml, the exec runner against
/// Fixtures/exec_runner.py and the openai runner against Fixtures/fake_openai.py.
/// Timings are checked only as generous bounds.
@Suite struct RunnerTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    // MARK: - relops.yaml

    @Test func readsRunners() throws {
        let config = try WorkspaceConfig.parse("""
            version: 1
            runners:
              local:
                kind: exec
                command: ["python3", "runners/answer.py"]
                timeout: 30s
                concurrency: 2
                retries: 2
                env: {PROMPTS_DIR: prompts, PORT: 8000}
              shell:
                kind: exec
                command: ./answer.sh --fast
              vllm:
                kind: openai
                url: http://127.0.0.1:8000/v1
                model: llama-3.1-8b
                api_key_env: OPENAI_API_KEY
                timeout: 500ms
                concurrency: 8
                retries: 3
                backoff: 2m
                parameters: {temperature: 0, max_tokens: 512, top_p: 0.9, stop: "\\n\\n", logprobs: false, seed: null}
                prompts:
                  v3: "You are a helpful support assistant."
                  4: |
                    Multi-line
                    prompt
            """, path: "/work/ws/relops.yaml")
        #expect(config.runners.keys.sorted() == ["local", "shell", "vllm"])

        let local = try #require(config.runners["local"])
        #expect(local == RunnerSpec(name: "local", kind: .exec, command: ["python3", "runners/answer.py"], timeout: 30,
                                    concurrency: 2, retries: 2, env: ["PROMPTS_DIR": "prompts", "PORT": "8000"],
                                    directory: "/work/ws", line: 3))

        let shell = try #require(config.runners["shell"])
        #expect(shell.command == ["/bin/sh", "-c", "./answer.sh --fast"])
        #expect(shell.shell)
        #expect(shell.timeout == 60 && shell.concurrency == 4 && shell.retries == 3 && shell.backoff == 0.5)

        let vllm = try #require(config.runners["vllm"])
        #expect(vllm == RunnerSpec(
            name: "vllm", kind: .openai, url: "http://127.0.0.1:8000/v1", model: "llama-3.1-8b", apiKeyEnv: "OPENAI_API_KEY",
            timeout: 0.5, concurrency: 8, retries: 3, backoff: 120,
            parameters: ["temperature": .number(0), "max_tokens": .number(512), "top_p": .number(0.9), "stop": .string("\n\n"),
                         "logprobs": .bool(false), "seed": .null],
            prompts: ["v3": "You are a helpful support assistant.", "4": "Multi-line\nprompt"],
            directory: "/work/ws", line: 13))

        #expect(try WorkspaceConfig.parse("runners:\n", path: "relops.yaml").runners.isEmpty)
    }

    @Test(arguments: [
        ("500ms", 0.5), ("30s", 30), ("2m", 120), ("1h", 3600), ("1.5", 1.5), ("45", 45), ("2.5s", 2.5), (" 10 s ", 10),
    ])
    func readsDurations(_ text: String, _ seconds: Double) {
        #expect(RunnerSpec.duration(text) == seconds)
    }

    @Test(arguments: ["", "s", "fast", "10 seconds", "1d", "ms5", "inf", "nan"])
    func rejectsDurations(_ text: String) {
        #expect(RunnerSpec.duration(text) == nil)
    }

    @Test(arguments: [
        ("runners:\n  local:\n    kind: exec\n    comand: [x]\n",
         "relops.yaml:4: unknown setting `runners.local.comand` (did you mean `command`?)"),
        ("runners:\n  local:\n    kind: opnai\n    url: http://x\n",
         "relops.yaml:3: unknown runner kind `opnai` in `runners.local.kind` (did you mean `openai`?); expected `exec` or `openai`"),
        ("runners:\n  local:\n    command: [x]\n",
         "relops.yaml:2: `runners.local` needs a `kind`: `exec` or `openai`"),
        ("runners:\n  a: 1\n  local:\n    kind: exec\n",
         "relops.yaml:2: `runners.a` must be a mapping of settings (`kind`, `command` or `url`, …)"),
        ("runners:\n  local:\n    kind: exec\n    timeout: 30s\n",
         "relops.yaml:2: `runners.local` (kind exec) needs a `command`"),
        ("runners:\n\n  vllm:\n    kind: openai\n    model: m\n",
         "relops.yaml:3: `runners.vllm` (kind openai) needs a `url`"),
        ("runners:\n  local:\n    kind: exec\n    command: [x]\n    timeout: 30 seconds\n",
         "relops.yaml:5: `runners.local.timeout` expects a positive duration such as `30s`, `500ms`, `2m` or a number of seconds"),
        ("runners:\n  local:\n    kind: exec\n    command: [x]\n    timeout: 0s\n",
         "relops.yaml:5: `runners.local.timeout` expects a positive duration such as `30s`, `500ms`, `2m` or a number of seconds"),
        ("runners:\n  vllm:\n    kind: openai\n    url: http://x\n    backoff: soon\n",
         "relops.yaml:5: `runners.vllm.backoff` expects a duration such as `500ms`, `1s` or a number of seconds"),
        ("runners:\n  local:\n    kind: exec\n    command: [x]\n    concurrency: 0\n",
         "relops.yaml:5: `runners.local.concurrency` expects a whole number of at least 1"),
        ("runners:\n  local:\n    kind: exec\n    command: [x]\n    concurrency: 2.5\n",
         "relops.yaml:5: `runners.local.concurrency` expects a whole number of at least 1"),
        ("runners:\n  vllm:\n    kind: openai\n    url: http://x\n    retries: -1\n",
         "relops.yaml:5: `runners.vllm.retries` expects a whole number of at least 0"),
        ("runners:\n  local:\n    kind: exec\n    command: [x]\n    url: http://x\n",
         "relops.yaml:5: `url` applies to openai runners, not to `runners.local` (kind exec)"),
        ("runners:\n  vllm:\n    kind: openai\n    url: ftp://x\n",
         "relops.yaml:4: `runners.vllm.url` expects an http or https URL such as `http://127.0.0.1:8000/v1`"),
        ("runners:\n  vllm:\n    kind: openai\n    url: http://x\n    api_key_env: sk-12345\n",
         "relops.yaml:5: `runners.vllm.api_key_env` expects the name of an environment variable, such as `OPENAI_API_KEY`"),
        ("runners:\n  vllm:\n    kind: openai\n    url: http://x\n    parameters:\n      temperature: 0\n      stop: [a, b]\n",
         "relops.yaml:7: `runners.vllm.parameters.stop` must be a number, text, true, false or null"),
        ("runners:\n  local:\n    kind: exec\n    command: []\n",
         "relops.yaml:4: `runners.local.command` is empty"),
        ("runners:\n  local:\n    kind: exec\n    command: {a: b}\n",
         "relops.yaml:4: `runners.local.command` expects a list of words or a shell command line"),
        ("runners:\n  my runner:\n    kind: exec\n    command: [x]\n",
         "relops.yaml:2: runner name `my runner` must be one word of letters, digits, `_` and `-`"),
        ("runners: [local]\n",
         "relops.yaml:1: `runners` must map runner names to their settings"),
        ("runners:\n  local:\n    kind: exec\n    command: [x]\n    prompts:\n      v3: [a]\n",
         "relops.yaml:6: `runners.local.prompts.v3` expects text"),
        ("runers: {}\n",
         "relops.yaml:1: unknown setting `runers` (did you mean `runners`?)"),
    ])
    func configErrorsNameTheLine(_ text: String, _ expected: String) {
        do {
            _ = try WorkspaceConfig.parse(text, path: "relops.yaml")
            Issue.record("expected an error for \(text)")
        } catch {
            #expect("\(error)" == expected)
        }
    }

    @Test func factoryNamesMissingRunners() throws {
        let config = try WorkspaceConfig.parse("runners:\n  local:\n    kind: exec\n    command: [x]\n", path: "relops.yaml")
        #expect(try RunnerFactory.make(named: "local", in: config).kind == "exec")
        #expect(throws: RunnerError(runner: "locl", message: "is not defined in relops.yaml (did you mean `local`?); runners: `local`")) {
            try RunnerFactory.make(named: "locl", in: config)
        }
        #expect(throws: RunnerError(runner: "x", message: "is not defined: relops.yaml has no `runners` section (see docs/runners.md)")) {
            try RunnerFactory.make(named: "x", in: WorkspaceConfig(path: "relops.yaml"))
        }
    }

    // MARK: - Requests

    @Test func appliesTheRunnersSettings() {
        let spec = RunnerSpec(name: "r", kind: .openai, url: "http://x", model: "runner-model",
                              parameters: ["temperature": .number(0), "max_tokens": .number(64)], prompts: ["v3": "new system"])
        let request = ReplayRequest(traceId: "t1", messages: [ChatMessage(role: "system", content: "old"), ChatMessage(role: "user", content: "hi")],
                                    parameters: ["temperature": .number(0.7), "top_p": .number(1)], versions: ["prompt_version": "v3"])
        let applied = request.applying(spec)
        #expect(applied.model == "runner-model")
        #expect(applied.parameters == ["temperature": .number(0), "max_tokens": .number(64), "top_p": .number(1)])
        #expect(applied.messages == [ChatMessage(role: "system", content: "new system"), ChatMessage(role: "user", content: "hi")])
        #expect(applied.applying(spec) == applied)

        var chosen = request
        chosen.model = "set-model"
        chosen.messages = [ChatMessage(role: "user", content: "hi")]
        let inserted = chosen.applying(spec)
        #expect(inserted.model == "set-model")
        #expect(inserted.messages.first == ChatMessage(role: "system", content: "new system"))

        chosen.versions = ["prompt_version": "v9"]
        #expect(chosen.applying(spec).messages == chosen.messages)
    }

    // MARK: - exec

    func execSpec(timeout: Double = 20, env: [String: String] = [:]) -> RunnerSpec {
        RunnerSpec(name: "local", kind: .exec, command: ["python3", "exec_runner.py"], model: "runner-model", timeout: timeout,
                   parameters: ["temperature": .number(0)], prompts: ["v3": "system v3"], env: env, directory: Self.fixtures)
    }

    func request(_ input: String, traceId: String = "t1") -> ReplayRequest {
        ReplayRequest(traceId: traceId, inputHash: "0123456789abcdef", input: input,
                      messages: [ChatMessage(role: "system", content: "stored system"), ChatMessage(role: "user", content: input)],
                      parameters: ["temperature": .number(0.7), "max_tokens": .number(100)],
                      versions: ["prompt_version": "v3", "release": "2026.11"])
    }

    @Test func execAnswers() throws {
        let runner = try RunnerFactory.make(spec: execSpec())
        #expect(runner.name == "local" && runner.kind == "exec")
        let attempt = runner.call(request("where is my order"))
        #expect(attempt.result == .success(ReplayResponse(output: "WHERE IS MY ORDER", model: "runner-model", inputTokens: 4,
                                                          outputTokens: 4, finishReason: "stop", costUsd: 0.001, refused: false)))
        #expect(attempt.attempts == 1)
        #expect(attempt.raw?.hasPrefix("{\"output\": \"WHERE IS MY ORDER\"") == true)
        #expect(attempt.startNs > 1_700_000_000_000_000_000 && attempt.startNs <= attempt.endNs)
    }

    @Test func execGetsTheRequestAsJSON() throws {
        let attempt = try ExecRunner(spec: execSpec()).call(request("echo-request"))
        let output = try #require(try attempt.result.get().output)
        let sent = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(sent["trace_id"] as? String == "t1")
        #expect(sent["input_hash"] as? String == "0123456789abcdef")
        #expect(sent["input"] as? String == "echo-request")
        #expect(sent["model"] as? String == "runner-model")
        #expect(sent["parameters"] as? [String: Int] == ["temperature": 0, "max_tokens": 100])
        #expect(sent["versions"] as? [String: String] == ["prompt_version": "v3", "release": "2026.11"])
        #expect(sent["messages"] as? [[String: String]] == [["role": "system", "content": "system v3"],
                                                             ["role": "user", "content": "echo-request"]])
        #expect(Set(sent.keys) == ["trace_id", "input_hash", "input", "messages", "model", "parameters", "versions"])
    }

    @Test func execRunsInTheWorkspaceWithItsEnvironment() throws {
        var spec = execSpec(env: ["EXTRA": "hello"])
        spec.command = ["/bin/sh", "-c", "exec python3 exec_runner.py"]
        spec.shell = true
        let attempt = try ExecRunner(spec: spec).call(request("env"))
        #expect(try attempt.result.get().output == "hello|" + Self.fixtures)
    }

    @Test(arguments: [
        ("exit", ReplayFailure.exit(code: 3, stderr: "something went wrong\n")),
        ("not-json", .malformed(reason: "stdout is not one JSON object (expected a value, found `H` at byte 0); print logs to stderr", body: "Hello, I am not JSON\n")),
        ("two-objects", .malformed(reason: "stdout is not one JSON object (unexpected `{` after the JSON value at byte 16); print logs to stderr", body: "{\"output\": \"a\"}\n{\"output\": \"b\"}\n")),
        ("error", .transport("upstream said no")),
        ("rate-limited", .http(status: 429, body: "too many requests")),
        ("bad-tokens", .malformed(reason: "`input_tokens` must be a whole number", body: "{\"output\": \"ok\", \"input_tokens\": \"twelve\"}\n")),
    ])
    func execFailures(_ input: String, _ expected: ReplayFailure) throws {
        let attempt = try ExecRunner(spec: execSpec()).call(request(input))
        #expect(attempt.result == .failure(ReplayFailureError(expected)))
        #expect(attempt.attempts == 1)
    }

    @Test func execFailureTypes() throws {
        let attempt = try ExecRunner(spec: execSpec()).call(request("exit"))
        guard case .failure(let error) = attempt.result else { Issue.record("expected a failure"); return }
        #expect(error.failure.errorType == "exit_3")
        #expect(error.failure.message == "exited with status 3: something went wrong")
    }

    @Test func execTimeoutKillsTheProcessGroup() throws {
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("relops-runner-\(getpid())-\(UUID().uuidString).pid").path
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        let started = Date()
        let attempt = try ExecRunner(spec: execSpec(timeout: 3, env: ["PIDFILE": pidFile])).call(request("hang"))
        let elapsed = Date().timeIntervalSince(started)
        #expect(attempt.result == .failure(ReplayFailureError(.timeout(seconds: 3))))
        #expect(elapsed >= 2.9 && elapsed < 6, "took \(elapsed) s")
        // The grandchild (`sleep 30`) went with its parent: gone, or a zombie waiting for init.
        if let text = try? String(contentsOfFile: pidFile, encoding: .utf8), let pid = Int32(text) {
            let deadline = Date().addingTimeInterval(2)
            while Self.isRunning(pid), Date() < deadline { usleep(20_000) }
            #expect(!Self.isRunning(pid), "the child \(pid) of the timed-out command is still running")
        } else {
            Issue.record("the runner wrote no pid file (it did not reach its sleep within the timeout?)")
        }
    }

    @Test func execDoesNotWaitForABackgroundChild() throws {
        let started = Date()
        let attempt = try ExecRunner(spec: execSpec(timeout: 20)).call(request("background"))
        #expect(try attempt.result.get().output == "done")
        #expect(Date().timeIntervalSince(started) < 6)
    }

    @Test func execReadsALargeAnswer() throws {
        let attempt = try ExecRunner(spec: execSpec()).call(request("big"))
        #expect(try attempt.result.get().output?.count == 1 << 20)
        #expect(attempt.raw?.utf8.count ?? 0 <= RawText.limit + 3)
    }

    @Test func execCommandThatDoesNotReadItsInput() throws {
        // 1 MiB of input to a command that exits at once: our write fails with EPIPE, and
        // SIGPIPE must not end the test process.
        var spec = execSpec()
        spec.command = ["/bin/sh", "-c", "echo '{\"output\": \"ignored the input\"}'"]
        let attempt = try ExecRunner(spec: spec).call(request(String(repeating: "x", count: 1 << 20)))
        #expect(try attempt.result.get().output == "ignored the input")
    }

    @Test func execSignalsAndStartFailures() throws {
        var spec = execSpec()
        spec.command = ["/bin/sh", "-c", "kill -TERM $$"]
        let killed = try ExecRunner(spec: spec).call(request("x"))
        #expect(killed.result == .failure(ReplayFailureError(.exit(code: 128 + SIGTERM, stderr: ""))))

        spec.command = ["/bin/sh", "-c", "cat > /dev/null"]
        let silent = try ExecRunner(spec: spec).call(request("x"))
        #expect(silent.result == .failure(ReplayFailureError(.malformed(reason: "nothing on stdout", body: ""))))

        spec.command = ["relops-no-such-command"]
        let missing = try ExecRunner(spec: spec).call(request("x"))
        #expect(missing.result == .failure(ReplayFailureError(.transport("cannot start `relops-no-such-command`: No such file or directory"))))
        #expect(missing.raw == nil)

        spec.command = ["python3", "exec_runner.py"]
        spec.directory = "/nonexistent-relops-folder"
        let noFolder = try ExecRunner(spec: spec).call(request("x"))
        #expect(noFolder.result == .failure(ReplayFailureError(.transport("cannot start `python3`: the folder /nonexistent-relops-folder does not exist"))))
    }

    @Test func childProcessWithoutTheChdirAction() throws {
        var process = ChildProcess(arguments: ["pwd"], directory: Self.fixtures, timeout: 10)
        process.chdirThroughShell = true
        let outcome = try process.run(input: [])
        #expect(outcome.termination == .exited(0))
        #expect(String(decoding: outcome.stdout, as: UTF8.self) == Self.fixtures + "\n")
    }

    @Test func execCallsRunConcurrently() throws {
        let runner = try RunnerFactory.make(spec: execSpec())
        let inputs = (0..<8).map { "question number \($0)" }
        let outputs = Outputs(count: inputs.count)
        DispatchQueue.concurrentPerform(iterations: inputs.count) { i in
            outputs.set(i, try? runner.call(request(inputs[i], traceId: "t\(i)")).result.get().output)
        }
        #expect(outputs.values == inputs.map { $0.uppercased() })
    }

    // MARK: - openai

    @Test func openAIAnswers() throws {
        try withFakeServer { url in
            let spec = RunnerSpec(name: "vllm", kind: .openai, url: url, model: "runner-model", apiKeyEnv: "RELOPS_TEST_KEY",
                                  timeout: 10, parameters: ["temperature": .number(0), "max_tokens": .number(512)],
                                  prompts: ["v3": "system v3"])
            let runner = try RunnerFactory.make(spec: spec, environment: ["RELOPS_TEST_KEY": "sk-test"])
            #expect(runner.name == "vllm" && runner.kind == "openai")
            let attempt = runner.call(request("where is my order"))
            // 2 + 4 words in the messages (the system prompt replaced by v3's), 5 in the answer.
            #expect(attempt.result == .success(ReplayResponse(output: "echo: where is my order", model: "runner-model-served",
                                                              inputTokens: 6, outputTokens: 5, finishReason: "stop")))
            #expect(attempt.attempts == 1)
            #expect(attempt.raw?.contains("\"chat.completion\"") == true)

            let recorded = try requests(url)
            #expect(recorded.count == 1)
            let first = try #require(recorded.first)
            #expect(first["path"] as? String == "/v1/chat/completions")
            let headers = first["headers"] as? [String: String] ?? [:]
            #expect(headers["authorization"] == "Bearer sk-test")
            #expect(headers["content-type"] == "application/json")
            let body = first["body"] as? [String: Any] ?? [:]
            #expect(body["model"] as? String == "runner-model")
            #expect(body["temperature"] as? Int == 0)
            #expect(body["max_tokens"] as? Int == 512)
            #expect(body["messages"] as? [[String: String]] == [["role": "system", "content": "system v3"],
                                                                ["role": "user", "content": "where is my order"]])
            #expect(Set(body.keys) == ["model", "messages", "temperature", "max_tokens"])
        }
    }

    @Test func openAIRefusal() throws {
        try withFakeServer { url in
            let runner = try OpenAIRunner(spec: RunnerSpec(name: "o", kind: .openai, url: url, timeout: 10))
            let attempt = runner.call(request("refuse"))
            let response = try attempt.result.get()
            #expect(response.refused == true)
            #expect(response.output == "I can't help with that.")
            #expect(response.finishReason == "content_filter")
            #expect(try requests(url).first?["headers"].flatMap { ($0 as? [String: String])?["authorization"] } == nil)
        }
    }

    @Test func openAIRetries429ThenSucceeds() throws {
        try withFakeServer { url in
            // Retry-After: 0 wins over the (long) backoff.
            let runner = try OpenAIRunner(spec: RunnerSpec(name: "o", kind: .openai, url: url, timeout: 10, retries: 3, backoff: 20))
            let started = Date()
            let attempt = runner.call(request("flaky"))
            #expect(try attempt.result.get().output == "echo: flaky")
            #expect(attempt.attempts == 2)
            #expect(Date().timeIntervalSince(started) < 5)
            #expect(try requests(url).count == 2)
        }
    }

    @Test func openAIBacksOffWithoutRetryAfter() throws {
        try withFakeServer { url in
            let runner = try OpenAIRunner(spec: RunnerSpec(name: "o", kind: .openai, url: url, timeout: 10, retries: 1, backoff: 0.3))
            let started = Date()
            let attempt = runner.call(request("flaky-slow"))
            #expect(try attempt.result.get().output == "echo: flaky-slow")
            #expect(attempt.attempts == 2)
            #expect(Date().timeIntervalSince(started) >= 0.3)
        }
    }

    @Test func openAIGivesUpAfterTheRetries() throws {
        try withFakeServer { url in
            let runner = try OpenAIRunner(spec: RunnerSpec(name: "o", kind: .openai, url: url, timeout: 10, retries: 2, backoff: 0.01))
            let attempt = runner.call(request("always-500"))
            #expect(attempt.result == .failure(ReplayFailureError(.http(status: 500, body: "{\"error\": {\"message\": \"boom\"}}"))))
            #expect(attempt.attempts == 3)
            #expect(try requests(url).count == 3)
            if case .failure(let error) = attempt.result { #expect(error.failure.errorType == "http_500") }

            let bad = runner.call(request("bad-request"))
            #expect(bad.result == .failure(ReplayFailureError(.http(status: 400, body: "{\"error\": {\"message\": \"bad request\"}}"))))
            #expect(bad.attempts == 1)
        }
    }

    @Test func openAITimeout() throws {
        try withFakeServer { url in
            let runner = try OpenAIRunner(spec: RunnerSpec(name: "o", kind: .openai, url: url, timeout: 1.5, retries: 3))
            let started = Date()
            let attempt = runner.call(request("hang"))
            let elapsed = Date().timeIntervalSince(started)
            #expect(attempt.result == .failure(ReplayFailureError(.timeout(seconds: 1.5))))
            #expect(attempt.attempts == 1)
            #expect(elapsed >= 1.4 && elapsed < 3.5, "took \(elapsed) s")
        }
    }

    @Test func openAIMalformedBody() throws {
        try withFakeServer { url in
            let runner = try OpenAIRunner(spec: RunnerSpec(name: "o", kind: .openai, url: url, timeout: 10))
            let attempt = runner.call(request("malformed"))
            #expect(attempt.raw == "{this is not json")
            guard case .failure(let error) = attempt.result, case .malformed(let reason, let body) = error.failure else {
                Issue.record("expected a malformed failure, got \(attempt.result)")
                return
            }
            #expect(reason.hasPrefix("the body is not JSON"))
            #expect(body == "{this is not json")
        }
    }

    @Test func openAICallsRunConcurrently() throws {
        try withFakeServer { url in
            let runner = try RunnerFactory.make(spec: RunnerSpec(name: "o", kind: .openai, url: url, timeout: 10, concurrency: 4))
            let inputs = (0..<12).map { "question \($0)" }
            let outputs = Outputs(count: inputs.count)
            DispatchQueue.concurrentPerform(iterations: inputs.count) { i in
                outputs.set(i, try? runner.call(request(inputs[i])).result.get().output)
            }
            #expect(outputs.values == inputs.map { "echo: " + $0 })
        }
    }

    @Test func openAIConnectionRefused() throws {
        let runner = try OpenAIRunner(spec: RunnerSpec(name: "o", kind: .openai, url: "http://127.0.0.1:1/v1", timeout: 5, retries: 3))
        let attempt = runner.call(request("hello"))
        #expect(attempt.attempts == 1)
        guard case .failure(let error) = attempt.result, case .transport(let message) = error.failure else {
            Issue.record("expected a transport failure, got \(attempt.result)")
            return
        }
        #expect(message.hasPrefix("cannot reach http://127.0.0.1:1/v1/chat/completions"))
    }

    @Test func openAIMissingKey() {
        let spec = RunnerSpec(name: "vllm", kind: .openai, url: "http://127.0.0.1:8000/v1", apiKeyEnv: "RELOPS_TEST_KEY")
        let expected = RunnerError(runner: "vllm",
                                   message: "needs an API key in the environment variable RELOPS_TEST_KEY (api_key_env), which is not set")
        #expect(throws: expected) { try RunnerFactory.make(spec: spec, environment: [:]) }
        #expect(throws: expected) { try RunnerFactory.make(spec: spec, environment: ["RELOPS_TEST_KEY": " "]) }
        #expect("\(expected)" == "runner `vllm` needs an API key in the environment variable RELOPS_TEST_KEY (api_key_env), which is not set")
    }

    @Test(arguments: [
        ("http://h:8000/v1", "http://h:8000/v1/chat/completions"),
        ("http://h:8000/v1/", "http://h:8000/v1/chat/completions"),
        ("https://api.openai.com/v1/chat/completions", "https://api.openai.com/v1/chat/completions"),
    ])
    func openAIEndpoint(_ base: String, _ expected: String) throws {
        #expect(OpenAIRunner.endpoint(for: try #require(URL(string: base))).absoluteString == expected)
    }

    // MARK: - Helpers

    static func isRunning(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        // A zombie has ended; only its parent (init, here) has not collected it yet.
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return !stat.contains(") Z ")
    }

    /// Runs `body` with Fixtures/fake_openai.py listening; the server ends with it, failed or not.
    func withFakeServer(_ body: (String) throws -> Void) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.fixtures + "/fake_openai.py"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        defer {
            // SIGKILL, not terminate(): Foundation's Process passes on the signal mask of the
            // test's thread, where SIGTERM may be blocked.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let port = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let number = Int(port), number > 0 else {
            throw RunnerTestFailure("fake_openai.py did not print its port (got \(port.debugDescription))")
        }
        try body("http://127.0.0.1:\(number)/v1")
    }

    /// What the fake server received: one dictionary per POST (path, headers, body).
    func requests(_ url: String) throws -> [[String: Any]] {
        let base = url.replacingOccurrences(of: "/v1", with: "")
        let done = DispatchSemaphore(value: 0)
        let received = Outputs(count: 1)
        URLSession.shared.dataTask(with: try #require(URL(string: base + "/requests"))) { data, _, _ in
            received.set(0, data.map { String(decoding: $0, as: UTF8.self) })
            done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + 10)
        let text = try #require(received.values[0], "GET /requests gave nothing")
        return try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] ?? []
    }
}

/// Results filled in by concurrent calls.
private final class Outputs: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String?]

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: String?) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    var values: [String?] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}

struct RunnerTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
