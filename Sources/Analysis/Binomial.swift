import Foundation

/// The binomial distribution with p = ½, the null of McNemar's test and of the sign-test interval
/// for a median.
///
/// Probabilities are kept in log space: for a million trials the point probabilities underflow
/// long before the tail sums that matter do. The point probability uses Loader's saddle-point
/// form (the one R and scipy's Boost back end use), which keeps full relative precision where
/// `lgamma` differences would lose about `log10(n)` digits.
enum Binomial {
    /// log 2, the magnitude of log P for each trial at p = ½.
    static let ln2 = 0.693_147_180_559_945_309_417_232_121_458

    /// log P(X = k) for X ~ Binomial(n, ½).
    static func logProbability(_ k: Int, trials n: Int) -> Double {
        precondition(n >= 0, "binomial needs a non-negative number of trials")
        guard k >= 0, k <= n else { return -.infinity }
        let half = -ln2
        if k == 0 || k == n { return Double(n) * half }
        let nd = Double(n), kd = Double(k), rest = Double(n - k), mean = nd / 2
        return stirlingError(nd) - stirlingError(kd) - stirlingError(rest)
            - Stirling.deviance(kd, mean) - Stirling.deviance(rest, mean)
            + 0.5 * log(nd / (2 * Double.pi * kd * rest))
    }

    /// log P(X ≤ k) for X ~ Binomial(n, ½).
    ///
    /// Summed downward from k, where terms shrink at least geometrically, and stopped once the
    /// rest cannot change the sum: about √n terms at the centre, a handful in the tails.
    static func logCDF(_ k: Int, trials n: Int) -> Double {
        if k < 0 { return -.infinity }
        if k >= n { return 0 }
        if 2 * k >= n {
            // The upper part: P(X ≤ k) = 1 − P(X ≤ n − k − 1), and that tail is at most ½.
            return log1p(-exp(logCDF(n - k - 1, trials: n)))
        }
        // Ratios of successive terms: P(j − 1)/P(j) = j / (n − j + 1), below 1 for j ≤ n/2.
        var sum = 1.0, term = 1.0
        var j = k
        while j > 0 {
            let ratio = Double(j) / Double(n - j + 1)
            term *= ratio
            sum += term
            // The remaining terms are bounded by a geometric series with this ratio.
            if term * ratio / (1 - ratio) < sum * 1e-17 { break }
            j -= 1
        }
        return logProbability(k, trials: n) + log(sum)
    }

    /// The two-sided exact p-value of observing k successes in n trials under p = ½: the
    /// probability of an outcome at most as likely as k. That is `2 · P(X ≤ min(k, n − k))`
    /// capped at 1, as scipy's `binomtest(k, n, 0.5).pvalue` (whose relative tolerance of 1e-7
    /// on "as likely" cannot include another outcome for n below ten million); 1 when n is 0.
    static func twoSidedPValue(_ k: Int, trials n: Int) -> Double {
        precondition(n >= 0 && (0...n).contains(k), "binomial test needs 0 ≤ k ≤ n")
        guard n > 0 else { return 1 }
        let low = min(k, n - k)
        if 2 * low == n { return 1 }
        return min(1, 2 * exp(logCDF(low, trials: n)))
    }

    /// log(n!) − log(√(2πn) (n/e)^n), exactly from `lgamma` for small n (where the absolute error
    /// is what matters and stays near 1e-15) and from Stirling's series above.
    private static func stirlingError(_ n: Double) -> Double {
        if n <= 15 {
            return lgamma(n + 1) - (n + 0.5) * log(n) + n - 0.5 * log(2 * Double.pi)
        }
        return Stirling.correction(n)
    }
}
