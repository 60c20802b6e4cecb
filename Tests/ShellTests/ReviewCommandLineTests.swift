import Foundation
import Testing

/// `sample` and `score` through the real binary on a demo workspace of their own (its
/// relops.yaml has a rubric): text, JSON, the `samples` and `scores` sources, the reviewer from
/// the environment, and `score.NAME` signals in `drift`, `changes` and `explain`.
@Suite(.serialized) struct ReviewCommandLineTests {
    static let demo: URL = {
        let dir = RelopsBinary.temporaryDirectory("reviewdemo")
        let run = try! RelopsBinary.run(["demo"], stdin: "", directory: dir)
        precondition(run.status == 0, run.stderr)
        return dir.appendingPathComponent("relops-demo")
    }()

    static var db: String { demo.appendingPathComponent("demo.db").path }

    /// CSV output's lines (CSV ends its lines with CR LF).
    static func lines(_ text: String) -> [String] { text.split(whereSeparator: \.isNewline).map(String.init) }

    /// relops in the demo folder (so its relops.yaml applies) with no reviewer in the environment.
    func relops(_ arguments: [String], environment: [String: String] = [:]) throws -> RelopsBinary.Run {
        try RelopsBinary.run(["--db", Self.db] + arguments, directory: Self.demo,
                             environment: ["USER": "", "RELOPS_REVIEWER": ""].merging(environment) { $1 })
    }

    @Test func samplesInTextAndJSONAndAsASource() throws {
        let text = try relops(["-c", #"sample 12 where intent != "refund" by intent seed 3 rotation 0"#])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("sample "), "\(text.stdout)")
        #expect(text.stdout.contains("(by intent, no rotation, seed 3)\nwhere intent != \"refund\"\n"), "\(text.stdout)")
        #expect(text.stdout.contains("stratum") && !text.stdout.contains("│ refund "))
        let json = try relops(["--format", "json", "-c", #"sample 12 where intent != "refund" by intent seed 3 rotation 0"#])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(doc["command"] as? String == "sample" && doc["seed"] as? Int == 3 && doc["rotation_days"] as? Int == 0)
        let traces = try #require(doc["traces"] as? [[String: Any]])
        #expect(traces.count == 12 && traces.allSatisfy { $0["intent"] as? String != "refund" && $0["stratum"] as? String == $0["intent"] as? String })
        let id = try #require(doc["sample_id"] as? String)
        let csv = try relops(["--format", "csv", "-c", "samples | where sample_id == \"\(id)\" | stats count() as n, dcount(stratum) as strata"])
        #expect(csv.status == 0, "\(csv.stderr)")
        let strata = (doc["strata"] as? [[String: Any]])?.count ?? 0
        #expect(Self.lines(csv.stdout) == ["n,strata", "12,\(strata)"], "\(csv.stdout)")
        let few = try relops(["-c", #"sample 500 where intent == "refund" and refused and prompt_version == "v1" rotation 0"#])
        #expect(few.status == 0 && few.stdout.contains("note: 500 asked, only "), "\(few.stdout)\(few.stderr)")
        let bad = try relops(["-c", "sample 5 by intnt"])
        #expect(bad.status == 2 && bad.stderr.contains("did you mean `intent`?"), "\(bad.stderr)")
        let zero = try relops(["-c", "sample none"])
        #expect(zero.status == 2 && zero.stderr.contains("Usage: sample N"), "\(zero.stderr)")
    }

    @Test func scoresWithTheReviewerFromTheEnvironmentOrAs() throws {
        let id = try #require(try relops(["--format", "csv", "-c", #"traces | where prompt_version == "v1" | sort trace_id | limit 1 | select trace_id"#])
            .stdout.split(whereSeparator: \.isNewline).last.map(String.init))
        let prefix = String(id.prefix(8))
        let nobody = try relops(["-c", "score \(prefix) helpfulness=4"])
        #expect(nobody.status == 2 && nobody.stderr.contains("add `as NAME`, or set RELOPS_REVIEWER"), "\(nobody.stderr)")
        let fromUser = try relops(["--format", "csv", "-c", "score \(prefix) helpfulness=2"], environment: ["USER": "sam"])
        #expect(fromUser.status == 0 && fromUser.stdout.contains(",helpfulness,2,,sam,"), "\(fromUser.stdout)\(fromUser.stderr)")
        let fromEnv = try relops(["-c", "score \(prefix) helpfulness = 3 correct_refusal=YES"], environment: ["USER": "sam", "RELOPS_REVIEWER": "dana"])
        #expect(fromEnv.status == 0 && fromEnv.stdout.contains("dana") && !fromEnv.stdout.contains("sam"), "\(fromEnv.stdout)")
        let named = try relops(["-c", "score \(prefix) helpfulness=5 note \"clear and kind\" as lee"], environment: ["RELOPS_REVIEWER": "dana"])
        #expect(named.status == 0 && named.stdout.contains("lee") && named.stdout.contains("clear and kind"), "\(named.stdout)")
        let wrong = try relops(["-c", "score \(prefix) helpfulness=5 correct_refusal=maybe as lee"])
        #expect(wrong.status == 2 && wrong.stderr.contains("`correct_refusal` is one of yes, no, not `maybe`; nothing was recorded"), "\(wrong.stderr)")
        let unknown = try relops(["-c", "score 00000000 helpfulness=5 as lee"])
        #expect(unknown.status == 2 && unknown.stderr.contains("no trace id starts with `00000000`"), "\(unknown.stderr)")
        // History kept: four rows; the latest (lee's 5) is the score.
        let history = try relops(["--format", "csv", "-c", "scores | where trace_id == \"\(id)\" and criterion == \"helpfulness\" | sort scored_at | select value, reviewer"])
        #expect(Self.lines(history.stdout) == ["value,reviewer", "2,sam", "3,dana", "5,lee"], "\(history.stdout)")
        let stats = try relops(["--format", "csv", "-c", "scores | where trace_id == \"\(id)\" | stats count() as n by criterion | sort criterion"])
        #expect(Self.lines(stats.stdout) == ["criterion,n", "correct_refusal,1", "helpfulness,3"], "\(stats.stdout)")
    }

    @Test func scoresAreSignalsOfDriftChangesAndExplain() throws {
        // Ten v1 traces scored 5, ten v2 traces scored 1.
        for (version, value) in [("v1", 5), ("v2", 1)] {
            let ids = try relops(["--format", "csv", "-c", "traces | where prompt_version == \"\(version)\" | sort trace_id desc | limit 10 | select trace_id"])
                .stdout.split(whereSeparator: \.isNewline).dropFirst()
            #expect(ids.count == 10)
            let script = ids.map { "score \($0) helpfulness=\(value) correct_refusal=\(value == 5 ? "yes" : "no") as qa" }.joined(separator: "\n")
            let scored = try RelopsBinary.run(["--db", Self.db], stdin: script + "\n", directory: Self.demo)
            #expect(scored.status == 0, "\(scored.stderr)")
        }
        let drift = try relops(["--format", "json", "-c", "drift score.helpfulness, score.correct_refusal between v1 and v2"])
        #expect(drift.status == 0, "\(drift.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(drift.stdout.utf8)) as? [String: Any])
        let signals = try #require(doc["signals"] as? [[String: Any]])
        let helpfulness = try #require(signals.first { $0["signal"] as? String == "score.helpfulness" })
        #expect(helpfulness["kind"] as? String == "numeric" && helpfulness["drift"] as? Bool == true)
        #expect(((helpfulness["baseline"] as? [String: Any])?["mean"] as? Double).map { $0 >= 3 } == true)
        let refusal = try #require(signals.first { $0["signal"] as? String == "score.correct_refusal" })
        #expect(refusal["kind"] as? String == "boolean")
        // With no signal named, drift adds the score signals that have scores.
        let all = try relops(["-c", "drift between v1 and v2"])
        #expect(all.status == 0 && all.stdout.contains("score.helpfulness") && all.stdout.contains("score.correct_refusal"), "\(all.stdout)")
        let changes = try relops(["-c", "changes score.helpfulness every 1d"])
        #expect(changes.status == 0, "\(changes.stderr)")
        let explain = try relops(["-c", "explain score.correct_refusal between v1 and v2"])
        #expect(explain.status == 0 && explain.stdout.hasPrefix("explain score.correct_refusal"), "\(explain.stderr)")
        let unknown = try relops(["-c", "drift score.tone between v1 and v2"])
        #expect(unknown.status == 2 && unknown.stderr.contains("score signals come from the criteria of relops.yaml's `rubric`"), "\(unknown.stderr)")
    }
}
