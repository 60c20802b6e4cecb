import Foundation

/// How badly a signal drifted, ordered so that sorting `drift`'s table by descending severity
/// puts the worst first.
///
/// A test can flag a tiny but certain move on a large slice, and miss a large move on a small
/// one, so the level combines the verdict with the size of the move: `none` when the test does
/// not flag drift; else `high`, `moderate` or `low` by the PSI band, where a PSI within its
/// chance level counts as `low` whatever its band. Within a level, `strength` orders the rows.
public struct DriftSeverity: Sendable, Equatable, Comparable {
    /// The coarse level.
    public enum Level: Int, Sendable, Comparable, CaseIterable {
        /// The verdict is no drift.
        case none
        /// Drift, but a small move: PSI below the moderate band or within its chance level.
        case low
        /// Drift with PSI in the moderate band.
        case moderate
        /// Drift with PSI in the significant band.
        case high

        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }

        /// `none`, `low`, `moderate`, `high`: as reports print it.
        public var name: String {
            switch self {
            case .none: return "none"
            case .low: return "low"
            case .moderate: return "moderate"
            case .high: return "high"
            }
        }
    }

    /// The level.
    public let level: Level
    /// The score relative to its threshold, 1 at the threshold and larger for stronger drift:
    /// score/threshold for a distance, log(p)/log(threshold) for a p-value (+∞ at p = 0).
    public let strength: Double

    init(detected: Bool, method: DriftMethod, score: Double, threshold: Double,
         psiBand: PopulationStability.Band, psiExceedsNoise: Bool) {
        if !detected {
            level = .none
        } else if !psiExceedsNoise {
            level = .low
        } else {
            switch psiBand {
            case .stable: level = .low
            case .moderate: level = .moderate
            case .significant: level = .high
            }
        }
        if method.scoresPValue {
            strength = score <= 0 ? .infinity : log(score) / log(threshold)
        } else {
            strength = threshold > 0 ? score / threshold : .infinity
        }
    }

    public static func < (a: DriftSeverity, b: DriftSeverity) -> Bool {
        if a.level != b.level { return a.level < b.level }
        // NaN strengths (no score) sort lowest.
        let x = a.strength.isNaN ? -Double.infinity : a.strength
        let y = b.strength.isNaN ? -Double.infinity : b.strength
        return x < y
    }
}
