import Foundation
@testable import Notebook
import Replay
import Testing

/// The session file format: a golden file written from a session with every awkward thing in
/// it, read back to the same session, written again to the same bytes; broken files name the
/// line and the reason.
@Suite struct SessionFormatTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/session.md")

    /// Outputs holding fences, notes holding `--`, `>` and blank lines, texts with quotes,
    /// backslashes, tabs, a line separator and non-Latin script.
    static let session: Session = {
        var s = Session(title: "Refund refusals — \"v2\"", created: "2026-11-29T10:00:00.000000Z", updated: "2026-11-29T10:05:00.000000Z",
                        loads: [LoadIdentity(path: "exports/a b.jsonl", sha256: String(repeating: "ab", count: 32), traces: 4000)])
        s.entries.append(.cell(Cell(command: "traces | where intent == \"refund\"\n  | stats rate(refused) by prompt_version",
                                    at: "2026-11-29T10:01:00.000000Z", durationMs: 12.5, ok: true,
                                    output: "prompt_version │ rate\nv1 │ 0.01\nv2 │ 0.25\n", digest: "0123456789abcdef")))
        s.entries.append(.note(Note(text: "Refusals jump -- see below.\n\n> quoted <b>\ttab", at: "2026-11-29T10:02:00.000000Z")))
        s.entries.append(.cell(Cell(command: "explain refused between v1 and v2", at: "2026-11-29T10:03:00.000000Z", durationMs: 0, ok: true,
                                    output: "```\ncode inside\n````\n", digest: nil)))
        s.entries.append(.cell(Cell(command: "show nope", at: "2026-11-29T10:04:00.000000Z", durationMs: 1, ok: false,
                                    output: "error: no trace `nope`\n", digest: nil)))
        s.pins.append(Pin(traceId: "ae1991fe0f9b367b909f2974f096e372", pinnedAt: "2026-11-29T10:04:30.000000Z", note: "refused \"under\" v2",
                          expectations: [.notRefused, .contains("refund"), .maxLatencyMs(4000), .maxCostUsd(0.01), .matches("\\d+ days")],
                          ts: "2026-11-28T21:32:36.485939Z", intent: "refund", input: "Can I get a refund?\u{2028}Größe: 42 — 返金",
                          inputHash: "e35b6778f30f1574", messages: [ChatMessage(role: "system", content: "Be kind.\nNo refunds talk."),
                                                                    ChatMessage(role: "user", content: "Can I get a refund?")],
                          model: "gpt-4.1", output: "I can't assist with refunds here.\\", versions: ["prompt_version": "v2", "model": "gpt-4.1"],
                          observed: Pin.Observation(refused: true, error: false, latencyMs: 1202.817024, costUsd: 0.004876, tools: ["refund_check"])))
        s.pins.append(Pin(traceId: "bb", pinnedAt: "2026-11-29T10:04:40.000000Z"))
        s.causes.append(RootCause(dimension: "prompt_version", value: "v2", note: nil, at: "2026-11-29T10:05:00.000000Z",
                                  pins: ["ae1991fe0f9b367b909f2974f096e372"]))
        return s
    }()

    @Test func writesTheGoldenFileAndReadsItBack() throws {
        let written = SessionFormat.write(Self.session)
        if ProcessInfo.processInfo.environment["RELOPS_RECORD"].map({ !$0.isEmpty && $0 != "0" }) ?? false {
            try Data(written.utf8).write(to: Self.golden)
        }
        let golden = try String(contentsOf: Self.golden, encoding: .utf8)
        #expect(written == golden, "re-record with RELOPS_RECORD=1 if the change is right")
        let read = try SessionFormat.read(golden, path: "session.md")
        #expect(read == Self.session)
        #expect(SessionFormat.write(read) == golden, "open → save is byte-identical")
    }

    @Test(arguments: [
        ("no front matter\n", 1, "a session starts with `---`"),
        ("---\ntitle: x\n", 1, "the front matter has no closing `---`"),
        ("---\ntitle: x\ncreated: a\nupdated: b\n---\n", 2, "no `relops_session` format version"),
        ("---\nrelops_session: 2\ntitle: x\ncreated: a\nupdated: b\n---\n", 2, "format version 2; this relops reads version 1"),
        ("---\nrelops_session: 1\ncreated: a\nupdated: b\n---\n", 2, "`title` is missing"),
        ("---\nrelops_session: 1\ntitle: x\ncreated: a\nupdated: b\n---\n\n```relops\nsources\n", 8, "the block opened here is never closed"),
        ("---\nrelops_session: 1\ntitle: x\ncreated: a\nupdated: b\n---\n\n```relops\nsources\n```\ntext\n", 8, "a ```relops block without its"),
        ("---\nrelops_session: 1\ntitle: x\ncreated: a\nupdated: b\n---\n\n```relops-pins\nx: 1\n```\n", 8, "unknown block `relops-pins`"),
        ("---\nrelops_session: 1\ntitle: x\ncreated: a\nupdated: b\n---\n\n```relops-pin\ntrace_id: [\n```\n", 9, "a pin is not valid YAML"),
        ("---\nrelops_session: 1\ntitle: x\ncreated: a\nupdated: b\n---\n\n```relops-pin\ntrace_id: t\npinned_at: p\nexpect: [\"refusd\"]\n```\n", 11,
         "unknown expectation `refusd`"),
        ("---\nrelops_session: 1\ntitle: x\ncreated: a\nupdated: b\n---\n\n<!-- relops:cell at=x ms=1 status=ok -->\n", 8, "a `<!-- relops:cell"),
    ])
    func brokenFilesNameTheLine(_ text: String, _ line: Int, _ message: String) {
        #expect {
            _ = try SessionFormat.read(text, path: "s.md")
        } throws: { error in
            guard let e = error as? SessionFileError else { return false }
            return e.line == line && e.message.hasPrefix(message) && e.description.hasPrefix("s.md:\(line): ")
        }
    }

    /// Hand-written Markdown around the relops blocks is left alone: other code blocks, text,
    /// headings and tables are not cells.
    @Test func proseAndOtherBlocksAreNotCells() throws {
        let text = """
            ---
            relops_session: 1
            title: x
            created: a
            updated: b
            ---

            Some words, a table | a | b |, and a shell block:

            ```sh
            relops --db x.db
            ```

            ```relops
            sources
            ```
            <!-- relops:cell at=t ms=3 status=ok -->
            """
        let s = try SessionFormat.read(text, path: "s.md")
        #expect(s.cells.map(\.command) == ["sources"] && s.cells.first?.output == "" && s.cells.first?.digest == nil)
    }
}
