import Foundation

/// The regularized incomplete beta function I_x(a, b), the one special function behind the
/// Student t distribution here.
///
/// Evaluated by its continued fraction (Lentz's method, as in Numerical Recipes §6.4) on the side
/// where it converges fast, and returned together with its complement so that callers asking
/// for a small upper tail do not get it as `1 − (something close to 1)`.
enum IncompleteBeta {
    /// I_x(a, b) and 1 − I_x(a, b) for a, b > 0 and x in [0, 1]. Pass `y = 1 − x` computed
    /// without cancellation when you have it (the t distribution does); by default it is `1 − x`.
    static func regularized(a: Double, b: Double, x: Double, y: Double? = nil) -> (lower: Double, upper: Double) {
        precondition(a > 0 && b > 0, "incomplete beta needs positive a and b")
        let y = y ?? (1 - x)
        if x <= 0 { return (0, 1) }
        if y <= 0 { return (1, 0) }
        let front = exp(logFront(a: a, b: b, x: x, y: y))
        if x < (a + 1) / (a + b + 2) {
            let lower = front * continuedFraction(a: a, b: b, x: x) / a
            return (lower, 1 - lower)
        } else {
            let upper = front * continuedFraction(a: b, b: a, x: y) / b
            return (1 - upper, upper)
        }
    }

    /// log(x^a y^b / B(a, b)), the factor in front of the continued fraction.
    ///
    /// When a and b are both large the plain form subtracts numbers near a·log x from one another
    /// and keeps only a few digits; there it is rewritten with Stirling's series and Loader's
    /// deviance terms (as for binomial probabilities), which stay exact to rounding.
    static func logFront(a: Double, b: Double, x: Double, y: Double) -> Double {
        if a >= 10 && b >= 10 {
            let s = a + b
            return -Stirling.deviance(a, s * x) - Stirling.deviance(b, s * y)
                + 0.5 * log(a / (2 * Double.pi) * (b / s))
                - Stirling.correction(a) - Stirling.correction(b) + Stirling.correction(s)
        }
        // log1p on the side close to 1.
        let logX = x > 0.5 ? log1p(-y) : log(x)
        let logY = y > 0.5 ? log1p(-x) : log(y)
        return a * logX + b * logY - logBeta(a, b)
    }

    /// The continued fraction of I_x(a, b) · a · B(a, b) / (x^a y^b), by the modified Lentz method.
    /// It converges in O(√max(a, b)) terms when x < (a + 1)/(a + b + 2).
    private static func continuedFraction(a: Double, b: Double, x: Double) -> Double {
        let tiny = 1e-300
        let epsilon = 1e-16
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        let limit = 200 + Int(20 * max(a, b).squareRoot())
        for m in 1...limit {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            h *= step
            if abs(step - 1) < epsilon { break }
        }
        return h
    }

    /// log B(a, b). For a large argument the difference log Γ(a) − log Γ(a + b) is taken from
    /// Stirling's series, because subtracting two large `lgamma` values would lose the digits
    /// the t distribution needs at large degrees of freedom.
    static func logBeta(_ a: Double, _ b: Double) -> Double {
        let big = max(a, b), small = min(a, b)
        guard big >= 10 else { return lgamma(a) + lgamma(b) - lgamma(a + b) }
        // log Γ(x) = (x − ½) log x − x + ½ log 2π + Stirling.correction(x)
        let difference = -(big - 0.5) * log1p(small / big) - small * log(big + small) + small
            + Stirling.correction(big) - Stirling.correction(big + small)
        return lgamma(small) + difference
    }
}
