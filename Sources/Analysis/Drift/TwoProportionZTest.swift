import Foundation

/// The pooled two-proportion z-test: did a rate change between two independent samples?
///
/// It is the test Evidently uses for a column with at most two values, and for large counts it
/// is the same test as the 2 × 2 chi-square without correction (z² = χ²).
public struct TwoProportionZTest: Sendable, Equatable {
    /// z = (p_c − p_b)/√(p̄(1 − p̄)(1/n_b + 1/n_c)) with the pooled rate p̄; 0 when p̄ is 0 or 1.
    public let z: Double
    /// The two-sided p-value 2·P(Z > |z|); 1 when p̄ is 0 or 1.
    public let pValue: Double

    /// Tests x_b of n_b against x_c of n_c (both n > 0), as the oracle's `two_proportion_z`
    /// (and `statsmodels.stats.proportion.proportions_ztest([x_c, x_b], [n_c, n_b])`).
    ///
    /// The p-value is taken from erfc, so it keeps its digits far into the tail; Evidently's
    /// 2·(1 − Φ(|z|)) agrees to about 1e-12 relative down to p ≈ 1e-4 and reaches 0 near z = 8.3.
    public static func compute(baselineTrue xb: Int, baselineTotal nb: Int, currentTrue xc: Int, currentTotal nc: Int) -> TwoProportionZTest {
        precondition(nb > 0 && nc > 0, "the z-test needs two non-empty samples")
        precondition((0...nb).contains(xb) && (0...nc).contains(xc), "counts must be within their totals")
        let n1 = Double(nb), n2 = Double(nc)
        let p1 = Double(xb) / n1, p2 = Double(xc) / n2
        let pooled = Double(xb + xc) / (n1 + n2)
        guard pooled > 0 && pooled < 1 else { return TwoProportionZTest(z: 0, pValue: 1) }
        let se = (pooled * (1 - pooled) * (1 / n1 + 1 / n2)).squareRoot()
        let z = (p2 - p1) / se
        return TwoProportionZTest(z: z, pValue: erfc(abs(z) / 2.0.squareRoot()))
    }
}
