import Analysis
import Foundation
import Query
import Store

/// A rollback trigger at work: one rule of triggers.yaml evaluated on a window ending at a
/// time. `TriggerCheck` evaluates every rule once (the latest window), `TriggerBacktest`
/// steps along the stored history; both read each rule's values with one ordered scan and
/// evaluate windows in memory (`WindowSeries`).
public enum Trigger {
    /// One rule on one window.
    public struct Evaluation: Sendable {
        public enum Status: String, Sendable {
            case fired
            /// Evaluated; no threshold passed.
            case ok = "not fired"
            /// Fewer than `min_samples` values in the window (or in the baseline, for a rule
            /// whose thresholds all need it): no verdict.
            case insufficient
        }
        public var rule: TriggerConfig.Rule
        /// The window `(from, to]` in Unix nanoseconds.
        public var from: Int64
        public var to: Int64
        public var n: Int
        public var value: Double?
        /// The baseline window and its statistic, when the rule has `max_…` thresholds.
        public var baselineFrom: Int64?
        public var baselineTo: Int64?
        public var baselineN: Int?
        public var baselineValue: Double?
        public var status: Status
        /// The thresholds the value went past.
        public var exceeded: [String]

        /// The value past which the rule fires upwards (the strictest of `above` and the
        /// baseline plus `max_increase` / `max_relative_increase`), and downwards.
        public var upperLimit: Double? {
            var limits: [Double] = rule.above.map { [$0] } ?? []
            if let b = baselineValue {
                if let a = rule.maxIncrease { limits.append(b + a) }
                if let r = rule.maxRelativeIncrease { limits.append(b + abs(b) * r) }
            }
            return limits.min()
        }

        public var lowerLimit: Double? {
            var limits: [Double] = rule.below.map { [$0] } ?? []
            if let b = baselineValue {
                if let a = rule.maxDecrease { limits.append(b - a) }
                if let r = rule.maxRelativeDecrease { limits.append(b - abs(b) * r) }
            }
            return limits.max()
        }
    }

    /// Rounding slack, as the gate's: equal rates of different sizes differ by ~1e-17.
    static let tolerance = 1e-12

    /// Evaluates `rule` on the window ending at `end`, from the rule's series.
    public static func evaluate(_ rule: TriggerConfig.Rule, series: WindowSeries, end: Int64) -> Evaluation {
        let from = end - rule.windowNs
        let (value, n) = series.statistic(rule.statistic, from: from, to: end)
        var e = Evaluation(rule: rule, from: from, to: end, n: n, value: value, status: .insufficient, exceeded: [])
        // A count is its own sample size: "traffic below 10 an hour" must fire on an empty window.
        let counts = rule.statistic == .count
        var baselineReady = false
        if rule.needsBaseline, let baseline = rule.baseline {
            let span = baseline.span(windowFrom: from, to: end)
            let (b, bn) = series.statistic(rule.statistic, from: span.from, to: span.to)
            e.baselineFrom = span.from
            e.baselineTo = span.to
            e.baselineN = bn
            e.baselineValue = b
            baselineReady = b != nil && (counts || bn >= rule.minSamples)
        }
        guard let value, counts || n >= rule.minSamples else { return e }
        let absolute = rule.above != nil || rule.below != nil
        guard absolute || baselineReady else { return e }
        e.exceeded = exceeded(rule, value: value, baseline: baselineReady ? e.baselineValue : nil)
        e.status = e.exceeded.isEmpty ? .ok : .fired
        return e
    }

    /// The thresholds of `rule` that `value` goes past (the baseline ones only with a baseline).
    /// A relative threshold on a baseline of 0 is passed by any change its way.
    static func exceeded(_ rule: TriggerConfig.Rule, value: Double, baseline: Double?) -> [String] {
        var out: [String] = []
        if let a = rule.above, value > a + tolerance { out.append("above") }
        if let b = rule.below, value < b - tolerance { out.append("below") }
        guard let baseline else { return out }
        let delta = value - baseline
        let relative = baseline != 0 ? delta / abs(baseline) : nil
        if let a = rule.maxIncrease, delta > a + tolerance { out.append("max_increase") }
        if let r = rule.maxRelativeIncrease, relative.map({ $0 > r + tolerance }) ?? (delta > tolerance) { out.append("max_relative_increase") }
        if let a = rule.maxDecrease, -delta > a + tolerance { out.append("max_decrease") }
        if let r = rule.maxRelativeDecrease, relative.map({ -$0 > r + tolerance }) ?? (-delta > tolerance) { out.append("max_relative_decrease") }
        return out
    }

    /// How far before a window's start a rule reads: its baseline's reach.
    static func lookback(_ rule: TriggerConfig.Rule) -> Int64 {
        guard rule.needsBaseline, let b = rule.baseline else { return 0 }
        return b.nanoseconds
    }

    /// The rule's values in `(from, to]`, in time order: one scan.
    public static func series(_ rule: TriggerConfig.Rule, condition: Condition, from: Int64, to: Int64, database: Database) throws -> WindowSeries {
        let scan = TriggerScan.values(rule.signal, condition: condition, from: from, to: to)
        let statement = try database.prepare(scan.sql)
        try statement.bind(scan.parameters)
        var times: [Int64] = [], values: [Double] = []
        while try statement.step() {
            guard let t = statement.int64(at: 0), let v = statement.double(at: 1) else { continue }
            times.append(t)
            values.append(v)
        }
        return WindowSeries(times: times, values: values)
    }

    /// The rule's `where` compiled over `traces`; errors point into triggers.yaml.
    public static func condition(_ rule: TriggerConfig.Rule, path: String, queries: QueryEngine) throws -> Condition {
        guard let filter = rule.filter else { return .all }
        return try queries.condition(QuerySource(name: path, text: filter, firstLine: rule.filterLine ?? 1))
    }

    /// The oldest and newest trace start in the store; nil when it holds no trace.
    public static func storeEnds(_ database: Database) throws -> (first: Int64, last: Int64)? {
        guard let row = try database.query(TriggerScan.ends).rows.first,
              let first = row[0].int64Value, let last = row[1].int64Value else { return nil }
        return (first, last)
    }
}

/// `triggers check [FILE] [at TIME]`: every rule on its latest window, which ends at the newest
/// trace's start (or at TIME). Exit status 1 when one fires.
public struct TriggerCheck: Sendable {
    public var path: String
    /// The end of every rule's window, and whether it was given (`at`).
    public var at: Int64
    public var atGiven: Bool
    public var evaluations: [Trigger.Evaluation]

    public var fired: [Trigger.Evaluation] { evaluations.filter { $0.status == .fired } }

    /// Evaluates every rule at `at` (default: the newest trace's start).
    public static func run(_ config: TriggerConfig, at: Int64?, database: Database, queries: QueryEngine) throws -> TriggerCheck {
        let conditions = try config.rules.map { try Trigger.condition($0, path: config.path, queries: queries) }
        guard let end = try at ?? Trigger.storeEnds(database)?.last else {
            return TriggerCheck(path: config.path, at: 0, atGiven: false, evaluations: [])
        }
        var evaluations: [Trigger.Evaluation] = []
        for (rule, condition) in zip(config.rules, conditions) {
            let from = end - rule.windowNs - Trigger.lookback(rule)
            let series = try Trigger.series(rule, condition: condition, from: from, to: end, database: database)
            evaluations.append(Trigger.evaluate(rule, series: series, end: end))
        }
        return TriggerCheck(path: config.path, at: end, atGiven: at != nil, evaluations: evaluations)
    }
}

/// `triggers backtest [FILE] [between T1 and T2]`: each rule replayed over the stored history,
/// a window ending at every multiple of its step (UTC-aligned) whose window lies within
/// `[T1, T2]`: how often and when it would have fired, so noisy rules show before they page.
public struct TriggerBacktest: Sendable {
    /// A run of consecutive evaluations that fired: one page, as a person would see it.
    public struct Episode: Sendable, Equatable {
        /// The ends of the first and last firing windows.
        public var first: Int64
        public var last: Int64
        public var evaluations: Int
        /// The statistic's highest (or, for a rule that fires below, lowest) value in the run.
        public var peak: Double?
    }

    public struct RuleResult: Sendable {
        public var rule: TriggerConfig.Rule
        public var evaluations: Int
        public var fired: Int
        public var insufficient: Int
        public var episodes: [Episode]
        /// Fired evaluations over all evaluations (0 without evaluations).
        public var firedFraction: Double { evaluations == 0 ? 0 : Double(fired) / Double(evaluations) }
        public var firstFired: Int64? { episodes.first?.first }
        public var lastFired: Int64? { episodes.last?.last }
        /// Every evaluation, kept for tests and JSON (`windows`).
        public var windows: [Trigger.Evaluation]
    }

    public var path: String
    public var from: Int64
    public var to: Int64
    public var rangeGiven: Bool
    public var rules: [RuleResult]
    public var elapsedMs: Double

    /// Replays every rule over `(from, to]` (default: the store's oldest to newest trace).
    public static func run(_ config: TriggerConfig, from: Int64?, to: Int64?, database: Database, queries: QueryEngine) throws -> TriggerBacktest {
        let started = Date()
        let conditions = try config.rules.map { try Trigger.condition($0, path: config.path, queries: queries) }
        let ends = try Trigger.storeEnds(database)
        guard let start = from ?? ends?.first, let stop = to ?? ends?.last else {
            return TriggerBacktest(path: config.path, from: 0, to: 0, rangeGiven: from != nil, rules: [], elapsedMs: 0)
        }
        var results: [RuleResult] = []
        for (rule, condition) in zip(config.rules, conditions) {
            let series = try Trigger.series(rule, condition: condition, from: start - rule.windowNs - Trigger.lookback(rule), to: stop, database: database)
            results.append(replay(rule, series: series, from: start, to: stop))
        }
        return TriggerBacktest(path: config.path, from: start, to: stop, rangeGiven: from != nil || to != nil, rules: results,
                               elapsedMs: Date().timeIntervalSince(started) * 1000)
    }

    /// The window ends of a rule within `[from, to]`: multiples of its step, the first whose
    /// window starts at or after `from`.
    static func ends(_ rule: TriggerConfig.Rule, from: Int64, to: Int64) -> StrideThrough<Int64> {
        let step = rule.stepNs
        let earliest = from + rule.windowNs
        var first = (earliest / step) * step
        if first < earliest { first += step }
        return stride(from: first, through: to, by: Int64.Stride(step))
    }

    /// Evaluates the rule at every step and groups the firings into episodes.
    static func replay(_ rule: TriggerConfig.Rule, series: WindowSeries, from: Int64, to: Int64) -> RuleResult {
        var result = RuleResult(rule: rule, evaluations: 0, fired: 0, insufficient: 0, episodes: [], windows: [])
        var open: Episode?
        let downward = rule.above == nil && rule.maxIncrease == nil && rule.maxRelativeIncrease == nil
        for end in ends(rule, from: from, to: to) {
            let e = Trigger.evaluate(rule, series: series, end: end)
            result.evaluations += 1
            result.windows.append(e)
            switch e.status {
            case .fired:
                result.fired += 1
                if var episode = open {
                    episode.last = end
                    episode.evaluations += 1
                    if let v = e.value { episode.peak = episode.peak.map { downward ? min($0, v) : max($0, v) } ?? v }
                    open = episode
                } else {
                    open = Episode(first: end, last: end, evaluations: 1, peak: e.value)
                }
            case .ok, .insufficient:
                if e.status == .insufficient { result.insufficient += 1 }
                if let episode = open { result.episodes.append(episode) }
                open = nil
            }
        }
        if let episode = open { result.episodes.append(episode) }
        return result
    }
}
