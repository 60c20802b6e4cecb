import Foundation
@testable import Notebook
import Replay
import Testing

/// The relops case file: a golden file written from cases with every awkward text in them,
/// read back to the same cases, written again to the same bytes; broken files name the line.
@Suite struct CaseFormatTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/cases.yaml")

    /// The session format's awkward session (quotes, backslashes, a line separator, non-Latin
    /// script, a pin without input), a second pin of the same input, and variables and
    /// versions whose names YAML would read as something else.
    static let file: CaseFile = {
        var session = SessionFormatTests.session
        var again = session.pins[0]
        again.traceId = "cc0000000000000000000000000000cc"
        again.note = nil
        again.expectations = [.notRefused, .equals("Yes — \"sure\"\n"), .validJSON, .notContains("sorry"), .toolCalled("refund_check")]
        session.pins.append(again)
        var (file, _) = CaseFile.make(session: session, name: "refund-refusals")
        file.cases[0].input.variables["yes"] = "on"
        file.cases[0].versions["tool version"] = "2.0"
        var bare = file.cases[0]
        bare.id = "case-000000000000"
        bare.severity = .minor
        bare.tags = []
        bare.provenance = .init(session: "refund-refusals", incident: "x", traces: ["bb"])
        bare.input = .init(hash: "0000000000000000", text: nil, messages: [], variables: [:])
        bare.model = nil
        bare.versions = [:]
        bare.expectations = []
        bare.observed = .init()
        file.cases.append(bare)
        return file
    }()

    @Test func writesTheGoldenFileAndReadsItBack() throws {
        let written = CaseFormat.write(Self.file)
        if ProcessInfo.processInfo.environment["RELOPS_RECORD"].map({ !$0.isEmpty && $0 != "0" }) ?? false {
            try Data(written.utf8).write(to: Self.golden)
        }
        let golden = try String(contentsOf: Self.golden, encoding: .utf8)
        #expect(written == golden, "re-record with RELOPS_RECORD=1 if the change is right")
        let read = try CaseFormat.read(golden, path: "cases.yaml")
        #expect(read == Self.file)
        #expect(CaseFormat.write(read) == golden, "read → write is byte-identical")
    }

    @Test func theMergedCaseKeepsBothTraces() {
        let c = Self.file.cases[0]
        #expect(c.provenance.traces == ["ae1991fe0f9b367b909f2974f096e372", "cc0000000000000000000000000000cc"])
        #expect(c.expectations.count == 9 && c.severity == .critical)
    }

    static let header = "relops_cases: 1\nsession: s\ntitle: t\nredactions: []\n"
    static let good = header + """
        cases:
          - id: case-1
            severity: major
            tags: []
            provenance: {session: s, incident: t, traces: [a]}
            input: {hash: h, messages: [], variables: {input: x}}
            versions: {}
            expect: ["not refused"]
            observed: {tools: []}

        """

    @Test func aMinimalHandWrittenFileReads() throws {
        let file = try CaseFormat.read(Self.good, path: "c.yaml")
        #expect(file.cases.first?.expectations == [.notRefused] && file.cases.first?.input.variables == ["input": "x"])
    }

    @Test(arguments: [
        ("tests:\n  - vars: {input: x}\n", 1, "no `relops_cases` format version"),
        ("relops_cases: 2\nsession: s\ntitle: t\ncases: []\n", 1, "format version `2`; this relops reads version 1"),
        ("relops_cases: 1\nsession: s\ncases: []\n", 1, "`title` is missing"),
        ("relops_cases: 1\nsession: s\ntitle: t\ncases: [\n", 5, "not valid YAML"),
        ("relops_cases: 1\nsession: s\ntitle: t\ncase: []\n", 4, "unknown key `case` in a case file; did you mean `cases`?"),
        (good.replacingOccurrences(of: "severity: major", with: "severity: majr"), 7, "unknown severity `majr`; did you mean `major`?"),
        (good.replacingOccurrences(of: "\"not refused\"", with: "\"refusd\""), 12, "unknown expectation `refusd`; did you mean `refused`?"),
        (good.replacingOccurrences(of: "    versions: {}", with: "    version: {}"), 11, "unknown key `version` in a case; did you mean `versions`?"),
        (good.replacingOccurrences(of: "hash: h, ", with: ""), 10, "`hash` is missing"),
        (good.replacingOccurrences(of: "{tools: []}", with: "{latency_ms: fast}"), 13, "`latency_ms` must be a number"),
        (good + good.components(separatedBy: "cases:\n")[1], 14, "case `case-1` again (first on line 6)"),
    ])
    func brokenFilesNameTheLine(_ text: String, _ line: Int, _ message: String) {
        #expect {
            _ = try CaseFormat.read(text, path: "c.yaml")
        } throws: { error in
            guard let e = error as? CaseFileError else { return false }
            return e.line == line && e.message.hasPrefix(message) && e.description.hasPrefix("c.yaml:\(line): ")
        }
    }
}
