import Foundation

/// The regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 − P(a, x), the special
/// function behind the chi-square distribution.
///
/// Evaluated by the power series of P below x = a + 1 and by the continued fraction of Q above
/// it (Numerical Recipes §6.2, Lentz's method), each on the side where it converges fast and
/// returns the small tail directly, so a chi-square p-value of 1e-300 keeps its digits.
enum IncompleteGamma {
    /// P(a, x) and Q(a, x) for a > 0 and x ≥ 0.
    static func regularized(a: Double, x: Double) -> (lower: Double, upper: Double) {
        precondition(a > 0, "incomplete gamma needs a positive shape")
        if x.isNaN { return (.nan, .nan) }
        if x <= 0 { return (0, 1) }
        if x == .infinity { return (1, 0) }
        if a == 0.5 {
            // Chi-square with one degree of freedom: the error function is exact and fast.
            let r = x.squareRoot()
            return (erf(r), erfc(r))
        }
        if a == 1 { return (-expm1(-x), exp(-x)) }
        let front = exp(logFront(a: a, x: x))
        if x < a + 1 {
            // P = x^a e^(−x) / Γ(a + 1) · Σₖ xᵏ / ((a + 1)…(a + k)); the terms shrink from the start.
            var sum = 1.0, term = 1.0, denominator = a
            for _ in 0..<100_000 {
                denominator += 1
                term *= x / denominator
                sum += term
                if term < sum * 1e-17 { break }
            }
            let lower = front * sum / a
            return (lower, 1 - lower)
        }
        // Q = x^a e^(−x) / Γ(a) · 1/(x + 1 − a − 1·(1 − a)/(x + 3 − a − 2·(2 − a)/(x + 5 − a − …))).
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1..<100_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            h *= step
            if abs(step - 1) < 1e-16 { break }
        }
        let upper = front * h
        return (1 - upper, upper)
    }

    /// log(x^a e^(−x) / Γ(a)).
    ///
    /// For a ≥ 10 the plain form subtracts numbers near a·log x and x from each other; there it
    /// is rewritten with Stirling's series and Loader's deviance, as in `IncompleteBeta.logFront`:
    /// x^a e^(−x)/Γ(a) = √(a/2π) · exp(−[a log(a/x) + x − a] − stirling(a)).
    static func logFront(a: Double, x: Double) -> Double {
        if a >= 10 {
            return 0.5 * log(a / (2 * Double.pi)) - Stirling.deviance(a, x) - Stirling.correction(a)
        }
        return a * log(x) - x - lgamma(a)
    }
}
