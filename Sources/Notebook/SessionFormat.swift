import Foundation
import Ingest
import Yams

/// The file format of a session, `sessions/NAME.md` (docs/sessions.md): Markdown that reads
/// well on GitHub, with everything `session open` needs in fenced blocks and HTML comments
/// (which GitHub does not show).
///
/// - front matter: `relops_session` (the format version), `title`, `created`, `updated`, `loads`;
/// - a cell: a ```` ```relops ```` block with the command, a `<!-- relops:cell … -->` line (time,
///   duration, status, digest), and the output in a ```` ```text ```` block;
/// - a note: a `<!-- relops:note … -->` line holding the text, shown below it as a quote;
/// - pins and causes: ```` ```relops-pin ```` and ```` ```relops-cause ```` blocks of YAML, under
///   a table for the reader.
///
/// Writing is a function of the session alone, so open → save gives the same bytes.
public enum SessionFormat {
    // MARK: - writing

    public static func write(_ session: Session) -> String {
        var out = "---\n"
        out += "relops_session: \(Session.formatVersion)\n"
        out += "title: \(yaml(session.title))\n"
        out += "created: \(yaml(session.created))\n"
        out += "updated: \(yaml(session.updated))\n"
        if session.loads.isEmpty {
            out += "loads: []\n"
        } else {
            out += "loads:\n"
            for load in session.loads {
                out += "  - {path: \(yaml(load.path)), sha256: \(yaml(load.sha256)), traces: \(load.traces)}\n"
            }
        }
        out += "---\n\n# \(oneLine(session.title))\n"
        for entry in session.entries {
            out += "\n"
            switch entry {
            case .cell(let cell): out += write(cell)
            case .note(let note): out += write(note)
            }
        }
        if !session.pins.isEmpty || !session.causes.isEmpty {
            out += "\n## Evidence\n"
        }
        if !session.pins.isEmpty {
            out += "\n### Pins\n\n| trace | intent | versions | expectations | note |\n| --- | --- | --- | --- | --- |\n"
            for pin in session.pins {
                let versions = pin.mainVersions.map { "\($0.dimension) \($0.value)" }
                out += "| `\(pin.traceId.prefix(12))` | \(cellText(pin.intent ?? "")) | \(cellText(versions.joined(separator: ", "))) | "
                    + "\(cellText(pin.expectations.map(\.text).joined(separator: "; "))) | \(cellText(pin.note ?? "")) |\n"
            }
            for pin in session.pins { out += "\n" + fenced(write(pin), info: "relops-pin") }
        }
        if !session.causes.isEmpty {
            out += "\n### Causes\n\n"
            for cause in session.causes {
                out += "- **\(cellText(cause.dimension)) = \(cellText(cause.value))**" + (cause.note.map { ": \(oneLine($0))" } ?? "")
                    + " (\(cause.pins.count) pin\(cause.pins.count == 1 ? "" : "s"))\n"
            }
            for cause in session.causes { out += "\n" + fenced(write(cause), info: "relops-cause") }
        }
        return out
    }

    static func write(_ cell: Cell) -> String {
        var out = fenced(cell.command + "\n", info: "relops")
        out += "<!-- relops:cell at=\(cell.at) ms=\(JSONWriter.format(cell.durationMs)) status=\(cell.ok ? "ok" : "error")"
        if let digest = cell.digest { out += " digest=\(digest)" }
        out += " -->\n"
        if !cell.output.isEmpty { out += fenced(cell.output.hasSuffix("\n") ? cell.output : cell.output + "\n", info: "text") }
        return out
    }

    static func write(_ note: Note) -> String {
        var marker = ""
        JSONWriter.appendString(note.text, to: &marker)
        // An HTML comment must not hold `--` or `>`: escaped in the JSON text.
        marker = marker.replacingOccurrences(of: "-", with: "\\u002d").replacingOccurrences(of: ">", with: "\\u003e")
        let quote = note.text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? ">" : "> " + $0 }
        return "<!-- relops:note at=\(note.at) text=\(marker) -->\n" + quote.joined(separator: "\n") + "\n"
    }

    static func write(_ pin: Pin) -> String {
        var out = "trace_id: \(yaml(pin.traceId))\n"
        out += "pinned_at: \(yaml(pin.pinnedAt))\n"
        if let note = pin.note { out += "note: \(yaml(note))\n" }
        out += "expect: [\(pin.expectations.map { yaml($0.text) }.joined(separator: ", "))]\n"
        if let ts = pin.ts { out += "ts: \(yaml(ts))\n" }
        if let intent = pin.intent { out += "intent: \(yaml(intent))\n" }
        if let input = pin.input { out += "input: \(yaml(input))\n" }
        if let hash = pin.inputHash { out += "input_hash: \(yaml(hash))\n" }
        if let model = pin.model { out += "model: \(yaml(model))\n" }
        if pin.messages.isEmpty {
            out += "messages: []\n"
        } else {
            out += "messages:\n"
            for m in pin.messages { out += "  - {role: \(yaml(m.role)), content: \(yaml(m.content))}\n" }
        }
        if let output = pin.output { out += "output: \(yaml(output))\n" }
        out += pin.versions.isEmpty ? "versions: {}\n" : "versions:\n" + pin.versions.keys.sorted().map { "  \($0): \(yaml(pin.versions[$0]!))\n" }.joined()
        let o = pin.observed
        var observed: [String] = []
        if let r = o.refused { observed.append("refused: \(r)") }
        if let e = o.error { observed.append("error: \(e)") }
        if let l = o.latencyMs { observed.append("latency_ms: \(JSONWriter.format(l))") }
        if let c = o.costUsd { observed.append("cost_usd: \(JSONWriter.format(c))") }
        observed.append("tools: [\(o.tools.map(yaml).joined(separator: ", "))]")
        out += "observed: {\(observed.joined(separator: ", "))}\n"
        return out
    }

    static func write(_ cause: RootCause) -> String {
        var out = "dimension: \(yaml(cause.dimension))\nvalue: \(yaml(cause.value))\n"
        if let note = cause.note { out += "note: \(yaml(note))\n" }
        out += "at: \(yaml(cause.at))\n"
        out += "pins: [\(cause.pins.map(yaml).joined(separator: ", "))]\n"
        return out
    }

    /// A scalar as YAML: a double-quoted string with JSON's escapes, and the characters YAML 1.1
    /// reads as line breaks (NEL, LS, PS) or drops (BOM) escaped too.
    static func yaml(_ s: String) -> String {
        var out = ""
        JSONWriter.appendString(s, to: &out)
        for (c, e) in [("\u{85}", "\\u0085"), ("\u{2028}", "\\u2028"), ("\u{2029}", "\\u2029"), ("\u{FEFF}", "\\uFEFF")] where out.contains(c) {
            out = out.replacingOccurrences(of: c, with: e)
        }
        return out
    }

    /// `text` in a fence longer than any run of backticks inside it.
    static func fenced(_ text: String, info: String) -> String {
        var longest = 0, run = 0
        for c in text {
            run = c == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return fence + info + "\n" + text + fence + "\n"
    }

    static func oneLine(_ s: String) -> String {
        s.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// Text for a Markdown table cell.
    static func cellText(_ s: String) -> String {
        oneLine(s).replacingOccurrences(of: "|", with: "\\|")
    }
}
