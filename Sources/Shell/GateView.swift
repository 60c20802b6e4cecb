import Analysis
import Foundation
import Ingest
import Notebook

// How `gate` reads on a terminal, in a pull request (Markdown) and in CI (JSON); the keys are
// documented in docs/release-gates.md.

extension Gate: ResultDocument {
    /// HOLD exits with status 1, as a failing `cases check` does.
    public var failedCheck: Bool { verdict == .hold }

    public func text(_ style: TextStyle) -> String { render(style, markdown: false) }
    public func markdown() -> String { render(TextStyle(), markdown: true) }

    /// The Markdown of a report file, showing the SVG chart written beside it (`gate … to PATH`).
    func markdown(image: String) -> String { render(TextStyle(), markdown: true, image: image) }

    private func render(_ style: TextStyle, markdown: Bool, image: String? = nil) -> String {
        func table(_ t: ReportTable) -> String { markdown ? t.markdown() : t.text(style) }
        func heading(_ title: String) -> String { markdown ? "### \(title)\n\n" : style.paint(title, "1") + "\n" }
        let colour = verdict == .ship ? "32" : "31"
        var out = markdown ? "## Release gate: \(verdict.rawValue)\n\n" : style.paint("gate: \(verdict.rawValue)", "1;\(colour)") + "\n"
        out += verdictLine(markdown: markdown) + "\n"
        if markdown { out += "\n" }
        out += "candidate: \(code(candidate, markdown)) (\(Figures.count(candidateTraces)) traces)" + (markdown ? "  \n" : "\n")
        out += "baseline: \(code(baseline, markdown)) (\(Figures.count(baselineTraces)) traces)" + (markdown ? "  \n" : "\n")
        out += "thresholds: \(config.path ?? "built-in (no gates.yaml)"); at least \(config.minSamples) values per side; "
            + "\(Int((config.confidence * 100).rounded()))% intervals\n\n"
        out += heading("Signals") + table(signalTable()) + "\n"
        let chart = GateChart(self).text()
        if !chart.isEmpty {
            out += markdown ? "```text\n" + chart + "```\n\n" : chart + "\n"
            if markdown, let image { out += "![Each signal's change with its interval against its thresholds](\(image))\n\n" }
        }
        out += heading("Must-pass cases")
        let caseRows = caseTable()
        out += caseRows.rows.isEmpty ? "none given (`cases FILE …`, or `cases:` in gates.yaml)\n\n" : table(caseRows) + "\n"
        out += heading("Risks")
        out += risks.isEmpty ? "none\n" : risks.map { "- \($0.level.rawValue.uppercased()): \($0.message)\n" }.joined()
        out += "\n" + heading("Rollout plan") + rolloutText()
        return out
    }

    /// The verdict and why, in one sentence.
    private func verdictLine(markdown: Bool) -> String {
        let holds = risks.filter { $0.level == .hold }.count
        let bold = markdown ? "**\(verdict.rawValue)**" : verdict.rawValue
        switch verdict {
        case .hold: return "\(bold): \(holds) reason\(holds == 1 ? "" : "s") to hold the release (see Risks)."
        case .ship where warnings.isEmpty: return "\(bold): every threshold passes with enough evidence and every must-pass case passes."
        case .ship: return "\(bold) with \(warnings.count) warning\(warnings.count == 1 ? "" : "s") (see Risks)."
        }
    }

    private func code(_ s: String, _ markdown: Bool) -> String { markdown ? "`\(s)`" : s }

    /// A value of the statistic: a rate as a percentage, else a number.
    private static func value(_ x: Double?, _ statistic: GateDelta.Statistic) -> String {
        statistic == .rate ? Figures.percent(x) : Figures.number(x)
    }

    /// A change: a rate's in points, else signed.
    private static func change(_ x: Double?, _ statistic: GateDelta.Statistic) -> String {
        statistic == .rate ? Figures.points(x) : Figures.number(x, signed: true)
    }

    /// The thresholds of a rule as written: `+1 pt`, `+10%`.
    static func thresholdText(_ rule: GateConfig.SignalRule) -> String {
        var parts: [String] = []
        if let a = rule.maxIncrease { parts.append(rule.statistic == .rate ? "≤ " + Figures.points(a) : "≤ " + Figures.number(a, signed: true)) }
        if let r = rule.maxRelativeIncrease { parts.append("≤ +" + Figures.percent(r).replacingOccurrences(of: "+", with: "") + " rel.") }
        if let a = rule.maxDecrease { parts.append(rule.statistic == .rate ? "≥ " + Figures.points(-a) : "≥ " + Figures.number(-a, signed: true)) }
        if let r = rule.maxRelativeDecrease { parts.append("≥ -" + Figures.percent(r).replacingOccurrences(of: "+", with: "") + " rel.") }
        return parts.joined(separator: ", ")
    }

    private func signalTable() -> ReportTable {
        var t = ReportTable(["signal", "statistic", "baseline", "candidate", "delta", "interval", "relative", "p", "threshold", "n base / cand", "status"],
                            numeric: [2, 3, 4, 6, 7])
        for s in signals {
            let d = s.delta, st = s.rule.statistic
            let interval = d?.interval.map { "[\(Self.change($0.lower, st)), \(Self.change($0.upper, st))]" } ?? "–"
            let relative = d?.relative.map { Figures.percent($0).hasPrefix("-") ? Figures.percent($0) : "+" + Figures.percent($0) } ?? "–"
            var status = s.status.rawValue
            if s.status == .fail { status += " (" + s.exceeded.joined(separator: ", ") + ")" }
            if s.status == .pass, !s.intervalExceeded.isEmpty { status += " (interval reaches past)" }
            t.add([s.rule.signal.name, st.rawValue, Self.value(d?.baseline, st), Self.value(d?.candidate, st), Self.change(d?.delta, st),
                   interval, relative, Figures.pValue(d?.pValue), Self.thresholdText(s.rule),
                   "\(Figures.count(s.baselineCount)) / \(Figures.count(s.candidateCount))", status])
        }
        return t
    }

    private func caseTable() -> ReportTable {
        var t = ReportTable(["file", "case", "severity", "status", "trace", "problems"])
        for check in cases {
            for r in check.results {
                let problems = r.problems.map { "\($0.expectation.text): \($0.status.rawValue)" + ($0.seen.map { ", saw \($0)" } ?? "") }
                t.add([check.path, r.regressionCase.id, r.regressionCase.severity.rawValue, r.status.rawValue,
                       r.traceId.map { String($0.prefix(12)) } ?? "–", problems.joined(separator: "; ")])
            }
        }
        return t
    }

    private func rolloutText() -> String {
        let steps = config.canarySteps.map { Figures.number($0) + "%" }.joined(separator: " → ")
        var out = verdict == .hold ? "Not to start until the gate says SHIP. " : ""
        out += "Canary \(steps) of traffic; hold each step for a monitoring window of \(config.window) and go on only when no trigger fires.\n"
        out += triggers.isEmpty ? "No rollback triggers (no signal has a baseline).\n" : "Roll back when:\n" + triggers.map { "- \($0.rule)\n" }.joined()
        if let triggersFile { out += "Written to \(triggersFile) as triggers.yaml rules: `triggers check \(triggersFile)` evaluates them.\n" }
        return out
    }

    public func json() -> JSON {
        func number(_ x: Double?) -> JSON { x.map { $0.isFinite ? JSON.double($0) : .null } ?? .null }
        func int(_ n: Int) -> JSON { .integer(Int64(n)) }
        let signalItems: [JSON] = signals.map { s in
            let d = s.delta
            return .object([
                ("signal", .string(s.rule.signal.name)), ("statistic", .string(s.rule.statistic.rawValue)),
                ("status", .string(s.status.rawValue)),
                ("baseline", number(d?.baseline)), ("candidate", number(d?.candidate)), ("delta", number(d?.delta)),
                ("interval", d?.interval.map { .array([number($0.lower), number($0.upper)]) } ?? .null),
                ("relative", number(d?.relative)),
                ("relative_interval", d?.relativeInterval.map { .array([number($0.lower), number($0.upper)]) } ?? .null),
                ("p_value", number(d?.pValue)), ("method", d.map { .string($0.method) } ?? .null),
                ("max_increase", number(s.rule.maxIncrease)), ("max_relative_increase", number(s.rule.maxRelativeIncrease)),
                ("max_decrease", number(s.rule.maxDecrease)), ("max_relative_decrease", number(s.rule.maxRelativeDecrease)),
                ("baseline_n", int(s.baselineCount)), ("candidate_n", int(s.candidateCount)), ("min_samples", int(s.minSamples)),
                ("exceeded", .array(s.exceeded.map(JSON.string))), ("interval_exceeds", .array(s.intervalExceeded.map(JSON.string))),
            ])
        }
        let caseItems: [JSON] = cases.flatMap { check in
            check.results.map { r in
                .object([
                    ("file", .string(check.path)), ("id", .string(r.regressionCase.id)), ("severity", .string(r.regressionCase.severity.rawValue)),
                    ("status", .string(r.status.rawValue)), ("trace_id", r.traceId.map(JSON.string) ?? .null),
                    ("problems", .array(r.problems.map { o in
                        .object([("expect", .string(o.expectation.text)), ("status", .string(o.status.rawValue)),
                                 ("seen", o.seen.map(JSON.string) ?? .null)])
                    })),
                ])
            }
        }
        return .object([
            ("command", .string("gate")), ("verdict", .string(verdict.rawValue)),
            ("candidate", .object([("slice", .string(candidate)), ("traces", int(candidateTraces))])),
            ("baseline", .object([("slice", .string(baseline)), ("traces", int(baselineTraces))])),
            ("thresholds", config.path.map(JSON.string) ?? .null), ("min_samples", int(config.minSamples)),
            ("confidence", .double(config.confidence)),
            ("cases", .array(caseItems)), ("signals", .array(signalItems)),
            ("risks", .array(risks.map { .object([("level", .string($0.level.rawValue)), ("message", .string($0.message))]) })),
            ("rollout", .object([
                ("canary_steps", .array(config.canarySteps.map(JSON.double))), ("window", .string(config.window)),
                ("triggers_file", triggersFile.map(JSON.string) ?? .null),
                ("triggers", .array(triggers.map { t in
                    .object([("signal", .string(t.signal)), ("statistic", .string(t.statistic.rawValue)), ("baseline", number(t.baseline)),
                             ("limit", number(t.limit)), ("below", .bool(t.below)), ("window", .string(t.window)), ("min_samples", int(t.minSamples)),
                             ("rule", .string(t.rule))])
                })),
            ])),
        ])
    }
}
