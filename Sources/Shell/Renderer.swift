import Foundation
import Ingest
import Query
import Store

/// Turns command results into text in each output mode.
public struct Renderer {
    public var format: OutputFormat
    /// Terminal width for `table` (long text is cut with an ellipsis); nil: no limit.
    public var width: Int?
    /// ANSI colours allowed (a terminal, and no `--no-color`).
    public var color: Bool
    /// Column names in `table` and `csv` (`.headers`).
    public var headers = true
    /// `table` mode shows each row as a block of `name │ value` lines (`.x`).
    public var expanded = false
    /// At most this many rows in the display modes, with a footer saying so; nil: all.
    public var limit: Int?
    /// Columns to right-align whatever their values (a report's formatted numbers); nil:
    /// numbers right, text left.
    var rightAligned: Set<Int>?
    /// The `(N rows)` line under a table (off inside reports).
    var rowCount = true

    public init(format: OutputFormat, width: Int? = nil, color: Bool = false) {
        self.format = format
        self.width = width
        self.color = color
    }

    /// A renderer for the shell's current settings.
    public init(settings: OutputSettings, width: Int? = nil, color: Bool = false) {
        self.init(format: settings.format, width: width, color: color)
        headers = settings.headers
        expanded = settings.expanded
        limit = settings.limit
    }

    public func render(_ result: CommandResult, command: String) -> String {
        switch result {
        case .none: return ""
        case .message(let text):
            switch format {
            case .json, .jsonl:
                return JSON.object([("command", .string(command)), ("message", .string(text))]).serialized + "\n"
            default:
                return text + "\n"
            }
        case .table(let rows):
            return render(rows)
        case .query(let result):
            if let style = result.chart, format == .table {
                return Chart.render(result.rows, kind: style.flatMap(ChartKind.init(rawValue:)) ?? .auto, width: width, color: color)
            }
            return render(result.rows)
        case .document(let document):
            switch format {
            case .json, .jsonl: return document.json().serialized + "\n"
            case .markdown: return document.markdown()
            default: return document.text(TextStyle(color: color, width: width))
            }
        case .loads(let reports):
            switch format {
            case .json, .jsonl:
                let loads = reports.map(Self.json)
                return JSON.object([("command", .string("load")), ("loads", .array(loads))]).serialized + "\n"
            default:
                return reports.map(Self.sentence).joined(separator: "\n") + "\n"
            }
        }
    }

    static func json(_ report: LoadReport) -> JSON {
        var members: [(String, JSON)] = [("path", .string(report.path)), ("format", .string(report.format.rawValue))]
        switch report.outcome {
        case .alreadyLoaded(let id):
            members += [("status", .string("already_loaded")), ("load_id", .integer(id))]
        case .loaded(let s):
            members += [("status", .string(s.rejected > 0 ? "partial" : "complete")), ("load_id", .integer(s.loadId)),
                        ("lines", .integer(s.lines)), ("spans", .integer(s.spans)), ("traces", .integer(s.traces)),
                        ("log_records", .integer(s.logRecords)), ("rejected", .integer(s.rejected)),
                        ("duplicates", .integer(s.duplicates)), ("duration_ms", .integer(Int64(s.durationMs.rounded())))]
        }
        return .object(members)
    }

    static func sentence(_ report: LoadReport) -> String {
        switch report.outcome {
        case .alreadyLoaded(let id):
            return "\(report.path): already loaded (load \(id)); nothing added"
        case .loaded(let s):
            var parts: [String] = []
            if s.spans > 0 || s.logRecords == 0 { parts.append("\(s.spans) spans, \(s.traces) traces") }
            if s.logRecords > 0 { parts.append("\(s.logRecords) log records") }
            if s.duplicates > 0 { parts.append("\(s.duplicates) already stored") }
            if s.rejected > 0 { parts.append("\(s.rejected) lines rejected (see `rejects`)") }
            return "\(report.path): loaded \(parts.joined(separator: ", ")) as \(report.format.rawValue) in \(Self.duration(s.durationMs)) (load \(s.loadId))"
        }
    }

    static func duration(_ ms: Double) -> String {
        ms < 1000 ? "\(Int(ms.rounded())) ms" : String(format: "%.1f s", ms / 1000)
    }

    // MARK: - rows

    public func render(_ rows: Rows) -> String {
        switch format {
        case .table: return expanded ? expandedTable(rows) : table(rows)
        case .csv: return csv(rows)
        case .json: return JSON.array(rows.rows.map { object(rows.columns, $0) }).serialized + "\n"
        case .jsonl: return rows.rows.map { object(rows.columns, $0).serialized + "\n" }.joined()
        case .markdown: return markdown(rows)
        case .line: return lines(rows)
        }
    }

    /// The rows a display mode shows under `limit`, and the footer that says what was left out.
    func shown(_ rows: Rows) -> (rows: ArraySlice<[SQLValue]>, footer: String?) {
        guard format.isDisplay, let limit, limit > 0, rows.rows.count > limit else { return (rows.rows[...], nil) }
        return (rows.rows.prefix(limit),
                "(showing \(Self.grouped(limit)) of \(Self.grouped(rows.rows.count)) rows; .limit 0 shows all)\n")
    }

    /// 1234567 → "1,234,567".
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    func bold(_ text: String) -> String {
        color ? "\u{1B}[1m" + text + "\u{1B}[0m" : text
    }

    func object(_ columns: [String], _ row: [SQLValue]) -> JSON {
        .object(zip(columns, row).map { ($0, Self.json($1)) })
    }

    static func json(_ value: SQLValue) -> JSON {
        switch value {
        case .null: return .null
        case .integer(let i): return .integer(i)
        case .real(let d): return .double(d)
        case .text(let s): return .string(s)
        case .blob(let b): return .string(Data(b).base64EncodedString())
        }
    }

    static func text(_ value: SQLValue) -> String {
        switch value {
        case .null: return ""
        case .integer(let i): return String(i)
        case .real(let d): return JSONWriter.format(d)
        case .text(let s): return s
        case .blob(let b): return "<\(b.count) bytes>"
        }
    }

    /// A value for people to read (`table`, `markdown`): reals to 6 significant digits
    /// (`3071.09`, `0.0231711`), or one decimal from a million up. `csv` and `json` keep every digit.
    static func display(_ value: SQLValue) -> String {
        guard case .real(let d) = value, d.isFinite else { return text(value) }
        if abs(d) >= 1e6 && abs(d) < 1e15 { return String(format: "%.1f", d) }
        var s = String(format: "%.6g", d)
        if s.contains("e") { return s }
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }

    static func isNumeric(_ value: SQLValue) -> Bool {
        switch value {
        case .integer, .real: return true
        default: return false
        }
    }

    func table(_ rows: Rows) -> String {
        let n = rows.columns.count
        guard n > 0 else { return "" }
        let (shownRows, footer) = shown(rows)
        let cells = shownRows.map { row in row.map { Self.display($0).replacingOccurrences(of: "\n", with: "⏎") } }
        var widths = headers ? rows.columns.map(\.count) : Array(repeating: 0, count: n)
        for row in cells { for (i, cell) in row.enumerated() where i < n { widths[i] = max(widths[i], cell.count) } }
        if let width {
            // Shrink the widest columns until the table fits the terminal.
            let budget = max(width - 3 * (n - 1), n * 4)
            while widths.reduce(0, +) > budget, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > 4 {
                widths[widest] -= 1
            }
        }
        func fit(_ s: String, _ w: Int) -> String { s.count <= w ? s : String(s.prefix(max(0, w - 1))) + "…" }
        func line(_ values: [String], numeric: [Bool]) -> String {
            values.enumerated().map { i, v in
                let cut = fit(v, widths[i])
                let pad = String(repeating: " ", count: widths[i] - cut.count)
                return numeric[i] ? pad + cut : cut + pad
            }.joined(separator: " │ ").trimmedTrailing()
        }
        var out = ""
        if headers {
            out += bold(line(rows.columns, numeric: Array(repeating: false, count: n))) + "\n"
            out += widths.map { String(repeating: "─", count: $0) }.joined(separator: "─┼─") + "\n"
        }
        for (row, values) in zip(cells, shownRows) {
            let numeric = rightAligned.map { set in values.indices.map { set.contains($0) } } ?? values.map(Self.isNumeric)
            out += line(row, numeric: numeric) + "\n"
        }
        if let footer {
            out += footer
        } else if headers && rowCount {
            // Without headers only the values are left, as psql's tuples-only output.
            out += "(\(rows.rows.count) row\(rows.rows.count == 1 ? "" : "s"))\n"
        }
        return out
    }

    /// psql's expanded display: a `─[ RECORD n ]─` rule, then one `name │ value` line a
    /// column. Values are never cut; a value over several lines continues under itself.
    func expandedTable(_ rows: Rows) -> String {
        guard !rows.columns.isEmpty else { return "" }
        let (shownRows, footer) = shown(rows)
        guard !shownRows.isEmpty else { return "(0 rows)\n" }
        let nameWidth = rows.columns.map(\.count).max() ?? 0
        let records = shownRows.map { row in row.map { Self.display($0).split(separator: "\n", omittingEmptySubsequences: false) } }
        let valueWidth = records.flatMap { $0.flatMap { $0.map(\.count) } }.max() ?? 0
        let ruleWidth = min(nameWidth + 3 + valueWidth, width ?? 80)
        var out = ""
        for (r, record) in records.enumerated() {
            let label = "─[ RECORD \(r + 1) ]"
            out += bold(label + String(repeating: "─", count: max(0, ruleWidth - label.count))) + "\n"
            for (name, value) in zip(rows.columns, record) {
                for (i, part) in value.enumerated() {
                    let shownName = i == 0 ? name : ""
                    let text = shownName.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + " │ " + part
                    out += text.trimmedTrailing() + "\n"
                }
            }
        }
        return out + (footer ?? "")
    }

    /// sqlite3's `line` mode: `name = value` a line, names right-aligned to the widest, a blank
    /// line between rows. A value over several lines continues under itself.
    func lines(_ rows: Rows) -> String {
        let (shownRows, footer) = shown(rows)
        let nameWidth = rows.columns.map(\.count).max() ?? 0
        let indent = String(repeating: " ", count: nameWidth + 3)
        let blocks = shownRows.map { row in
            zip(rows.columns, row).map { name, value in
                String(repeating: " ", count: nameWidth - name.count) + name + " = "
                    + Self.display(value).replacingOccurrences(of: "\n", with: "\n" + indent) + "\n"
            }.joined()
        }
        return blocks.joined(separator: "\n") + (footer.map { (blocks.isEmpty ? "" : "\n") + $0 } ?? "")
    }

    func csv(_ rows: Rows) -> String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var out = headers ? rows.columns.map(field).joined(separator: ",") + "\r\n" : ""
        for row in rows.rows { out += row.map { field(Self.text($0)) }.joined(separator: ",") + "\r\n" }
        return out
    }

    /// Always with its header row: without one it would not be a Markdown table.
    func markdown(_ rows: Rows) -> String {
        let (shownRows, footer) = shown(rows)
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: "<br>") }
        var out = "| " + rows.columns.map(cell).joined(separator: " | ") + " |\n"
        out += "| " + rows.columns.indices.map { i in
            (rightAligned?.contains(i) ?? (rows.rows.first.map { Self.isNumeric($0[i]) } == true)) ? "---:" : "---"
        }.joined(separator: " | ") + " |\n"
        for row in shownRows { out += "| " + row.map { cell(Self.display($0)) }.joined(separator: " | ") + " |\n" }
        // A blank line first, or Markdown would read the footer as one more row.
        return out + (footer.map { "\n" + $0 } ?? "")
    }
}
