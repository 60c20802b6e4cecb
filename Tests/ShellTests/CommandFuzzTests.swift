import Demo
import Foundation
import Ingest
import Notebook
import Query
@testable import Shell
import Store
import Testing

/// No command line may crash the command parsers of `diff`, `replay`, `show`, `drift`,
/// `explain`, `sample`, `score`, `cases` and `gate`: 20,000 seeded random lines made of their keywords,
/// quotes, expressions and junk (2,000 for `drift`, `sample`, `score`, `cases` and `gate`, 1,000 for
/// `explain`) run against a real store; each one either succeeds or fails with an error a user
/// can read.
@Suite struct CommandFuzzTests {
    static let words = [
        "diff", "replay", "show", "where", "using", "set", "limit", "examples", "across", "attributes", "prompt_version",
        "model", "intent", "v1", "v2", "\"v 1\"", "'x'", "\"", "'", "=", "==", "prompt_version=v3", "model=", "=x", "3", "-1",
        "0", "99999999999999999999", "refused", "and", "or", "not", "(", ")", "\"refund\"", "bfd1", "bfd1b4c9", "zz", "local",
        "intent == \"refund\"", "latency_ms > 10", "ts >= \"2026-11-20\"", "|", "é", "\u{0}", "  ", "\t", "WHERE", "USING",
    ]

    /// `drift`'s words: signals, slices, `by` in and out of strings and parentheses.
    static let driftWords = [
        "between", "by", "and", "or", "not", "v1", "v2", "intent", "model", "prompt_version", "intnet", "refused", "latency_ms",
        "finish_reason", ",", "(", ")", "\"by\"", "`by`", "intent == \"by\"", "intent == \"refund\"", "latency_ms > 10", "3", "\"",
        "by intent", "by model", "by service", "between v1 and v2", "between true and true", "between not error and true", "last 7d",
        "é", "|", "#",
    ]

    static func store(_ name: String) throws -> Shell {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relops-cmdfuzz-\(getpid())-\(name)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let db = try Database(path: dir.appendingPathComponent("t.db").path)
        let fixture = RelopsBinary.fixturesDir.appendingPathComponent("otel-genai-latest.jsonl").path
        _ = try Loader(database: db).load(fixture)
        return Shell(database: db, config: WorkspaceConfig())
    }

    @Test func randomCommandLinesNeverCrash() throws {
        try fuzz(try Self.store("commands"), lines: 20_000, seed: 5, commands: ["diff", "replay", "show"], words: Self.words)
    }

    @Test func randomDriftLinesNeverCrash() throws {
        try fuzz(try Self.store("drift"), lines: 2_000, seed: 6, commands: ["drift"], words: Self.driftWords + Self.words.prefix(20))
    }

    /// `explain`'s words add `with` lists of fields and attributes.
    static let explainWords = ["with", "user_id", "usr_id", "attr.\"gen_ai.tool.name\"", "attr.", "attr.\"\"", "attr.app.x", ", user_id",
                               "with attr.\"gen_ai.request.model\"", "tool_error", "with intent, user_id"]

    @Test func randomExplainLinesNeverCrash() throws {
        try fuzz(try Self.store("explain"), lines: 1_000, seed: 7, commands: ["explain refused", "explain latency_ms between true and true"], words: Self.explainWords + Self.driftWords)
    }

    /// `sample`'s and `score`'s words: options, durations, seeds, assignments, notes, reviewers.
    static let reviewWords = [
        "sample", "score", "5", "0", "-3", "1000000", "by", "rotation", "seed", "where", "intent", "intnt", "model", "28d", "4w", "0d",
        "3x", "7", "-7", "99999999999999999999", "helpfulness=4", "helpfulness=9", "helpfulness=", "=4", "=", "correct_refusal=yes",
        "correct_refusal=maybe", "tone=2", "note", "\"fine\"", "as", "dana", "bfd1", "bfd1b4c9", "zz", "\"", "intent == \"refund\"",
        "(", ")", "and", "refused", "é", "\u{0}",
    ]

    @Test func randomReviewLinesNeverCrash() throws {
        let shell = try Self.store("review")
        shell.config = try WorkspaceConfig.parse("rubric:\n  helpfulness: {scale: [1, 5]}\n  correct_refusal: {values: [yes, no]}\n")
        shell.environment = ["USER": "fuzz"]
        try fuzz(shell, lines: 2_000, seed: 8, commands: ["sample", "score", "sample 3", "score bfd1"], words: Self.reviewWords)
    }

    /// `cases`' words: its actions, formats, `to -` (a bare `to` would write files wherever the
    /// next word says), `redact` with patterns good and bad, slices.
    static let casesWords = [
        "export", "check", "format", "relops", "promptfoo", "openai-evals", "promptfo", "to -", "-", "redact", "\"ORD-\\d+\"", "\"(\"",
        "\"\"", "against", "v1", "v2", "intent == \"refund\"", "refused", "cases/none.yaml", "fuzz", "../x", "/dev/null", "\"a b\"",
        "session", "é", "|", "=",
    ]

    /// Sessions and cases in a folder of its own, with a session `fuzz` of one pin, exported, so
    /// that `check` reads a real case file and `export` writes real files.
    @Test func randomCasesLinesNeverCrash() throws {
        let shell = try Self.store("cases")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("relops-cmdfuzz-\(getpid())-cases-files")
        shell.notebook.files = SessionFiles(directory: folder.appendingPathComponent("sessions").path)
        shell.notebook.casesDirectory = folder.appendingPathComponent("cases").path
        let id = try #require(try shell.database.query("SELECT trace_id FROM traces WHERE input_hash IS NOT NULL LIMIT 1").rows.first?.first?.stringValue)
        for line in ["pin \(id) expect not refused", "session save fuzz", "cases export"] {
            _ = try shell.run(line)
        }
        let file = folder.appendingPathComponent("cases/fuzz.yaml").path
        #expect(FileManager.default.fileExists(atPath: file))
        try fuzz(shell, lines: 2_000, seed: 8, commands: ["cases", "cases export", "cases check fuzz", "cases check \(file) against"],
                 words: Self.casesWords)
    }

    /// `gate`'s words: slices, `against` in and out of strings and parentheses, its options with
    /// real, missing and mistyped files.
    static let gateWords = [
        "against", "v1", "v2", "v3", "and", "or", "not", "(", ")", "\"against\"", "intent == \"against\"", "intent == \"refund\"",
        "prompt_version == \"v2\"", "refused", "true", "cases", "thresholds", "case", "threshold", "gates.yaml", "bad.yaml",
        "good.yaml", "fuzz", "cases/none.yaml", "/dev/null", "\"", "'", "é", "|", "#", ",", "by intent", "latency_ms > 10",
    ]

    /// A folder with a good and a bad gates.yaml and a real case file.
    @Test func randomGateLinesNeverCrash() throws {
        let shell = try Self.store("gate")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("relops-cmdfuzz-\(getpid())-gate-files")
        defer {
            try? FileManager.default.removeItem(at: folder)
            try? FileManager.default.removeItem(at: FileManager.default.temporaryDirectory.appendingPathComponent("relops-cmdfuzz-\(getpid())-gate"))
        }
        shell.notebook.files = SessionFiles(directory: folder.appendingPathComponent("sessions").path)
        shell.notebook.casesDirectory = folder.appendingPathComponent("cases").path
        let id = try #require(try shell.database.query("SELECT trace_id FROM traces WHERE input_hash IS NOT NULL LIMIT 1").rows.first?.first?.stringValue)
        for line in ["pin \(id) expect not refused", "session save fuzz", "cases export"] {
            _ = try shell.run(line)
        }
        let good = folder.appendingPathComponent("good.yaml").path, bad = folder.appendingPathComponent("bad.yaml").path
        try "min_samples: 1\ninsufficient: warn\nsignals:\n  refused: {max_increase: 0.5}\n  latency_ms: {statistic: p99, max_relative_increase: 0.1}\n"
            .write(toFile: good, atomically: true, encoding: .utf8)
        try "signals:\n  refusd: {max_increase: 0.01}\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let words = Self.gateWords.map { $0 == "good.yaml" ? good : $0 == "bad.yaml" ? bad : $0 }
        try fuzz(shell, lines: 2_000, seed: 9, commands: ["gate", "gate true against true", "gate true against true cases fuzz thresholds \(good)"],
                 words: words)
    }

    /// `triggers`' words: actions, times, durations, options, good, bad and missing rule files.
    static let triggerWords = [
        "check", "backtest", "watch", "at", "between", "and", "every", "rules", "for", "once", "2026-11-05", "2026-11-05T12:00:00Z",
        "2026-13-45", "yesterday", "30s", "500ms", "0s", "-1s", "1", "0", "-3", "99999999999999999999", "good.yaml", "bad.yaml",
        "none.yaml", "trace.jsonl", "\"", "'", "é", "|", "#", "chek",
    ]

    /// Rules that read every rule kind, a file with a mistake, and a trace file to follow; watch
    /// lines end in `once`, so that each stops after a round.
    @Test func randomTriggerLinesNeverCrash() throws {
        let shell = try Self.store("triggers")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("relops-cmdfuzz-\(getpid())-trigger-files")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer {
            try? FileManager.default.removeItem(at: folder)
            try? FileManager.default.removeItem(at: FileManager.default.temporaryDirectory.appendingPathComponent("relops-cmdfuzz-\(getpid())-triggers"))
        }
        let good = folder.appendingPathComponent("good.yaml").path, bad = folder.appendingPathComponent("bad.yaml").path
        let trace = folder.appendingPathComponent("trace.jsonl").path
        try FileManager.default.copyItem(atPath: RelopsBinary.fixturesDir.appendingPathComponent("otel-genai-latest.jsonl").path, toPath: trace)
        try """
            defaults: {min_samples: 1}
            rules:
              r: {signal: refused, above: 0.5, where: intent != "x"}
              l: {signal: latency_ms, statistic: p95, max_relative_increase: 0.1, baseline: 1d before, window: 1d}
              c: {statistic: count, below: 1, baseline: none}
            """.write(toFile: good, atomically: true, encoding: .utf8)
        try "rules:\n  r: {signal: refusd, above: 0.1}\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let words = Self.triggerWords.map { $0 == "good.yaml" ? good : $0 == "bad.yaml" ? bad : $0 == "trace.jsonl" ? trace : $0 }
        try fuzz(shell, lines: 1_500, seed: 10, commands: ["triggers", "triggers check \(good)", "triggers backtest \(good)", "triggers check"],
                 words: words)
        try fuzz(shell, lines: 200, seed: 11, commands: ["triggers watch \(trace) rules \(good)", "triggers watch"], words: words, suffix: " once")
    }

    func fuzz(_ shell: Shell, lines: Int, seed: UInt64, commands: [String], words: [String], suffix: String = "") throws {
        var random = SeededRandom(seed: seed)
        var succeeded = 0, failed = 0
        for _ in 0..<lines {
            var line = random.pick(commands)
            for _ in 0..<random.below(9) { line += (random.below(4) == 0 ? "" : " ") + random.pick(words) }
            line += suffix
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
