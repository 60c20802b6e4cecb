import Foundation
import Store
import Testing

/// `triggers` through the real binary on a gen_traces corpus with the refusal incident: exit
/// status 0 when nothing fires, 1 when a trigger fires, 2 for a usage or triggers.yaml error;
/// `watch` follows a file that grows while it runs and loads exactly what was appended.
@Suite(.serialized) struct TriggerCommandLineTests {
    static let rules = """
        version: 1
        rules:
          refund-refusals:
            signal: refused
            where: intent == "refund" and cohort != "shadow" and environment == "production"
            window: 12h
            above: 0.10
            min_samples: 15
          traffic:
            statistic: count
            window: 1d
            above: 1000000
            action: notify
        """

    /// The corpus (native JSON lines), its truth file, and a store loaded from it, made once.
    static let corpus: (dir: URL, traces: String, db: String, onset: Int64) = {
        let dir = RelopsBinary.temporaryDirectory("triggercorpus")
        let traces = dir.appendingPathComponent("corpus.jsonl").path, truth = dir.appendingPathComponent("truth.json").path
        let generator = RelopsBinary.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/bench/gen_traces.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", generator, "--traces", "6000", "--days", "10", "--seed", "5", "--scenario", "refusal",
                             "--out", traces, "--truth", truth, "--quiet"]
        try? process.run()
        process.waitUntilExit()
        precondition(process.terminationStatus == 0, "gen_traces.py failed")
        try? rules.write(to: dir.appendingPathComponent("triggers.yaml"), atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("corpus.db").path
        let load = try? RelopsBinary.run(["--db", db, "-c", "load \(traces)"], environment: ["RELOPS_CONFIG": benchmarkConfig])
        precondition(load?.status == 0, load?.stderr ?? "load failed")
        let object = (try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: truth)))) as? [String: Any]
        let incident = (object?["incidents"] as? [[String: Any]])?.first
        let onset = (incident?["onset"] as? String).flatMap(Timestamp.parse) ?? 0
        return (dir, traces, db, onset)
    }()

    static var benchmarkConfig: String { RelopsBinary.packageRoot.appendingPathComponent("Benchmarks/relops.yaml").path }

    static func run(_ arguments: [String]) throws -> RelopsBinary.Run {
        try RelopsBinary.run(arguments, directory: corpus.dir, environment: ["RELOPS_CONFIG": benchmarkConfig])
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func checkExitsWithOneWhenATriggerFiresAndZeroBefore() throws {
        let c = Self.corpus
        #expect(c.onset > 0)
        let backtest = try Self.run(["--db", c.db, "--format", "json", "-c", "triggers backtest"])
        #expect(backtest.status == 0, "a backtest reports; it does not page: \(backtest.stderr)")
        let doc = try Self.json(backtest.stdout)
        #expect(doc["command"] as? String == "triggers backtest" && doc["rules"] as? String == "triggers.yaml")
        let refusals = try #require((doc["triggers"] as? [[String: Any]])?.first)
        #expect(refusals["name"] as? String == "refund-refusals" && refusals["window"] as? String == "12h")
        let firstText = try #require(refusals["first_fired"] as? String)
        let first = try #require(Timestamp.parse(firstText))
        #expect(first > c.onset, "first fired \(firstText), after the onset")
        let episodes = try #require(refusals["episodes"] as? [[String: Any]])
        #expect(!episodes.isEmpty && (refusals["fired"] as? Int ?? 0) == episodes.map { $0["windows"] as? Int ?? 0 }.reduce(0, +))

        let before = Timestamp.iso8601(nanoseconds: c.onset - 12 * 3_600_000_000_000)
        let quiet = try Self.run(["--db", c.db, "-c", "triggers check at \(before)"])
        #expect(quiet.status == 0, "\(quiet.stdout)\(quiet.stderr)")
        #expect(quiet.stdout.hasPrefix("triggers: no trigger fired\nrules: triggers.yaml; windows ending at \(before.prefix(19))Z (at)\n"), "\(quiet.stdout)")

        let fired = try Self.run(["--db", c.db, "-c", "triggers check triggers.yaml at \(firstText)"])
        #expect(fired.status == 1, "a fired trigger exits with 1: \(fired.stderr)")
        #expect(fired.stdout.hasPrefix("triggers: 1 trigger fired\n"), "\(fired.stdout)")
        #expect(fired.stdout.contains("\n- FIRED refund-refusals: refused rate "), "\(fired.stdout)")
        #expect(fired.stdout.contains("> 10.0%, n ") && fired.stdout.contains(" over 12h → rollback\n"), "\(fired.stdout)")

        let json = try Self.run(["--db", c.db, "--format", "json", "-c", "triggers check at \(firstText)"])
        #expect(json.status == 1)
        let check = try Self.json(json.stdout)
        #expect(check["command"] as? String == "triggers check" && (check["fired"] as? [String]) == ["refund-refusals"])
        let evaluations = try #require(check["triggers"] as? [[String: Any]])
        #expect(evaluations.map { $0["status"] as? String } == ["fired", "not_fired"])
        #expect((evaluations[0]["value"] as? Double ?? 0) > 0.10 && (evaluations[0]["n"] as? Int ?? 0) >= 15)
        #expect(evaluations[0]["exceeded"] as? [String] == ["above"] && evaluations[0]["action"] as? String == "rollback")

        let markdown = try Self.run(["--db", c.db, "--format", "markdown", "-c", "triggers check at \(firstText)"])
        #expect(markdown.status == 1 && markdown.stdout.hasPrefix("## Rollback triggers: 1 trigger fired\n"), "\(markdown.stdout)")
    }

    @Test(arguments: [
        ("triggers", "`triggers` needs check, backtest or watch"),
        ("triggers chek", "unknown `triggers` action `chek` (did you mean `check`?)"),
        ("triggers check missing.yaml", "no triggers file `missing.yaml`"),
        ("triggers check at yesterday", "`yesterday` is not a time"),
        ("triggers check triggers.yaml at", "unexpected `at`"),
        ("triggers backtest between 2026-11-05 and 2026-11-01", "`between` needs the earlier time first"),
        ("triggers backtest between 2026-11-05", "expected `between TIME and TIME`"),
        ("triggers watch", "`triggers watch` needs the trace file to follow"),
        ("triggers watch corpus.jsonl every soon", "`every` expects a duration"),
        ("triggers watch corpus.jsonl for 0", "`for` expects a number of rounds"),
        ("triggers watch corpus.jsonl evry 1s", "unexpected `evry` (did you mean `every`?)"),
        ("triggers watch nothere.jsonl once", "no trace file `nothere.jsonl`"),
        ("triggers check bad.yaml", "bad.yaml:4: `rules.r.statistic` is `p96` (did you mean `p95`?)"),
        ("triggers check badwhere.yaml", "badwhere.yaml:3"),
    ])
    func mistakesExitWithTwo(_ command: String, _ message: String) throws {
        let dir = Self.corpus.dir
        try "rules:\n  r:\n    signal: latency_ms\n    statistic: p96\n    above: 1\n".write(to: dir.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        try "rules:\n  r:\n    where: intnt == \"refund\"\n    signal: refused\n    above: 0.1\n".write(to: dir.appendingPathComponent("badwhere.yaml"), atomically: true, encoding: .utf8)
        let run = try Self.run(["--db", Self.corpus.db, "-c", command])
        #expect(run.status == 2, "\(command): \(run.stdout)")
        #expect(run.stderr.contains(message), "\(command): \(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    /// A missing ./triggers.yaml names what to do.
    @Test func noRulesFileIsAUsageError() throws {
        let dir = RelopsBinary.temporaryDirectory("norules")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try RelopsBinary.run(["--db", Self.corpus.db, "-c", "triggers check"], directory: dir)
        #expect(run.status == 2 && run.stderr.contains("no triggers.yaml in the current folder"), "\(run.stderr)")
    }

    /// `watch` on a file that grows while it runs: the first round loads the complete lines
    /// there (a half-written last line waits), the appended lines come in a later round, and
    /// the store ends with every trace of the file, each span once; each round evaluates the
    /// rules at the newest trace loaded so far.
    @Test func watchLoadsWhatIsAppended() throws {
        let dir = RelopsBinary.temporaryDirectory("watch")
        defer { try? FileManager.default.removeItem(at: dir) }
        let all = try String(contentsOfFile: Self.corpus.traces, encoding: .utf8).split(separator: "\n").map { $0 + "\n" }
        let firstPart = all.prefix(4000), rest = all.dropFirst(4000).prefix(3000)
        let half = rest.first.map { String($0.prefix(100)) } ?? ""
        let growing = dir.appendingPathComponent("live.jsonl")
        try (firstPart.joined() + half).write(to: growing, atomically: true, encoding: .utf8)
        try Self.rules.write(to: dir.appendingPathComponent("rules.yaml"), atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("watch.db").path

        let process = Process()
        process.executableURL = URL(fileURLWithPath: RelopsBinary.path)
        process.arguments = ["--db", db, "--format", "json", "-c", "triggers watch live.jsonl every 2s rules rules.yaml for 3"]
        process.currentDirectoryURL = dir
        process.environment = ProcessInfo.processInfo.environment.merging(["RELOPS_CONFIG": Self.benchmarkConfig]) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Wait for the first round's line, then append the rest of the half-written line and more.
        var text = ""
        while !text.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let handle = try FileHandle(forWritingTo: growing)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((rest.joined().dropFirst(half.count)).utf8))
        try handle.close()
        text += String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "nothing fires in the first days: \(stderr)")

        let documents = try text.split(separator: "\n").map { try Self.json(String($0)) }
        try #require(documents.count == 4, "three rounds and the summary: \(text)")
        let rounds = Array(documents.prefix(3)), summary = documents[3]
        #expect(rounds.map { $0["round"] as? Int } == [1, 2, 3])
        func loaded(_ d: [String: Any], _ key: String) -> Int { (d["loaded"] as? [String: Any])?[key] as? Int ?? -1 }
        #expect(loaded(rounds[0], "spans") == 4000, "the half-written line waits: \(rounds[0])")
        #expect(loaded(rounds[1], "spans") + loaded(rounds[2], "spans") == rest.count, "the appended lines, once")
        #expect(loaded(summary, "spans") == 4000 + rest.count && summary["rounds"] as? Int == 3)

        let database = try Database(path: db)
        let spans = try database.scalar("SELECT count(*) FROM spans").int64Value
        let traces = try database.scalar("SELECT count(DISTINCT trace_id) FROM spans").int64Value
        #expect(spans == Int64(4000 + rest.count))
        #expect(try database.scalar("SELECT count(*) FROM traces").int64Value == traces, "every trace summarised once")
        // Each round's checks end at the newest trace loaded by then; the last at the file's newest.
        let newest = try #require(try database.scalar("SELECT max(start_ns) FROM traces").int64Value)
        let lastAt = try #require(rounds[2]["at"] as? String)
        #expect(Timestamp.parse(lastAt) == newest)
        let firstAt = try #require(rounds[0]["at"] as? String)
        #expect(try #require(Timestamp.parse(firstAt)) < newest)
        let traffic = try #require((rounds[2]["triggers"] as? [[String: Any]])?.last)
        let window = try database.scalar("SELECT count(*) FROM traces WHERE start_ns > ? AND start_ns <= ?",
                                         [.integer(newest - 86_400_000_000_000), .integer(newest)]).int64Value
        #expect(traffic["name"] as? String == "traffic" && (traffic["n"] as? Int).map(Int64.init) == window)
        #expect(try database.scalar("SELECT count(*) FROM loads WHERE path = 'live.jsonl'").int64Value == 2, "each load names the followed file")
    }

    /// In the interactive shell, Ctrl-C ends `watch` (it runs until then) with its summary, and
    /// the prompt comes back.
    @Test func ctrlCStopsWatchWithItsSummary() throws {
        let dir = RelopsBinary.temporaryDirectory("watchtty")
        defer { try? FileManager.default.removeItem(at: dir) }
        let lines = try String(contentsOfFile: Self.corpus.traces, encoding: .utf8).split(separator: "\n").prefix(500)
        try (lines.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("live.jsonl"), atomically: true, encoding: .utf8)
        try Self.rules.write(to: dir.appendingPathComponent("triggers.yaml"), atomically: true, encoding: .utf8)
        let t = try TerminalSession(["--db", dir.appendingPathComponent("w.db").path, "--no-color"],
                                    environment: ["RELOPS_CONFIG": Self.benchmarkConfig], directory: dir)
        try t.waitForPrompt()
        try t.type("triggers watch live.jsonl every 1s")
        try t.keys("Enter")
        try t.waitFor("round 2: live.jsonl: nothing new")
        try t.keys("C-c")
        let screen = try t.waitFor("(stopped by Ctrl-C)")
        #expect(screen.contains("round 1: live.jsonl: +500 spans"), "\(screen)")
        #expect(screen.contains("500 spans,") && screen.contains("no trigger fired"), "\(screen)")
        try t.waitForPrompt()
    }
}
