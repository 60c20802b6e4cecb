import Demo
import Foundation
import Ingest
import Query
@testable import Shell
import Store
import Testing

/// No command line may crash the command parsers of `diff`, `replay` and `show`: 20,000
/// seeded random lines made of their keywords, quotes, expressions and junk run against a real
/// store; each one either succeeds or fails with an error a user can read.
@Suite struct CommandFuzzTests {
    static let words = [
        "diff", "replay", "show", "where", "using", "set", "limit", "examples", "across", "attributes", "prompt_version",
        "model", "intent", "v1", "v2", "\"v 1\"", "'x'", "\"", "'", "=", "==", "prompt_version=v3", "model=", "=x", "3", "-1",
        "0", "99999999999999999999", "refused", "and", "or", "not", "(", ")", "\"refund\"", "bfd1", "bfd1b4c9", "zz", "local",
        "intent == \"refund\"", "latency_ms > 10", "ts >= \"2026-11-20\"", "|", "é", "\u{0}", "  ", "\t", "WHERE", "USING",
    ]

    @Test func randomCommandLinesNeverCrash() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relops-cmdfuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let db = try Database(path: dir.appendingPathComponent("t.db").path)
        let fixture = RelopsBinary.fixturesDir.appendingPathComponent("otel-genai-latest.jsonl").path
        _ = try Loader(database: db).load(fixture)
        let shell = Shell(database: db, config: WorkspaceConfig())
        var random = SeededRandom(seed: 5)
        var succeeded = 0, failed = 0
        for _ in 0..<20_000 {
            var line = random.pick(["diff", "replay", "show"])
            for _ in 0..<random.below(9) { line += (random.below(4) == 0 ? "" : " ") + random.pick(Self.words) }
            do {
                _ = try shell.run(line)
                succeeded += 1
            } catch let error as ShellExit {
                Issue.record("\(line) quit the shell: \(error)")
            } catch {
                // Every failure says something.
                #expect(!Console.message(error).isEmpty, "\(line)")
                failed += 1
            }
        }
        #expect(succeeded > 0 && failed > 0)
    }
}
