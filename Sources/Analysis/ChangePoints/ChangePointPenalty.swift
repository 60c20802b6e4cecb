import Foundation

/// The price of one more change point, in the units of the L2 cost (squared signal units).
///
/// A change is kept only when it lowers the summed squared deviations by more than the penalty,
/// so the penalty must scale with the noise variance: the default is the linear part of the
/// MBIC penalty, 3·σ̂²·ln n. σ̂ is estimated from the first differences, whose spread the level
/// shifts being sought barely touch (a step moves one difference, but the whole standard
/// deviation): σ̂ = MAD(dᵢ)/0.6744897501960817/√2 with dᵢ = xᵢ₊₁ − xᵢ, the normal-consistent
/// median absolute deviation (scipy's `median_abs_deviation(d, scale="normal")`) scaled from
/// differences back to values. Where that is 0 (fewer than 3 values, or over half the
/// differences equal) the population standard deviation stands in, and then 1 (for a
/// constant series; numpy's rounding residue is not taken for a spread).
public struct ChangePointPenalty: Sendable, Equatable {
    /// Where the value came from.
    public enum Source: String, Sendable, Equatable, CaseIterable {
        /// Given by the user.
        case given
        /// 3·σ̂²·ln n with σ̂ from the MAD of the first differences.
        case differences
        /// 3·σ̂²·ln n with σ̂ the population standard deviation (the MAD of differences was 0).
        case standardDeviation
        /// 3·ln n with σ̂ = 1 (the series is constant).
        case unit
    }

    /// The penalty per change point.
    public let value: Double
    /// The noise scale σ̂ behind a default penalty; nil when the value was given.
    public let sigma: Double?
    /// How the value was chosen.
    public let source: Source

    /// A penalty chosen by the user.
    public static func given(_ value: Double) -> ChangePointPenalty {
        ChangePointPenalty(value: value, sigma: nil, source: .given)
    }

    /// The default penalty for `series`, as `oracle_changepoint.py` computes it: 3·σ̂²·ln n.
    ///
    /// A series of 0 or 1 values gets 0 (ln 1 = 0; there is nothing to segment anyway).
    public static func estimated(for series: [Double]) -> ChangePointPenalty {
        let n = series.count
        var sigma = 0.0
        var source = Source.differences
        if n >= 3 {
            var differences = [Double](repeating: 0, count: n - 1)
            for i in 0..<(n - 1) { differences[i] = series[i + 1] - series[i] }
            differences.sort()
            if let center = Descriptive.median(sorted: differences),
               let mad = Descriptive.median(sorted: differences.map { abs($0 - center) }.sorted()) {
                sigma = mad / normalQuartile / 2.0.squareRoot()
            }
        }
        if sigma == 0 {
            source = .standardDeviation
            // An all-equal series has no spread; numpy's std can report a rounding residue
            // (1.4e-17 for seven 0.1s), which would make the penalty vanish.
            let constant = series.allSatisfy { $0 == series.first }
            sigma = constant ? 0 : populationStandardDeviation(series)
        }
        if !(sigma > 0) {
            source = .unit
            sigma = 1
        }
        let value = n > 1 ? 3.0 * sigma * sigma * log(Double(n)) : 0
        return ChangePointPenalty(value: value, sigma: sigma, source: source)
    }

    /// Φ⁻¹(¾), the MAD of a standard normal: scipy's constant for `scale="normal"`.
    static let normalQuartile = 0.6744897501960817

    /// numpy's `std(x)` (divisor n), two-pass; 0 for no values.
    static func populationStandardDeviation(_ values: [Double]) -> Double {
        guard let mean = Descriptive.mean(values) else { return 0 }
        let squares = Descriptive.sum(values.map { ($0 - mean) * ($0 - mean) })
        return (squares / Double(values.count)).squareRoot()
    }
}
