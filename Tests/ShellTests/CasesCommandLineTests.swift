import Foundation
import Testing
import Yams

/// `cases export` and `cases check` through the real binary on the demo store, whose prompt v2
/// refuses refund questions: a case that fails under v2 and passes under v1, one that passes,
/// one missing from a slice; the exit status; the three export formats and redaction.
@Suite(.serialized) struct CasesCommandLineTests {
    static var db: String { ReplayCommandLineTests.db }

    /// CSV rows of a query, without the header.
    static func rows(_ query: String) throws -> [[String]] {
        let run = try RelopsBinary.run(["--db", db, "--format", "csv", "-c", query])
        #expect(run.status == 0, "\(run.stderr)")
        return run.stdout.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    /// The newest trace of each input, in the order the query sorted them (newest first).
    static func newest(_ rows: [[String]]) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for row in rows where out[row[0]] == nil { out[row[0]] = row }
        return out
    }

    /// A refund input whose newest v2 trace was refused and whose newest v1 trace was not: the
    /// incident's regression. Returns the v2 trace's id and the input hash.
    static func regression() throws -> (trace: String, hash: String) {
        let v2 = newest(try rows("traces | where intent == \"refund\" and prompt_version == \"v2\" and input_hash is not null | sort start_ns desc | select input_hash, trace_id, refused"))
        let v1 = newest(try rows("traces | where intent == \"refund\" and prompt_version == \"v1\" and input_hash is not null | sort start_ns desc | select input_hash, trace_id, refused"))
        let hash = try #require(v2.keys.sorted().first { v2[$0]?[2] == "1" && v1[$0]?[2] == "0" })
        return (try #require(v2[hash]?[1]), hash)
    }

    /// A workspace folder with a saved session `incident` of two pins, exported as cases.
    static func workspace() throws -> (dir: URL, failing: String, passing: String) {
        let (refund, hash) = try regression()
        let other = try #require(try rows("traces | where intent != \"refund\" and prompt_version == \"v2\" and input_hash is not null | sort start_ns | limit 1 | select trace_id, input_hash").first)
        let dir = RelopsBinary.temporaryDirectory("cases")
        let script = """
            pin \(refund) expect not refused note "refused for jane.doe@example.com, call +1 (415) 555-2671"
            pin \(other[0]) expect max_latency 10m
            cause prompt_version = v2
            session save incident title "Refunds refused for jane.doe@example.com"
            cases export
            """
        try script.write(to: dir.appendingPathComponent("s.relops"), atomically: true, encoding: .utf8)
        let run = try RelopsBinary.run(["--db", db, "-f", "s.relops"], directory: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("exported 2 cases from 2 pins of session incident to cases/incident.yaml (relops)"), "\(run.stdout)")
        return (dir, "case-" + hash.prefix(12), "case-" + other[1].prefix(12))
    }

    @Test func checkFailsUnderV2AndPassesUnderV1() throws {
        let (dir, failing, passing) = try Self.workspace()
        let v2 = try RelopsBinary.run(["--db", Self.db, "-c", "cases check cases/incident.yaml against v2"], directory: dir)
        #expect(v2.status == 1, "a failing case exits with 1: \(v2.stderr)")
        #expect(v2.stdout.hasPrefix("cases check cases/incident.yaml\nagainst prompt_version == \"v2\"\n2 cases: 1 pass, 1 fail, 0 unknown, 0 missing\n"), "\(v2.stdout)")
        let lines = v2.stdout.split(separator: "\n").map(String.init)
        let failLine = try #require(lines.firstIndex { $0.hasPrefix("fail") && $0.contains(failing) })
        #expect(lines[failLine].contains("critical"))
        #expect(lines[failLine + 1].trimmingCharacters(in: .whitespaces) == "expect not refused: fail, saw refused")
        #expect(lines.contains { $0.hasPrefix("pass") && $0.contains(passing) })

        // The same cases on v1's refund traces: the regression's input answered; the other is not in the slice.
        let v1 = try RelopsBinary.run(["--db", Self.db, "-c", "cases check incident against intent == \"refund\" and prompt_version == \"v1\""], directory: dir)
        #expect(v1.status == 0, "\(v1.stderr)")
        #expect(v1.stdout.contains("2 cases: 1 pass, 0 fail, 0 unknown, 1 missing\n"), "\(v1.stdout)")
        #expect(v1.stdout.split(separator: "\n").contains { $0.hasPrefix("missing") && $0.contains(passing) && $0.contains("no trace of this input") })
        #expect(v1.stdout.split(separator: "\n").contains { $0.hasPrefix("pass") && $0.contains(failing) })

        let json = try RelopsBinary.run(["--db", Self.db, "--format", "json", "-c", "cases check cases/incident.yaml against v2"], directory: dir)
        #expect(json.status == 1)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(doc["command"] as? String == "cases check" && doc["fail"] as? Int == 1 && doc["against"] as? String == "prompt_version == \"v2\"")
        let cases = try #require(doc["cases"] as? [[String: Any]])
        let failed = try #require(cases.first { $0["id"] as? String == failing })
        #expect(failed["status"] as? String == "fail" && failed["trace_id"] is String)
        let outcome = try #require((failed["expectations"] as? [[String: Any]])?.first)
        #expect(outcome["expect"] as? String == "not refused" && outcome["seen"] as? String == "refused")
    }

    @Test func exportsEveryFormatRedacted() throws {
        let (dir, failing, _) = try Self.workspace()
        let relops = try String(contentsOf: dir.appendingPathComponent("cases/incident.yaml"), encoding: .utf8)
        #expect(relops.hasPrefix("relops_cases: 1\nsession: \"incident\"\n"))
        #expect(relops.contains("id: \"\(failing)\"\n    severity: critical\n"))
        #expect(relops.contains("jane.doe@example.com"), "without redact, the notes stay as written")

        let run = try RelopsBinary.run(["--db", Self.db, "-c", "cases export incident format promptfoo redact",
                                        "-c", "cases export incident format openai-evals to out/evals.jsonl redact \"order A\\d+\"",
                                        "-c", "cases export incident redact to redacted.yaml"], directory: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("to cases/incident.promptfoo.yaml (promptfoo); redacted: email, card, phone\n"), "\(run.stdout)")
        let promptfoo = try String(contentsOf: dir.appendingPathComponent("cases/incident.promptfoo.yaml"), encoding: .utf8)
        let tests = try #require((try Yams.load(yaml: promptfoo) as? [String: Any])?["tests"] as? [[String: Any]])
        #expect(tests.count == 2 && tests.allSatisfy { ($0["vars"] as? [String: Any])?["input"] is String })
        #expect((tests[0]["assert"] as? [[String: Any]])?.first?["type"] as? String == "not-is-refusal")
        let jsonl = try String(contentsOf: dir.appendingPathComponent("out/evals.jsonl"), encoding: .utf8)
        for line in jsonl.split(separator: "\n") {
            let sample = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect((sample["input"] as? [[String: String]])?.last?["role"] == "user")
        }
        let redacted = try String(contentsOf: dir.appendingPathComponent("redacted.yaml"), encoding: .utf8)
        for text in [promptfoo, jsonl, redacted] {
            #expect(!text.contains("jane.doe@example.com") && !text.contains("555-2671"))
        }
        #expect(redacted.contains("refused for [email], call [phone]") && redacted.contains("title: \"Refunds refused for [email]\""))

        // Exporting again gives the same bytes, so the same ids.
        let again = try RelopsBinary.run(["--db", Self.db, "-c", "cases export incident to -"], directory: dir)
        #expect(again.stdout == relops)
    }

    @Test func mistakesExitWithStatusTwo() throws {
        let (dir, _, _) = try Self.workspace()
        for (command, message) in [
            ("cases check incdent", "no case file `incdent`"),
            ("cases check cases/incident.promptfoo.yaml", "not a relops case file"),
            ("cases check incident against prompt_verison == \"v2\"", "prompt_version"),
            ("cases export format promptfo", "did you mean `promptfoo`?"),
            ("cases export", "the current session has no name"),
            ("cases export nosuch", "no session `nosuch`"),
            ("cases export incident redact \"(\"", "not a valid regular expression"),
            ("cases chek", "did you mean `check`?"),
            ("cases", "Usage: cases export"),
        ] {
            if command.contains("promptfoo.yaml") {
                _ = try RelopsBinary.run(["--db", Self.db, "-c", "cases export incident format promptfoo"], directory: dir)
            }
            let run = try RelopsBinary.run(["--db", Self.db, "-c", command], directory: dir)
            #expect(run.status == 2, "\(command)")
            #expect(run.stderr.contains(message), "\(command): \(run.stderr)")
        }
    }
}
