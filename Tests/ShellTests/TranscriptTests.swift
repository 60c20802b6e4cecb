import Foundation
import Testing

/// Whole shell sessions, as psql's regression tests keep them: each `Transcripts/NAME.relops`
/// is fed on stdin to `relops --db t.db` in a fresh folder, and what it printed is compared with
/// `NAME.expected` (stdout), `NAME.stderr` (stderr, then `[exit N]`) and, when the session
/// wrote files (`.output`, `.once`), `NAME.files`. `RELOPS_RECORD=1` re-records them all;
/// review the diff like code.
///
/// In a script, `$FIXTURES` is the shared fixtures folder and `$TRANSCRIPTS` this one (for
/// `.read` of files under `include/`). Volatile text is masked before comparing: timings
/// (`Run Time: * s`, `in * (load 1)`) and the fresh folder's path (`$TMP`).
@Suite struct TranscriptTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Transcripts")

    static var names: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".relops") }.map { String($0.dropLast(".relops".count)) }.sorted()
    }

    static var recording: Bool { ProcessInfo.processInfo.environment["RELOPS_RECORD"].map { !$0.isEmpty && $0 != "0" } ?? false }

    @Test func thereAreTranscripts() {
        #expect(Self.names.count >= 8, "\(Self.names)")
    }

    @Test(arguments: names)
    func transcript(_ name: String) throws {
        let script = try String(contentsOf: Self.directory.appendingPathComponent(name + ".relops"), encoding: .utf8)
        let dir = RelopsBinary.temporaryDirectory("transcript-\(name)")
        let input = script.replacingOccurrences(of: "$FIXTURES", with: RelopsBinary.fixturesDir.path)
            .replacingOccurrences(of: "$TRANSCRIPTS", with: Self.directory.path)
        let run = try RelopsBinary.run(["--db", "t.db"], stdin: input, directory: dir)

        let masked = { (text: String) in Self.mask(text, folder: dir.path) }
        var actual = [(name + ".expected", masked(run.stdout)), (name + ".stderr", masked(run.stderr) + "[exit \(run.status)]\n")]
        let written = try Self.writtenFiles(in: dir)
        if !written.isEmpty {
            actual.append((name + ".files", written.map { "==> \($0.name) <==\n" + masked($0.text) }.joined(separator: "\n")))
        }

        if Self.recording {
            let stale = Self.directory.appendingPathComponent(name + ".files")
            if written.isEmpty, FileManager.default.fileExists(atPath: stale.path) { try FileManager.default.removeItem(at: stale) }
            for (file, text) in actual { try Data(text.utf8).write(to: Self.directory.appendingPathComponent(file)) }
            return
        }
        for (file, text) in actual {
            guard let expected = try? String(contentsOf: Self.directory.appendingPathComponent(file), encoding: .utf8) else {
                Issue.record("no \(file); record it with RELOPS_RECORD=1 and review it")
                continue
            }
            #expect(text == expected, "\(file) differs; if the change is right, re-record with RELOPS_RECORD=1")
        }
        if written.isEmpty {
            #expect(!FileManager.default.fileExists(atPath: Self.directory.appendingPathComponent(name + ".files").path),
                    "the session wrote no files, but \(name).files expects some")
        }
    }

    /// Files the session wrote beside the store, by name.
    static func writtenFiles(in dir: URL) throws -> [(name: String, text: String)] {
        let store: Set = ["t.db", "t.db-wal", "t.db-shm", "t.db-journal"]
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { !store.contains($0) }.sorted().map { name in
            (name, String(decoding: try Data(contentsOf: dir.appendingPathComponent(name)), as: UTF8.self))
        }
    }

    /// Timings and the fresh folder's path vary from run to run; the rest must not.
    static func mask(_ text: String, folder: String) -> String {
        text.replacingOccurrences(of: RelopsBinary.fixturesDir.path, with: "$FIXTURES")
            .replacingOccurrences(of: directory.path, with: "$TRANSCRIPTS")
            .replacingOccurrences(of: folder, with: "$TMP")
            .replacingOccurrences(of: #"Run Time: [0-9.]+ s"#, with: "Run Time: * s", options: .regularExpression)
            .replacingOccurrences(of: #" in [0-9.]+ m?s \(load "#, with: " in * (load ", options: .regularExpression)
    }
}
