import Analysis
import Foundation
import Ingest
import Notebook
import Store

// How `triggers check`, `backtest` and `watch` read on a terminal, in Markdown and as JSON; the
// keys are documented in docs/release-gates.md (Rollback triggers).

enum TriggerText {
    /// `2026-11-05T12:00:00Z`: whole seconds, which is what a window's end needs.
    static func time(_ ns: Int64?) -> String {
        guard let ns else { return "–" }
        return String(Timestamp.iso8601(nanoseconds: ns).prefix(19)) + "Z"
    }

    static func jsonTime(_ ns: Int64?) -> JSON { ns.map { .string(Timestamp.iso8601(nanoseconds: $0)) } ?? .null }
    static func number(_ x: Double?) -> JSON { x.map { $0.isFinite ? JSON.double($0) : .null } ?? .null }

    /// A value of the rule's statistic: a rate as a percentage, a count whole, else a number.
    static func value(_ x: Double?, _ rule: TriggerConfig.Rule) -> String {
        switch rule.statistic {
        case .rate: return Figures.percent(x)
        case .count: return x.map { Figures.count(Int($0)) } ?? "–"
        default: return Figures.number(x)
        }
    }

    /// The rule's thresholds as written: `> 10.0%`, `+1 pt`, `+25% rel.` (those against the
    /// baseline carry the baseline's window once, at the end).
    static func thresholds(_ rule: TriggerConfig.Rule) -> String {
        let rate = rule.statistic == .rate
        var parts: [String] = []
        if let a = rule.above { parts.append("> " + value(a, rule)) }
        if let b = rule.below { parts.append("< " + value(b, rule)) }
        var relative: [String] = []
        if let a = rule.maxIncrease { relative.append(rate ? Figures.points(a) : Figures.number(a, signed: true).replacingOccurrences(of: "++", with: "+")) }
        if let r = rule.maxRelativeIncrease { relative.append("+" + Figures.percent(r) + " rel.") }
        if let a = rule.maxDecrease { relative.append(rate ? Figures.points(-a) : Figures.number(-a, signed: true)) }
        if let r = rule.maxRelativeDecrease { relative.append("-" + Figures.percent(r) + " rel.") }
        if !relative.isEmpty { parts.append(relative.joined(separator: ", ") + " vs " + (rule.baseline?.text ?? "baseline")) }
        return parts.joined(separator: "; ")
    }

    /// `fired (above)`, `not fired`, `insufficient (12 < 200)`.
    static func status(_ e: Trigger.Evaluation) -> String {
        switch e.status {
        case .fired: return "fired (" + e.exceeded.joined(separator: ", ") + ")"
        case .ok: return "not fired"
        case .insufficient:
            if e.rule.statistic != .count, e.n < e.rule.minSamples { return "insufficient (n \(e.n) < \(e.rule.minSamples))" }
            return "insufficient (baseline n \(e.baselineN ?? 0) < \(e.rule.minSamples))"
        }
    }

    static func thresholdJSON(_ rule: TriggerConfig.Rule) -> JSON {
        .object([("above", number(rule.above)), ("below", number(rule.below)), ("max_increase", number(rule.maxIncrease)),
                 ("max_relative_increase", number(rule.maxRelativeIncrease)), ("max_decrease", number(rule.maxDecrease)),
                 ("max_relative_decrease", number(rule.maxRelativeDecrease))])
    }

    /// The rule's definition, shared by check, backtest and watch.
    static func ruleJSON(_ rule: TriggerConfig.Rule) -> [(String, JSON)] {
        [("name", .string(rule.name)), ("signal", rule.signal.map { .string($0.name) } ?? .null), ("statistic", .string(rule.statistic.rawValue)),
         ("where", rule.filter.map(JSON.string) ?? .null), ("window", .string(rule.window)),
         ("baseline_window", rule.needsBaseline ? (rule.baseline.map { .string($0.text) } ?? .null) : .null),
         ("thresholds", thresholdJSON(rule)), ("min_samples", .integer(Int64(rule.minSamples))), ("action", .string(rule.action))]
    }

    static func evaluationJSON(_ e: Trigger.Evaluation) -> JSON {
        var members = ruleJSON(e.rule)
        members += [
            ("from", jsonTime(e.from)), ("to", jsonTime(e.to)), ("n", .integer(Int64(e.n))), ("value", number(e.value)),
            ("baseline", e.baselineFrom == nil ? .null : .object([
                ("from", jsonTime(e.baselineFrom)), ("to", jsonTime(e.baselineTo)), ("n", .integer(Int64(e.baselineN ?? 0))),
                ("value", number(e.baselineValue)),
            ])),
            ("upper_limit", number(e.upperLimit)), ("lower_limit", number(e.lowerLimit)),
            ("status", .string(e.status == .ok ? "not_fired" : e.status.rawValue)), ("exceeded", .array(e.exceeded.map(JSON.string))),
        ]
        return .object(members)
    }

    /// One table row per evaluation, for check and watch.
    static func checkTable(_ evaluations: [Trigger.Evaluation]) -> ReportTable {
        var t = ReportTable(["trigger", "measure", "where", "window", "n", "value", "baseline", "threshold", "status", "action"], numeric: [4, 5, 6])
        for e in evaluations {
            let baseline = e.baselineFrom == nil ? "–" : value(e.baselineValue, e.rule) + " (n \(Figures.count(e.baselineN ?? 0)))"
            t.add([e.rule.name, e.rule.measure, e.rule.filter ?? "all traces", e.rule.window, Figures.count(e.n), value(e.value, e.rule),
                   baseline, thresholds(e.rule), status(e), e.rule.action])
        }
        return t
    }

    /// `refund-refusals: refused rate 16.0% > 10.0% (n 42) → rollback`.
    static func firing(_ e: Trigger.Evaluation) -> String {
        let limit = e.exceeded.contains(where: { ["below", "max_decrease", "max_relative_decrease"].contains($0) })
            ? "< " + value(e.lowerLimit, e.rule) : "> " + value(e.upperLimit, e.rule)
        let baseline = e.baselineValue.map { " (baseline \(value($0, e.rule)))" } ?? ""
        return "\(e.rule.name): \(e.rule.measure) \(value(e.value, e.rule)) \(limit)\(baseline), n \(Figures.count(e.n)) over \(e.rule.window) → \(e.rule.action)"
    }
}

extension TriggerCheck: ResultDocument {
    /// A fired trigger exits with status 1, as a gate's HOLD does.
    public var failedCheck: Bool { !fired.isEmpty }

    public func text(_ style: TextStyle) -> String { render(style, markdown: false) }
    public func markdown() -> String { render(TextStyle(), markdown: true) }

    private func render(_ style: TextStyle, markdown: Bool) -> String {
        let firedCount = fired.count
        let verdict = evaluations.isEmpty ? "no traces: nothing to evaluate"
            : firedCount == 0 ? "no trigger fired" : "\(firedCount) trigger\(firedCount == 1 ? "" : "s") fired"
        var out = markdown ? "## Rollback triggers: \(verdict)\n\n" : style.paint("triggers: \(verdict)", firedCount > 0 ? "1;31" : "1;32") + "\n"
        out += "rules: \(path); windows ending at \(TriggerText.time(at))\(atGiven ? " (at)" : " (the newest trace)")" + (markdown ? "\n\n" : "\n\n")
        guard !evaluations.isEmpty else { return out }
        let table = TriggerText.checkTable(evaluations)
        out += (markdown ? table.markdown() : table.text(style))
        if !fired.isEmpty {
            out += "\n" + fired.map { "- FIRED " + TriggerText.firing($0) + "\n" }.joined()
        }
        return out
    }

    public func json() -> JSON {
        .object([("command", .string("triggers check")), ("rules", .string(path)), ("at", TriggerText.jsonTime(evaluations.isEmpty ? nil : at)),
                 ("fired", .array(fired.map { .string($0.rule.name) })),
                 ("triggers", .array(evaluations.map(TriggerText.evaluationJSON)))])
    }
}

extension TriggerBacktest: ResultDocument {
    public func text(_ style: TextStyle) -> String { render(style, markdown: false) }
    public func markdown() -> String { render(TextStyle(), markdown: true) }

    /// Episodes shown per rule in text; JSON holds them all.
    static let shownEpisodes = 10

    private func render(_ style: TextStyle, markdown: Bool) -> String {
        func heading(_ title: String) -> String { markdown ? "### \(title)\n\n" : style.paint(title, "1") + "\n" }
        var out = markdown ? "## Rollback triggers: backtest\n\n" : style.paint("triggers backtest", "1") + "\n"
        out += "rules: \(path); history \(TriggerText.time(from)) → \(TriggerText.time(to))"
            + String(format: "; %.2f s", elapsedMs / 1000) + (markdown ? "\n\n" : "\n\n")
        var t = ReportTable(["trigger", "measure", "window", "step", "evaluations", "fired", "fired %", "insufficient", "episodes", "first fired", "last fired", "action"],
                            numeric: [4, 5, 6, 7, 8])
        for r in rules {
            t.add([r.rule.name, r.rule.measure, r.rule.window, r.rule.step, Figures.count(r.evaluations), Figures.count(r.fired),
                   Figures.percent(r.firedFraction), Figures.count(r.insufficient), Figures.count(r.episodes.count),
                   TriggerText.time(r.firstFired), TriggerText.time(r.lastFired), r.rule.action])
        }
        out += markdown ? t.markdown() : t.text(style)
        for r in rules where !r.episodes.isEmpty {
            out += "\n" + heading("Episodes of \(r.rule.name)")
            var e = ReportTable(["first fired", "last fired", "windows", "peak"], numeric: [2, 3])
            for episode in r.episodes.prefix(Self.shownEpisodes) {
                e.add([TriggerText.time(episode.first), TriggerText.time(episode.last), Figures.count(episode.evaluations),
                       TriggerText.value(episode.peak, r.rule)])
            }
            out += markdown ? e.markdown() : e.text(style)
            if r.episodes.count > Self.shownEpisodes {
                out += "… and \(r.episodes.count - Self.shownEpisodes) more (`--format json` lists every one)\n"
            }
        }
        return out
    }

    public func json() -> JSON {
        .object([
            ("command", .string("triggers backtest")), ("rules", .string(path)), ("from", TriggerText.jsonTime(from)), ("to", TriggerText.jsonTime(to)),
            ("elapsed_ms", .double(elapsedMs)),
            ("triggers", .array(rules.map { r in
                .object(TriggerText.ruleJSON(r.rule) + [
                    ("step", .string(r.rule.step)), ("evaluations", .integer(Int64(r.evaluations))), ("fired", .integer(Int64(r.fired))),
                    ("fired_fraction", .double(r.firedFraction)), ("insufficient", .integer(Int64(r.insufficient))),
                    ("first_fired", TriggerText.jsonTime(r.firstFired)), ("last_fired", TriggerText.jsonTime(r.lastFired)),
                    ("episodes", .array(r.episodes.map { e in
                        .object([("first", TriggerText.jsonTime(e.first)), ("last", TriggerText.jsonTime(e.last)),
                                 ("windows", .integer(Int64(e.evaluations))), ("peak", TriggerText.number(e.peak))])
                    })),
                ])
            })),
        ])
    }
}

extension TriggerWatch.Round: ResultDocument {
    public var failedCheck: Bool { fired }

    public func text(_ style: TextStyle) -> String {
        let clock = TriggerText.time(Int64(Date().timeIntervalSince1970 * 1e9))
        var loaded: String
        switch load.report?.outcome {
        case .loaded(let s)?: loaded = "+\(Figures.count(Int(s.spans))) spans, \(Figures.count(Int(s.traces))) traces"
        case .alreadyLoaded(let id)?: loaded = "already loaded (load \(id))"
        case nil: loaded = "nothing new"
        }
        if load.restarted { loaded += " (the file shrank: read again from its start)" }
        var out = "[\(clock)] round \(number): \(file): \(loaded); \(check.evaluations.count) rule\(check.evaluations.count == 1 ? "" : "s") at \(TriggerText.time(check.at))"
        let fired = check.fired
        out += fired.isEmpty ? ", none fired\n" : ", \(fired.count) fired\n"
        for e in fired { out += "  " + style.paint("FIRED", "1;31") + " " + TriggerText.firing(e) + "\n" }
        return out
    }

    public func json() -> JSON {
        .object([("command", .string("triggers watch")), ("round", .integer(Int64(number))), ("file", .string(file)),
                 ("bytes", .array([.integer(load.from), .integer(load.to)])), ("restarted", .bool(load.restarted)),
                 ("loaded", .object([("spans", .integer(spans)), ("traces", .integer(traces))])),
                 ("at", TriggerText.jsonTime(check.evaluations.isEmpty ? nil : check.at)),
                 ("fired", .array(check.fired.map { .string($0.rule.name) })),
                 ("triggers", .array(check.evaluations.map(TriggerText.evaluationJSON)))])
    }
}

extension TriggerWatch.Summary: ResultDocument {
    /// A trigger that fired in any round exits with status 1.
    public var failedCheck: Bool { fired }

    public func text(_ style: TextStyle) -> String {
        let fired = firings.filter { $0.rounds > 0 }.map { "\($0.name) in \($0.rounds) round\($0.rounds == 1 ? "" : "s")" }
        return "watched \(file) for \(rounds) round\(rounds == 1 ? "" : "s")\(stoppedByInterrupt ? " (stopped by Ctrl-C)" : ""): "
            + "\(Figures.count(Int(spans))) spans, \(Figures.count(Int(traces))) traces loaded; "
            + (fired.isEmpty ? "no trigger fired" : "fired: " + fired.joined(separator: ", ")) + "\n"
    }

    public func json() -> JSON {
        .object([("command", .string("triggers watch")), ("file", .string(file)), ("rules", .string(rules)), ("rounds", .integer(Int64(rounds))),
                 ("loaded", .object([("spans", .integer(spans)), ("traces", .integer(traces))])),
                 ("interrupted", .bool(stoppedByInterrupt)),
                 ("fired", .object(firings.map { ($0.name, JSON.integer(Int64($0.rounds))) }))])
    }
}
