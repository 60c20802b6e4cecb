import Foundation

/// The chi-square distribution with k degrees of freedom: the null distribution of the
/// contingency and goodness-of-fit statistics, and of PSI's sampling noise.
///
/// Its tails are regularized incomplete gamma functions of (k/2, x/2), as in scipy's `chi2`
/// (Cephes `igamc`); the two agree to about 1e-13 relative.
enum ChiSquared {
    /// P(X > x), the p-value of a chi-square statistic x.
    static func survival(_ x: Double, degreesOfFreedom k: Double) -> Double {
        precondition(k > 0, "chi-square needs positive degrees of freedom")
        if x.isNaN { return .nan }
        return IncompleteGamma.regularized(a: k / 2, x: x / 2).upper
    }

    /// P(X ≤ x).
    static func cdf(_ x: Double, degreesOfFreedom k: Double) -> Double {
        precondition(k > 0, "chi-square needs positive degrees of freedom")
        if x.isNaN { return .nan }
        return IncompleteGamma.regularized(a: k / 2, x: x / 2).lower
    }

    /// The density at x > 0.
    static func density(_ x: Double, degreesOfFreedom k: Double) -> Double {
        guard x > 0 else { return 0 }
        // (x/2)^(k/2 − 1) e^(−x/2) / (2 Γ(k/2)) = front(k/2, x/2) / x.
        return exp(IncompleteGamma.logFront(a: k / 2, x: x / 2)) / x
    }

    /// The quantile: the x with P(X ≤ x) = p, for p in [0, 1] (0 and +∞ at the ends).
    ///
    /// Newton's method on the smaller tail, started from the Wilson–Hilferty approximation and
    /// kept inside a bracket that falls back to bisection; accurate to about 1e-14 relative
    /// (scipy's `chi2.ppf` agrees to 1e-12).
    static func quantile(_ p: Double, degreesOfFreedom k: Double) -> Double {
        precondition((0...1).contains(p), "chi-square quantile needs p in 0...1")
        precondition(k > 0, "chi-square needs positive degrees of freedom")
        if p == 0 { return 0 }
        if p == 1 { return .infinity }
        let upperTail = p > 0.5
        let target = upperTail ? 1 - p : p
        // f(x) = tail(x) − target, monotone: the lower tail rises with x, the upper one falls.
        func f(_ x: Double) -> Double {
            let tails = IncompleteGamma.regularized(a: k / 2, x: x / 2)
            return (upperTail ? tails.upper : tails.lower) - target
        }
        let z = Normal.quantile(p)
        let h = 2 / (9 * k)
        var x = k * pow(max(1 - h + z * h.squareRoot(), 0.01), 3)
        // Bracket [lo, hi] with the root inside.
        var lo = 0.0, hi = x
        let rising = !upperTail
        func below(_ value: Double) -> Bool { rising ? value < 0 : value > 0 }
        while below(f(hi)) {
            lo = hi
            hi *= 2
            if !hi.isFinite { return .infinity }
        }
        x = hi
        for _ in 0..<200 {
            let value = f(x)
            if value == 0 { return x }
            if below(value) { lo = x } else { hi = x }
            let slope = (rising ? 1 : -1) * density(x, degreesOfFreedom: k)
            var next = x - value / slope
            if !(next > lo && next < hi) || !next.isFinite { next = lo + (hi - lo) / 2 }
            if abs(next - x) <= 1e-15 * abs(next) || hi - lo <= 1e-15 * hi { return next }
            x = next
        }
        return x
    }
}
