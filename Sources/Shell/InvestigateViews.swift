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

        out += heading("Root causes (Adtributor: explanatory power ≥ \(adtributor.setThreshold), each value ≥ \(adtributor.elementThreshold), ranked by surprise)")
        if adtributor.rootCauses.isEmpty {
            out += "No dimension explains the change by these thresholds.\n"
        } else {
            var causes = ReportTable(["#", "dimension", "values", "explanatory power", "surprise", "evidence"], numeric: [0, 3, 4])
            for (i, cause) in adtributor.rootCauses.enumerated() {
                let found = i < evidence.count ? evidence[i] : Explanation.Evidence(values: [], traceIds: [])
                let under = found.values == cause.elements ? "" : " (under \(found.values.joined(separator: ", ")))"
                causes.add(["\(i + 1)", cause.dimension, cause.elements.joined(separator: ", "),
                            Figures.percent(cause.explanatoryPower), String(format: "%.4f", cause.surprise),
                            found.traceIds.map { String($0.prefix(12)) }.joined(separator: " ") + under])
            }
            out += table(causes)
        }
        for cause in adtributor.rootCauses.prefix(3) {
            guard let dimension = adtributor.dimensions.first(where: { $0.name == cause.dimension }) else { continue }
            out += "\n" + heading("\(dimension.name): \(what) by value (baseline → current)")
            var rows = ReportTable(["value", "baseline traces", "current traces", "baseline \(what)", "current \(what)", "explanatory power", "surprise"],
                                   numeric: [1, 2, 3, 4, 5, 6])
            for element in dimension.elements.prefix(8) {
                rows.add([element.name + (cause.elements.contains(element.name) ? " *" : ""), Figures.count(Int(element.forecastCount)),
                          Figures.count(Int(element.actualCount)), value(element.forecastValue), value(element.actualValue),
                          Figures.percent(element.explanatoryPower), String(format: "%.4f", element.surprise)])
            }
            out += table(rows)
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

    public func json() -> JSON {
        func number(_ x: Double?) -> JSON { x.map { $0.isFinite ? JSON.double($0) : .null } ?? .null }
        return .object([
            ("command", .string("explain")), ("signal", .string(signal.name)),
            ("baseline", .object([("where", .string(baseline)), ("traces", .integer(Int64(baselineCount))), ("value", number(baselineValue))])),
            ("current", .object([("where", .string(current)), ("traces", .integer(Int64(currentCount))), ("value", number(currentValue))])),
            ("measure", .string(adtributor.measure.rawValue)),
            ("thresholds", .object([("element", .double(adtributor.elementThreshold)), ("set", .double(adtributor.setThreshold))])),
            ("root_causes", .array(adtributor.rootCauses.enumerated().map { i, cause in
                .object([("dimension", .string(cause.dimension)), ("values", .array(cause.elements.map(JSON.string))),
                         ("explanatory_power", number(cause.explanatoryPower)), ("surprise", number(cause.surprise)),
                         ("evidence", .object([("values", .array((i < evidence.count ? evidence[i].values : []).map(JSON.string))),
                                               ("trace_ids", .array((i < evidence.count ? evidence[i].traceIds : []).map(JSON.string)))]))])
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
