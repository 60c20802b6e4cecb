import Foundation
import Ingest
import Replay
import Store

/// `show`'s renderings of a trace tree: a header with the trace's versions and signals, then the
/// spans as a tree with a timing waterfall (as Jaeger's and Langfuse's timelines draw it) and each
/// span's details beneath it; or one JSON document (docs/replay.md lists its keys).
extension TraceTree: ResultDocument {
    public func text(_ style: TextStyle) -> String {
        TraceTextLayout(tree: self, style: style).render()
    }

    /// `{"command": "show", "trace": {…}, "resources": […], "spans": […]}`; keys in docs/replay.md.
    public func json() -> JSON {
        .object([
            ("command", .string("show")),
            ("trace", .object(summary.columns.map { ($0.name, TraceJSON.value($0.value)) })),
            ("resources", .array(resources.map { TraceJSON.sorted($0) })),
            ("spans", .array(spans.map(TraceJSON.span))),
        ])
    }
}

/// The JSON of a trace's parts.
enum TraceJSON {
    static func value(_ v: SQLValue) -> JSON {
        switch v {
        case .null: return .null
        case .integer(let i): return .integer(i)
        case .real(let d): return d.isFinite ? .double(d) : .null
        case .text(let s): return .string(s)
        case .blob(let b): return .string(Data(b).base64EncodedString())
        }
    }

    static func sorted(_ members: [(String, JSON)]) -> JSON {
        .object(members.sorted { $0.0 < $1.0 })
    }

    static func optional(_ s: String?) -> JSON { s.map(JSON.string) ?? .null }
    static func optional(_ i: Int64?) -> JSON { i.map(JSON.integer) ?? .null }
    static func optional(_ d: Double?) -> JSON { d.flatMap { $0.isFinite ? JSON.double($0) : nil } ?? .null }

    /// Milliseconds to the microsecond, so that the JSON does not show float noise.
    static func ms(_ d: Double) -> JSON { .double((d * 1000).rounded() / 1000) }

    static func span(_ node: TraceTree.Node) -> JSON {
        var facts: [(String, JSON)] = []
        for (name, value) in node.factColumns where value != .null { facts.append((name, Self.value(value))) }
        return .object([
            ("span_id", .string(node.spanId)),
            ("parent_span_id", optional(node.parentSpanId)),
            ("depth", .integer(Int64(node.depth))),
            ("orphan", .bool(node.isOrphan)),
            ("final_answer", .bool(node.isFinalAnswer)),
            ("kind", .string(node.kind)),
            ("name", .string(node.name)),
            ("start_offset_ms", ms(node.startOffsetMs)),
            ("duration_ms", ms(node.durationMs)),
            ("start_ns", .integer(node.startNs)),
            ("end_ns", .integer(node.endNs)),
            ("status", .string(node.status)),
            ("status_message", optional(node.statusMessage)),
            ("error_type", optional(node.errorType)),
            ("model", optional(node.model)),
            ("request_model", optional(node.requestModel)),
            ("provider", optional(node.provider)),
            ("input_tokens", optional(node.inputTokens)),
            ("output_tokens", optional(node.outputTokens)),
            ("cost_usd", optional(node.costUsd)),
            ("finish_reason", optional(node.finishReason)),
            ("versions", .object(node.versions.map { ($0.name, .string($0.value)) })),
            ("facts", .object(facts)),
            ("content", content(node.content)),
            ("scope", optional(node.scope)),
            ("resource", node.resourceIndex.map { .integer(Int64($0)) } ?? .null),
            ("load_id", .integer(node.loadId)),
            ("line", .integer(node.line)),
            ("attributes", sorted(node.attributes)),
            ("events", node.events ?? .null),
            ("logs", .array(node.logs.map(log))),
        ])
    }

    static func content(_ c: SpanContent) -> JSON {
        .object([
            ("messages", .array(c.messages.map(message))),
            ("output", optional(c.output)),
            ("output_messages", .array(c.outputMessages.map(message))),
            ("tool_calls", .array(c.toolCalls.map(toolCall))),
            ("tool_result", optional(c.toolResult)),
            ("query", optional(c.query)),
            ("documents", .array(c.documents.map { d in
                .object([("id", optional(d.id)), ("score", optional(d.score)), ("content", optional(d.content))])
            })),
        ])
    }

    static func message(_ m: SpanContent.Message) -> JSON {
        .object([("role", .string(m.role)), ("content", .string(m.content)),
                 ("tool_calls", .array(m.toolCalls.map(toolCall))), ("tool_call_id", optional(m.toolCallId))])
    }

    static func toolCall(_ t: SpanContent.ToolCall) -> JSON {
        .object([("id", optional(t.id)), ("name", .string(t.name)), ("arguments", optional(t.arguments))])
    }

    static func log(_ l: LogRecord) -> JSON {
        .object([("event_name", optional(l.eventName)), ("time_ns", optional(l.timeNs)), ("severity", optional(l.severity)),
                 ("body", l.body.flatMap { try? JSONParser.parse($0) } ?? .null),
                 ("attributes", (try? JSONParser.parse(l.attributes)) ?? .object([]))])
    }
}

/// Lays a trace tree out as terminal text.
struct TraceTextLayout {
    let tree: TraceTree
    let style: TextStyle
    let width: Int
    /// Lines of one message, output or document kept before "… (N more lines)".
    static let messageLines = 3
    static let outputLines = 4

    init(tree: TraceTree, style: TextStyle) {
        self.tree = tree
        self.style = style
        width = max(60, style.width ?? 100)
    }

    func render() -> String {
        var out: [String] = []
        header(into: &out)
        out.append("")
        waterfall(into: &out)
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: - header

    func header(into out: inout [String]) {
        let s = tree.summary
        var first = [style.paint("trace \(tree.traceId)", "1")]
        if let name = s.text("name") { first.append(name) }
        if let ts = s.ts { first.append(ts) }
        first.append(Renderer.duration(s.latencyMs))
        if let status = s.text("status") { first.append(status == "error" ? style.paint(status, "31") : status) }
        out += joined(first, width)
        if !tree.hasSummaryRow { out.append(style.paint("(no trace row: the trace could not be summarised; times are the spans' extent)", "33")) }

        var versions: [String] = []
        if let id = s.text("prompt_id") ?? s.text("prompt_version") {
            var prompt = "prompt " + id
            if s.text("prompt_id") != nil, let v = s.text("prompt_version") { prompt += " " + v }
            if let hash = s.text("prompt_hash") { prompt += " #" + hash }
            versions.append(prompt)
        }
        if let model = s.text("model") { versions.append("model \(model)" + (s.text("provider").map { " (\($0))" } ?? "")) }
        for (column, label) in [("release", "release"), ("cohort", "cohort"), ("config_hash", "config"),
                                ("index_version", "index"), ("tool_version", "tool")] {
            if let v = s.text(column) { versions.append("\(label) \(v)") }
        }
        if let service = s.text("service") { versions.append("service \(service)" + (s.text("service_version").map { " \($0)" } ?? "")) }
        if let env = s.text("environment") { versions.append(env) }
        labeled("versions", versions, into: &out)

        var signals: [String] = []
        func flag(_ column: String, _ code: String) {
            guard let value = s.flag(column) else { return }
            signals.append(value ? style.paint("\(column) yes", code) : "\(column) no")
        }
        flag("refused", "31")
        flag("safety_flagged", "31")
        flag("error", "31")
        if let errors = s["tool_errors"].int64Value { signals.append(errors > 0 ? style.paint("tool_errors \(errors)", "31") : "tool_errors 0") }
        if let score = s["retrieval_top_score"].doubleValue { signals.append("retrieval_top_score \(Self.score(score))") }
        flag("retrieval_empty", "33")
        if let feedback = s["feedback"].doubleValue { signals.append("feedback \(JSONWriter.format(feedback))") }
        labeled("signals", signals, into: &out)

        var usage: [String] = []
        if let finish = s.text("finish_reason") { usage.append("finish \(finish)") }
        let input = s["input_tokens"].int64Value, output = s["output_tokens"].int64Value
        if input != nil || output != nil { usage.append("tokens \(Self.count(input ?? 0)) → \(Self.count(output ?? 0))") }
        if let cost = s["cost_usd"].doubleValue, cost > 0 { usage.append("cost " + Self.money(cost)) }
        var counts = "\(tree.spans.count) span" + (tree.spans.count == 1 ? "" : "s")
        if let llm = s["llm_calls"].int64Value { counts += ", \(llm) llm" }
        if let tools = s["tool_calls"].int64Value { counts += ", \(tools) tool" }
        usage.append(counts)
        labeled("usage", usage, into: &out)

        var who: [String] = []
        for (column, label) in [("intent", "intent"), ("user_id", "user"), ("session_id", "session")] {
            if let v = s.text(column) { who.append("\(label) \(v)") }
        }
        labeled("request", who, into: &out)
        if let input = s.text("input") { block("input", input, lines: Self.messageLines, into: &out) }
        if let output = s.text("output") { block("output", output, lines: Self.outputLines, into: &out) }

        if tree.showsAttributes {
            for (i, resource) in tree.resources.enumerated() {
                out.append(style.paint(tree.resources.count == 1 ? "resource" : "resource \(i)", "1"))
                attributeLines(resource, indent: "  ", into: &out)
            }
            for log in tree.unattachedLogs {
                out.append("log \(log.eventName ?? "(no event name)") (no span): " + (log.body ?? ""))
            }
        }
    }

    /// `label` then the items joined with ` · `, wrapped under the first item.
    func labeled(_ label: String, _ items: [String], into out: inout [String]) {
        guard !items.isEmpty else { return }
        let indent = String(repeating: " ", count: 10)
        var line = style.paint(Chart.padRight(label, 10), "2")
        var used = 10
        var first = true
        for item in items {
            let w = Chart.displayWidth(Self.plain(item))
            if !first && used + 3 + w > width {
                out.append(line)
                line = indent + item
                used = 10 + w
            } else {
                line += (first ? "" : " · ") + item
                used += (first ? 0 : 3) + w
            }
            first = false
        }
        out.append(line)
    }

    /// A labelled text of several lines, wrapped and cut to `lines`.
    func block(_ label: String, _ text: String, lines: Int, into out: inout [String]) {
        let body = Self.wrap(text, width - 10, lines: lines)
        for (i, line) in body.enumerated() {
            out.append((i == 0 ? style.paint(Chart.padRight(label, 10), "2") : String(repeating: " ", count: 10)) + line)
        }
    }

    // MARK: - tree and waterfall

    func waterfall(into out: inout [String]) {
        let nodes = tree.spans
        guard !nodes.isEmpty else {
            out.append("(no spans)")
            return
        }
        // Whether each node is the last child of its parent: no later node at its depth before
        // one shallower than it.
        var isLast = [Bool](repeating: true, count: nodes.count)
        var hasChildren = [Bool](repeating: false, count: nodes.count)
        for i in nodes.indices {
            var j = i + 1
            while j < nodes.count, nodes[j].depth > nodes[i].depth { j += 1 }
            isLast[i] = !(j < nodes.count && nodes[j].depth == nodes[i].depth)
            hasChildren[i] = i + 1 < nodes.count && nodes[i + 1].depth > nodes[i].depth
        }
        // Tree prefixes: the guide of each ancestor level, then this node's branch.
        var guides: [Bool] = []   // per depth: a later sibling follows, so draw `│`
        var prefixes: [String] = []
        var continuations: [String] = []
        for i in nodes.indices {
            let depth = nodes[i].depth
            guides = Array(guides.prefix(depth))
            let ancestors = guides.dropFirst().map { $0 ? "│  " : "   " }.joined()
            if depth == 0 {
                prefixes.append("")
                continuations.append("")
            } else {
                prefixes.append(ancestors + (isLast[i] ? "└─ " : "├─ "))
                continuations.append(ancestors + (isLast[i] ? "   " : "│  "))
            }
            guides.append(!isLast[i])
        }

        let labels = nodes.indices.map { prefixes[$0] + label(nodes[$0]) }
        let durations = nodes.map { Renderer.duration($0.durationMs) }
        let durationWidth = max(8, durations.map(\.count).max() ?? 0)
        let widest = labels.map { Chart.displayWidth(Self.plain($0)) }.max() ?? 10
        let labelWidth = min(max(widest, 16), width * 45 / 100)
        let barWidth = max(10, width - labelWidth - durationWidth - 6)
        let total = Double(max(tree.endNs - tree.startNs, 1)) / 1e6

        // The axis: 0 at the left, the whole extent at the right.
        let axisEnd = Renderer.duration(total)
        let axis = "0" + String(repeating: " ", count: max(1, barWidth - 1 - axisEnd.count)) + axisEnd
        out.append(style.paint(Chart.padRight("span", labelWidth) + "  " + Chart.padLeft("duration", durationWidth) + "    " + axis, "2"))

        for (i, node) in nodes.enumerated() {
            let failed = node.status == "error"
            let labelText = Self.pad(Self.cutPainted(labels[i], labelWidth), labelWidth)
            let mark = failed ? style.paint("✗", "31") : " "
            let bar = Self.bar(offsetMs: node.startOffsetMs, durationMs: node.durationMs, totalMs: total, width: barWidth)
            let lead = bar.prefix { $0 == " " }
            out.append(labelText + "  " + Chart.padLeft(durations[i], durationWidth) + " " + mark + "  "
                       + lead + style.paint(String(bar.dropFirst(lead.count)), failed ? "31" : Self.kindColor(node.kind)))
            let detailPrefix = continuations[i] + (hasChildren[i] ? "│  " : "   ")
            for line in details(node) {
                out.append((style.paint(detailPrefix, "2") + line).trimmingTrailingSpaces())
            }
        }
    }

    func label(_ node: TraceTree.Node) -> String {
        var text = style.paint(node.kind, Self.kindColor(node.kind)) + " " + (node.status == "error" ? style.paint(node.name, "31") : node.name)
        if node.isOrphan { text += style.paint(" (orphan)", "33") }
        return text
    }

    static func kindColor(_ kind: String) -> String {
        switch kind {
        case "llm": return "36"
        case "tool": return "33"
        case "retrieval", "embedding": return "32"
        case "agent", "chain": return "35"
        default: return "2"
        }
    }

    /// A bar in a line of `width` cells: blank up to the start, full blocks, and an eighth block
    /// for the fraction at the end; at least a sliver, so instant spans show.
    static func bar(offsetMs: Double, durationMs: Double, totalMs: Double, width: Int) -> String {
        let scale = Double(width) / max(totalMs, 1e-9)
        let startCell = min(width - 1, max(0, Int((offsetMs * scale).rounded(.down))))
        var endEighths = Int(((offsetMs + max(0, durationMs)) * scale * 8).rounded())
        endEighths = min(width * 8, max(endEighths, startCell * 8 + 1))
        let full = endEighths / 8 - startCell
        let remainder = endEighths % 8
        let partial = remainder == 0 ? "" : String(["▏", "▎", "▍", "▌", "▋", "▊", "▉"][remainder - 1])
        return String(repeating: " ", count: startCell) + String(repeating: "█", count: max(0, full)) + partial
    }

    // MARK: - span details

    /// The lines under a span: where it failed, what it ran on, what it was asked and answered.
    func details(_ node: TraceTree.Node) -> [String] {
        var lines: [String] = []
        let room = max(20, width - (node.depth + 1) * 3)
        if node.isOrphan {
            lines.append(style.paint("parent \(node.parentSpanId ?? "?") is not in this trace: shown under the root", "33"))
        }
        if node.status == "error" || node.errorType != nil {
            var error = "error"
            if let type = node.errorType { error += " " + type }
            if let message = node.statusMessage { error += ": " + message }
            lines += Self.wrap(error, room, lines: Self.messageLines).map { style.paint($0, "31") }
        }

        var facts: [String] = []
        if node.isFinalAnswer { facts.append(style.paint("final answer", "1")) }
        if let model = node.model {
            var text = "model \(model)"
            if let asked = node.requestModel, asked != model { text += " (asked \(asked))" }
            facts.append(text)
        }
        if let provider = node.provider, node.model != nil { facts.append(provider) }
        switch (node.inputTokens, node.outputTokens) {
        case let (input?, output?): facts.append("tokens \(Self.count(input)) → \(Self.count(output))")
        case let (input?, nil): facts.append("tokens \(Self.count(input)) in")
        case let (nil, output?): facts.append("tokens \(Self.count(output)) out")
        case (nil, nil): break
        }
        if let cost = node.costUsd, cost > 0 { facts.append(Self.money(cost)) }
        if let finish = node.finishReason { facts.append("finish \(finish)") }
        if let status = node.facts.httpStatus { facts.append("http \(status)") }
        if node.kind == "retrieval" {
            if let n = node.facts.retrievalReturned { facts.append("\(n) returned") }
            if let top = node.facts.retrievalTopScore { facts.append("top \(Self.score(top))") }
        }
        lines += joined(facts, room)

        // Versions the span carries that the header does not already say for the trace.
        let different = node.versions.filter { tree.summary.text($0.name) != $0.value }
        lines += joined(different.map { "\($0.name) \($0.value)" }, room)

        let c = node.content
        switch node.kind {
        case "tool":
            for call in c.toolCalls {
                lines.append("call \(call.name)" + (call.id.map { " [\($0)]" } ?? ""))
                if let arguments = call.arguments { lines += labeledText("arguments", arguments, room, Self.messageLines) }
            }
            if let result = c.toolResult { lines += labeledText("result", result, room, Self.outputLines) }
        case "retrieval", "embedding":
            if let query = c.query { lines += labeledText(node.kind == "embedding" ? "input" : "query", query, room, Self.messageLines) }
            for (i, document) in c.documents.enumerated() {
                var text = "\(i + 1). \(document.id ?? "(no id)")"
                if let score = document.score { text += "  " + Self.score(score) }
                if let content = document.content { text += "  " + content.replacingOccurrences(of: "\n", with: " ") }
                lines.append(Chart.cut(text, room))
            }
        default:
            break
        }
        for message in c.messages where !message.isEmpty {
            lines += messageLines(message, room, Self.messageLines)
        }
        if node.kind != "tool" {
            let calls = c.outputMessages.flatMap(\.toolCalls)
            if let output = c.output, !output.isEmpty {
                lines += labeledText("output", output, room, Self.outputLines, code: "1")
            } else if c.output != nil {
                lines.append(style.paint("output: (empty)", "33"))
            } else if calls.isEmpty, node.kind == "llm", node.status != "error" {
                lines.append(style.paint("output: (none)", "33"))
            }
            for call in calls { lines += callLines(call, room) }
        }

        if tree.showsAttributes {
            lines.append(style.paint("attributes", "2"))
            attributeLines(node.attributes, indent: "  ", into: &lines, room: room)
            for event in node.events?.array ?? [] {
                let attributes = event["attributes"]?.object ?? []
                lines.append(style.paint("event \(event["name"]?.text ?? "?")", "2"))
                attributeLines(attributes, indent: "  ", into: &lines, room: room)
            }
            for log in node.logs {
                lines += Self.wrap("log \(log.eventName ?? "?"): " + (log.body ?? ""), room, lines: .max).map { style.paint($0, "2") }
            }
            if let scope = node.scope { lines.append(style.paint("scope \(scope) · load \(node.loadId) line \(node.line)", "2")) }
        }
        return lines
    }

    func messageLines(_ message: SpanContent.Message, _ room: Int, _ limit: Int) -> [String] {
        var label = message.role
        if let id = message.toolCallId { label += " [\(id)]" }
        var lines: [String] = []
        if !message.content.isEmpty {
            lines += labeledText(label, message.content, room, limit, code: message.role == "user" ? "1" : "2")
        }
        for call in message.toolCalls {
            lines += callLines(call, room, role: lines.isEmpty ? label : nil)
        }
        return lines
    }

    func callLines(_ call: SpanContent.ToolCall, _ room: Int, role: String? = nil) -> [String] {
        let text = "→ \(call.name)(\(call.arguments ?? ""))" + (call.id.map { " [\($0)]" } ?? "")
        return labeledText(role ?? "calls", text, room, Self.messageLines)
    }

    /// `label: text`, the text wrapped under itself and cut to `limit` lines.
    func labeledText(_ label: String, _ text: String, _ room: Int, _ limit: Int, code: String = "2") -> [String] {
        let head = label + ": "
        let headWidth = Chart.displayWidth(head)
        guard headWidth <= room / 3 else {
            // A long label (a tool message's call id) on a line of its own, the text under it.
            return [style.paint(label + ":", code)] + Self.wrap(text, room - 2, lines: limit).map { "  " + $0 }
        }
        let indent = String(repeating: " ", count: headWidth)
        let body = Self.wrap(text, room - headWidth, lines: limit)
        return body.enumerated().map { i, line in i == 0 ? style.paint(head, code) + line : indent + line }
    }

    func joined(_ items: [String], _ room: Int) -> [String] {
        guard !items.isEmpty else { return [] }
        var lines: [String] = []
        var line = ""
        var used = 0
        for item in items {
            let w = Chart.displayWidth(Self.plain(item))
            if used > 0 && used + 3 + w > room {
                lines.append(line)
                line = item
                used = w
            } else {
                line += (used > 0 ? " · " : "") + item
                used += (used > 0 ? 3 : 0) + w
            }
        }
        lines.append(line)
        return lines
    }

    func attributeLines(_ attributes: [(String, JSON)], indent: String, into out: inout [String], room: Int? = nil) {
        let room = room ?? width
        for (key, value) in attributes.sorted(by: { $0.0 < $1.0 }) {
            let text = value.string ?? value.serialized
            let lines = Self.wrap(text, max(10, room - indent.count - key.count - 3), lines: .max)
            for (i, line) in lines.enumerated() {
                out.append(i == 0 ? indent + style.paint(key, "2") + " = " + line
                                  : indent + String(repeating: " ", count: key.count + 3) + line)
            }
        }
    }

    // MARK: - text helpers

    /// Wraps at word boundaries to `width` columns (long words are split), keeping the text's
    /// own line breaks; past `lines` lines, the rest is counted in a last "… (N more lines)".
    static func wrap(_ text: String, _ width: Int, lines limit: Int) -> [String] {
        let width = max(10, width)
        var out: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var used = 0
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
                var word = String(word)
                var w = Chart.displayWidth(word)
                if used > 0 && used + 1 + w > width {
                    out.append(line)
                    line = ""
                    used = 0
                }
                while w > width {
                    // A word longer than the line: split it.
                    var head = "", headWidth = 0
                    for ch in word {
                        let cw = Chart.columns(ch)
                        if headWidth + cw > width - used - (used > 0 ? 1 : 0) { break }
                        head.append(ch)
                        headWidth += cw
                    }
                    if head.isEmpty { out.append(line); line = ""; used = 0; continue }
                    out.append(line + (used > 0 ? " " : "") + head)
                    line = ""
                    used = 0
                    word = String(word.dropFirst(head.count))
                    w = Chart.displayWidth(word)
                }
                line += (used > 0 ? " " : "") + word
                used += (used > 0 ? 1 : 0) + w
            }
            out.append(line)
        }
        while out.count > 1, out.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { out.removeLast() }
        // A marker in place of one hidden line would save nothing.
        guard out.count - 1 > limit else { return out }
        return Array(out.prefix(max(1, limit))) + ["… (\(out.count - max(1, limit)) more lines)"]
    }

    /// Text without ANSI escapes (to measure it).
    static func plain(_ text: String) -> String {
        guard text.contains("\u{1B}") else { return text }
        var out = ""
        var inEscape = false
        for ch in text {
            if inEscape { if ch == "m" { inEscape = false }; continue }
            if ch == "\u{1B}" { inEscape = true; continue }
            out.append(ch)
        }
        return out
    }

    /// A painted label cut to `width` columns (colours are dropped when it has to be cut).
    static func cutPainted(_ text: String, _ width: Int) -> String {
        let plain = plain(text)
        return Chart.displayWidth(plain) <= width ? text : Chart.cut(plain, width)
    }

    /// Pads painted text to `width` columns (escapes take no room).
    static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - Chart.displayWidth(plain(text))))
    }

    static func count(_ n: Int64) -> String { Renderer.grouped(Int(n)) }

    static func money(_ usd: Double) -> String {
        let text = usd >= 0.01 ? String(format: "%.4f", usd) : String(format: "%.6f", usd)
        var trimmed = text
        while trimmed.hasSuffix("0") && !trimmed.hasSuffix(".0") { trimmed.removeLast() }
        return "$" + trimmed
    }

    static func score(_ s: Double) -> String { JSONWriter.format((s * 10_000).rounded() / 10_000) }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
