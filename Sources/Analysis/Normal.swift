import Foundation

/// The standard normal distribution: the z of Wilson intervals and the start of the t quantile.
enum Normal {
    /// P(Z ≤ x).
    static func cdf(_ x: Double) -> Double {
        0.5 * erfc(-x / 2.0.squareRoot())
    }

    /// The quantile: the x with P(Z ≤ x) = p, for p in (0, 1); −∞ and +∞ at 0 and 1.
    ///
    /// Acklam's rational approximation (relative error below 1.2e-9) followed by one Halley step
    /// on `erfc`, which brings it to full double precision; the tail is solved on the smaller of
    /// p and 1 − p so that neither side loses digits.
    static func quantile(_ p: Double) -> Double {
        precondition((0...1).contains(p), "normal quantile needs p in 0...1")
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return 0 }
        // 1 − p is exact for p ≥ 0.5, so the upper half is the mirror of the lower one.
        return p < 0.5 ? lowerQuantile(p) : -lowerQuantile(1 - p)
    }

    /// The quantile for p < 0.5 (a negative x).
    private static func lowerQuantile(_ p: Double) -> Double {
        var x = acklam(p)
        // Halley's step on f(x) = Φ(x) − p; Φ from erfc keeps the relative accuracy in the tail.
        let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }

    /// Peter Acklam's approximation of the normal quantile (2003).
    private static func acklam(_ p: Double) -> Double {
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                 3.754408661907416e+00]
        let low = 0.02425
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        if p > 1 - low {
            let q = (-2 * log1p(-p)).squareRoot()
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let q = p - 0.5, r = q * q
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }
}
