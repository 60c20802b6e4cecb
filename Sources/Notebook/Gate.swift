import Analysis
import Foundation
import Investigate
import Query
import Store

/// `gate CANDIDATE against BASELINE`: a release check. Each signal of gates.yaml is compared
/// between the two slices and tested against its thresholds; each must-pass case is checked on
/// the candidate; the verdict is SHIP or HOLD, with the risks and a rollout plan whose
/// rollback triggers come from the same thresholds (docs/release-gates.md).
public struct Gate: Sendable {
    public enum Verdict: String, Sendable { case ship = "SHIP", hold = "HOLD" }

    /// One signal's change and its test.
    public struct SignalResult: Sendable {
        public enum Status: String, Sendable { case pass, fail, insufficient }
        public var rule: GateConfig.SignalRule
        /// nil when a side has no values at all.
        public var delta: GateDelta?
        public var baselineCount: Int
        public var candidateCount: Int
        /// The minimum values per side that applied.
        public var minSamples: Int
        public var status: Status
        /// The thresholds the point estimate exceeds (`fail`), as the report prints them.
        public var exceeded: [String]
        /// The thresholds the interval's upper bound exceeds while the point estimate does not.
        public var intervalExceeded: [String]
    }

    /// Something a reader of the report should know: `hold` risks made the verdict HOLD,
    /// `warn` ones were let through by gates.yaml, `note`s are for information.
    public struct Risk: Sendable, Equatable {
        public enum Level: String, Sendable { case hold, warn, note }
        public var level: Level
        public var message: String

        public init(level: Level, message: String) {
            self.level = level
            self.message = message
        }
    }

    /// A rollback rule for the monitoring window, from one signal's thresholds.
    public struct Trigger: Sendable, Equatable {
        public var signal: String
        public var statistic: GateDelta.Statistic
        /// The baseline's value and the value that calls for rollback (the stricter of the
        /// absolute and relative limits).
        public var baseline: Double
        public var limit: Double
        /// Fires below `limit` (a decrease rule) instead of above it.
        public var below: Bool
        public var window: String
        public var minSamples: Int
        /// The rule in words: "refused rate above 3.3% (baseline 2.3% + 1 pt) over 1h with ≥ 200 traces".
        public var rule: String
    }

    public var candidate: String
    public var baseline: String
    public var candidateTraces: Int
    public var baselineTraces: Int
    public var config: GateConfig
    public var signals: [SignalResult]
    public var cases: [CaseCheck]
    public var risks: [Risk]
    public var triggers: [Trigger]
    /// Where the triggers were written as triggers.yaml rules (`gate … triggers FILE`).
    public var triggersFile: String?

    /// HOLD when any risk holds; otherwise SHIP.
    public var verdict: Verdict { risks.contains { $0.level == .hold } ? .hold : .ship }
    /// The warnings a SHIP carries.
    public var warnings: [Risk] { risks.filter { $0.level == .warn } }

    /// Runs the gate: one scan reads every signal of both slices, then each case file is
    /// checked on the candidate. `caseFiles` are opened case files with their paths.
    public static func run(database: Database, queries: QueryEngine, candidate: QuerySource, baseline: QuerySource,
                           config: GateConfig, caseFiles: [(path: String, file: CaseFile)]) throws -> Gate {
        let conditions = try queries.conditions([baseline, candidate])
        let rules = config.signals
        let samples = try SignalSamples.read(rules.map(\.signal), baseline: conditions[0], current: conditions[1], database: database)
        let results = rules.indices.map { evaluate(rules[$0], baseline: samples.baseline[$0], candidate: samples.current[$0], config: config) }
        let candidateCondition = try queries.condition(candidate)
        let candidateText = candidate.text.trimmingCharacters(in: .whitespaces)
        let checks = try caseFiles.map {
            try CaseCheck.run($0.file, path: $0.path, database: database, condition: candidateCondition, slice: candidateText)
        }
        var gate = Gate(candidate: candidateText, baseline: baseline.text.trimmingCharacters(in: .whitespaces),
                        candidateTraces: samples.currentTraces, baselineTraces: samples.baselineTraces, config: config,
                        signals: results, cases: checks, risks: [], triggers: [])
        gate.risks = gate.assessRisks()
        gate.triggers = results.compactMap { trigger($0, config: config) }
        return gate
    }

    /// One signal's delta and its test against the rule. A threshold fails when the point
    /// estimate exceeds it; with fewer than the minimum values on a side there is no test.
    static func evaluate(_ rule: GateConfig.SignalRule, baseline: SignalSamples.Values, candidate: SignalSamples.Values,
                         config: GateConfig) -> SignalResult {
        var delta: GateDelta?
        var counts = (0, 0)
        switch (baseline, candidate) {
        case let (.rate(xb, nb), .rate(xc, nc)):
            counts = (nb, nc)
            delta = GateDelta.rate(baselineTrue: xb, baselineTotal: nb, candidateTrue: xc, candidateTotal: nc, confidence: config.confidence)
        case let (.numbers(a), .numbers(b)):
            counts = (a.count, b.count)
            delta = GateDelta.numbers(baseline: a, candidate: b, statistic: rule.statistic, confidence: config.confidence,
                                      resamples: config.resamples, seed: config.seed)
        default:
            break
        }
        let minimum = rule.minSamples ?? config.minSamples
        var result = SignalResult(rule: rule, delta: delta, baselineCount: counts.0, candidateCount: counts.1, minSamples: minimum,
                                  status: .insufficient, exceeded: [], intervalExceeded: [])
        guard let delta, min(counts.0, counts.1) >= minimum else { return result }
        result.exceeded = exceededThresholds(rule, delta: delta.delta, relative: delta.relative, baseline: delta.baseline)
        // An interval bound past a limit the point estimate keeps to is a risk: the upper bound
        // for increases, the lower for decreases (a bound cannot pass a limit on its other side
        // when the point estimate does not).
        if let interval = delta.interval {
            let relative = delta.relativeInterval
            let reached = exceededThresholds(rule, delta: interval.upper, relative: relative?.upper, baseline: delta.baseline)
                + exceededThresholds(rule, delta: interval.lower, relative: relative?.lower, baseline: delta.baseline)
            result.intervalExceeded = GateConfig.SignalRule.thresholdNames.filter { reached.contains($0) && !result.exceeded.contains($0) }
        }
        result.status = result.exceeded.isEmpty ? .pass : .fail
        return result
    }

    /// Rounding slack: equal rates of different sample sizes differ by ~1e-17, not by a point.
    static let tolerance = 1e-12

    /// The thresholds of `rule` that a change of `delta` (relative: `relative`) goes past. A
    /// relative threshold on a baseline of 0 is passed by any change its way.
    static func exceededThresholds(_ rule: GateConfig.SignalRule, delta: Double, relative: Double?, baseline: Double) -> [String] {
        var out: [String] = []
        if let limit = rule.maxIncrease, delta > limit + tolerance { out.append("max_increase") }
        if let limit = rule.maxRelativeIncrease {
            if let relative, relative > limit + tolerance { out.append("max_relative_increase") }
            if relative == nil, baseline == 0, delta > tolerance { out.append("max_relative_increase") }
        }
        if let limit = rule.maxDecrease, -delta > limit + tolerance { out.append("max_decrease") }
        if let limit = rule.maxRelativeDecrease {
            if let relative, -relative > limit + tolerance { out.append("max_relative_decrease") }
            if relative == nil, baseline == 0, -delta > tolerance { out.append("max_relative_decrease") }
        }
        return out
    }

    /// The risks, in the report's order: failed cases and thresholds, evidence too thin,
    /// cases not checked, then intervals that reach past a threshold.
    func assessRisks() -> [Risk] {
        var risks: [Risk] = []
        for check in cases {
            for r in check.results where r.status == .fail {
                risks.append(Risk(level: .hold, message: "must-pass case \(r.regressionCase.id) (\(check.path)) fails on the candidate"))
            }
        }
        for s in signals where s.status == .fail {
            risks.append(Risk(level: .hold, message: "\(s.rule.signal.name) \(s.rule.statistic.rawValue) \(Self.change(s)), above "
                + Self.limits(s.rule, only: s.exceeded)))
        }
        let thin = config.insufficient == .hold ? Risk.Level.hold : .warn
        for s in signals where s.status == .insufficient {
            risks.append(Risk(level: thin, message: "insufficient evidence for \(s.rule.signal.name): \(s.baselineCount) baseline and "
                + "\(s.candidateCount) candidate values, \(s.minSamples) needed on each side"))
        }
        let unchecked = config.missing == .hold ? Risk.Level.hold : .warn
        for check in cases {
            for r in check.results where r.status == .missing || r.status == .unknown {
                let why = r.status == .missing ? "has no trace of its input in the candidate" : "could not be checked (the trace lacks a fact it needs)"
                risks.append(Risk(level: unchecked, message: "must-pass case \(r.regressionCase.id) (\(check.path)) \(why)"))
            }
        }
        if cases.isEmpty { risks.append(Risk(level: .note, message: "no must-pass cases were checked")) }
        for s in signals where s.status == .pass && !s.intervalExceeded.isEmpty {
            risks.append(Risk(level: .note, message: "\(s.rule.signal.name) \(s.rule.statistic.rawValue) passes, but its interval "
                + "reaches past \(Self.limits(s.rule, only: s.intervalExceeded)): the data cannot rule that regression out"))
        }
        return risks
    }

    /// "went from 1.0% to 4.3% (+3.2 pt, +319%)", for the risks.
    static func change(_ s: SignalResult) -> String {
        guard let d = s.delta else { return "has no values" }
        let isRate = s.rule.statistic == .rate
        func show(_ x: Double) -> String { isRate ? percent(x) : number(x) }
        let delta = isRate ? String(format: "%+.1f pt", d.delta * 100) : (d.delta >= 0 ? "+" : "") + number(d.delta)
        let relative = d.relative.map { String(format: ", %+.1f%%", $0 * 100) } ?? ""
        return "went from \(show(d.baseline)) to \(show(d.candidate)) (\(delta)\(relative))"
    }

    /// The thresholds named in `only`, in words: "max_increase +1 pt", "max_relative_increase +10%".
    public static func limits(_ rule: GateConfig.SignalRule, only names: [String]) -> String {
        var parts: [String] = []
        if names.contains("max_increase"), let a = rule.maxIncrease {
            parts.append("max_increase " + (rule.statistic == .rate ? "+\(number(a * 100)) pt" : "+\(number(a))"))
        }
        if names.contains("max_relative_increase"), let r = rule.maxRelativeIncrease {
            parts.append("max_relative_increase +\(number(r * 100))%")
        }
        if names.contains("max_decrease"), let a = rule.maxDecrease {
            parts.append("max_decrease " + (rule.statistic == .rate ? "-\(number(a * 100)) pt" : "-\(number(a))"))
        }
        if names.contains("max_relative_decrease"), let r = rule.maxRelativeDecrease {
            parts.append("max_relative_decrease -\(number(r * 100))%")
        }
        return parts.joined(separator: " and ")
    }

    /// The rollback trigger of one signal: the baseline plus the stricter of its limits.
    static func trigger(_ s: SignalResult, config: GateConfig) -> Trigger? {
        guard let baseline = s.delta?.baseline, baseline.isFinite else { return nil }
        var limits: [(Double, String)] = []
        let isRate = s.rule.statistic == .rate
        func show(_ x: Double) -> String { isRate ? percent(x) : number(x) }
        if let a = s.rule.maxIncrease {
            limits.append((baseline + a, isRate ? "+ \(number(a * 100)) pt" : "+ \(number(a))"))
        }
        if let r = s.rule.maxRelativeIncrease {
            limits.append((baseline + abs(baseline) * r, "+ \(number(r * 100))%"))
        }
        var below: [(Double, String)] = []
        if let a = s.rule.maxDecrease {
            below.append((baseline - a, isRate ? "− \(number(a * 100)) pt" : "− \(number(a))"))
        }
        if let r = s.rule.maxRelativeDecrease {
            below.append((baseline - abs(baseline) * r, "− \(number(r * 100))%"))
        }
        // The stricter limit of the signal's direction: increases when it has any, else decreases.
        let above = !limits.isEmpty
        guard let (limit, how) = above ? limits.min(by: { $0.0 < $1.0 }) : below.max(by: { $0.0 < $1.0 }) else { return nil }
        let what = "\(s.rule.signal.name) \(s.rule.statistic.rawValue)"
        let rule = "\(what) \(above ? "above" : "below") \(show(limit)) (baseline \(show(baseline)) \(how)) over \(config.window) with ≥ \(s.minSamples) traces"
        return Trigger(signal: s.rule.signal.name, statistic: s.rule.statistic, baseline: baseline, limit: limit, below: !above,
                       window: config.window, minSamples: s.minSamples, rule: rule)
    }

    /// 2.3% (one decimal; two below 1%).
    static func percent(_ x: Double) -> String {
        let p = x * 100
        return String(format: abs(p) < 1 && p != 0 ? "%.2f%%" : "%.1f%%", p)
    }

    /// Four significant digits, without trailing zeros.
    static func number(_ x: Double) -> String {
        String(format: "%.4g", x)
    }
}
