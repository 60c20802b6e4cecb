import Foundation
import Testing

/// The fixed command line of DESIGN.md, through the real binary.
@Suite struct CommandLineTests {
    let fixture = RelopsBinary.fixturesDir.appendingPathComponent("otel-genai-latest.jsonl").path

    /// A native file of `count` one-span traces, big enough that loading it takes a while.
    static func writeTraces(_ count: Int, to url: URL) throws {
        var text = ""
        for t in 0..<count {
            let trace = String(format: "%032x", t + 1)
            text += #"{"trace_id":"\#(trace)","span_id":"00000000000000a1","parent_span_id":null,"kind":"root","name":"POST /v1/chat","start_time":"2026-11-03T00:00:00Z","end_time":"2026-11-03T00:00:01Z","status":"ok","attributes":{"service.name":"x","input.value":"question \#(t)"}}"# + "\n"
        }
        try Data(text.utf8).write(to: url)
    }

    /// Starts `relops --db DB -c "load FILE"`, waits until `watched` has grown by `bytes`,
    /// and kills it with SIGKILL; returns the ended process.
    static func killLoad(of file: URL, into db: String, onceGrown watched: String, by bytes: Int64) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RelopsBinary.path)
        process.arguments = ["--db", db, "-c", "load \(file.path)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        func size() -> Int64 { ((try? FileManager.default.attributesOfItem(atPath: watched))?[.size] as? Int64) ?? 0 }
        let before = size()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, process.isRunning, size() < before + bytes { usleep(5_000) }
        #expect(process.isRunning, "the load finished before it could be killed; make the file bigger")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return process
    }

    @Test func loadSourcesAndVersionsAsJSON() throws {
        let dir = RelopsBinary.temporaryDirectory()
        let db = dir.appendingPathComponent("t.db").path
        let load = try RelopsBinary.run(["--db", db, "--format", "json", "-c", "load \(fixture)"])
        #expect(load.status == 0, "\(load.stderr)")
        let loaded = try JSONSerialization.jsonObject(with: Data(load.stdout.utf8)) as? [String: Any]
        let first = (loaded?["loads"] as? [[String: Any]])?.first
        #expect(first?["status"] as? String == "complete")
        #expect(first?["spans"] as? Int == 28)
        #expect(first?["traces"] as? Int == 7)
        #expect(first?["format"] as? String == "otlp")

        let sources = try RelopsBinary.run(["--db", db, "--format", "json", "-c", "sources"])
        let rows = try JSONSerialization.jsonObject(with: Data(sources.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(rows.count == 1)
        #expect((rows.first?["sha256"] as? String)?.count == 64)
        // Column order is kept in JSON output.
        #expect(sources.stdout.hasPrefix(#"[{"load_id":1,"path":"#))

        let versions = try RelopsBinary.run(["--db", db, "--format", "csv", "-c", "versions model"])
        #expect(versions.status == 0)
        let lines = versions.stdout.split(separator: "\r\n").map(String.init)
        #expect(lines.first == "dimension,value,traces,share,first_seen,last_seen")
        #expect(Set(lines.dropFirst().map { $0.split(separator: ",")[1] }) == ["gpt-4o-2024-08-06", "gpt-4.1-2025-04-14", "gpt-4o-mini-2024-07-18"])

        let all = try RelopsBinary.run(["--db", db, "-c", "versions"])
        #expect(all.stdout.contains("service_version"))
        #expect(all.stdout.contains("2026.11.26.1"))
    }

    @Test func repeatedCommandsRunInOrderAndLoadingTwiceAddsNothing() throws {
        let dir = RelopsBinary.temporaryDirectory()
        let db = dir.appendingPathComponent("t.db").path
        let run = try RelopsBinary.run(["--db", db, "-c", "load \(fixture)", "-c", "load \(fixture)", "-c", "sources"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("loaded 28 spans, 7 traces as otlp"))
        #expect(run.stdout.contains("already loaded (load 1); nothing added"))
        #expect(run.stdout.contains("(1 row)"))
    }

    @Test func inputErrorsExitTwoNamingFileAndLine() throws {
        let dir = RelopsBinary.temporaryDirectory()
        let db = dir.appendingPathComponent("t.db").path
        let bad = dir.appendingPathComponent("bad.jsonl")
        try Data("{\"trace_id\":\"ab\",\"span_id\":\"01\",\"start_time\":\"2026-11-01T00:00:00Z\"}\n{oops}\n".utf8).write(to: bad)
        let run = try RelopsBinary.run(["--db", db, "-c", "load \(bad.path)"])
        #expect(run.status == 2)
        #expect(run.stderr == "error: \(bad.path):2:2: malformed JSON: expected a member name in quotes\n", "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        let missing = try RelopsBinary.run(["--db", db, "-c", "load \(dir.path)/nope.jsonl"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nope.jsonl: no such file"))
        let usage = try RelopsBinary.run(["--db", db, "-c", "versions prompt_verison"])
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("did you mean `prompt_version`?"))
        let format = try RelopsBinary.run(["--db", db, "--format", "xml", "-c", "sources"])
        #expect(format.status == 2)
    }

    @Test func helpShowsOneCommandOrSearches() throws {
        let dir = RelopsBinary.temporaryDirectory()
        let db = dir.appendingPathComponent("t.db").path
        let one = try RelopsBinary.run(["--db", db, "-c", "help load"])
        #expect(one.stdout.hasPrefix("Usage: load PATH [format native|otlp|otlp-logs] [on-error abort|skip]\n"))
        #expect(!one.stdout.contains("Usage: sources"))
        let search = try RelopsBinary.run(["--db", db, "-c", ".help relops.yaml"])
        #expect(search.stdout.contains("Usage: rederive"))
        let all = try RelopsBinary.run(["--db", db, "-c", ".help"])
        for name in ["load PATH", "sources", "versions [DIMENSION]", "rejects", "rederive", "schema", ".mode", ".quit"] {
            #expect(all.stdout.contains(name), "\(name)")
        }
    }

    @Test func scriptsFromStdinAndFilesNameTheFailingLine() throws {
        let dir = RelopsBinary.temporaryDirectory()
        let db = dir.appendingPathComponent("t.db").path
        let piped = try RelopsBinary.run(["--db", db], stdin: "# a comment\nload \(fixture)\nsources\n")
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stdout.contains("loaded 28 spans"))
        #expect(!piped.stdout.contains("relops>"))
        let script = dir.appendingPathComponent("check.relops")
        try Data("sources\n\nverions\nsources\n".utf8).write(to: script)
        let run = try RelopsBinary.run(["--db", db, "-f", script.path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("\(script.path):3: unknown command `verions` (did you mean `versions`?)"), "\(run.stderr)")
    }

    @Test func aStoreThatIsNotSQLiteIsRefused() throws {
        let dir = RelopsBinary.temporaryDirectory()
        let path = dir.appendingPathComponent("notes.db")
        try Data(String(repeating: "plain text\n", count: 500).utf8).write(to: path)
        let run = try RelopsBinary.run(["--db", path.path, "-c", "sources"])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("error: \(path.path): not a relops store"), "\(run.stderr)")
        #expect(try Data(contentsOf: path) == Data(String(repeating: "plain text\n", count: 500).utf8))
    }

    @Test func aLoadKilledHalfWayLeavesTheStoreAsItWas() throws {
        let dir = RelopsBinary.temporaryDirectory()
        let db = dir.appendingPathComponent("t.db").path
        #expect(try RelopsBinary.run(["--db", db, "-c", "load \(fixture)"]).status == 0)
        let before = try RelopsBinary.run(["--db", db, "--format", "csv", "-c", "sources", "-c", "versions"]).stdout
        // A file big enough that the load takes a while.
        let big = dir.appendingPathComponent("big.jsonl")
        try Self.writeTraces(60_000, to: big)
        // Kill the load once it has written into the WAL.
        let process = try Self.killLoad(of: big, into: db, onceGrown: db + "-wal", by: 200_000)
        #expect(process.terminationReason == .uncaughtSignal)
        let after = try RelopsBinary.run(["--db", db, "--format", "csv", "-c", "sources", "-c", "versions"]).stdout
        #expect(after == before)
        // And the store still loads the file completely afterwards.
        let retry = try RelopsBinary.run(["--db", db, "--format", "json", "-c", "load \(big.path)"])
        #expect(retry.status == 0, "\(retry.stderr)")
        #expect(retry.stdout.contains("\"spans\":60000"))
    }

    @Test func aFirstLoadKilledHalfWayLeavesAnEmptyStore() throws {
        // The first load into an empty store takes the bulk path (rollback journal, indexes
        // built at the end): a kill must still leave a valid, empty store.
        let dir = RelopsBinary.temporaryDirectory()
        let db = dir.appendingPathComponent("t.db").path
        #expect(try RelopsBinary.run(["--db", db, "-c", "sources"]).status == 0)
        let big = dir.appendingPathComponent("big.jsonl")
        try Self.writeTraces(60_000, to: big)
        // Kill the load once it has written into the store file.
        _ = try Self.killLoad(of: big, into: db, onceGrown: db, by: 1_000_000)
        let after = try RelopsBinary.run(["--db", db, "--format", "json", "-c", "sources", "-c", "versions"])
        #expect(after.status == 0, "\(after.stderr)")
        #expect(after.stdout == "[]\n[]\n")
        let retry = try RelopsBinary.run(["--db", db, "--format", "json", "-c", "load \(big.path)"])
        #expect(retry.status == 0, "\(retry.stderr)")
        #expect(retry.stdout.contains("\"spans\":60000"))
    }

    @Test func aLoadOnATerminalShowsProgressAndAPipeDoesNot() throws {
        let dir = RelopsBinary.temporaryDirectory()
        let file = dir.appendingPathComponent("t.jsonl")
        var text = ""
        for t in 0..<5_000 {
            text += #"{"trace_id":"\#(String(format: "%032x", t + 1))","span_id":"01","kind":"root","start_time":"2026-11-03T00:00:00Z","attributes":{}}"# + "\n"
        }
        try Data(text.utf8).write(to: file)
        // util-linux `script` gives the binary a pseudo-terminal.
        let command = "RELOPS_PROGRESS_DELAY=0 '\(RelopsBinary.path)' --db '\(dir.path)/a.db' -c 'load \(file.path)'"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qefc", command, "/dev/null"]
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let screen = String(decoding: data, as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(screen)")
        #expect(screen.contains("\r\u{1B}[Kt.jsonl:"), "\(screen)")
        #expect(screen.contains("spans/s"))
        #expect(screen.contains("loaded 5000 spans, 5000 traces"))
        let piped = try RelopsBinary.run(["--db", dir.appendingPathComponent("b.db").path, "-c", "load \(file.path)"],
                                         environment: ["RELOPS_PROGRESS_DELAY": "0"])
        #expect(!piped.stderr.contains("spans/s"))
        #expect(piped.stdout.contains("loaded 5000 spans"))
    }

    @Test func demoBuildsAStoreWithAnIncidentAndReusesIt() throws {
        let dir = RelopsBinary.temporaryDirectory()
        let first = try RelopsBinary.run(["demo"], stdin: "versions prompt_version\n", directory: dir)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("v1"))
        #expect(first.stdout.contains("v2"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("relops-demo/demo.db").path))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("relops-demo/relops.yaml").path))
        let second = try RelopsBinary.run(["demo"], stdin: "sources\n", directory: dir)
        #expect(second.status == 0)
        #expect(!second.stderr.contains("building the demo store"))
        #expect(second.stdout.contains("(1 row)"))
    }

    /// A store named by one character (`--db x`): Foundation's path functions trap on such a
    /// path on Linux, so relops splits paths itself.
    @Test func aOneLetterStorePathWorks() throws {
        let dir = RelopsBinary.temporaryDirectory()
        let run = try RelopsBinary.run(["--db", "x", "-c", "sources", "-c", "versions"], directory: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("x").path))
    }
}
