import Foundation

/// How one statistic of a signal moved from a baseline slice to a candidate slice, with an
/// interval for the move: the evidence a release gate tests against its thresholds.
///
/// Each statistic has the interval that suits it — Newcombe's hybrid score interval for a
/// difference of rates (with the two-proportion z-test), Welch's t interval for a difference
/// of means (with Welch's t-test), and a seeded percentile bootstrap for a difference of
/// quantiles (tail latency has no simple standard error). docs/release-gates.md states them.
public struct GateDelta: Sendable, Equatable {
    /// What is compared: a rate of a 0/1 signal, or a mean or quantile of a measurement.
    public enum Statistic: String, Sendable, CaseIterable {
        case rate, mean, p50, p95, p99

        /// The quantile of `p50`, `p95`, `p99`; nil for `rate` and `mean`.
        public var quantile: Double? {
            switch self {
            case .p50: return 0.5
            case .p95: return 0.95
            case .p99: return 0.99
            case .rate, .mean: return nil
            }
        }
    }

    public let statistic: Statistic
    /// Values on each side (known ones: a trace without the signal is not counted).
    public let baselineCount: Int
    public let candidateCount: Int
    /// The statistic on each side.
    public let baseline: Double
    public let candidate: Double
    /// candidate − baseline.
    public let delta: Double
    /// The `confidence` interval of `delta`; nil when a side has too few values for one.
    public let interval: ConfidenceInterval?
    /// The two-sided p-value of "no change" (z-test for rates, Welch for means); nil for
    /// quantiles, whose evidence is the bootstrap interval.
    public let pValue: Double?
    /// The name of the interval's method, as the report prints it.
    public let method: String

    /// delta / baseline; nil when the baseline is 0 (a relative change from nothing has no size).
    public var relative: Double? { baseline != 0 && baseline.isFinite ? delta / abs(baseline) : nil }

    /// The interval relative to the baseline, with the baseline taken as known: the gate's
    /// relative thresholds are read against it.
    public var relativeInterval: ConfidenceInterval? {
        guard let interval, baseline != 0, baseline.isFinite else { return nil }
        return ConfidenceInterval(lower: interval.lower / abs(baseline), upper: interval.upper / abs(baseline))
    }

    /// Compares x_b of n_b against x_c of n_c; nil when a side has no values.
    public static func rate(baselineTrue xb: Int, baselineTotal nb: Int, candidateTrue xc: Int, candidateTotal nc: Int,
                            confidence: Double = 0.95) -> GateDelta? {
        guard let drift = ProportionDrift.compute(baselineTrue: xb, baselineTotal: nb, currentTrue: xc, currentTotal: nc,
                                                  confidence: confidence) else { return nil }
        return GateDelta(statistic: .rate, baselineCount: nb, candidateCount: nc, baseline: drift.baselineRate,
                         candidate: drift.currentRate, delta: drift.delta, interval: drift.deltaInterval,
                         pValue: drift.zTest.pValue, method: "Newcombe, z-test")
    }

    /// Compares the mean or a quantile of two samples; nil when a side is empty, or for `rate`.
    /// `resamples` and `seed` drive the quantiles' bootstrap, so a gate re-run gives the same
    /// interval.
    public static func numbers(baseline a: [Double], candidate b: [Double], statistic: Statistic, confidence: Double = 0.95,
                               resamples: Int = 2000, seed: UInt64 = 1) -> GateDelta? {
        let a = a.filter(\.isFinite), b = b.filter(\.isFinite)
        guard !a.isEmpty, !b.isEmpty else { return nil }
        precondition(0 < confidence && confidence < 1, "confidence must be in (0, 1)")
        switch statistic {
        case .rate: return nil
        case .mean: return mean(a, b, confidence: confidence)
        case .p50, .p95, .p99:
            let q = statistic.quantile ?? 0.5
            let deltas = QuantileDelta.compute(sortedBaseline: RadixSort.sortedFinite(a), sortedCurrent: RadixSort.sortedFinite(b), quantiles: [q],
                                               resamples: max(resamples, 0), confidence: confidence, seed: seed)
            guard let d = deltas.first else { return nil }
            return GateDelta(statistic: statistic, baselineCount: a.count, candidateCount: b.count, baseline: d.baseline,
                             candidate: d.current, delta: d.delta, interval: d.interval, pValue: nil,
                             method: "bootstrap (\(resamples) resamples)")
        }
    }

    /// The difference of means with Welch's interval: delta ± t(df, (1 + confidence)/2) · se.
    /// Without two values on each side, or with no spread at all, only the point estimate
    /// (no spread: the interval is the point).
    static func mean(_ a: [Double], _ b: [Double], confidence: Double) -> GateDelta {
        let meanA = Descriptive.mean(a) ?? .nan, meanB = Descriptive.mean(b) ?? .nan
        let delta = meanB - meanA
        var interval: ConfidenceInterval?
        var pValue: Double?
        if a.count >= 2, b.count >= 2, let varA = Descriptive.sampleVariance(a), let varB = Descriptive.sampleVariance(b) {
            let va = varA / Double(a.count), vb = varB / Double(b.count)
            let se2 = va + vb
            if se2 > 0 {
                let df = se2 * se2 / (va * va / Double(a.count - 1) + vb * vb / Double(b.count - 1))
                let t = StudentT.quantile((1 + confidence) / 2, degreesOfFreedom: df)
                interval = ConfidenceInterval(lower: delta - t * se2.squareRoot(), upper: delta + t * se2.squareRoot())
                pValue = WelchTTest.compute(baseline: a, current: b)?.pValue
            } else {
                interval = ConfidenceInterval(lower: delta, upper: delta)
            }
        }
        return GateDelta(statistic: .mean, baselineCount: a.count, candidateCount: b.count, baseline: meanA, candidate: meanB,
                         delta: delta, interval: interval, pValue: pValue, method: "Welch t")
    }
}
