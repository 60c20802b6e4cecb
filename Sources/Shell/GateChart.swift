import Analysis
import Foundation
import Ingest
import Notebook
import Store

/// The gate's signals as a forest plot: per signal, the change with its interval against the
/// thresholds, each row on its own scale (rates, milliseconds and dollars share no axis). The
/// same rows draw as text (in the terminal and inside the Markdown report) and as a small SVG
/// written beside a report file (`gate … to PATH`), with no dependency but string building.
struct GateChart {
    struct Row {
        var label: String
        var delta: Double
        var lower: Double?
        var upper: Double?
        /// The thresholds as changes in the statistic's unit: positive for increases, negative
        /// for decreases (a relative threshold times the baseline).
        var limits: [Double]
        /// The change as the report prints it: `+3.2 pt [+2.1, +4.4]`.
        var caption: String
        var status: Gate.SignalResult.Status
    }

    var rows: [Row]
    /// The intervals' confidence, for the legend.
    var confidence: Double

    init(_ gate: Gate) {
        confidence = gate.config.confidence
        rows = gate.signals.compactMap { s in
            guard let d = s.delta, d.delta.isFinite else { return nil }
            let rate = s.rule.statistic == .rate
            func show(_ x: Double) -> String { rate ? String(format: "%+.1f", x * 100) : Figures.number(x, signed: true) }
            var limits: [Double] = []
            if let a = s.rule.maxIncrease { limits.append(a) }
            if let r = s.rule.maxRelativeIncrease, d.baseline.isFinite { limits.append(abs(d.baseline) * r) }
            if let a = s.rule.maxDecrease { limits.append(-a) }
            if let r = s.rule.maxRelativeDecrease, d.baseline.isFinite { limits.append(-abs(d.baseline) * r) }
            var caption = show(d.delta) + (rate ? " pt" : "")
            if let i = d.interval { caption += " [\(show(i.lower)), \(show(i.upper))]" }
            return Row(label: "\(s.rule.signal.name) \(s.rule.statistic.rawValue)", delta: d.delta, lower: d.interval?.lower,
                       upper: d.interval?.upper, limits: limits, caption: caption, status: s.status)
        }
    }

    /// The row's axis: zero, the interval and every threshold, with a margin.
    static func domain(_ row: Row) -> (Double, Double) {
        let points = [0, row.delta] + [row.lower, row.upper].compactMap { $0 } + row.limits
        var low = points.min() ?? 0, high = points.max() ?? 0
        if high - low <= 0 { low -= 1; high += 1 }
        let pad = (high - low) * 0.08
        return (low - pad, high + pad)
    }

    /// A text line per signal: `┆` zero, `│` a threshold, `━` the interval, `●` the change.
    func text(width: Int = 32) -> String {
        guard !rows.isEmpty else { return "" }
        let labelWidth = rows.map(\.label.count).max() ?? 0
        var out = ""
        for row in rows {
            let (low, high) = Self.domain(row)
            func column(_ x: Double) -> Int { min(width - 1, max(0, Int(((x - low) / (high - low) * Double(width - 1)).rounded()))) }
            var track = Array(repeating: Character("·"), count: width)
            if let l = row.lower, let u = row.upper {
                for c in column(l)...column(u) { track[c] = "━" }
            }
            track[column(0)] = "┆"
            for limit in row.limits { track[column(limit)] = "│" }
            track[column(row.delta)] = "●"
            let mark = row.status == .fail ? "  FAIL" : row.status == .insufficient ? "  (insufficient)" : ""
            out += row.label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + "  " + String(track) + "  " + row.caption + mark + "\n"
        }
        out += "┆ no change  │ threshold  ━ interval  ● change (each row on its own scale)\n"
        return out
    }

    /// The plot as a standalone SVG document.
    func svg(title: String) -> String {
        let rowHeight = 30, top = 44, labelWidth = 190, plotWidth = 320, captionWidth = 230
        let width = labelWidth + plotWidth + captionWidth, height = top + rowHeight * rows.count + 34
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" "
        out += "font-family=\"-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif\" font-size=\"13\">\n"
        out += "<title>\(Self.escape(title))</title>\n"
        out += "<rect width=\"\(width)\" height=\"\(height)\" fill=\"#ffffff\"/>\n"
        out += "<text x=\"10\" y=\"24\" font-weight=\"bold\" font-size=\"15\">\(Self.escape(title))</text>\n"
        for (i, row) in rows.enumerated() {
            let y = top + i * rowHeight + rowHeight / 2
            let (low, high) = Self.domain(row)
            func x(_ v: Double) -> String { String(format: "%.1f", Double(labelWidth) + (v - low) / (high - low) * Double(plotWidth)) }
            let colour = row.status == .fail ? "#cf222e" : row.status == .insufficient ? "#9a6700" : "#1a7f37"
            out += "<g class=\"signal\" data-signal=\"\(Self.escape(row.label))\" data-delta=\"\(row.delta)\">\n"
            if i % 2 == 0 { out += "<rect x=\"0\" y=\"\(y - rowHeight / 2)\" width=\"\(width)\" height=\"\(rowHeight)\" fill=\"#f6f8fa\"/>\n" }
            out += "<text x=\"10\" y=\"\(y + 4)\">\(Self.escape(row.label))</text>\n"
            out += "<line x1=\"\(labelWidth)\" y1=\"\(y)\" x2=\"\(labelWidth + plotWidth)\" y2=\"\(y)\" stroke=\"#d0d7de\"/>\n"
            out += "<line x1=\"\(x(0))\" y1=\"\(y - 10)\" x2=\"\(x(0))\" y2=\"\(y + 10)\" stroke=\"#57606a\" stroke-dasharray=\"2,2\"/>\n"
            for limit in row.limits {
                out += "<line class=\"threshold\" x1=\"\(x(limit))\" y1=\"\(y - 12)\" x2=\"\(x(limit))\" y2=\"\(y + 12)\" stroke=\"#cf222e\" stroke-width=\"2\"/>\n"
            }
            if let l = row.lower, let u = row.upper {
                out += "<line class=\"interval\" x1=\"\(x(l))\" y1=\"\(y)\" x2=\"\(x(u))\" y2=\"\(y)\" stroke=\"\(colour)\" stroke-width=\"4\" stroke-linecap=\"round\"/>\n"
            }
            out += "<circle class=\"change\" cx=\"\(x(row.delta))\" cy=\"\(y)\" r=\"5\" fill=\"\(colour)\"/>\n"
            out += "<text x=\"\(labelWidth + plotWidth + 12)\" y=\"\(y + 4)\" fill=\"\(colour)\">\(Self.escape(row.caption + (row.status == .fail ? " FAIL" : "")))</text>\n"
            out += "</g>\n"
        }
        out += "<text x=\"10\" y=\"\(height - 12)\" fill=\"#57606a\" font-size=\"11\">dashed: no change; red bar: threshold; line: \(Int((confidence * 100).rounded()))% interval; dot: change. Each row on its own scale.</text>\n"
        out += "</svg>\n"
        return out
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// `gate … to PATH`: the Markdown report in PATH and its chart as an SVG beside it
/// (`gate.md` → `gate.svg`), both written atomically. On the screen, the verdict and where the
/// files are; the exit status is the gate's (1 on HOLD), so a CI step still fails on HOLD.
struct GateReportFiles: ResultDocument {
    var gate: Gate
    var path: String
    var svgPath: String

    static func write(_ gate: Gate, to path: String) throws -> GateReportFiles {
        let name = PathText.name(of: path)
        let stem = name.lowercased().hasSuffix(".md") ? String(name.dropLast(3)) : name
        let svgName = stem + ".svg"
        let folder = PathText.folder(of: path)
        let svgPath = folder.isEmpty ? svgName : PathText.join(folder, svgName)
        try CaseFiles.save(GateChart(gate).svg(title: "Release gate \(gate.verdict.rawValue): \(gate.candidate) against \(gate.baseline)"), to: svgPath)
        try CaseFiles.save(gate.markdown(image: svgName), to: path)
        return GateReportFiles(gate: gate, path: path, svgPath: svgPath)
    }

    var failedCheck: Bool { gate.failedCheck }

    func text(_ style: TextStyle) -> String {
        let colour = gate.verdict == .ship ? "32" : "31"
        return style.paint("gate: \(gate.verdict.rawValue)", "1;\(colour)") + "\nwrote the report to \(path) and its chart to \(svgPath)\n"
    }

    func markdown() -> String { "**\(gate.verdict.rawValue)**: the report is in \(path), its chart in \(svgPath).\n" }

    func json() -> JSON {
        guard case .object(var fields) = gate.json() else { return gate.json() }
        fields.append(("report", .object([("markdown", .string(path)), ("svg", .string(svgPath))])))
        return .object(fields)
    }
}
