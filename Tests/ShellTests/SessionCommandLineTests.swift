import Foundation
@testable import Notebook
import Testing

/// Sessions through the real binary: save, open, rerun on a store that changed, broken files,
/// a save killed half-way, and the autosave of an interactive shell that was killed.
@Suite(.serialized) struct SessionCommandLineTests {
    /// A private copy of the demo store and a working folder for `sessions/`.
    func workspace(_ name: String = #function) throws -> (dir: URL, db: String) {
        let dir = RelopsBinary.temporaryDirectory(name)
        let db = dir.appendingPathComponent("demo.db").path
        try FileManager.default.copyItem(atPath: ReplayCommandLineTests.db, toPath: db)
        return (dir, db)
    }

    func refusedTrace(_ db: String) throws -> String {
        let run = try RelopsBinary.run(["--db", db, "--format", "csv", "-c",
                                        #"traces | where intent == "refund" and refused and prompt_version == "v2" | top 1 by ts | select trace_id"#])
        // CSV lines end in CRLF (RFC 4180).
        return try #require(run.stdout.split(whereSeparator: \.isNewline).last.map(String.init))
    }

    @Test func saveOpenAndRerunAfterTheStoreChanged() throws {
        let (dir, db) = try workspace()
        let id = try refusedTrace(db)
        let made = try RelopsBinary.run(["--db", db, "-c", "traces | stats n = count()", "-c", #"note "Refunds: see below.""#,
                                         "-c", "pin \(id.prefix(10)) expect not refused note \"refused under v2\"",
                                         "-c", #"cause prompt_version = v2 note "v2 refuses refunds""#,
                                         "-c", #"session save refunds title "Refund refusals""#], directory: dir)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("pinned \(id)") && made.stdout.contains("expect not refused: fail (refused)"))
        #expect(made.stdout.contains("saved sessions/refunds.md: 3 cells, 1 pins, 1 causes"), "\(made.stdout)")
        let file = try String(contentsOf: dir.appendingPathComponent("sessions/refunds.md"), encoding: .utf8)
        let session = try SessionFormat.read(file, path: "refunds.md")
        #expect(session.title == "Refund refusals" && session.cells.map(\.command).first == "traces | stats n = count()")
        #expect(session.pins.first?.traceId == id && session.causes.first?.pins == [id])
        #expect(session.loads.count == 1 && session.loads.first?.sha256.count == 64)

        // The pins as a query source, in this process and after `session open` in another.
        let query = try RelopsBinary.run(["--db", db, "--format", "csv", "-c", "session open refunds",
                                          "-c", "pins | where failing > 0 | select trace_id, prompt_version, note"], directory: dir)
        #expect(query.stdout.contains("\(id),v2,refused under v2"), "\(query.stdout) \(query.stderr)")

        // Shown as a notebook: numbered cells with their outputs, the notes, the evidence.
        let shown = try RelopsBinary.run(["--db", db, "-c", "session show refunds"], directory: dir)
        #expect(shown.stdout.contains("[1] traces | stats n = count()\n") && shown.stdout.contains("> Refunds: see below.")
                && shown.stdout.contains("Pins\n  \(id)  refund  not refused: fail") && shown.stdout.contains("prompt_version = v2  (1 pins)"),
                "\(shown.stdout)")

        // Opened and saved again: the same bytes.
        let again = try RelopsBinary.run(["--db", db, "-c", "session open refunds", "-c", "session save copy"], directory: dir)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try Data(contentsOf: dir.appendingPathComponent("sessions/copy.md")) == Data(file.utf8))

        let same = try RelopsBinary.run(["--db", db, "-c", "session rerun refunds"], directory: dir)
        #expect(same.stdout.contains("3 cells: 3 same, 0 changed"), "\(same.stdout)")

        // More traces: the count changes, the rest does not.
        let fixture = RelopsBinary.fixturesDir.appendingPathComponent("otel-genai-latest.jsonl").path
        #expect(try RelopsBinary.run(["--db", db, "-c", "load \(fixture)"]).status == 0)
        let changed = try RelopsBinary.run(["--db", db, "--format", "json", "-c", "session rerun refunds"], directory: dir)
        let doc = try ReplayCommandLineTests.json(changed.stdout)
        #expect(doc["changed"] as? Int == 1)
        let cells = try #require(doc["cells"] as? [[String: Any]])
        #expect(cells.map { $0["change"] as? String } == ["changed", "same", "same"])
        let diff = try #require(cells.first?["diff"] as? String)
        #expect(diff.contains("- ") && diff.contains("+ "), "\(diff)")
        let text = try RelopsBinary.run(["--db", db, "-c", "session rerun refunds"], directory: dir)
        #expect(text.stdout.contains("cell 1: changed"), "\(text.stdout)")
    }

    /// The repository's worked session (README) re-runs on a fresh `relops demo` store with no
    /// result changed: the example stays true as relops changes.
    @Test func theWorkedSessionOfTheREADMERerunsUnchanged() throws {
        let dir = RelopsBinary.temporaryDirectory()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sessions"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: RelopsBinary.packageRoot.appendingPathComponent("sessions/demo-refund-refusals.md"),
                                         to: dir.appendingPathComponent("sessions/demo-refund-refusals.md"))
        let run = try RelopsBinary.run(["--db", ReplayCommandLineTests.db, "--format", "json", "-c", "session rerun demo-refund-refusals"],
                                       directory: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let doc = try ReplayCommandLineTests.json(run.stdout)
        let cells = try #require(doc["cells"] as? [[String: Any]])
        #expect(cells.count == 10)
        #expect(doc["changed"] as? Int == 0, "\(cells.filter { $0["change"] as? String != "same" })")
        #expect((doc["missing_loads"] as? [Any])?.isEmpty == true, "the demo's file has the digest the session names")

        // Its cases in the repository are what exporting the session gives, and they fail under v2.
        for file in ["demo-refund-refusals.yaml", "demo-refund-refusals.promptfoo.yaml", "demo-refund-refusals.jsonl"] {
            let format = file.hasSuffix(".jsonl") ? "openai-evals" : file.contains("promptfoo") ? "promptfoo" : "relops"
            let export = try RelopsBinary.run(["--db", ReplayCommandLineTests.db, "-c", "cases export demo-refund-refusals format \(format) to -"],
                                              directory: dir)
            let kept = try String(contentsOf: RelopsBinary.packageRoot.appendingPathComponent("cases/\(file)"), encoding: .utf8)
            #expect(export.status == 0 && export.stdout == kept, "\(file) differs from a fresh export: \(export.stderr)")
        }
        let check = try RelopsBinary.run(["--db", ReplayCommandLineTests.db, "-c",
                                          "cases check \(RelopsBinary.packageRoot.path)/cases/demo-refund-refusals.yaml against v2"])
        #expect(check.status == 1 && check.stdout.contains("3 cases: 0 pass, 3 fail"), "\(check.stdout)")
    }

    /// Cells that write (a load, a replay through a runner, an export …) are not run again, and
    /// a rerun leaves the current session's pins as they were.
    @Test func rerunSkipsWritesAndKeepsTheCurrentPins() throws {
        let (dir, db) = try workspace()
        let fixture = RelopsBinary.fixturesDir.appendingPathComponent("otel-genai-latest.jsonl").path
        let id = try refusedTrace(db)
        let made = try RelopsBinary.run(["--db", db, "-c", "load \(fixture)", "-c", "traces | stats n = count()",
                                         "-c", "pin \(id.prefix(12))", "-c", "session save writes"], directory: dir)
        #expect(made.status == 0, "\(made.stderr)")
        let other = try RelopsBinary.run(["--db", ReplayCommandLineTests.db, "--format", "csv", "-c",
                                          #"traces | where intent != "refund" | top 1 by ts | select trace_id"#])
        let mine = try #require(other.stdout.split(whereSeparator: \.isNewline).last.map(String.init))
        let run = try RelopsBinary.run(["--db", db, "-c", "pin \(mine.prefix(12))", "-c", "session rerun writes",
                                        "-c", "pins | select trace_id"], directory: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("3 cells: 2 same, 0 changed, 1 not run again (they write: cell 1)"), "\(run.stdout)")
        let listed = run.stdout.components(separatedBy: "trace_id").last ?? ""
        #expect(listed.contains(mine) && !listed.contains(id), "the rerun's pin must not replace this session's: \(listed)")
        #expect(try RelopsBinary.run(["--db", db, "--format", "csv", "-c", "loads | stats n = count()"]).stdout.contains("\n2"),
                "the load ran once (demo + fixture)")
    }

    @Test func brokenFilesAndBadCommandsAreClearErrors() throws {
        let (dir, db) = try workspace()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sessions"), withIntermediateDirectories: true)
        try "---\nrelops_session: 1\ntitle: x\ncreated: a\nupdated: b\n---\n\n```relops\nsources\n```\nno marker\n"
            .write(to: dir.appendingPathComponent("sessions/broken.md"), atomically: true, encoding: .utf8)
        let broken = try RelopsBinary.run(["--db", db, "-c", "session open broken"], directory: dir)
        #expect(broken.status == 2 && broken.stderr.contains("sessions/broken.md:8: a ```relops block without its"), "\(broken.stderr)")
        let list = try RelopsBinary.run(["--db", db, "-c", "session list"], directory: dir)
        #expect(list.stdout.contains("broken") && list.stdout.contains("sessions/broken.md:8"), "\(list.stdout)")
        for (command, message) in [("session open brokn", "no session `brokn`"), ("session save ../x", "not a session name"),
                                   ("pin zzzz", "no trace"), ("pin", "Usage: pin TRACE_ID"), ("unpin abcd", "no pin of a trace"),
                                   ("pin \(try refusedTrace(db).prefix(8)) expect refusd", "did you mean `refused`?"),
                                   ("cause promt_version = v2", "did you mean `prompt_version`?"), ("session frobnicate", "unknown `session frobnicate`")] {
            let run = try RelopsBinary.run(["--db", db, "-c", command], directory: dir)
            #expect(run.status == 2 && run.stderr.contains(message), "\(command): \(run.stderr)")
        }
    }

    /// A save killed at any moment leaves the old file or the new one, never a mix: the new
    /// file is written beside it and renamed over it.
    @Test func aKilledSaveLeavesTheOldFileWhole() throws {
        let (dir, db) = try workspace()
        let sessions = dir.appendingPathComponent("sessions")
        try FileManager.default.createDirectory(at: sessions, withIntermediateDirectories: true)
        func big(_ marker: String) -> String {
            var s = Session(title: marker, created: "2026-11-29T10:00:00.000000Z")
            for i in 0..<3000 {
                s.entries.append(.cell(Cell(command: "traces | stats n = count() # \(marker) \(i)", at: "2026-11-29T10:00:00.000000Z",
                                            durationMs: 1, ok: true, output: String(repeating: "\(marker) row \(i)\n", count: 5), digest: "00")))
            }
            return SessionFormat.write(s)
        }
        let old = big("old")
        try old.write(to: sessions.appendingPathComponent("target.md"), atomically: true, encoding: .utf8)
        try big("new").write(to: sessions.appendingPathComponent("new.md"), atomically: true, encoding: .utf8)
        // What a save that finishes writes (it records the store's loads).
        #expect(try RelopsBinary.run(["--db", db, "-c", "session open new", "-c", "session save finished"], directory: dir).status == 0)
        let new = try String(contentsOf: sessions.appendingPathComponent("finished.md"), encoding: .utf8)
        #expect(new != old && new.utf8.count > 500_000)
        var sawNew = false, sawOld = false
        for round in 0..<12 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: RelopsBinary.path)
            process.arguments = ["--db", db, "-c", "session open new", "-c", "session save target"]
            process.currentDirectoryURL = dir
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32(20_000 + round * 15_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let now = try String(contentsOf: sessions.appendingPathComponent("target.md"), encoding: .utf8)
            #expect(now == old || now == new, "round \(round): a mixed file")
            if now == new { sawNew = true } else { sawOld = true }
            try old.write(to: sessions.appendingPathComponent("target.md"), atomically: true, encoding: .utf8)
        }
        #expect(sawOld, "some save should have been killed before its rename")
        _ = sawNew
    }

    /// The interactive shell autosaves each cell; killed, it leaves the session in
    /// sessions/.autosave, and the next start offers `session recover`.
    @Test func aKilledShellLosesNothing() throws {
        let (dir, db) = try workspace()
        do {
            let t = try TerminalSession(["--db", db], directory: dir)
            try t.waitFor("relops>")
            try t.type("traces | stats n = count()"); try t.keys("Enter")
            try t.waitFor("(1 row)")
            try t.type(#"note "before the crash""#); try t.keys("Enter")
            // The note prints nothing; the next prompt says it was handled (and autosaved).
            try t.waitFor("relops> note \"before the crash\"\nrelops>")
            // The terminal goes away without a goodbye (the pane is killed: SIGHUP).
        }
        let autosaves = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("sessions/.autosave").path)
        #expect(autosaves.count == 1, "\(autosaves)")
        let t = try TerminalSession(["--db", db], directory: dir)
        try t.waitFor("An unsaved session of")
        try t.type("session recover"); try t.keys("Enter")
        try t.waitFor("recovered 1 cells, 0 pins and 0 causes")
        try t.type("session save recovered"); try t.keys("Enter")
        try t.waitFor("saved sessions/recovered.md")
        try t.keys("C-d")
        try t.waitFor("[exit 0]")
        let file = try String(contentsOf: dir.appendingPathComponent("sessions/recovered.md"), encoding: .utf8)
        #expect(file.contains("traces | stats n = count()") && file.contains("before the crash"))
        #expect((try? FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("sessions/.autosave").path))?.isEmpty ?? true,
                "a saved session leaves no autosave")
    }
}
