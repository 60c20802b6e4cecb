import Foundation

/// The first Wasserstein (earth mover's) distance between the baseline and current samples, raw
/// and in baseline standard deviations.
///
/// The raw distance is the area between the two empirical CDFs, in the signal's unit (ms, tokens,
/// dollars): how far, on average, values had to move. Divided by the baseline's spread it becomes
/// comparable across signals; Evidently flags drift at 0.1 standard deviations.
public struct WassersteinDistance: Sendable, Equatable {
    /// W₁ = ∫ |F_current − F_baseline| dx.
    public let distance: Double
    /// `distance / norm`.
    public let normed: Double
    /// max(population standard deviation of the baseline, 0.001), Evidently's divisor.
    public let norm: Double

    /// The distance between two samples sorted ascending, non-empty.
    ///
    /// `scipy.stats.wasserstein_distance(baseline, current)`: Σ |F_b(xₖ) − F_c(xₖ)|·(xₖ₊₁ − xₖ)
    /// over the merged sorted values, F(x) = #{≤ x}/n; normed as Evidently's
    /// `wasserstein_distance_norm`: W₁ / max(np.std(baseline), 0.001), np.std with divisor n.
    static func compute(sortedBaseline a: [Double], sortedCurrent b: [Double]) -> WassersteinDistance {
        precondition(!a.isEmpty && !b.isEmpty, "the Wasserstein distance needs two non-empty samples")
        let na = Double(a.count), nb = Double(b.count)
        var i = 0, j = 0
        var total = 0.0, compensation = 0.0
        var previous: Double?
        var previousGap = 0.0
        while i < a.count || j < b.count {
            let next = j == b.count || (i < a.count && a[i] <= b[j]) ? a[i] : b[j]
            if let previous {
                // The CDFs are constant on [previous, next).
                let area = previousGap * (next - previous)
                let t = total + area
                compensation += abs(total) >= abs(area) ? (total - t) + area : (area - t) + total
                total = t
            }
            while i < a.count && a[i] <= next { i += 1 }
            while j < b.count && b[j] <= next { j += 1 }
            previousGap = abs(Double(i) / na - Double(j) / nb)
            previous = next
        }
        let distance = total + compensation
        let norm = max(populationStandardDeviation(a), 0.001)
        return WassersteinDistance(distance: distance, normed: distance / norm, norm: norm)
    }

    /// numpy's `std(x)` (divisor n), two-pass about the mean.
    static func populationStandardDeviation(_ x: [Double]) -> Double {
        guard let mean = Descriptive.mean(x) else { return 0 }
        let squares = Descriptive.sum(x.map { ($0 - mean) * ($0 - mean) })
        return (squares / Double(x.count)).squareRoot()
    }
}
