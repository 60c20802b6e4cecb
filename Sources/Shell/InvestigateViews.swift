import Analysis
import Foundation
import Ingest
import Investigate
import Store

// How `explain` reads on a terminal, in Markdown and in JSON (docs/statistics.md, docs/investigate.md).

extension Explanation: ResultDocument {
    public func text(_ style: TextStyle) -> String { render(style, markdown: false) }
    public func markdown() -> String { render(TextStyle(), markdown: true) }

    private func value(_ x: Double?) -> String {
        signal.kind == .boolean ? Figures.percent(x) : Figures.number(x)
    }

    private func render(_ style: TextStyle, markdown: Bool) -> String {
        func table(_ t: ReportTable) -> String { markdown ? t.markdown() : t.text(style) }
        func heading(_ s: String) -> String { markdown ? "### \(s)\n\n" : style.paint(s, "1") + "\n" }
        let what = signal.kind == .boolean ? "rate" : "mean"
        var out = markdown ? "## explain \(signal.name)\n\n" : style.paint("explain \(signal.name)", "1") + "\n"
        out += "baseline: \(baseline)  (\(Figures.count(baselineCount)) traces, \(what) \(value(baselineValue)))\n"
        out += "current:  \(current)  (\(Figures.count(currentCount)) traces, \(what) \(value(currentValue)))\n\n"

        out += causeTables(style, markdown: markdown, heading: heading, table: table)
        for cause in causes.prefix(3) {
            guard let dimension = adtributor.dimensions.first(where: { $0.name == cause.dimension }) else { continue }
            out += "\n" + heading("\(dimension.name): \(what) by value (baseline → current)")
            var rows = ReportTable(["value", "baseline traces", "current traces", "baseline \(what)", "current \(what)", "explanatory power", "surprise"],
                                   numeric: [1, 2, 3, 4, 5, 6])
            let shown = Array(dimension.elements.prefix(8))
            for element in shown {
                rows.add([element.name + (cause.values.contains(element.name) ? " *" : ""), Figures.count(Int(element.forecastCount)),
                          Figures.count(Int(element.actualCount)), value(element.forecastValue), value(element.actualValue),
                          Figures.percent(element.explanatoryPower), String(format: "%.4f", element.surprise)])
            }
            out += table(rows)
            out += SideBySide.render(shown.map { ($0.name, $0.forecastCount / max(dimension.forecastCount, 1), $0.actualCount / max(dimension.actualCount, 1)) },
                                   title: "share of traces", markdown: markdown, width: style.width)
        }
        // BubbleUp: the dimensions whose mix moved most.
        out += "\n" + heading("Mix: share of traces per value, baseline → current (largest moves first)")
        var mixTable = ReportTable(["dimension", "value", "baseline share", "current share", "change", "baseline \(what)", "current \(what)"],
                                   numeric: [2, 3, 4, 5, 6])
        for dimension in mix.prefix(5) {
            for element in dimension.elements.prefix(3) {
                mixTable.add([dimension.dimension, element.name, Figures.percent(element.baselineShare), Figures.percent(element.currentShare),
                              Figures.points(element.shareDifference), value(element.baselineValue), value(element.currentValue)])
            }
        }
        out += table(mixTable)
        if !slices.isEmpty {
            let significant = slices.filter { ($0.qValue ?? 1) < 0.05 }.sorted { ($0.qValue ?? 1) < ($1.qValue ?? 1) }
            out += "\n" + heading("Values whose rate changed on their own (two-proportion z-test, Benjamini–Hochberg q < 0.05)")
            if significant.isEmpty {
                out += "none\n"
            } else {
                var tests = ReportTable(["dimension", "value", "baseline rate", "current rate", "z", "q"], numeric: [2, 3, 4, 5])
                for test in significant.prefix(10) {
                    tests.add([test.dimension, test.element, Figures.percent(test.baselineRate), Figures.percent(test.currentRate),
                               test.z.map { String(format: "%.2f", $0) } ?? "–", Figures.pValue(test.qValue)])
                }
                out += table(tests)
            }
        }
        return out
    }

    /// The causes in two tables: what changed (version dimensions), and where it shows.
    private func causeTables(_ style: TextStyle, markdown: Bool, heading: (String) -> String, table: (ReportTable) -> String) -> String {
        var out = heading("Likely causes: what changed (version dimensions whose traffic moved)")
        let changes = causes.filter { $0.role == .change }, facets = causes.filter { $0.role == .facet }
        func add(_ list: [Cause], to t: inout ReportTable) {
            for (i, cause) in list.enumerated() {
                let under = cause.evidence.values == cause.values ? "" : " (under \(cause.evidence.values.joined(separator: ", ")))"
                t.add(["\(i + 1)", cause.dimension, cause.values.joined(separator: ", "), Figures.percent(cause.explanatoryPower),
                       String(format: "%.4f", cause.surprise),
                       "\(Figures.percent(cause.baselineShare)) → \(Figures.percent(cause.currentShare))",
                       cause.aliases.map(\.dimension).joined(separator: ", "),
                       cause.evidence.traceIds.map { String($0.prefix(12)) }.joined(separator: " ") + under])
            }
        }
        let columns = ["explanatory power", "surprise", "traffic share", "same split as", "evidence"]
        if changes.isEmpty {
            out += "No version dimension explains the change (explanatory power ≥ \(adtributor.setThreshold), each value ≥ \(adtributor.elementThreshold)).\n"
        } else {
            var t = ReportTable(["#", "dimension", "values"] + columns, numeric: [0, 3, 4, 5])
            add(changes, to: &t)
            out += table(t)
        }
        if !facets.isEmpty {
            out += "\n" + heading("Where it shows (other dimensions)")
            var t = ReportTable(["#", "dimension", "values"] + columns, numeric: [0, 3, 4, 5])
            add(facets, to: &t)
            out += table(t)
        }
        return out
    }

    public func json() -> JSON {
        func number(_ x: Double?) -> JSON { x.map { $0.isFinite ? JSON.double($0) : .null } ?? .null }
        return .object([
            ("command", .string("explain")), ("signal", .string(signal.name)),
            ("baseline", .object([("where", .string(baseline)), ("traces", .integer(Int64(baselineCount))), ("value", number(baselineValue))])),
            ("current", .object([("where", .string(current)), ("traces", .integer(Int64(currentCount))), ("value", number(currentValue))])),
            ("measure", .string(adtributor.measure.rawValue)),
            ("thresholds", .object([("element", .double(adtributor.elementThreshold)), ("set", .double(adtributor.setThreshold))])),
            ("root_causes", .array(causes.map { cause in
                .object([("dimension", .string(cause.dimension)), ("values", .array(cause.values.map(JSON.string))),
                         ("role", .string(cause.role.rawValue)),
                         ("explanatory_power", number(cause.explanatoryPower)), ("surprise", number(cause.surprise)),
                         ("baseline_share", number(cause.baselineShare)), ("current_share", number(cause.currentShare)),
                         ("spans_slices", .bool(cause.spansSlices)),
                         ("aliases", .array(cause.aliases.map { .object([("dimension", .string($0.dimension)), ("values", .array($0.values.map(JSON.string)))]) })),
                         ("evidence", .object([("values", .array(cause.evidence.values.map(JSON.string))),
                                               ("trace_ids", .array(cause.evidence.traceIds.map(JSON.string)))]))])
            })),
            ("adtributor_ranking", .array(adtributor.rootCauses.map { cause in
                .object([("dimension", .string(cause.dimension)), ("values", .array(cause.elements.map(JSON.string))),
                         ("explanatory_power", number(cause.explanatoryPower)), ("surprise", number(cause.surprise))])
            })),
            ("dimensions", .array(adtributor.dimensions.map { d in
                .object([("dimension", .string(d.name)), ("surprise", number(d.totalSurprise)),
                         ("values", .array(d.elements.map { e in
                             .object([("value", .string(e.name)), ("baseline_traces", number(e.forecastCount)),
                                      ("current_traces", number(e.actualCount)), ("baseline", number(e.forecastValue)),
                                      ("current", number(e.actualValue)), ("explanatory_power", number(e.explanatoryPower)),
                                      ("surprise", number(e.surprise))])
                         }))])
            })),
            ("mix", .array(mix.map { m in
                .object([("dimension", .string(m.dimension)), ("values", .array(m.elements.map { e in
                    .object([("value", .string(e.name)), ("baseline_share", number(e.baselineShare)), ("current_share", number(e.currentShare)),
                             ("share_change", number(e.shareDifference)), ("baseline", number(e.baselineValue)), ("current", number(e.currentValue))])
                }))])
            })),
            ("slices", .array(slices.map { t in
                .object([("dimension", .string(t.dimension)), ("value", .string(t.element)), ("baseline_rate", number(t.baselineRate)),
                         ("current_rate", number(t.currentRate)), ("z", number(t.z)), ("p", number(t.pValue)), ("q", number(t.qValue))])
            })),
            ("elapsed_ms", .double(elapsedMs)),
        ])
    }
}

extension ChangeReport: ResultDocument {
    public func text(_ style: TextStyle) -> String { render(style, markdown: false) }
    public func markdown() -> String { render(TextStyle(), markdown: true) }

    private func value(_ x: Double?) -> String {
        signal.kind == .boolean ? Figures.percent(x) : Figures.number(x)
    }

    /// The bucket as it would be typed: `6h`, `30m`, `1d`.
    private var bucket: String {
        for (unit, size) in [("w", Int64(604_800_000_000_000)), ("d", 86_400_000_000_000), ("h", 3_600_000_000_000),
                             ("m", 60_000_000_000), ("s", 1_000_000_000), ("ms", 1_000_000)] where bucketNs % size == 0 {
            return "\(bucketNs / size)\(unit)"
        }
        return "\(bucketNs)ns"
    }

    private func render(_ style: TextStyle, markdown: Bool) -> String {
        let what = signal.kind == .boolean ? "rate" : "mean"
        var out = markdown ? "## changes \(signal.name)\n\n" : style.paint("changes \(signal.name)", "1") + "\n"
        out += "\(what) per \(bucket) bucket" + (condition.map { " where \($0)" } ?? "") + (dimension.map { ", by \($0)" } ?? "") + "\n"
        if series.isEmpty { return out + "No traces.\n" }
        let width = max(20, min((style.width ?? 100) - 4, 120))
        for s in series {
            out += "\n"
            if let dimension { out += (markdown ? "### " : "") + style.paint("\(dimension) = \(s.value ?? "(none)")", "1") + "\n" }
            out += "\(s.values.count) buckets, \(Figures.count(s.counts.reduce(0, +))) traces, "
                + "\(Timestamp.iso8601(nanoseconds: s.bucketStarts.first ?? 0)) … \(Timestamp.iso8601(nanoseconds: s.bucketStarts.last ?? 0))\n"
            let (spark, marks) = Self.sparkline(s.values, changes: s.pelt?.changePoints ?? [], width: width)
            out += (markdown ? "```\n" : "") + "  " + spark + "\n  " + style.paint(marks, "31") + "\n" + (markdown ? "```\n" : "")
            guard let pelt = s.pelt else {
                out += "no change points: \(s.problem ?? "too few buckets")\n"
                continue
            }
            let pen = pelt.penalty.map { Figures.number($0.value) } ?? "–"
            if pelt.changes.isEmpty {
                out += "no change point (PELT, penalty \(pen))"
            } else {
                var table = ReportTable(["onset", "before", "after", "change", "gain"], numeric: [1, 2, 3, 4])
                for (change, onset) in zip(pelt.changes, s.onsets) {
                    table.add([Timestamp.iso8601(nanoseconds: onset), value(change.before), value(change.after),
                               change.relativeChange.map { Figures.percent($0) } ?? Figures.number(change.delta, signed: true),
                               Figures.number(change.gain)])
                }
                out += markdown ? table.markdown() : table.text(style)
                out += "PELT, L2 cost, penalty \(pen)"
            }
            if let split = s.split, let first = split.changes.first, let onset = split.onsets(bucketStarts: s.bucketStarts).first {
                out += "; binary segmentation's best split: \(Timestamp.iso8601(nanoseconds: onset)) (gain \(Figures.number(first.gain)))"
            }
            out += "\n"
        }
        return out
    }

    /// The series as block characters, averaged down to `width` columns, and a line with `▲`
    /// under each change's column.
    static func sparkline(_ values: [Double], changes: [Int], width: Int) -> (String, String) {
        guard !values.isEmpty else { return ("", "") }
        let columns = min(width, values.count)
        var cells: [Double] = []
        for c in 0..<columns {
            let from = c * values.count / columns, to = max(from + 1, (c + 1) * values.count / columns)
            cells.append(values[from..<to].reduce(0, +) / Double(to - from))
        }
        let low = cells.min() ?? 0, high = cells.max() ?? 0
        let spark = String(cells.map { x -> Character in
            high > low ? Chart.levels[min(7, Int((x - low) / (high - low) * 7.999))] : Chart.levels[3]
        })
        var marks = Array(repeating: Character(" "), count: columns)
        for index in changes where index < values.count { marks[min(columns - 1, index * columns / values.count)] = "▲" }
        return (spark, String(marks).trimmedTrailing())
    }

    public func json() -> JSON {
        .object([
            ("command", .string("changes")), ("signal", .string(signal.name)), ("bucket_ms", .double(Double(bucketNs) / 1e6)),
            ("where", condition.map(JSON.string) ?? .null), ("by", dimension.map(JSON.string) ?? .null),
            ("series", .array(series.map(Self.json))),
            ("elapsed_ms", .double(elapsedMs)),
        ])
    }

    static func number(_ x: Double?) -> JSON { x.map { $0.isFinite ? JSON.double($0) : .null } ?? .null }

    static func json(_ s: Series) -> JSON {
        var buckets: [JSON] = []
        for i in s.values.indices {
            buckets.append(.object([("start", .string(Timestamp.iso8601(nanoseconds: s.bucketStarts[i]))), ("value", number(s.values[i])),
                                    ("traces", .integer(Int64(s.counts[i])))]))
        }
        var changes: [JSON] = []
        for (change, onset) in zip(s.pelt?.changes ?? [], s.onsets) {
            changes.append(.object([("onset", .string(Timestamp.iso8601(nanoseconds: onset))), ("index", .integer(Int64(change.index))),
                                    ("before", number(change.before)), ("after", number(change.after)),
                                    ("relative_change", number(change.relativeChange)), ("gain", number(change.gain))]))
        }
        var split = JSON.null
        if let segmentation = s.split, let onset = segmentation.onsets(bucketStarts: s.bucketStarts).first {
            split = .string(Timestamp.iso8601(nanoseconds: onset))
        }
        return .object([("value", s.value.map(JSON.string) ?? .null), ("buckets", .array(buckets)),
                        ("penalty", number(s.pelt?.penalty?.value)), ("changes", .array(changes)),
                        ("binary_segmentation_split", split), ("problem", s.problem.map(JSON.string) ?? .null)])
    }
}

extension DriftReport: ResultDocument {
    public func text(_ style: TextStyle) -> String { render(style, markdown: false) }
    public func markdown() -> String { render(TextStyle(), markdown: true) }

    private func render(_ style: TextStyle, markdown: Bool) -> String {
        var out = markdown ? "## drift\n\n" : style.paint("drift", "1") + "\n"
        out += "baseline: \(baseline)  (\(Figures.count(baselineTraces)) traces)\n"
        out += "current:  \(current)  (\(Figures.count(currentTraces)) traces)\n\n"
        var table = ReportTable(["signal", "verdict", "test", "score", "threshold", "baseline", "current", "change", "PSI", "n baseline", "n current"],
                                numeric: [3, 4, 5, 6, 7, 8, 9, 10])
        for r in results {
            guard let verdict = r.verdict, let statistics = r.statistics else {
                table.add([r.signal.name, "–", "", "", "", "", "", "", "", "", r.problem ?? ""])
                continue
            }
            let word = verdict.detected ? "DRIFT" : "no drift"
            let shown = style.paint(word, verdict.detected ? "31;1" : "32")
            let score = verdict.method.scoresPValue ? Figures.pValue(verdict.score) : String(format: "%.4f", verdict.score)
            let psi = String(format: "%.3f", verdict.psi) + (verdict.psiExceedsNoise ? "" : " ~")
            switch statistics {
            case .numeric(let d):
                table.add([r.signal.name, shown, verdict.method.rawValue, score, Figures.number(verdict.threshold),
                           "p50 " + Figures.number(d.baseline.p50), "p50 " + Figures.number(d.current.p50),
                           d.baseline.p50 != 0 ? Figures.percent(d.p50Delta.delta / d.baseline.p50) : Figures.number(d.p50Delta.delta, signed: true),
                           psi, Figures.count(d.baseline.count), Figures.count(d.current.count)])
            case .boolean(let d):
                table.add([r.signal.name, shown, verdict.method.rawValue, score, Figures.number(verdict.threshold),
                           Figures.percent(d.baselineRate), Figures.percent(d.currentRate), Figures.points(d.delta), psi,
                           Figures.count(d.baselineTotal), Figures.count(d.currentTotal)])
            case .categorical(let d):
                table.add([r.signal.name, shown, verdict.method.rawValue, score, Figures.number(verdict.threshold),
                           "\(d.categories.count) values", "", "", psi, Figures.count(d.baselineTotal), Figures.count(d.currentTotal)])
            }
        }
        out += markdown ? table.markdown() : table.text(style)
        let rules = thresholds == DriftThresholds() ? "Tests and thresholds are Evidently's defaults" : "Tests by Evidently's rules, with thresholds from relops.yaml"
        out += "Sorted by severity. \(rules) (docs/statistics.md); PSI ~: within the noise of these sample sizes.\n" + thresholds.note
        // Details of each numeric signal that drifted: the quantile deltas with their intervals.
        for r in results where r.verdict?.detected == true {
            guard case .numeric(let d)? = r.statistics else { continue }
            out += "\n\(r.signal.name): KS D \(String(format: "%.4f", d.ks.statistic)) p \(Figures.pValue(d.ks.pValue)); "
            out += "p95 \(Figures.number(d.baseline.p95)) → \(Figures.number(d.current.p95))"
            if let i = d.p95Delta.interval { out += " (Δ \(Figures.number(d.p95Delta.delta, signed: true)), 95% [\(Figures.number(i.lower, signed: true)), \(Figures.number(i.upper, signed: true))])" }
            out += "; Wasserstein \(String(format: "%.4f", d.wasserstein.normed)) σ; Jensen–Shannon \(String(format: "%.4f", d.jensenShannon.base2))\n"
            out += SideBySide.render(Self.binRows(d.psi), title: "share per bin", markdown: markdown, width: style.width)
        }
        return out
    }

    /// The PSI bins (−∞, e₁], (e₁, e₂], …, (eₖ, ∞) as rows `≤ e₁`, `e₁ … e₂`, …, `> eₖ`, with
    /// each slice's share of its values (counts, not PSI's ε-adjusted proportions).
    static func binRows(_ psi: PopulationStability) -> [(label: String, baseline: Double, current: Double)] {
        let edges = psi.innerEdges.map { Figures.number($0) }
        let nb = Double(max(1, psi.baselineCounts.reduce(0, +))), nc = Double(max(1, psi.currentCounts.reduce(0, +)))
        return psi.baselineCounts.indices.map { i in
            let label = edges.isEmpty ? "all" : i == 0 ? "≤ \(edges[0])" : i == edges.count ? "> \(edges[i - 1])" : "\(edges[i - 1]) … \(edges[i])"
            return (label, Double(psi.baselineCounts[i]) / nb, i < psi.currentCounts.count ? Double(psi.currentCounts[i]) / nc : 0)
        }
    }

    public func json() -> JSON {
        func number(_ x: Double?) -> JSON { x.map { $0.isFinite ? JSON.double($0) : .null } ?? .null }
        func interval(_ i: ConfidenceInterval?) -> JSON { i.map { .array([number($0.lower), number($0.upper)]) } ?? .null }
        var list: [JSON] = []
        for r in results {
            var members: [(String, JSON)] = [("signal", .string(r.signal.name)), ("kind", .string(r.signal.kind.rawValue))]
            if let v = r.verdict {
                members += [("drift", .bool(v.detected)), ("method", .string(v.method.rawValue)), ("score", number(v.score)),
                            ("threshold", number(v.threshold)), ("severity", .string("\(v.severity.level)")),
                            ("psi", number(v.psi)), ("psi_exceeds_noise", .bool(v.psiExceedsNoise))]
            }
            switch r.statistics {
            case .numeric(let d)?:
                members += [("n_baseline", .integer(Int64(d.baseline.count))), ("n_current", .integer(Int64(d.current.count))),
                            ("ks", .object([("d", number(d.ks.statistic)), ("p", number(d.ks.pValue))])),
                            ("wasserstein_normed", number(d.wasserstein.normed)), ("jensen_shannon", number(d.jensenShannon.base2)),
                            ("baseline", .object([("mean", number(d.baseline.mean)), ("p50", number(d.baseline.p50)), ("p95", number(d.baseline.p95))])),
                            ("current", .object([("mean", number(d.current.mean)), ("p50", number(d.current.p50)), ("p95", number(d.current.p95))])),
                            ("p50_delta", .object([("delta", number(d.p50Delta.delta)), ("interval", interval(d.p50Delta.interval))])),
                            ("p95_delta", .object([("delta", number(d.p95Delta.delta)), ("interval", interval(d.p95Delta.interval))]))]
            case .boolean(let d)?:
                members += [("n_baseline", .integer(Int64(d.baselineTotal))), ("n_current", .integer(Int64(d.currentTotal))),
                            ("rate_baseline", number(d.baselineRate)), ("rate_baseline_interval", interval(d.baselineInterval)),
                            ("rate_current", number(d.currentRate)), ("rate_current_interval", interval(d.currentInterval)),
                            ("delta", number(d.delta)), ("delta_interval", interval(d.deltaInterval)),
                            ("z", number(d.zTest.z)), ("z_p", number(d.zTest.pValue)), ("fisher_p", number(d.fisher.pValue))]
            case .categorical(let d)?:
                members += [("n_baseline", .integer(Int64(d.baselineTotal))), ("n_current", .integer(Int64(d.currentTotal))),
                            ("chi_square", d.chiSquare.map { .object([("statistic", number($0.statistic)), ("dof", .integer(Int64($0.degreesOfFreedom))), ("p", number($0.pValue))]) } ?? .null),
                            ("jensen_shannon", number(d.jensenShannon.base2))]
            case nil:
                members.append(("problem", r.problem.map(JSON.string) ?? .null))
            }
            list.append(.object(members))
        }
        return .object([("command", .string("drift")),
                        ("baseline", .object([("where", .string(baseline)), ("traces", .integer(Int64(baselineTraces)))])),
                        ("current", .object([("where", .string(current)), ("traces", .integer(Int64(currentTraces)))])),
                        ("thresholds", thresholds.json), ("signals", .array(list)), ("elapsed_ms", .double(elapsedMs))])
    }
}

/// Side-by-side bars: two shares per row, baseline │ current (`explain`'s values, `drift`'s bins).
enum SideBySide {
    /// Side-by-side bars of two shares per value (baseline │ current), BubbleUp's view.
    static func render(_ rows: [(label: String, baseline: Double, current: Double)], title: String, markdown: Bool, width: Int?) -> String {
        guard !rows.isEmpty else { return "" }
        let labelWidth = min(24, rows.map { Chart.displayWidth($0.label) }.max() ?? 0)
        let barWidth = max(8, min(30, ((width ?? 100) - labelWidth - 24) / 2))
        // Bars scale to the largest share of either slice, so small shares still differ visibly.
        let peak = rows.map { max($0.baseline, $0.current) }.max() ?? 1
        var lines = [Chart.padRight("", labelWidth) + "  " + Chart.padRight("baseline \(title)", barWidth + 7) + " │ current"]
        for row in rows {
            let a = Chart.bar(row.baseline, peak: peak, width: barWidth), b = Chart.bar(row.current, peak: peak, width: barWidth)
            lines.append(Chart.padRight(Chart.cut(row.label, labelWidth), labelWidth) + "  "
                         + Chart.padRight(a, barWidth) + Chart.padLeft(Figures.percent(row.baseline), 7) + " │ "
                         + Chart.padRight(b, barWidth) + Chart.padLeft(Figures.percent(row.current), 7))
        }
        let body = lines.joined(separator: "\n") + "\n"
        return markdown ? "\n```\n" + body + "```\n" : "\n" + body
    }
}
