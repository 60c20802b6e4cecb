/// Why a series could not be segmented with the settings asked for.
///
/// These are user-facing conditions (a short window, a penalty typed at the prompt), not bugs,
/// so they are values the caller renders rather than preconditions. `seriesTooShort` is
/// ruptures' `BadSegmentationParameters`: the same series and settings fail there too.
public enum ChangePointError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The series has fewer values than `needed`, the least that admits `changes` change points
    /// with segments of at least `minSize` values starting on multiples of `jump`.
    case seriesTooShort(count: Int, needed: Int, minSize: Int, jump: Int, changes: Int)
    /// The value at `index` is NaN or infinite; empty buckets must be left out before segmenting.
    case nonFiniteValue(index: Int)
    /// The grid step is below 1.
    case invalidJump(Int)
    /// The penalty is negative, NaN or infinite.
    case invalidPenalty(Double)
    /// The number of change points asked of binary segmentation is negative.
    case invalidChangeCount(Int)

    public var description: String {
        switch self {
        case let .seriesTooShort(count, needed, minSize, jump, changes):
            let what = changes == 0 ? "a segmentation" : changes == 1 ? "1 change point" : "\(changes) change points"
            return "series of \(count) value\(count == 1 ? "" : "s") too short for \(what) with min size \(minSize) and jump \(jump) (needs at least \(needed))"
        case let .nonFiniteValue(index):
            return "value \(index) of the series is not a finite number"
        case let .invalidJump(jump):
            return "jump must be at least 1, found \(jump)"
        case let .invalidPenalty(penalty):
            return "penalty must be a finite number ≥ 0, found \(penalty)"
        case let .invalidChangeCount(count):
            return "number of change points must be at least 0, found \(count)"
        }
    }
}
