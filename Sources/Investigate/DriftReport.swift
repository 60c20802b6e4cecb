import Analysis
import Foundation
import Query
import Store

/// `drift [SIGNAL, …] between SLICE and SLICE`: whether each signal's distribution moved
/// (docs/investigate.md; methods and thresholds in docs/statistics.md). One scan reads every
/// signal of both slices; each signal gets its statistics and a verdict by Evidently's rules,
/// and the table is sorted by severity.
public struct DriftReport: Sendable {
    public var baseline: String
    public var current: String
    public var baselineTraces: Int
    public var currentTraces: Int
    /// The thresholds the verdicts used (relops.yaml's `thresholds.drift`, else the defaults).
    public var thresholds: DriftThresholds
    public var results: [Result]
    public var elapsedMs: Double

    public struct Result: Sendable {
        public var signal: Signal
        public var statistics: Statistics?
        public var verdict: DriftVerdict?
        /// Why there is no verdict (no values in a slice).
        public var problem: String?
    }

    public enum Statistics: Sendable {
        case numeric(NumericDrift)
        case boolean(ProportionDrift)
        case categorical(CategoricalDrift)
    }

    public static func compute(database: Database, queries: QueryEngine, signals: [Signal], slices: SlicePairSpec,
                               thresholds: DriftThresholds = DriftThresholds(), bootstrap: Int = 2000) throws -> DriftReport {
        let started = Date()
        guard !signals.isEmpty else { throw InvestigateError("name a signal, or none for all of them") }
        let conditions = try queries.conditions([slices.baseline, slices.current])
        let samples = try SignalSamples.read(signals, baseline: conditions[0], current: conditions[1], database: database)
        guard samples.baselineTraces > 0, samples.currentTraces > 0 else {
            throw InvestigateError("the baseline holds \(samples.baselineTraces) traces and the current slice \(samples.currentTraces): both need some")
        }
        var options = NumericDrift.Options()
        options.bootstrapResamples = bootstrap
        let numericOptions = options
        // The signals' statistics are independent (sorting a million values each): one per core.
        let results = try Parallel.map(signals.count) { i -> Result in
            let signal = signals[i]
            var result = Result(signal: signal)
            switch (samples.baseline[i], samples.current[i]) {
            case let (.numbers(a), .numbers(b)):
                if let drift = NumericDrift.compute(baseline: a, current: b, options: numericOptions) {
                    result.statistics = .numeric(drift)
                    result.verdict = DriftVerdict.numeric(drift, thresholds: thresholds)
                }
            case let (.rate(ka, na), .rate(kb, nb)):
                if let drift = ProportionDrift.compute(baselineTrue: ka, baselineTotal: na, currentTrue: kb, currentTotal: nb) {
                    result.statistics = .boolean(drift)
                    // A rate's verdict is the two-proportion z-test (p < 0.05): Evidently's rule for more
                    // than 1,000 values (Jensen–Shannon ≥ 0.1) misses a refusal rate going 1% → 4%.
                    var rateThresholds = thresholds
                    if rateThresholds.method == nil { rateThresholds.method = .zTest }
                    result.verdict = DriftVerdict.proportion(drift, thresholds: rateThresholds)
                }
            case let (.labels(a), .labels(b)):
                if let drift = CategoricalDrift.compute(baselineCounts: a, currentCounts: b) {
                    result.statistics = .categorical(drift)
                    result.verdict = DriftVerdict.categorical(drift, thresholds: thresholds)
                }
            default:
                break
            }
            if result.verdict == nil {
                result.problem = "known for \(samples.baseline[i].count) baseline and \(samples.current[i].count) current traces"
            }
            return result
        }
        // The most severe first; signals without a verdict last, in their order.
        let ordered = results.enumerated().sorted { x, y in
            switch (x.element.verdict?.severity, y.element.verdict?.severity) {
            case let (a?, b?): return a != b ? a > b : x.offset < y.offset
            case (_?, nil): return true
            case (nil, _?): return false
            default: return x.offset < y.offset
            }
        }.map(\.element)
        return DriftReport(baseline: slices.baseline.text.trimmingCharacters(in: .whitespaces),
                           current: slices.current.text.trimmingCharacters(in: .whitespaces), baselineTraces: samples.baselineTraces,
                           currentTraces: samples.currentTraces, thresholds: thresholds, results: ordered, elapsedMs: Date().timeIntervalSince(started) * 1000)
    }
}
