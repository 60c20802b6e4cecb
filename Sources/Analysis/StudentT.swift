import Foundation

/// Student's t distribution with ν degrees of freedom (ν > 0, not necessarily whole).
///
/// Its tails come from the regularized incomplete beta function: for t ≥ 0,
/// P(T > t) = ½ · I_x(ν/2, ½) with x = ν / (ν + t²). This is what scipy's `stats.t` computes,
/// and the two agree to about 1e-13 relative.
enum StudentT {
    /// P(T > t), the upper tail.
    static func survival(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        if t.isNaN { return .nan }
        let tail = 0.5 * twoSided(t, degreesOfFreedom: nu)
        return t >= 0 ? tail : 1 - tail
    }

    /// P(T ≤ t).
    static func cdf(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        if t.isNaN { return .nan }
        let tail = 0.5 * twoSided(t, degreesOfFreedom: nu)
        return t <= 0 ? tail : 1 - tail
    }

    /// P(|T| ≥ |t|): the two-sided p-value of a t statistic.
    static func twoSided(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        precondition(nu > 0, "Student t needs positive degrees of freedom")
        if t.isNaN { return .nan }
        let t2 = t * t
        guard t2.isFinite else { return 0 }
        // x = ν/(ν + t²) and 1 − x = t²/(ν + t²), each without cancellation.
        let x = nu / (nu + t2), y = t2 / (nu + t2)
        return IncompleteBeta.regularized(a: nu / 2, b: 0.5, x: x, y: y).lower
    }

    /// The density at t.
    static func density(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        exp(-IncompleteBeta.logBeta(nu / 2, 0.5) - 0.5 * log(nu) - (nu + 1) / 2 * log1p(t * t / nu))
    }

    /// The quantile: the t with P(T ≤ t) = p, for p in (0, 1) (−∞ and +∞ at 0 and 1).
    ///
    /// Solved on the smaller tail q = min(p, 1 − p) by Newton's method on log P(T > t), started
    /// from the normal quantile with the first Cornish–Fisher corrections, and kept inside a
    /// bracket that falls back to bisection, so heavy tails (ν = 1) cannot throw it out.
    /// Accurate to about 1e-13 relative.
    static func quantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        precondition((0...1).contains(p), "t quantile needs p in 0...1")
        precondition(nu > 0, "Student t needs positive degrees of freedom")
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return 0 }
        let q = min(p, 1 - p)  // 1 − p is exact for p ≥ 0.5
        let t = upperQuantile(tail: q, degreesOfFreedom: nu)
        return p > 0.5 ? t : -t
    }

    /// The t > 0 with P(T > t) = q, for 0 < q < ½.
    private static func upperQuantile(tail q: Double, degreesOfFreedom nu: Double) -> Double {
        let logQ = log(q)
        func h(_ t: Double) -> Double { log(survival(t, degreesOfFreedom: nu)) - logQ }

        // Starting point: z plus Cornish–Fisher terms (good for ν ≥ 3, harmless below).
        let z = -Normal.quantile(q)
        let z3 = z * z * z, z5 = z3 * z * z
        var t = z + (z3 + z) / (4 * nu) + (5 * z5 + 16 * z3 + 3 * z) / (96 * nu * nu)
        if !t.isFinite || t <= 0 { t = z }
        // Bracket [lo, hi] with h(lo) > 0 > h(hi); h decreases in t.
        var lo = 0.0, hi = t
        while h(hi) > 0 {
            lo = hi
            hi *= 2
            if !hi.isFinite { return .infinity }
        }
        t = hi
        for _ in 0..<200 {
            let value = h(t)
            if value == 0 { return t }
            if value > 0 { lo = t } else { hi = t }
            // d/dt log S(t) = −f(t)/S(t)
            let survival = survival(t, degreesOfFreedom: nu)
            let slope = -density(t, degreesOfFreedom: nu) / survival
            var next = t - value / slope
            if !(next > lo && next < hi) || !next.isFinite { next = lo + (hi - lo) / 2 }
            if abs(next - t) <= 1e-15 * abs(next) || hi - lo <= 1e-15 * hi { return next }
            t = next
        }
        return t
    }
}
