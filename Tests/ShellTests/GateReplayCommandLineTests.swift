import Foundation
import Testing

/// `gate … using RUNNER` through the real binary on a copy of the demo store: a candidate prompt
/// version with no traffic yet gets its must-pass answers from a runner — the OpenAI-compatible
/// fake server of the replay tests (Tests/ReplayTests/Fixtures/fake_openai.py, on 127.0.0.1),
/// whose echoes keep every case, or an exec runner that refuses, which fails them — stored as
/// replays under the candidate's version, then checked.
@Suite(.serialized) struct GateReplayCommandLineTests {
    static let cases = RelopsBinary.packageRoot.appendingPathComponent("cases/demo-refund-refusals.yaml").path
    static let gates = "version: 1\ninsufficient: warn\nmissing: hold\nsignals:\n  refused: {max_increase: 0.01}\n"

    /// A folder with a copy of the demo store, gates.yaml and a relops.yaml naming `runners`.
    static func workspace(runners: String) throws -> URL {
        let dir = RelopsBinary.temporaryDirectory("gatereplay")
        try FileManager.default.copyItem(atPath: ReplayCommandLineTests.db, toPath: dir.appendingPathComponent("demo.db").path)
        let demoConfig = try String(contentsOf: ReplayCommandLineTests.demo.appendingPathComponent("relops.yaml"), encoding: .utf8)
        try (demoConfig + "\nrunners:\n" + runners).write(to: dir.appendingPathComponent("relops.yaml"), atomically: true, encoding: .utf8)
        try gates.write(to: dir.appendingPathComponent("gates.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    /// Starts fake_openai.py and passes its base URL; the server is killed afterwards.
    static func withFakeServer(_ body: (String) throws -> Void) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", RelopsBinary.packageRoot.appendingPathComponent("Tests/ReplayTests/Fixtures/fake_openai.py").path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let port = try #require(Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)), "fake_openai.py prints its port")
        try body("http://127.0.0.1:\(port)/v1")
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func statuses(_ doc: [String: Any]) -> [String] {
        (doc["cases"] as? [[String: Any]] ?? []).map { $0["status"] as? String ?? "" }
    }

    @Test func aCandidateWithoutTrafficGetsItsCaseAnswersFromTheRunner() throws {
        try Self.withFakeServer { url in
            let dir = try Self.workspace(runners: "  local:\n    kind: openai\n    url: \(url)\n    model: fake-model\n")
            defer { try? FileManager.default.removeItem(at: dir) }
            let gate = "gate prompt_version == \"v3\" against v1 cases \(Self.cases)"
            // Without a runner the cases have no answer: missing, and gates.yaml holds on that.
            let before = try RelopsBinary.run(["--db", "demo.db", "--format", "json", "-c", gate], directory: dir)
            #expect(before.status == 1, "\(before.stderr)")
            #expect(Self.statuses(try Self.json(before.stdout)) == ["missing", "missing", "missing"])

            let run = try RelopsBinary.run(["--db", "demo.db", "--format", "json", "-c", gate + " using local"], directory: dir)
            #expect(run.status == 0, "SHIP: the cases pass, the thin signals only warn: \(run.stderr) \(run.stdout)")
            let doc = try Self.json(run.stdout)
            #expect(doc["verdict"] as? String == "SHIP")
            #expect(Self.statuses(doc) == ["pass", "pass", "pass"])
            let risks = (doc["risks"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
            let note = try #require(risks.first { $0.hasPrefix("3 must-pass inputs had no answer in the candidate: replayed through local with prompt_version=v3") })
            #expect(note.hasSuffix(": 3 answered, 0 failed"), "\(note)")
            // The answers checked are the runner's, stored as replays under v3.
            let ids = (doc["cases"] as? [[String: Any]] ?? []).compactMap { $0["trace_id"] as? String }
            let stored = try RelopsBinary.run(["--db", "demo.db", "--format", "csv", "-c",
                                               "traces | where prompt_version == \"v3\" and replay_of is not null and output ~ \"^echo: \" | select trace_id"],
                                              directory: dir)
            let replays = Set(stored.stdout.split(separator: "\r\n").dropFirst().map(String.init))
            #expect(ids.count == 3 && Set(ids) == replays, "\(ids) vs \(replays)")

            // The week's memo leaves the replays (dated today) out of its traffic.
            let day = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
            let memo = try Self.json(try RelopsBinary.run(["--db", "demo.db", "--format", "json", "-c", "report weekly ending \(day)"], directory: dir).stdout)
            let period = try #require(memo["period"] as? [String: Any])
            let start = try #require(period["start"] as? String)
            func count(_ condition: String) throws -> Int {
                let out = try RelopsBinary.run(["--db", "demo.db", "--format", "csv", "-c",
                                                "traces | where ts >= \"\(start)\" and ts < \"\(day)T23:59:59.999999Z\" and \(condition) | stats count()"], directory: dir)
                return Int(out.stdout.split(separator: "\r\n").last.map(String.init) ?? "") ?? -1
            }
            #expect(try count("replay_of is not null") >= 3)
            #expect(memo["traces"] as? Int == (try count("replay_of is null")), "\(memo["traces"] ?? "")")

            // Once answered, nothing is replayed again.
            let again = try RelopsBinary.run(["--db", "demo.db", "-c", gate + " using local"], directory: dir)
            #expect(again.status == 0)
            #expect(again.stdout.contains("- NOTE: every must-pass input has an answer in the candidate: nothing replayed through local"), "\(again.stdout)")
        }
    }

    /// A runner whose answers refuse fails the cases, and the gate holds.
    @Test func refusedReplaysFailTheCases() throws {
        let dir = try Self.workspace(runners: """
              refuser:
                kind: exec
                command: "cat > /dev/null; echo '{\\"output\\": \\"I cannot help with that.\\", \\"finish_reason\\": \\"content_filter\\"}'"

            """)
        defer { try? FileManager.default.removeItem(at: dir) }
        let held = try RelopsBinary.run(["--db", "demo.db", "--format", "json", "-c",
                                         "gate model == \"gpt-5\" and prompt_version == \"v1\" against v1 cases \(Self.cases) using refuser"], directory: dir)
        #expect(held.status == 1, "\(held.stderr)")
        let doc = try Self.json(held.stdout)
        #expect(Self.statuses(doc) == ["fail", "fail", "fail"])
        let risks = (doc["risks"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
        #expect(risks.contains { $0.contains("replayed through refuser with model=gpt-5 prompt_version=v1") }, "\(risks)")
        #expect(risks.contains { $0 == "must-pass case case-e35b6778f30f (\(Self.cases)) fails on the candidate" }, "\(risks)")
    }

    @Test(arguments: [
        ("gate ts >= \"2026-11-20\" against v1 cases CASES using local", "names none; name the candidate by a version"),
        ("gate v2 against v1 using local", "`using` replays must-pass cases: give them with `cases FILE …`"),
        ("gate v2 against v1 cases CASES using", "`using` needs one runner's name"),
        ("gate v2 against v1 cases CASES using locl", "did you mean `local`?"),
    ])
    func errors(_ command: String, _ message: String) throws {
        let dir = try Self.workspace(runners: "  local:\n    kind: exec\n    command: [\"true\"]\n")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try RelopsBinary.run(["--db", "demo.db", "-c", command.replacingOccurrences(of: "CASES", with: Self.cases)], directory: dir)
        #expect(run.status == 2, "\(command): \(run.stdout)")
        #expect(run.stderr.contains(message), "\(command): \(run.stderr)")
    }
}
