import Foundation

/// Benjamini–Hochberg control of the false discovery rate, for `drift … by DIM`, which tests
/// every value of a dimension at once.
///
/// With twenty values tested at p < 0.05, one is expected to "drift" by chance alone. The
/// q-value of a test is the smallest false discovery rate at which it would be called a
/// discovery; flagging the tests with q ≤ 0.05 keeps the expected share of false flags among all
/// flags at 5 % (for independent or positively dependent tests).
public enum BenjaminiHochberg {
    /// The q-values of `pValues` (each in [0, 1]), in the same order.
    ///
    /// `statsmodels.stats.multitest.multipletests(p, method="fdr_bh")[1]` step by step: over the
    /// ascending p-values p₍ₖ₎, p₍ₖ₎/(k/m), made monotone by a running minimum from the largest
    /// down, capped at 1.
    public static func qValues(_ pValues: [Double]) -> [Double] {
        precondition(pValues.allSatisfy { (0...1).contains($0) }, "p-values must be in [0, 1]")
        let m = pValues.count
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var adjusted = [Double](repeating: 0, count: m)
        var running = Double.infinity
        for k in stride(from: m - 1, through: 0, by: -1) {
            let raw = pValues[order[k]] / (Double(k + 1) / Double(m))
            running = min(running, raw)
            adjusted[k] = min(running, 1)
        }
        var q = [Double](repeating: 0, count: m)
        for (k, index) in order.enumerated() { q[index] = adjusted[k] }
        return q
    }

    /// Which tests are discoveries at false discovery rate `alpha`: every p-value up to the
    /// largest p₍ₖ₎ ≤ α·k/m (statsmodels' `multipletests(p, alpha, "fdr_bh")[0]`).
    public static func discoveries(_ pValues: [Double], falseDiscoveryRate alpha: Double = 0.05) -> [Bool] {
        precondition(pValues.allSatisfy { (0...1).contains($0) }, "p-values must be in [0, 1]")
        let m = pValues.count
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var largest = -1
        for (k, index) in order.enumerated() where pValues[index] <= Double(k + 1) / Double(m) * alpha {
            largest = k
        }
        var result = [Bool](repeating: false, count: m)
        if largest >= 0 { for k in 0...largest { result[order[k]] = true } }
        return result
    }
}
