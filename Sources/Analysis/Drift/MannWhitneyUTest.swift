import Foundation

/// The Mann–Whitney U test: does one sample tend to hold larger values than the other?
///
/// A rank test, so a handful of huge latencies cannot dominate it as they can a t-test; it
/// complements KS, which reacts to any change of shape.
public struct MannWhitneyUTest: Sendable, Equatable {
    /// How the p-value was computed.
    public enum Method: String, Sendable, Equatable {
        /// The exact null distribution of U (no ties, a sample of at most 8 values).
        case exact
        /// The normal approximation with tie and continuity corrections.
        case asymptotic
    }

    /// U of the current sample: the number of (current, baseline) pairs with the current value
    /// larger, ties counting ½.
    public let u: Double
    /// The two-sided p-value.
    public let pValue: Double
    /// The method behind `pValue`.
    public let method: Method

    /// `scipy.stats.mannwhitneyu(current, baseline, alternative="two-sided")` with its default
    /// `method="auto"`: exact when a sample has at most 8 values and there are no ties, else
    /// the normal approximation z = (max(U, n_c·n_b − U) − n_c·n_b/2 − ½)/σ with
    /// σ² = n_c·n_b/12·((n + 1) − Σ(t³ − t)/(n(n − 1))) over tie groups of size t, p = 2Φ(−z).
    /// Both samples sorted ascending and non-empty. Nil only when σ is 0 and U is at the centre
    /// plus ½ (scipy: NaN).
    static func compute(sortedBaseline a: [Double], sortedCurrent b: [Double]) -> MannWhitneyUTest? {
        precondition(!a.isEmpty && !b.isEmpty, "the Mann–Whitney test needs two non-empty samples")
        let nc = b.count, nb = a.count
        // Average ranks over the merged order: a tie group covering ranks s+1…s+t gets s + (t + 1)/2.
        var i = 0, j = 0
        var rankSum = 0.0, tieTerm = 0.0
        var below = 0
        var ties = false
        while i < a.count || j < b.count {
            let next = j == b.count || (i < a.count && a[i] <= b[j]) ? a[i] : b[j]
            var countA = 0, countB = 0
            while i < a.count && a[i] == next { i += 1; countA += 1 }
            while j < b.count && b[j] == next { j += 1; countB += 1 }
            let t = countA + countB
            if t > 1 { ties = true }
            let averageRank = Double(below) + Double(t + 1) / 2
            rankSum += Double(countB) * averageRank
            let td = Double(t)
            tieTerm += td * td * td - td
            below += t
        }
        let ncd = Double(nc), nbd = Double(nb)
        let u1 = rankSum - ncd * (ncd + 1) / 2
        let u2 = ncd * nbd - u1
        let u = max(u1, u2)
        let exact = !(nc > 8 && nb > 8) && !ties
        var p: Double
        if exact {
            p = 2 * exactLowerTail(Int(ncd * nbd - u), small: min(nc, nb), large: max(nc, nb))
        } else {
            let n = ncd + nbd
            let sigma = (ncd * nbd / 12 * ((n + 1) - tieTerm / (n * (n - 1)))).squareRoot()
            let z = (u - ncd * nbd / 2 - 0.5) / sigma
            p = 2 * Normal.cdf(-z)
        }
        if p.isNaN { return nil }
        p = min(max(p, 0), 1)
        return MannWhitneyUTest(u: u1, pValue: p, method: exact ? .exact : .asymptotic)
    }

    /// P(U ≤ k) under the null for samples of `small` and `large` values: the coefficients of the
    /// Gaussian binomial [small + large choose small]_q = Π_{i=1}^{small} (1 − q^{large+i})/(1 − q^i),
    /// up to q^k, divided by C(small + large, small).
    static func exactLowerTail(_ k: Int, small m: Int, large n: Int) -> Double {
        guard k >= 0, m >= 1 else { return k >= 0 ? 1 : 0 }
        let top = min(k, m * n)
        var c = [Double](repeating: 0, count: top + 1)
        c[0] = 1
        for i in 1...m {
            // Divide by (1 − q^i): a running sum with stride i.
            if i <= top { for u in i...top { c[u] += c[u - i] } }
            // Multiply by (1 − q^(n+i)).
            let shift = n + i
            if shift <= top { for u in stride(from: top, through: shift, by: -1) { c[u] -= c[u - shift] } }
        }
        var total = 1.0
        for i in 0..<m { total = total * Double(n + m - i) / Double(i + 1) }
        return c.reduce(0, +) / total
    }
}
