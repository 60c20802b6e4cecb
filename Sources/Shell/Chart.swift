import Foundation
import Store

/// The chart a final `chart` stage asks for (`chart`, `chart bar`, `chart spark`).
public enum ChartKind: String, Sendable {
    /// `spark` when the x column holds time buckets and has more than 12 distinct values; otherwise `bar`.
    case auto
    /// One line per row, with a bar for its value.
    case bar
    /// One sparkline per series and value column, over the x buckets in order.
    case spark
}

/// Draws a query result as a terminal chart: the output of a query's final `chart` stage.
///
/// Charts are text, not graphics, so that they survive copy and paste, `.output` files and
/// transcripts, and stay comparable in golden tests.
///
/// **Columns.** A column is a *value* column when all its non-null values are integers or
/// reals (a column holding only nulls counts as one, and draws nothing); every other column
/// is a *label* column. The first label column is the x axis (buckets such as
/// `2026-11-20T00:00:00.000000Z`, or category names); further label columns split the rows
/// into *series* (for example one per `prompt_version`). With no label column the row number
/// is the x. Labels that are RFC 3339 times are shortened: midnight to `2026-11-20`, other
/// times to `2026-11-20 14:00` (seconds and fractions only when not zero); a null label
/// reads `(null)`. Long labels are cut with `…`: in `bar` so that the bars keep at least a
/// third of the width, in `spark` to a quarter of the width (at least 8 columns for names, 10
/// for the first and last x).
///
/// **`bar`.** One block per value column: a header line naming the label columns and the value
/// column, then one line per row, in row order: the labels, left-aligned and padded, a bar of
/// eighth blocks (`█▉▊▋▌▍▎▏`) and the value. Bars start at zero and are scaled to the largest
/// value of the column, so the largest fills the bar width; a positive value always gets at
/// least `▏`. Zero, negative, NaN and infinite values draw no bar but still print their
/// number; a null value leaves the bar and number blank. With several value columns the
/// blocks follow each other, separated by a blank line, and share the label layout.
///
/// **`spark`.** One line per value column and series: its name (the series' labels, or the
/// value column's name when there are no series), a sparkline of `▁▂▃▄▅▆▇█` over the x buckets,
/// `min … max` of its values, and the first and last x label. With series, each value column
/// gets a header line (`rate(refused) by prompt_version`) and one line per series. All lines
/// share one x axis: the union of the x values, in first-seen order, so a bucket a series lacks
/// is a space. Each line is scaled from its own minimum (`▁`) to its maximum (`█`); a flat line
/// is all `▄`. Rows repeating a series' x are averaged. When there are more buckets than
/// columns to spare, adjacent buckets are averaged, the same number in each character, to
/// fit; when even the x labels don't fit, they are left out.
///
/// **`auto`.** `spark` when every x value is an RFC 3339 time and there are more than 12
/// distinct x values; otherwise `bar`.
///
/// **Numbers.** Integers print as they are; reals with at most 4 decimals, or 4 significant
/// ones below 1 (`1234.5`, `0.25`, `0.0123`), trailing zeros dropped, and in exponent form
/// below 1e-6 or from 1e15 up; NaN and infinities print as `NaN`, `inf`, `-inf` and are left
/// out of scales and of `min … max`.
///
/// **Edges.** No rows: `(no rows)`. No value column: one line saying that a chart needs a
/// numeric column. Every line fits `width` display columns (wide characters count two); a
/// line that still would not is cut with `…`. Without `color` the output holds no escape
/// codes; with it, bars and sparklines take one ANSI colour per series (or per value column).
public enum Chart {
    static let defaultWidth = 80
    /// Wider terminals are charted as this wide; it bounds the work a caller's width can cause.
    static let maximumWidth = 2000
    /// `auto` draws sparklines only beyond this many time buckets; fewer read better as bars.
    static let sparkThreshold = 12

    /// Renders rows as a terminal chart. width: terminal columns (nil → 80). color: ANSI colours allowed.
    public static func render(_ rows: Rows, kind: ChartKind, width: Int?, color: Bool) -> String {
        let width = min(max(width ?? defaultWidth, 1), maximumWidth)
        let lines: [Line]
        if rows.rows.isEmpty {
            lines = [Line("(no rows)")]
        } else {
            let table = Table(rows)
            if table.values.isEmpty {
                let found = table.columns.isEmpty ? "the result has no columns"
                    : "found only " + table.columns.map { "`\($0)`" }.joined(separator: ", ")
                lines = [Line("chart needs a numeric column; \(found)")]
            } else {
                switch resolve(kind, table) {
                case .spark: lines = sparks(table, width: width)
                case .bar, .auto: lines = bars(table, width: width)
                }
            }
        }
        return lines.map { $0.rendered(width: width, color: color) + "\n" }.joined()
    }

    /// The kind `auto` stands for with this table; other kinds stand for themselves.
    static func resolve(_ kind: ChartKind, _ table: Table) -> ChartKind {
        guard kind == .auto else { return kind }
        guard let x = table.labels.first else { return .bar }
        var distinct = Set<String>()
        for row in table.cells {
            switch row[x] {
            case .null: continue
            case .text(let s) where shortTime(s) != nil: distinct.insert(s)
            default: return .bar
            }
        }
        return distinct.count > sparkThreshold ? .spark : .bar
    }

    // MARK: - bar

    static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    static func bars(_ t: Table, width: Int) -> [Line] {
        let heads = t.labels.isEmpty ? ["#"] : t.labels.map { t.columns[$0] }
        let labels: [[String]] = t.cells.indices.map { r in
            t.labels.isEmpty ? [String(r + 1)] : t.labels.map { label(t.cells[r][$0]) }
        }
        let tints = seriesTints(t)
        let texts: [[String]] = t.values.map { c in t.cells.map { number($0[c]) } }
        let valueWidths = texts.map { $0.map { displayWidth($0) }.max() ?? 0 }
        let gaps = 2 * (heads.count - 1)
        var widths = heads.indices.map { i in
            max(displayWidth(heads[i], limit: width), labels.map { displayWidth($0[i], limit: width) }.max() ?? 0)
        }
        shrink(&widths, to: width - (valueWidths.max() ?? 0) - 3 - max(10, width / 3) - gaps)
        let labelArea = widths.reduce(0, +) + gaps

        var lines: [Line] = []
        for (block, c) in t.values.enumerated() {
            if block > 0 { lines.append(Line()) }
            let barWidth = max(1, width - labelArea - 3 - valueWidths[block])
            let peak = t.cells.compactMap { finite($0[c]) }.max() ?? 0
            lines.append(Line(columns(heads, widths) + "  " + t.columns[c]))
            for (r, row) in t.cells.enumerated() {
                var line = Line(columns(labels[r], widths))
                if case .null = row[c] {
                    lines.append(line)
                    continue
                }
                let drawn = finite(row[c]).map { bar($0, peak: peak, width: barWidth) } ?? ""
                line.add("  ")
                line.add(drawn, tint: tints[r] ?? block)
                line.add(String(repeating: " ", count: max(0, barWidth - drawn.count)) + " ")
                line.add(padLeft(texts[block][r], valueWidths[block]))
                lines.append(line)
            }
        }
        return lines
    }

    /// A bar of `value / peak` of `width` characters, in eighths; empty unless both are positive.
    static func bar(_ value: Double, peak: Double, width: Int) -> String {
        guard value > 0, peak > 0 else { return "" }
        let fraction = min(value / peak, 1)
        guard fraction.isFinite else { return "" }
        let units = max(1, Int((fraction * Double(width * 8)).rounded()))
        return String(repeating: "█", count: units / 8) + eighths[units % 8]
    }

    /// Each row's colour: its series' index when there are series, else nil.
    static func seriesTints(_ t: Table) -> [Int?] {
        guard t.labels.count > 1 else { return t.cells.map { _ in nil } }
        var seen: [[String]: Int] = [:]
        return t.cells.map { row in
            let key = t.labels.dropFirst().map { identity(row[$0]) }
            if let index = seen[key] { return index }
            seen[key] = seen.count
            return seen.count - 1
        }
    }

    // MARK: - spark

    static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// One sparkline's data: per x bucket the running sum and count, and the extremes as stored.
    struct Track {
        var name: String
        var tint: Int
        var sums: [Double]
        var counts: [Int]
        var low: (Double, SQLValue)?
        var high: (Double, SQLValue)?

        init(name: String, tint: Int, buckets: Int) {
            self.name = name
            self.tint = tint
            sums = Array(repeating: 0, count: buckets)
            counts = Array(repeating: 0, count: buckets)
        }

        mutating func add(_ value: SQLValue, at x: Int) {
            guard let v = Chart.finite(value) else { return }
            sums[x] += v
            counts[x] += 1
            if low.map({ v < $0.0 }) ?? true { low = (v, value) }
            if high.map({ v > $0.0 }) ?? true { high = (v, value) }
        }

        var stats: String {
            guard let low, let high else { return "" }
            return "\(Chart.format(low.1)) … \(Chart.format(high.1))"
        }
    }

    static func sparks(_ t: Table, width: Int) -> [Line] {
        var xLabels: [String] = []
        var xIndex: [String: Int] = [:]
        var seriesNames: [String] = []
        var seriesIndex: [[String]: Int] = [:]
        var positions: [(x: Int, series: Int)] = []
        for (r, row) in t.cells.enumerated() {
            let (xKey, xLabel) = t.labels.first.map { (identity(row[$0]), label(row[$0])) } ?? ("\(r)", "row \(r + 1)")
            let x = xIndex[xKey] ?? xLabels.count
            if x == xLabels.count {
                xIndex[xKey] = x
                xLabels.append(xLabel)
            }
            let seriesKey = t.labels.dropFirst().map { identity(row[$0]) }
            let series = seriesIndex[seriesKey] ?? seriesNames.count
            if series == seriesNames.count {
                seriesIndex[seriesKey] = series
                seriesNames.append(t.labels.dropFirst().map { label(row[$0]) }.joined(separator: ", "))
            }
            positions.append((x, series))
        }
        let hasSeries = t.labels.count > 1

        // One block of tracks per value column.
        let blocks: [[Track]] = t.values.enumerated().map { block, c in
            var tracks = hasSeries
                ? seriesNames.enumerated().map { Track(name: $1, tint: $0, buckets: xLabels.count) }
                : [Track(name: t.columns[c], tint: block, buckets: xLabels.count)]
            for (r, row) in t.cells.enumerated() {
                tracks[positions[r].series].add(row[c], at: positions[r].x)
            }
            return tracks
        }

        let tracks = blocks.flatMap { $0 }
        let names = tracks.map(\.name)
        let nameWidth = min(names.map { displayWidth($0, limit: width) }.max() ?? 0, max(8, width / 4))
        let stats = tracks.map(\.stats)
        let statsWidth = stats.map { displayWidth($0) }.max() ?? 0
        let edge = max(10, width / 4)
        let first = cut(xLabels.first ?? "", edge), last = cut(xLabels.last ?? "", edge)
        var range = xLabels.count == 1 ? first : "\(first) … \(last)"
        var budget = width - nameWidth - 6 - statsWidth - displayWidth(range, limit: width)
        if budget < min(xLabels.count, 10) {
            range = ""
            budget = width - nameWidth - 4 - statsWidth
        }
        let perCharacter = max(1, (xLabels.count + max(budget, 1) - 1) / max(budget, 1))

        var lines: [Line] = []
        var index = 0
        for (block, c) in t.values.enumerated() {
            if hasSeries {
                if block > 0 { lines.append(Line()) }
                let by = t.labels.dropFirst().map { t.columns[$0] }.joined(separator: ", ")
                lines.append(Line("\(t.columns[c]) by \(by)"))
            }
            for track in blocks[block] {
                var line = Line(padRight(cut(track.name, nameWidth), nameWidth) + "  ")
                line.add(sparkline(track, perCharacter: perCharacter), tint: track.tint)
                line.add("  " + padRight(stats[index], statsWidth))
                if !range.isEmpty { line.add("  " + range) }
                lines.append(line)
                index += 1
            }
        }
        return lines
    }

    /// The track's sparkline, `perCharacter` adjacent buckets averaged into each character.
    static func sparkline(_ track: Track, perCharacter: Int) -> String {
        let averages: [Double?] = stride(from: 0, to: track.sums.count, by: perCharacter).map { start in
            let end = min(start + perCharacter, track.sums.count)
            let count = track.counts[start..<end].reduce(0, +)
            guard count > 0 else { return nil }
            // Averaging means keeps each bucket's weight equal, whatever its row count.
            let means = (start..<end).compactMap { track.counts[$0] > 0 ? track.sums[$0] / Double(track.counts[$0]) : nil }
            return means.reduce(0, +) / Double(means.count)
        }
        let present = averages.compactMap { $0 }.filter(\.isFinite)
        let low = present.min() ?? 0, high = present.max() ?? 0
        return String(averages.map { value -> Character in
            guard let value else { return " " }
            guard high > low else { return "▄" }
            let position = (value - low) / (high - low) * Double(levels.count - 1)
            guard position.isFinite else { return value > low ? "█" : "▁" }
            return levels[min(max(Int(position.rounded()), 0), levels.count - 1)]
        })
    }

    // MARK: - values and labels

    static func isNumber(_ value: SQLValue) -> Bool {
        switch value {
        case .integer, .real: return true
        default: return false
        }
    }

    /// The value as a finite double, nil for nulls, text, NaN and infinities.
    static func finite(_ value: SQLValue) -> Double? {
        switch value {
        case .integer(let i): return Double(i)
        case .real(let d) where d.isFinite: return d
        default: return nil
        }
    }

    /// A value cell's text: the number, compactly; blank for null.
    static func number(_ value: SQLValue) -> String {
        if case .null = value { return "" }
        return format(value)
    }

    /// Integers as they are; reals with at most 4 decimals (4 significant ones below 1).
    static func format(_ value: SQLValue) -> String {
        switch value {
        case .integer(let i): return String(i)
        case .real(let d): return format(d)
        default: return label(value)
        }
    }

    static func format(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        if d == 0 { return "0" }
        let magnitude = abs(d)
        if magnitude >= 1e15 || magnitude < 1e-6 { return String(format: "%.4g", d) }
        let zeros = magnitude < 1 ? Int((-log10(magnitude)).rounded(.down)) : 0
        var text = String(format: "%.\(4 + zeros)f", d)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// What tells label values apart (raw, so shortening never merges two buckets).
    static func identity(_ value: SQLValue) -> String {
        switch value {
        case .null: return "n"
        case .integer(let i): return "i\(i)"
        case .real(let d): return "r\(d)"
        case .text(let s): return "t" + s
        case .blob(let b): return "b" + b.map(String.init).joined(separator: ",")
        }
    }

    /// A label as shown: times shortened, control characters removed.
    static func label(_ value: SQLValue) -> String {
        switch value {
        case .null: return "(null)"
        case .integer(let i): return String(i)
        case .real(let d): return format(d)
        case .text(let s): return shortTime(s) ?? clean(s)
        case .blob(let b): return "<\(b.count) bytes>"
        }
    }

    /// Text safe for one terminal line: newlines as `⏎`, tabs as spaces, other control
    /// characters (escape codes from stored data included) dropped.
    static func clean(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out.append("⏎")
            case "\t", "\r": out.append(" ")
            default: if scalar.properties.generalCategory != .control { out.append(scalar) }
            }
        }
        return String(out)
    }

    /// `2026-11-20` for an RFC 3339 time at midnight, `2026-11-20 14:00` (plus seconds, a
    /// fraction and a non-UTC offset when present) for others; nil when the text is not one.
    /// A bare date, a space for `T` and a missing offset are accepted too.
    static func shortTime(_ text: String) -> String? {
        let b = Array(text.utf8)
        func digits(_ start: Int, _ count: Int) -> Bool {
            start + count <= b.count && b[start..<start + count].allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        }
        func slice(_ start: Int, _ end: Int) -> String { String(decoding: b[start..<end], as: UTF8.self) }
        guard digits(0, 4), b.count >= 10, b[4] == 0x2D, digits(5, 2), b[7] == 0x2D, digits(8, 2) else { return nil }
        let date = slice(0, 10)
        if b.count == 10 { return date }
        guard b.count >= 16, [0x54, 0x74, 0x20].contains(b[10]), digits(11, 2), b[13] == 0x3A, digits(14, 2) else { return nil }
        var i = 16
        var seconds = "00", fraction = ""
        if i < b.count, b[i] == 0x3A {
            guard digits(i + 1, 2) else { return nil }
            seconds = slice(i + 1, i + 3)
            i += 3
            if i < b.count, b[i] == 0x2E {
                var j = i + 1
                while digits(j, 1) { j += 1 }
                guard j > i + 1 else { return nil }
                fraction = slice(i + 1, j)
                i = j
            }
        }
        var offset = ""
        if i < b.count {
            if b[i] == 0x5A || b[i] == 0x7A {
                i += 1
            } else if b[i] == 0x2B || b[i] == 0x2D, digits(i + 1, 2), i + 3 < b.count, b[i + 3] == 0x3A, digits(i + 4, 2) {
                offset = slice(i, i + 6)
                i += 6
                if offset.dropFirst() == "00:00" { offset = "" }
            } else {
                return nil
            }
        }
        guard i == b.count else { return nil }
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let clock = slice(11, 16)
        var short = date
        if clock != "00:00" || seconds != "00" || !fraction.isEmpty {
            short += " " + clock
            if seconds != "00" || !fraction.isEmpty { short += ":" + seconds }
            if !fraction.isEmpty { short += "." + fraction }
        }
        return offset.isEmpty ? short : short + " " + offset
    }

    // MARK: - layout

    /// Terminal columns the text takes: two for wide (East Asian, emoji) characters, one for
    /// others. Stops counting past `limit`.
    static func displayWidth(_ text: String, limit: Int = .max) -> Int {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.utf8.count }
        var total = 0
        for character in text {
            total += columns(character)
            if total > limit { return total }
        }
        return total
    }

    static func columns(_ character: Character) -> Int {
        for scalar in character.unicodeScalars {
            let v = scalar.value
            // Fast path for what charts are mostly made of: ASCII, punctuation, `…`, `⏎`, blocks.
            if v < 0x1100 || (0x2000...0x2319).contains(v) || (0x2500...0x25FC).contains(v) { continue }
            if scalar.properties.isEmojiPresentation || v == 0xFE0F { return 2 }
            if (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
                || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
                || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
                || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v) {
                return 2
            }
        }
        return 1
    }

    /// The text cut to `width` columns, ending in `…` when something was cut.
    static func cut(_ text: String, _ width: Int) -> String {
        guard displayWidth(text, limit: width) > width else { return text }
        guard width > 0 else { return "" }
        var out = "", used = 0
        for character in text {
            let w = columns(character)
            if used + w > width - 1 { break }
            out.append(character)
            used += w
        }
        return out + "…"
    }

    static func padRight(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - displayWidth(text)))
    }

    static func padLeft(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - displayWidth(text))) + text
    }

    /// Cells cut and padded to their column widths, two spaces apart.
    static func columns(_ cells: [String], _ widths: [Int]) -> String {
        zip(cells, widths).map { padRight(cut($0, $1), $1) }.joined(separator: "  ")
    }

    /// Narrows the widest columns, one column at a time, until they add up to `budget` (each
    /// keeps at least one).
    static func shrink(_ widths: inout [Int], to budget: Int) {
        while widths.reduce(0, +) > budget, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > 1 {
            widths[widest] -= 1
        }
    }
}

extension Chart {
    /// A result split into label and value columns, every row as wide as the header.
    struct Table {
        var columns: [String]
        var cells: [[SQLValue]]
        var labels: [Int] = []
        var values: [Int] = []

        init(_ rows: Rows) {
            columns = rows.columns.map(Chart.clean)
            let count = columns.count
            cells = rows.rows.map { row in (0..<count).map { $0 < row.count ? row[$0] : .null } }
            for c in 0..<count {
                let numeric = cells.allSatisfy { row in
                    if case .null = row[c] { return true }
                    return Chart.isNumber(row[c])
                }
                if numeric { values.append(c) } else { labels.append(c) }
            }
        }
    }

    /// One output line as coloured parts, so it can be cut to the width without cutting an escape code.
    struct Line {
        static let palette = [36, 33, 35, 32, 34, 31]
        var parts: [(text: String, tint: Int?)] = []

        init(_ text: String = "") {
            if !text.isEmpty { parts.append((text, nil)) }
        }

        mutating func add(_ text: String, tint: Int? = nil) {
            parts.append((text, tint))
        }

        /// The line without trailing spaces, cut with `…` to `width`; escape codes only with `color`.
        func rendered(width: Int, color: Bool) -> String {
            var parts = self.parts
            while var last = parts.popLast() {
                while last.text.last == " " { last.text.removeLast() }
                if !last.text.isEmpty {
                    parts.append(last)
                    break
                }
            }
            let total = parts.reduce(0) { $0 + Chart.displayWidth($1.text, limit: width) }
            if total <= width {
                return parts.map { color && $0.tint != nil ? Self.paint($0.text, $0.tint ?? 0) : $0.text }.joined()
            }
            var budget = width - 1
            var out = ""
            for part in parts where budget > 0 {
                var text = ""
                for character in part.text {
                    let w = Chart.columns(character)
                    if w > budget { budget = 0; break }
                    text.append(character)
                    budget -= w
                }
                out += color && part.tint != nil ? Self.paint(text, part.tint ?? 0) : text
            }
            return out + "…"
        }

        static func paint(_ text: String, _ tint: Int) -> String {
            text.isEmpty ? text : "\u{1B}[\(palette[tint % palette.count])m" + text + "\u{1B}[0m"
        }
    }
}
