import Foundation

/// How one measurement moved between two versions over the same inputs: the paired comparison
/// behind `diff DIM A B`.
///
/// Pairing by input removes the input-to-input spread (a long prompt is slow under both
/// versions), so the differences d = b − a show the version effect with far less noise than
/// two independent samples would. Two summaries are given because latency-like measurements are
/// skewed: the mean difference with Student's t interval (scipy's `ttest_rel`), and the median
/// difference with a distribution-free interval from order statistics.
///
/// Anything undefined for the sample at hand is nil rather than NaN: no means without pairs,
/// no t interval or test below two pairs, no t statistic when every difference is the same, no
/// median interval when even [min, max] would cover less than the confidence asked for.
public struct PairedDelta: Sendable, Equatable {
    /// The number of pairs.
    public let n: Int
    /// The confidence level of both intervals, e.g. 0.95.
    public let confidence: Double
    /// The mean under the baseline version A.
    public let meanA: Double?
    /// The mean under the current version B.
    public let meanB: Double?
    /// The mean of the differences b − a (equal to meanB − meanA up to rounding).
    public let meanDelta: Double?
    /// meanDelta / meanA: the change as a fraction of the baseline; nil when meanA is 0.
    public let relativeDelta: Double?
    /// The standard error of the mean difference, s_d / √n; nil below two pairs.
    public let standardError: Double?
    /// The degrees of freedom of the t test, n − 1; nil below two pairs.
    public let degreesOfFreedom: Int?
    /// Student's t interval for the mean difference; nil below two pairs. When every difference
    /// is the same value d it is [d, d].
    public let meanInterval: ConfidenceInterval?
    /// The paired t statistic, meanDelta / standardError; nil below two pairs or when every
    /// difference is the same (the statistic is then ±∞ or 0/0).
    public let t: Double?
    /// The two-sided p-value of the paired t test of "no mean difference"; nil with `t`.
    public let pValue: Double?
    /// The median of the differences (numpy's `median`).
    public let medianDelta: Double?
    /// The order-statistic interval [d₍ₖ₎, d₍ₙ₋ₖ₊₁₎] for the median difference; nil when even
    /// k = 1 covers less than `confidence` (n < 6 at 95 %).
    public let medianInterval: ConfidenceInterval?
    /// The coverage that `medianInterval` guarantees for continuous data, 1 − 2·P(X ≤ k − 1)
    /// with X ~ Binomial(n, ½); at least `confidence` (with ties it is conservative).
    public let medianCoverage: Double?

    /// Compares paired measurements: `current[i]` and `baseline[i]` belong to the same input.
    ///
    /// The t interval is meanDelta ± t₁₋α/₂,ₙ₋₁ · s_d/√n with α = 1 − confidence, as scipy's
    /// `ttest_rel(current, baseline).confidence_interval(confidence)`. The median interval takes
    /// the largest k ≤ (n + 1)/2 with 2·P(X ≤ k − 1) ≤ α for X ~ Binomial(n, ½), which is
    /// k = `binom.ppf(α/2, n, 0.5)` in scipy's terms. Values should be finite.
    public static func compute(baseline a: [Double], current b: [Double], confidence: Double = 0.95) -> PairedDelta {
        precondition(a.count == b.count, "paired samples must have the same length")
        precondition(0 < confidence && confidence < 1, "confidence must be in (0, 1)")
        let n = a.count
        var differences = [Double](repeating: 0, count: n)
        for i in 0..<n { differences[i] = b[i] - a[i] }

        let meanA = Descriptive.mean(a)
        let meanB = Descriptive.mean(b)
        let first = differences.first
        let allEqual = differences.allSatisfy { $0 == first }
        // With identical differences report d itself, not a sum that rounded away from it.
        let meanDelta = allEqual ? first : Descriptive.mean(differences)
        let relativeDelta: Double? = {
            guard let meanA, let meanDelta, meanA != 0 else { return nil }
            return meanDelta / meanA
        }()

        var standardError: Double?
        var degreesOfFreedom: Int?
        var meanInterval: ConfidenceInterval?
        var t: Double?
        var pValue: Double?
        if n >= 2, let meanDelta, let variance = Descriptive.sampleVariance(differences) {
            let df = n - 1
            let se = allEqual ? 0 : (variance / Double(n)).squareRoot()
            let critical = StudentT.quantile(1 - (1 - confidence) / 2, degreesOfFreedom: Double(df))
            standardError = se
            degreesOfFreedom = df
            meanInterval = ConfidenceInterval(lower: meanDelta - critical * se, upper: meanDelta + critical * se)
            if se > 0 {
                let statistic = meanDelta / se
                t = statistic
                pValue = StudentT.twoSided(statistic, degreesOfFreedom: Double(df))
            }
        }

        let sorted = differences.sorted()
        let median = Descriptive.median(sorted: sorted)
        var medianInterval: ConfidenceInterval?
        var medianCoverage: Double?
        if let k = medianRank(n: n, confidence: confidence) {
            medianInterval = ConfidenceInterval(lower: sorted[k - 1], upper: sorted[n - k])
            medianCoverage = -expm1(Binomial.ln2 + Binomial.logCDF(k - 1, trials: n))
        }

        return PairedDelta(
            n: n, confidence: confidence, meanA: meanA, meanB: meanB, meanDelta: meanDelta,
            relativeDelta: relativeDelta, standardError: standardError, degreesOfFreedom: degreesOfFreedom,
            meanInterval: meanInterval, t: t, pValue: pValue, medianDelta: median,
            medianInterval: medianInterval, medianCoverage: medianCoverage)
    }

    /// The rank k of the median interval [d₍ₖ₎, d₍ₙ₋ₖ₊₁₎]: the largest k in 1...(n + 1)/2 whose
    /// coverage 1 − 2·P(X ≤ k − 1) is at least `confidence`; nil if not even k = 1 reaches it.
    static func medianRank(n: Int, confidence: Double) -> Int? {
        guard n > 0 else { return nil }
        let logHalfAlpha = log((1 - confidence) / 2)
        func covers(_ k: Int) -> Bool { Binomial.logCDF(k - 1, trials: n) <= logHalfAlpha }
        guard covers(1) else { return nil }
        // Coverage falls as k grows: binary search for the last k that still covers.
        var good = 1, bad = (n + 1) / 2 + 1
        while bad - good > 1 {
            let mid = good + (bad - good) / 2
            if covers(mid) { good = mid } else { bad = mid }
        }
        return good
    }
}
