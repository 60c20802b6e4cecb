import Analysis
import Foundation
import Ingest
import Investigate

// How `drift … by DIM` reads on a terminal, in Markdown and in JSON (docs/investigate.md), and
// how both drift reports state their thresholds.

extension DriftBreakdown: ResultDocument {
    public func text(_ style: TextStyle) -> String { render(style, markdown: false) }
    public func markdown() -> String { render(TextStyle(), markdown: true) }

    private func render(_ style: TextStyle, markdown: Bool) -> String {
        var out = markdown ? "## drift by \(dimension)\n\n" : style.paint("drift by \(dimension)", "1") + "\n"
        out += "baseline: \(baseline)  (\(Figures.count(baselineTraces)) traces)\n"
        out += "current:  \(current)  (\(Figures.count(currentTraces)) traces)\n\n"
        var table = ReportTable([dimension, "signal", "n baseline", "n current", "baseline → current", "effect", "test", "p", "q", "drift"],
                                numeric: [2, 3, 5, 7, 8])
        for test in tests { table.add(row(test, style)) }
        out += tests.isEmpty ? "No value of `\(dimension)` is in both slices.\n" : markdown ? table.markdown() : table.text(style)
        let tested = tests.filter { $0.qValue != nil }.count
        out += "Sorted by q (Benjamini–Hochberg over \(tested) test\(tested == 1 ? "" : "s")); drift: q < \(Figures.number(thresholds.falseDiscoveryRate)). "
        out += "Effect: KS D (numbers), rate change (true/false), Jensen–Shannon (labels).\n"
        if tests.contains(where: { $0.qValue == nil }) {
            out += "–: no test, fewer than \(DriftBreakdown.minimumValues) known values in a slice.\n"
        }
        out += Self.list("only in the baseline", onlyInBaseline) + Self.list("only in the current slice", onlyInCurrent)
        if untestedValues > 0 {
            out += "\(Figures.count(untestedValues)) more values in both slices not tested (the \(DriftBreakdown.maximumValues) busiest are).\n"
        }
        // Of the thresholds only the false discovery rate applies here, and the line above states it.
        return out
    }

    private func row(_ test: Test, _ style: TextStyle) -> [String] {
        let value = test.value ?? "(missing)"
        let counts = [Figures.count(test.baselineCount), Figures.count(test.currentCount)]
        guard let p = test.pValue, let method = test.method else {
            return [value, test.signal.name] + counts + ["", "", "", "", "", "–"]
        }
        let move: String, effect: String
        switch test.signal.kind {
        case .numeric:
            move = "\(Figures.number(test.baselineValue)) → \(Figures.number(test.currentValue))"
            effect = "D " + String(format: "%.3f", test.effect ?? .nan)
        case .boolean:
            move = "\(Figures.percent(test.baselineValue)) → \(Figures.percent(test.currentValue))"
            effect = Figures.points(test.effect)
        case .categorical:
            move = ""
            effect = "JS " + String(format: "%.3f", test.effect ?? .nan)
        }
        let verdict = style.paint(test.drifted ? "DRIFT" : "no", test.drifted ? "31;1" : "32")
        return [value, test.signal.name] + counts + [move, effect, method.rawValue, Figures.pValue(p), Figures.pValue(test.qValue), verdict]
    }

    private static func list(_ heading: String, _ values: [ValueCount]) -> String {
        guard !values.isEmpty else { return "" }
        let shown = values.prefix(10).map { "\($0.value ?? "(missing)") (\(Figures.count($0.traces)))" }
        return "\(heading): " + shown.joined(separator: ", ") + (values.count > 10 ? ", and \(values.count - 10) more" : "") + "\n"
    }

    public func json() -> JSON {
        func number(_ x: Double?) -> JSON { x.map { $0.isFinite ? JSON.double($0) : .null } ?? .null }
        func counts(_ values: [ValueCount]) -> JSON {
            .array(values.map { .object([("value", $0.value.map(JSON.string) ?? .null), ("traces", .integer(Int64($0.traces)))]) })
        }
        let groups: [JSON] = tests.map { t in
            var members: [(String, JSON)] = [
                ("value", t.value.map(JSON.string) ?? .null), ("signal", .string(t.signal.name)), ("kind", .string(t.signal.kind.rawValue)),
                ("traces_baseline", .integer(Int64(t.baselineTraces))), ("traces_current", .integer(Int64(t.currentTraces))),
                ("n_baseline", .integer(Int64(t.baselineCount))), ("n_current", .integer(Int64(t.currentCount))),
            ]
            guard let method = t.method else { return .object(members + [("drift", .bool(false)), ("problem", t.problem.map(JSON.string) ?? .null)]) }
            let effect = t.signal.kind == .numeric ? "ks_d" : t.signal.kind == .boolean ? "rate_delta" : "jensen_shannon"
            members += [("baseline", number(t.baselineValue)), ("current", number(t.currentValue)), ("test", .string(method.rawValue)),
                        ("effect", .object([("measure", .string(effect)), ("value", number(t.effect))])), ("psi", number(t.psi)),
                        ("p", number(t.pValue)), ("q", number(t.qValue)), ("drift", .bool(t.drifted))]
            return .object(members)
        }
        return .object([("command", .string("drift")), ("by", .string(dimension)),
                        ("baseline", .object([("where", .string(baseline)), ("traces", .integer(Int64(baselineTraces)))])),
                        ("current", .object([("where", .string(current)), ("traces", .integer(Int64(currentTraces)))])),
                        ("thresholds", thresholds.json), ("groups", .array(groups)),
                        ("only_in_baseline", counts(onlyInBaseline)), ("only_in_current", counts(onlyInCurrent)),
                        ("untested_values", .integer(Int64(untestedValues))), ("elapsed_ms", .double(elapsedMs))])
    }
}

extension DriftThresholds {
    /// Every threshold, as relops.yaml's `thresholds.drift` names them (docs/configuration.md).
    var json: JSON {
        .object([("p_value", .double(pValue)), ("wasserstein", .double(wassersteinNormed)), ("jensen_shannon", .double(jensenShannon)),
                 ("psi", .double(psi)), ("psi_moderate", .double(psiModerate)), ("psi_significant", .double(psiSignificant)),
                 ("baseline_size_limit", .integer(Int64(baselineSizeLimit))), ("method", method.map { .string($0.rawValue) } ?? .null),
                 ("fdr", .double(falseDiscoveryRate))])
    }

    /// A line naming the thresholds that differ from the defaults (relops.yaml), or nothing.
    var note: String {
        let defaults = DriftThresholds()
        var changed: [String] = []
        func add(_ name: String, _ value: Double, _ standard: Double) {
            if value != standard { changed.append("\(name) \(Figures.number(value))") }
        }
        add("p_value", pValue, defaults.pValue)
        add("wasserstein", wassersteinNormed, defaults.wassersteinNormed)
        add("jensen_shannon", jensenShannon, defaults.jensenShannon)
        add("psi", psi, defaults.psi)
        add("psi_moderate", psiModerate, defaults.psiModerate)
        add("psi_significant", psiSignificant, defaults.psiSignificant)
        add("baseline_size_limit", Double(baselineSizeLimit), Double(defaults.baselineSizeLimit))
        add("fdr", falseDiscoveryRate, defaults.falseDiscoveryRate)
        if let method { changed.append("method \(method.rawValue)") }
        return changed.isEmpty ? "" : "Thresholds from relops.yaml: " + changed.joined(separator: ", ") + ".\n"
    }
}
