import Foundation

/// Binomial probabilities for any p, by Loader's saddle-point formula: the building block of
/// the hypergeometric distribution (Fisher's exact test) and of the Smirnov distribution (the
/// asymptotic Kolmogorov–Smirnov p-value).
///
/// Loader (2000), "Fast and accurate computation of binomial probabilities", as in R's
/// `dbinom_raw`: the result keeps full relative precision for any n, where a difference of
/// `lgamma` values would lose about log10(n) digits.
enum BinomialDensity {
    /// log P(X = k) for X ~ Binomial(n, p), given the means n·p and n·q = n·(1 − p) — passed
    /// separately so that callers can form them without cancellation. k and n are whole numbers.
    static func logProbability(_ k: Double, trials n: Double, mean np: Double, complementMean nq: Double) -> Double {
        if np <= 0 { return k == 0 ? 0 : -.infinity }
        if nq <= 0 { return k == n ? 0 : -.infinity }
        if k < 0 || k > n { return -.infinity }
        if k == 0 {
            if n == 0 { return 0 }
            // n·log q, through the deviance when q is close to 1 (where log q would round).
            return np < 0.1 * n ? -Stirling.deviance(n, nq) - np : n * log(nq / n)
        }
        if k == n {
            return nq < 0.1 * n ? -Stirling.deviance(n, np) - nq : n * log(np / n)
        }
        let rest = n - k
        let lc = stirlingError(n) - stirlingError(k) - stirlingError(rest)
            - Stirling.deviance(k, np) - Stirling.deviance(rest, nq)
        return lc - 0.5 * (log(2 * Double.pi) + log(k) + log1p(-k / n))
    }

    /// log(n!) − log(√(2πn) (n/e)^n): from `lgamma` for small n, Stirling's series above.
    static func stirlingError(_ n: Double) -> Double {
        if n <= 15 {
            return lgamma(n + 1) - (n + 0.5) * log(n) + n - 0.5 * log(2 * Double.pi)
        }
        return Stirling.correction(n)
    }
}
