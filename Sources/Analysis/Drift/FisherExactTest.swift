import Foundation

/// Fisher's exact test of a 2 × 2 table: are the rows' true rates the same? Exact for any
/// counts, so it is the test to trust when a rate is built on a handful of events.
///
/// Rows are the baseline and current slices, columns true and false:
/// `[[x_b, n_b − x_b], [x_c, n_c − x_c]]`, as `scipy.stats.fisher_exact(table)`.
public struct FisherExactTest: Sendable, Equatable {
    /// The sample odds ratio a·d/(b·c) of the table [[a, b], [c, d]]: +∞ when b·c is 0 and a·d
    /// is not; nil (scipy: NaN) when a row or a column is empty.
    public let oddsRatio: Double?
    /// The two-sided p-value: the probability, given the margins, of a table at most as likely
    /// as the observed one (scipy's rule, with its relative tolerance of 1e-14 on "as likely").
    public let pValue: Double

    /// Tests the table [[a, b], [c, d]].
    ///
    /// Follows `scipy.stats.fisher_exact(…, alternative="two-sided")` step by step: the observed
    /// count a against the hypergeometric distribution of the first cell given the margins; the
    /// tail on a's side of the mode plus the tail on the other side from the first count that is
    /// no more likely than a (found by binary search).
    public static func compute(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> FisherExactTest {
        precondition(a >= 0 && b >= 0 && c >= 0 && d >= 0, "a table's counts must not be negative")
        if a + b == 0 || c + d == 0 || a + c == 0 || b + d == 0 {
            return FisherExactTest(oddsRatio: nil, pValue: 1)
        }
        let oddsRatio: Double = c > 0 && b > 0
            ? Double(a * d) / Double(c * b)
            : .infinity
        let n1 = a + b, n2 = c + d, n = a + c
        let distribution = Hypergeometric(population: n1 + n2, marked: n1, draws: n)
        let mode = distribution.mode
        let pExact = distribution.pmf(a)
        let pMode = distribution.pmf(mode)
        let epsilon = 1e-14
        let gamma = 1 + epsilon
        if abs(pExact - pMode) / max(pExact, pMode) <= epsilon {
            return FisherExactTest(oddsRatio: oddsRatio, pValue: 1)
        }
        var p: Double
        if a < mode {
            let lower = distribution.cdf(a)
            if distribution.pmf(n) > pExact * gamma {
                return FisherExactTest(oddsRatio: oddsRatio, pValue: min(lower, 1))
            }
            let guess = binarySearch({ -distribution.pmf($0) }, -pExact * gamma, mode, n)
            p = lower + distribution.sf(guess)
        } else {
            let upper = distribution.sf(a - 1)
            if distribution.pmf(0) > pExact * gamma {
                return FisherExactTest(oddsRatio: oddsRatio, pValue: min(upper, 1))
            }
            let guess = binarySearch({ distribution.pmf($0) }, pExact * gamma, 0, mode)
            p = upper + distribution.cdf(guess)
        }
        return FisherExactTest(oddsRatio: oddsRatio, pValue: min(p, 1))
    }

    /// The i in lo…hi with f(i) ≤ target < f(i + 1) for f ascending on that range (lo − 1 when
    /// none): scipy's `_binary_search_for_binom_tst`.
    private static func binarySearch(_ f: (Int) -> Double, _ target: Double, _ low: Int, _ high: Int) -> Int {
        var lo = low, hi = high
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            let value = f(mid)
            if value < target {
                lo = mid + 1
            } else if value > target {
                hi = mid - 1
            } else {
                return mid
            }
        }
        return f(lo) <= target ? lo : lo - 1
    }
}
