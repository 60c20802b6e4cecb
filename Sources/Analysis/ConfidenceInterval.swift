import Foundation

/// A two-sided confidence interval [lower, upper] for one estimate.
public struct ConfidenceInterval: Sendable, Equatable, Hashable {
    public var lower: Double
    public var upper: Double

    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// Whether the interval includes `value` (both ends included).
    public func contains(_ value: Double) -> Bool {
        lower <= value && value <= upper
    }

    /// Whether the interval leaves out zero, i.e. the change it describes is distinguishable
    /// from none at its confidence level.
    public var excludesZero: Bool {
        !contains(0)
    }

    /// The Wilson score interval for a proportion of `successes` in `trials`; nil when there
    /// are no trials.
    ///
    /// Chosen over the textbook p ± z·√(p(1−p)/n) because that one collapses to a single point
    /// at 0 % and 100 % (common for refusal or error rates) and undercovers for small n.
    /// With z = Φ⁻¹(½ + confidence/2): centre (k + z²/2)/(n + z²), half-width
    /// z/(n + z²) · √(k(n − k)/n + z²/4); the ends are exactly 0 and 1 when k is 0 or n.
    /// Agrees with scipy's `binomtest(k, n).proportion_ci(confidence, method="wilson")`.
    public static func wilson(successes k: Int, trials n: Int, confidence: Double = 0.95) -> ConfidenceInterval? {
        precondition(0 < confidence && confidence < 1, "confidence must be in (0, 1)")
        precondition(k >= 0 && k <= n, "successes must be in 0...trials")
        guard n > 0 else { return nil }
        let z = Normal.quantile(0.5 + 0.5 * confidence)
        let nd = Double(n), p = Double(k) / nd, q = 1 - p
        // scipy's arrangement (Newcombe 1998), kept so both round alike.
        let denominator = 2 * (nd + z * z)
        let center = (2 * nd * p + z * z) / denominator
        let delta = z / denominator * (4 * nd * p * q + z * z).squareRoot()
        return ConfidenceInterval(
            lower: k == 0 ? 0 : center - delta,
            upper: k == n ? 1 : center + delta)
    }
}
