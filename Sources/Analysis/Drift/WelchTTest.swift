import Foundation

/// Welch's t-test of a change in mean between two independent samples with unequal variances.
///
/// A location check beside the distribution tests: it answers "did the average move?" with the
/// usual t machinery, and is what an analyst expects next to a mean delta.
public struct WelchTTest: Sendable, Equatable {
    /// t = (mean_current − mean_baseline) / √(s²_c/n_c + s²_b/n_b).
    public let t: Double
    /// The Welch–Satterthwaite degrees of freedom (not a whole number in general).
    public let degreesOfFreedom: Double
    /// The two-sided p-value.
    public let pValue: Double

    /// `scipy.stats.ttest_ind(current, baseline, equal_var=False)`; nil when a sample has fewer
    /// than two values or both have no spread (scipy: NaN).
    static func compute(baseline a: [Double], current b: [Double]) -> WelchTTest? {
        guard a.count >= 2, b.count >= 2,
              let meanA = Descriptive.mean(a), let meanB = Descriptive.mean(b),
              let varA = Descriptive.sampleVariance(a), let varB = Descriptive.sampleVariance(b) else { return nil }
        let va = varA / Double(a.count), vb = varB / Double(b.count)
        let se2 = va + vb
        guard se2 > 0 else { return nil }
        let df = se2 * se2 / (va * va / Double(a.count - 1) + vb * vb / Double(b.count - 1))
        let t = (meanB - meanA) / se2.squareRoot()
        return WelchTTest(t: t, degreesOfFreedom: df, pValue: StudentT.twoSided(t, degreesOfFreedom: df))
    }
}
