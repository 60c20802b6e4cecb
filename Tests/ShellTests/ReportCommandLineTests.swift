import Foundation
import Testing

/// `report weekly|monthly` through the real binary on the demo store (prompt v2 makes refund
/// questions refused from 2026-11-21), in a workspace holding the demo's session and case file
/// (pinned on 2026-11-29): the memo written with `to PATH` is compared whole with
/// `Golden/report-weekly-demo.md` (`RELOPS_RECORD=1` re-records it); JSON, the periods that hold
/// the pins or not, cases dated by their file, and the errors.
@Suite(.serialized) struct ReportCommandLineTests {
    /// A demo store of its own: other suites replay into theirs, and replays are dated when
    /// they ran (today), inside the memo's week.
    static let demo: URL = {
        let dir = RelopsBinary.temporaryDirectory("reportdemo")
        let run = try! RelopsBinary.run(["demo"], stdin: "", directory: dir)
        precondition(run.status == 0, run.stderr)
        return dir.appendingPathComponent("relops-demo")
    }()

    static var db: String { demo.appendingPathComponent("demo.db").path }
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// A workspace with the demo's session and cases, removed by the caller.
    static func workspace(session: Bool = true) throws -> URL {
        let dir = RelopsBinary.temporaryDirectory("report")
        for (folder, file) in [("sessions", "demo-refund-refusals.md"), ("cases", "demo-refund-refusals.yaml")] where session || folder == "cases" {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(folder), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: RelopsBinary.packageRoot.appendingPathComponent("\(folder)/\(file)"),
                                             to: dir.appendingPathComponent("\(folder)/\(file)"))
        }
        return dir
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func theWeekOfThePinsWritesTheMemo() throws {
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try RelopsBinary.run(["--db", Self.db, "-c", "report weekly ending 2026-11-29 to memo.md"], directory: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "wrote the weekly report for 2026-11-23 … 2026-11-29 to memo.md\n")
        let memo = try String(contentsOf: dir.appendingPathComponent("memo.md"), encoding: .utf8)
        let expected = Self.golden.appendingPathComponent("report-weekly-demo.md")
        if ProcessInfo.processInfo.environment["RELOPS_RECORD"].map({ !$0.isEmpty && $0 != "0" }) ?? false {
            try Data(memo.utf8).write(to: expected)
        }
        #expect(memo == (try? String(contentsOf: expected, encoding: .utf8)), "the memo differs; if the change is right, re-record with RELOPS_RECORD=1")
        for heading in ["# Weekly stability report: 2026-11-23 … 2026-11-29", "## Versions first seen", "## Signals that moved", "## Incidents",
                        "## Pins and causes recorded", "## Cases added", "## Threshold ratcheting"] {
            #expect(memo.contains("\n" + heading + "\n") || memo.hasPrefix(heading + "\n"), "no `\(heading)`")
        }
        #expect(memo.contains("| 2026-11-29 | cases/demo-refund-refusals.yaml | case-e35b6778f30f | critical |"))
        #expect(memo.contains("- cause **prompt_version = v2** (session demo-refund-refusals"))

        // The same as JSON: refusals moved against the week before; three pins, a cause, three cases.
        let json = try RelopsBinary.run(["--db", Self.db, "--format", "json", "-c", "report weekly ending 2026-11-29"], directory: dir)
        #expect(json.status == 0, "\(json.stderr)")
        let doc = try Self.json(json.stdout)
        #expect(doc["command"] as? String == "report" && doc["kind"] as? String == "weekly")
        #expect((doc["period"] as? [String: Any])?["start"] as? String == "2026-11-23")
        let refused = try #require((doc["moved"] as? [[String: Any]])?.first { $0["signal"] as? String == "refused" })
        #expect((refused["rate"] as? Double ?? 0) > (refused["previous_rate"] as? Double ?? 1))
        #expect((doc["pins"] as? [Any])?.count == 3 && (doc["causes"] as? [Any])?.count == 1)
        let cases = try #require(doc["cases"] as? [[String: Any]])
        #expect(cases.count == 3 && cases.allSatisfy { $0["dated_by"] as? String == "pin" })
        #expect((doc["ratchet"] as? [[String: Any]])?.count == 5)

        // `to X.json` writes the JSON.
        let file = try RelopsBinary.run(["--db", Self.db, "-c", "report weekly ending 2026-11-29 to out/memo.json"], directory: dir)
        #expect(file.status == 0, "\(file.stderr)")
        let written = try Self.json(try String(contentsOf: dir.appendingPathComponent("out/memo.json"), encoding: .utf8))
        #expect((written["pins"] as? [Any])?.count == 3)
    }

    /// The week before the pins lists none, and shows the refusal incident of 2026-11-20 with
    /// prompt v2 (first seen 2026-11-18) beside it.
    @Test func otherWeeksAndTheIncident() throws {
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try RelopsBinary.run(["--db", Self.db, "--format", "json", "-c", "report weekly ending 2026-11-22"], directory: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let doc = try Self.json(run.stdout)
        #expect((doc["pins"] as? [Any])?.isEmpty == true && (doc["cases"] as? [Any])?.isEmpty == true)
        #expect(doc["previous_traces"] as? Int == 177, "the demo starts on 2026-11-15, the previous week's last day")
        let incidents = try #require(doc["incidents"] as? [[String: Any]])
        let refused = try #require(incidents.first { $0["signal"] as? String == "refused" }, "\(incidents)")
        #expect((refused["onset"] as? String)?.hasPrefix("2026-11-20") == true, "\(refused)")
        #expect((refused["related"] as? [[String: Any]])?.contains { $0["value"] as? String == "v2" } == true, "\(refused)")

        // A month: November to the newest trace's day, against a October without traces.
        let month = try RelopsBinary.run(["--db", Self.db, "-c", "report monthly"], directory: dir)
        #expect(month.status == 0, "\(month.stderr)")
        #expect(month.stdout.hasPrefix("# Monthly stability report: 2026-11-01 … 2026-11-28\n"), "\(month.stdout.prefix(200))")
        #expect(month.stdout.contains("Not compared: the previous period holds no traces"))
    }

    /// Without the session, a case is dated by its file's modification time, and says so.
    @Test func casesWithoutTheirSessionAreDatedByTheFile() throws {
        let dir = try Self.workspace(session: false)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("cases/demo-refund-refusals.yaml").path
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_795_089_600)], ofItemAtPath: file) // 2026-11-19T12:00Z
        let run = try RelopsBinary.run(["--db", Self.db, "-c", "report weekly ending 2026-11-22"], directory: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("| 2026-11-19 (file date) | cases/demo-refund-refusals.yaml | case-e35b6778f30f |"), "\(run.stdout)")
        #expect(run.stdout.contains("None recorded this week (sessions/*.md)."))
    }

    @Test(arguments: [
        ("report", "`report` needs `weekly` or `monthly`"),
        ("report weekyl", "unknown report `weekyl` (did you mean `weekly`?)"),
        ("report weekly ending someday", "`ending` expects a day such as 2026-11-30, not `someday`"),
        ("report weekly ending", "`ending` needs a day, such as 2026-11-30"),
        ("report weekly to a.md to b.md", "`to` is given twice"),
        ("report weekly thresholds missing.yaml", "no thresholds file `missing.yaml`"),
        ("report weekly where", "`where` needs an expression"),
        ("report weekly where intnt == \"refund\"", "intnt"),
    ])
    func errors(_ command: String, _ message: String) throws {
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try RelopsBinary.run(["--db", Self.db, "-c", command], directory: dir)
        #expect(run.status == 2, "\(command): \(run.stdout)")
        #expect(run.stderr.contains(message), "\(command): \(run.stderr)")
    }
}
