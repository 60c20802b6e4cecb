import Analysis
import Foundation
import Ingest
import Investigate
import Notebook
import Query
import Store

// `report weekly|monthly` as a memo: Markdown everywhere (it is a memo for a pull request or a
// wiki page, and reads as plain text on a terminal too) and one JSON document whose keys
// docs/reports.md lists.

extension PeriodReport: ResultDocument {
    public func text(_ style: TextStyle) -> String { markdown() }

    public func markdown() -> String {
        let noun = period.kind == .weekly ? "week" : "month"
        var out = "# \(period.kind == .weekly ? "Weekly" : "Monthly") stability report: \(period.label)\n\n"
        out += summary(noun) + "\n\n"
        out += "Compared with the previous \(noun), \(previous.label) (\(Figures.count(previousTraces)) traces). "
        out += "Thresholds: \(gates.path ?? "built-in gate (no gates.yaml)"). Days are UTC."
        out += scope.map { " Signals read over `\($0)`." } ?? ""
        out += "\n\n"

        out += "## Versions first seen\n\n"
        if firstSeen.isEmpty {
            out += "No version value was seen for the first time this \(noun).\n\n"
        } else {
            var t = ReportTable(["dimension", "value", "first seen", "last seen", "traces"], numeric: [4])
            for v in firstSeen {
                t.add([v.dimension, v.value, Self.time(v.firstNs), Self.time(v.lastNs), Figures.count(Int(v.traces))])
            }
            out += t.markdown() + "\n"
        }

        out += "## Signals that moved\n\n"
        if let drift {
            let moved = self.moved
            if moved.isEmpty {
                out += "No signal drifted (\(drift.results.count) compared with `drift`'s tests, docs/statistics.md).\n\n"
            } else {
                var t = ReportTable(["signal", "previous", "this \(noun)", "change", "test", "score", "threshold", "severity"],
                                    numeric: [1, 2, 3, 5, 6])
                for r in moved { t.add(Self.movedRow(r)) }
                out += t.markdown()
                out += "\nFrom `drift between (\(previous.slice(scopeSource).text)) and (\(period.slice(scopeSource).text))`; "
                out += "\(drift.results.count - moved.count) other signals did not move.\n\n"
            }
        } else {
            out += "Not compared: \(driftProblem ?? "no drift").\n\n"
        }

        out += "## Incidents\n\n"
        if incidents.isEmpty {
            out += "None: no gated signal had a change point this \(noun) whose step went past its gate threshold.\n\n"
        } else {
            var t = ReportTable(["onset", "signal", "before", "after", "change", "threshold passed", "versions first seen in the 7 days before"],
                                numeric: [2, 3, 4])
            for i in incidents {
                let rate = i.rule.signal.kind == .boolean
                let change = rate ? Figures.points(i.after - i.before) : Figures.number(i.after - i.before, signed: true)
                    + (i.before != 0 ? " (\(Self.signedPercent((i.after - i.before) / abs(i.before))))" : "")
                let related = i.related.map { "\($0.dimension) \($0.value) (\(ReportPeriod.date(ReportPeriod.day(ofNs: $0.firstNs))))" }
                t.add([ReportPeriod.date(ReportPeriod.day(ofNs: i.onsetNs)), i.rule.signal.name,
                       rate ? Figures.percent(i.before) : Figures.number(i.before), rate ? Figures.percent(i.after) : Figures.number(i.after),
                       change, Gate.limits(i.rule, only: i.exceeded), related.isEmpty ? "–" : related.joined(separator: ", ")])
            }
            out += t.markdown()
            out += "\nAn incident is a change point of a gated signal's daily \(incidents.contains { $0.rule.signal.kind != .boolean } ? "mean or rate" : "rate") "
            out += "(`changes SIGNAL every 1d`, PELT) starting this \(noun), whose step goes past the signal's gate threshold.\n\n"
        }

        out += "## Pins and causes recorded\n\n"
        if pins.isEmpty && causes.isEmpty {
            out += "None recorded this \(noun) (sessions/*.md).\n\n"
        } else {
            if !pins.isEmpty {
                var t = ReportTable(["pinned", "session", "trace", "note", "expect"])
                for p in pins {
                    t.add([String(p.pin.pinnedAt.prefix(16)), p.session, String(p.pin.traceId.prefix(12)), p.pin.note ?? "",
                           p.pin.expectations.map(\.text).joined(separator: "; ")])
                }
                out += t.markdown() + "\n"
            }
            if !causes.isEmpty {
                for c in causes {
                    out += "- cause **\(c.cause.dimension) = \(c.cause.value)** (session \(c.session), \(c.cause.at.prefix(16)), \(c.cause.pins.count) pin\(c.cause.pins.count == 1 ? "" : "s"))"
                    out += c.cause.note.map { ": \($0)" } ?? ""
                    out += "\n"
                }
                out += "\n"
            }
        }

        out += "## Cases added\n\n"
        if cases.isEmpty {
            out += "No must-pass case was added this \(noun) (cases/*.yaml).\n\n"
        } else {
            var t = ReportTable(["added", "file", "case", "severity", "expect", "incident"])
            for c in cases {
                t.add([String(c.at.prefix(10)) + (c.datedBy == .file ? " (file date)" : ""), c.file, c.regressionCase.id,
                       c.regressionCase.severity.rawValue, c.regressionCase.expectations.map(\.text).joined(separator: "; "),
                       c.regressionCase.provenance.incident])
            }
            out += t.markdown() + "\n"
        }

        out += "## Threshold ratcheting\n\n"
        out += ratchetText(noun)

        if !problems.isEmpty {
            out += "## Files not read\n\n" + problems.map { "- \($0)\n" }.joined() + "\n"
        }
        return out
    }

    private var scopeSource: QuerySource? { scope.map { QuerySource(text: $0) } }

    /// One line: the period and what the sections hold.
    private func summary(_ noun: String) -> String {
        func count(_ n: Int, _ word: String, _ plural: String? = nil) -> String { "\(n) \(n == 1 ? word : plural ?? word + "s")" }
        let tightened = ratchets.filter { $0.status == .tighten }.count
        return "**\(period.label)**: \(Figures.count(traces)) traces (previous \(noun) \(Figures.count(previousTraces))); "
            + count(firstSeen.count, "version value") + " first seen; "
            + (drift == nil ? "signals not compared" : count(moved.count, "signal") + " moved") + "; "
            + count(incidents.count, "incident") + "; " + count(pins.count, "pin") + " and " + count(causes.count, "cause") + " recorded; "
            + count(cases.count, "case") + " added; " + count(tightened, "threshold") + " to tighten."
    }

    private func ratchetText(_ noun: String) -> String {
        guard !ratchets.isEmpty else { return "No gate thresholds to review.\n\n" }
        let labels = ratchets[0].observations.map { ReportPeriod.date($0.period.startDay) }
        var t = ReportTable(["signal", "threshold", "now"] + labels.map { "change \($0)" } + ["worst", "proposal"],
                            numeric: Set(2..<(5 + labels.count)))
        for r in ratchets {
            let cells = r.observations.map { o -> String in
                guard let change = o.change else { return "–" }
                return Self.thresholdValue(change, r, signed: true)
            }
            let proposal: String
            switch r.status {
            case .tighten: proposal = "**tighten to \(Self.thresholdValue(r.proposed ?? r.limit, r, signed: false))**"
            case .keep: proposal = "keep"
            case .insufficient: proposal = "keep (too few values in a \(noun))"
            }
            t.add([r.rule.signal.name + " " + r.rule.statistic.rawValue, r.threshold, Self.thresholdValue(r.limit, r, signed: false)]
                  + cells + [r.worst.map { Self.thresholdValue($0, r, signed: false) } ?? "–", proposal])
        }
        var out = t.markdown()
        out += "\nEach column is a \(noun) (by its first day) against the \(noun) before it, in the threshold's unit. "
        out += "A threshold is proposed tighter when in each of the last \(PeriodReport.ratchetPeriods) \(noun)s the change its way stayed within "
        out += "\(Int(PeriodReport.ratchetShare * 100))% of it, with at least `min_samples` values on both sides: to half of it, or twice the worst change "
        out += "if that is larger (rounded up to two significant digits).\n\n"
        let tighten = ratchets.filter { $0.status == .tighten }
        if !tighten.isEmpty {
            out += "Proposed gates.yaml changes:\n\n```yaml\nsignals:\n"
            var bySignal: [(String, [PeriodReport.Ratchet])] = []
            for r in tighten {
                if let i = bySignal.firstIndex(where: { $0.0 == r.rule.signal.name }) { bySignal[i].1.append(r) } else { bySignal.append((r.rule.signal.name, [r])) }
            }
            for (name, rs) in bySignal {
                let rule = rs[0].rule
                var parts = rule.signal.kind == .boolean ? [] : ["statistic: \(rule.statistic.rawValue)"]
                let limits: [(String, Double?)] = [("max_increase", rule.maxIncrease), ("max_relative_increase", rule.maxRelativeIncrease),
                                                  ("max_decrease", rule.maxDecrease), ("max_relative_decrease", rule.maxRelativeDecrease)]
                for case let (key, value?) in limits {
                    let new = rs.first { $0.threshold == key }?.proposed ?? value
                    parts.append("\(key): \(Self.yamlNumber(new))")
                }
                out += "  \(name): {\(parts.joined(separator: ", "))}\n"
            }
            out += "```\n\n"
        }
        return out
    }

    /// A threshold's figure: points for a rate's absolute change, a percentage for a relative one.
    static func thresholdValue(_ x: Double, _ r: Ratchet, signed: Bool) -> String {
        if r.isRelative { return signed ? signedPercent(x) : Figures.percent(x) }
        if r.rule.statistic == .rate { return signed ? Figures.points(x) : String(format: "%.2g pt", x * 100) }
        return Figures.number(x, signed: signed)
    }

    static func signedPercent(_ x: Double) -> String {
        let p = Figures.percent(x)
        return x > 0 ? "+" + p : p
    }

    /// A number for gates.yaml: no exponent, no trailing zeros.
    static func yamlNumber(_ x: Double) -> String {
        var s = String(format: "%.10f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    private static func time(_ ns: Int64) -> String {
        String(Timestamp.iso8601(nanoseconds: ns).prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    private static func movedRow(_ r: DriftReport.Result) -> [String] {
        guard let verdict = r.verdict, let statistics = r.statistics else { return [r.signal.name, "", "", "", "", "", "", ""] }
        let score = verdict.method.scoresPValue ? Figures.pValue(verdict.score) : String(format: "%.4f", verdict.score)
        let head = [verdict.method.rawValue, score, Figures.number(verdict.threshold), verdict.severity.level.name]
        switch statistics {
        case .numeric(let d):
            let change = d.baseline.mean != 0 ? signedPercent((d.current.mean - d.baseline.mean) / abs(d.baseline.mean))
                : Figures.number(d.current.mean - d.baseline.mean, signed: true)
            return [r.signal.name, "mean \(Figures.number(d.baseline.mean)), p95 \(Figures.number(d.baseline.p95))",
                    "mean \(Figures.number(d.current.mean)), p95 \(Figures.number(d.current.p95))", change] + head
        case .boolean(let d):
            return [r.signal.name, Figures.percent(d.baselineRate), Figures.percent(d.currentRate), Figures.points(d.delta)] + head
        case .categorical(let d):
            return [r.signal.name, "\(d.categories.count) values", "", ""] + head
        }
    }

    public func json() -> JSON {
        func number(_ x: Double?) -> JSON { x.map { $0.isFinite ? JSON.double($0) : .null } ?? .null }
        func int(_ n: Int) -> JSON { .integer(Int64(n)) }
        func periodJSON(_ p: ReportPeriod) -> JSON {
            .object([("start", .string(ReportPeriod.date(p.startDay))), ("end", .string(ReportPeriod.date(p.endDay - 1))), ("days", int(p.days))])
        }
        let movedItems: [JSON] = moved.map { r in
            var fields: [(String, JSON)] = [("signal", .string(r.signal.name))]
            if let v = r.verdict {
                fields += [("test", .string(v.method.rawValue)), ("score", number(v.score)), ("threshold", number(v.threshold)),
                           ("severity", .string(v.severity.level.name))]
            }
            switch r.statistics {
            case .numeric(let d)?:
                fields += [("previous_mean", number(d.baseline.mean)), ("mean", number(d.current.mean)),
                           ("previous_p95", number(d.baseline.p95)), ("p95", number(d.current.p95))]
            case .boolean(let d)?:
                fields += [("previous_rate", number(d.baselineRate)), ("rate", number(d.currentRate)), ("delta", number(d.delta))]
            default: break
            }
            return .object(fields)
        }
        let firstSeenItems: [JSON] = firstSeen.map { v in
            .object([("dimension", .string(v.dimension)), ("value", .string(v.value)), ("first_seen", .string(Timestamp.iso8601(nanoseconds: v.firstNs))),
                     ("last_seen", .string(Timestamp.iso8601(nanoseconds: v.lastNs))), ("traces", .integer(v.traces))])
        }
        let incidentItems: [JSON] = incidents.map { i in
            let related: [JSON] = i.related.map {
                .object([("dimension", .string($0.dimension)), ("value", .string($0.value)), ("first_seen", .string(Timestamp.iso8601(nanoseconds: $0.firstNs)))])
            }
            return .object([("signal", .string(i.rule.signal.name)), ("onset", .string(Timestamp.iso8601(nanoseconds: i.onsetNs))),
                            ("before", number(i.before)), ("after", number(i.after)), ("exceeded", .array(i.exceeded.map(JSON.string))),
                            ("related", .array(related))])
        }
        let pinItems: [JSON] = pins.map { p in
            .object([("session", .string(p.session)), ("trace_id", .string(p.pin.traceId)), ("pinned_at", .string(p.pin.pinnedAt)),
                     ("note", p.pin.note.map(JSON.string) ?? .null), ("expect", .array(p.pin.expectations.map { .string($0.text) }))])
        }
        let causeItems: [JSON] = causes.map { c in
            .object([("session", .string(c.session)), ("dimension", .string(c.cause.dimension)), ("value", .string(c.cause.value)),
                     ("at", .string(c.cause.at)), ("note", c.cause.note.map(JSON.string) ?? .null), ("pins", int(c.cause.pins.count))])
        }
        let caseItems: [JSON] = cases.map { c in
            .object([("file", .string(c.file)), ("id", .string(c.regressionCase.id)), ("severity", .string(c.regressionCase.severity.rawValue)),
                     ("added", .string(c.at)), ("dated_by", .string(c.datedBy.rawValue)), ("incident", .string(c.regressionCase.provenance.incident))])
        }
        let ratchetItems: [JSON] = ratchets.map { r in
            let periods: [JSON] = r.observations.map { o in
                .object([("start", .string(ReportPeriod.date(o.period.startDay))), ("level", number(o.level)),
                         ("previous_level", number(o.previousLevel)), ("change", number(o.change)),
                         ("n", int(o.count)), ("previous_n", int(o.previousCount))])
            }
            return .object([("signal", .string(r.rule.signal.name)), ("statistic", .string(r.rule.statistic.rawValue)),
                            ("threshold", .string(r.threshold)), ("limit", number(r.limit)), ("status", .string(r.status.rawValue)),
                            ("worst", number(r.worst)), ("proposed", number(r.proposed)), ("periods", .array(periods))])
        }
        var fields: [(String, JSON)] = [("command", .string("report")), ("kind", .string(period.kind.rawValue))]
        fields += [("period", periodJSON(period)), ("previous", periodJSON(previous))]
        fields += [("traces", int(traces)), ("previous_traces", int(previousTraces)), ("scope", scope.map(JSON.string) ?? .null), ("thresholds", gates.path.map(JSON.string) ?? .null)]
        fields += [("first_seen", .array(firstSeenItems)), ("moved", drift == nil ? .null : .array(movedItems))]
        fields += [("not_compared", driftProblem.map(JSON.string) ?? .null), ("incidents", .array(incidentItems))]
        fields += [("pins", .array(pinItems)), ("causes", .array(causeItems)), ("cases", .array(caseItems))]
        fields += [("ratchet", .array(ratchetItems)), ("problems", .array(problems.map(JSON.string)))]
        return .object(fields)
    }
}
