import Store

/// A small table inside a report (`diff`, `replay`): formatted cells, with the columns that
/// hold numbers right-aligned. Drawn by the renderer's table and Markdown modes, so reports
/// look like query results.
struct ReportTable {
    var columns: [String]
    var rows: [[String]] = []
    /// Indexes of the columns to right-align.
    var numeric: Set<Int> = []

    init(_ columns: [String], numeric: Set<Int> = []) {
        self.columns = columns
        self.numeric = numeric
    }

    mutating func add(_ cells: [String]) { rows.append(cells) }

    func text(_ style: TextStyle) -> String {
        renderer(.table, style).render(Rows(columns: columns, rows: rows.map { $0.map(SQLValue.text) }))
    }

    func markdown() -> String {
        renderer(.markdown, TextStyle()).render(Rows(columns: columns, rows: rows.map { $0.map(SQLValue.text) }))
    }

    private func renderer(_ format: OutputFormat, _ style: TextStyle) -> Renderer {
        var r = Renderer(format: format, width: style.width, color: style.color)
        r.rightAligned = numeric
        r.rowCount = false
        return r
    }
}

/// Number formats shared by reports.
enum Figures {
    /// 12,345
    static func count(_ n: Int) -> String { Renderer.grouped(n) }

    /// 12.3% (one decimal; two below 1%).
    static func percent(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "–" }
        let p = x * 100
        return String(format: abs(p) < 1 && p != 0 ? "%.2f%%" : "%.1f%%", p)
    }

    /// +1.2 pt (a difference of two rates, in percentage points).
    static func points(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "–" }
        return String(format: "%+.1f pt", x * 100)
    }

    /// A measurement with four significant digits (1234, 12.35, 0.001235).
    static func number(_ x: Double?, signed: Bool = false) -> String {
        guard let x, x.isFinite else { return "–" }
        let magnitude = abs(x)
        var text: String
        if magnitude >= 1000 || magnitude == 0 { text = String(format: "%.0f", x) }
        else if magnitude >= 1 { text = String(format: "%.4g", x) }
        else { text = String(format: "%.3g", x) }
        if text.hasSuffix(".0") { text.removeLast(2) }
        return signed && x > 0 ? "+" + text : text
    }

    /// A p-value: 0.032, 4.1e-07, <1e-16.
    static func pValue(_ p: Double?) -> String {
        guard let p, p.isFinite else { return "–" }
        if p < 1e-16 { return "<1e-16" }
        if p < 0.001 { return String(format: "%.1e", p) }
        return String(format: "%.3f", p)
    }
}
