import Foundation

/// The Jensen–Shannon distance between the binned baseline and current distributions: the
/// square root of the mean divergence of each from their average.
///
/// Unlike PSI it needs no stand-in for empty bins, it is symmetric and bounded (0 to 1 in base
/// 2, 0 to √ln 2 ≈ 0.83 in base e), and it is a metric. Base 2 is the one to read; base e is what
/// Evidently compares with its threshold of 0.1.
public struct JensenShannonDistance: Sendable, Equatable {
    /// The distance with base-2 logarithms, in [0, 1].
    public let base2: Double
    /// The distance with natural logarithms (Evidently's), in [0, √ln 2].
    public let baseE: Double

    /// The distance between two histograms given as counts over the same bins.
    ///
    /// `scipy.spatial.distance.jensenshannon(p, q, base)` step by step: each histogram divided by
    /// its total, m = (p + q)/2, JS = Σ rel_entr(p, m) + Σ rel_entr(q, m) (0·log 0 = 0), divided
    /// by ln(base), distance √(JS/2). The oracle feeds it the proportions count/n; dividing those
    /// by their sum again, as scipy does, is kept so the two round alike.
    init(baselineCounts: [Int], currentCounts: [Int]) {
        precondition(baselineCounts.count == currentCounts.count, "both samples need the same bins")
        let nb = Double(baselineCounts.reduce(0, +)), nc = Double(currentCounts.reduce(0, +))
        let proportionsB = baselineCounts.map { Double($0) / nb }
        let proportionsC = currentCounts.map { Double($0) / nc }
        // Sums in numpy's order: near-equal histograms make the terms cancel (see PairwiseSum).
        let sumB = PairwiseSum.sum(proportionsB), sumC = PairwiseSum.sum(proportionsC)
        let p = proportionsB.map { $0 / sumB }, q = proportionsC.map { $0 / sumC }
        var left = [Double](repeating: 0, count: p.count), right = left
        for i in p.indices {
            let m = (p[i] + q[i]) / 2
            left[i] = Self.relativeEntropy(p[i], m)
            right[i] = Self.relativeEntropy(q[i], m)
        }
        let js = PairwiseSum.sum(left) + PairwiseSum.sum(right)
        baseE = (js / 2).squareRoot()
        base2 = (js / log(2.0) / 2).squareRoot()
    }

    /// x·ln(x/y), 0 for x = 0 (scipy's `rel_entr`).
    private static func relativeEntropy(_ x: Double, _ y: Double) -> Double {
        if x == 0 { return 0 }
        return x * log(x / y)
    }
}
