import Foundation

/// A signal's values in time order, with running sums, so that a statistic over any time
/// window `(from, to]` costs two binary searches (and, for a quantile, a sort of the window's
/// values): what a rollback trigger evaluates, once for `triggers check` and at every step of
/// `triggers backtest`, from one ordered scan of the store instead of a query per step.
public struct WindowSeries: Sendable {
    /// What a trigger measures over a window.
    public enum Statistic: String, Sendable, CaseIterable {
        /// The share of 1s of a 0/1 signal.
        case rate
        /// The arithmetic mean.
        case mean
        /// numpy's linear-interpolation quantiles.
        case p50, p95, p99
        /// How many traces have the signal (or match the filter, without a signal).
        case count

        public var quantile: Double? {
            switch self {
            case .p50: return 0.5
            case .p95: return 0.95
            case .p99: return 0.99
            default: return nil
            }
        }
    }

    /// Nanosecond times, ascending.
    public let times: [Int64]
    public let values: [Double]
    /// prefix[i] = values[0] + … + values[i-1], Neumaier-compensated as it runs.
    private let prefix: [Double]

    /// `times` must be ascending and as long as `values`.
    public init(times: [Int64], values: [Double]) {
        precondition(times.count == values.count, "WindowSeries needs one value per time")
        self.times = times
        self.values = values
        var prefix = [Double](repeating: 0, count: values.count + 1)
        var total = 0.0, compensation = 0.0
        for (i, x) in values.enumerated() {
            Descriptive.add(x, to: &total, compensation: &compensation)
            prefix[i + 1] = total + compensation
        }
        self.prefix = prefix
    }

    /// The first index whose time is above `t`.
    public func index(after t: Int64) -> Int {
        var lo = 0, hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The indices of the window `(from, to]`.
    public func range(from: Int64, to: Int64) -> Range<Int> {
        let lower = index(after: from), upper = index(after: to)
        return lower..<max(lower, upper)
    }

    /// The statistic over the values of `range`, and how many there are; the value is nil for
    /// an empty window (a count is 0).
    public func statistic(_ statistic: Statistic, over range: Range<Int>) -> (value: Double?, n: Int) {
        let n = range.count
        if statistic == .count { return (Double(n), n) }
        guard n > 0 else { return (nil, 0) }
        if let q = statistic.quantile {
            var window = Array(values[range])
            window.sort()
            return (Descriptive.quantile(sorted: window, q), n)
        }
        return ((prefix[range.upperBound] - prefix[range.lowerBound]) / Double(n), n)
    }

    /// The statistic over `(from, to]`.
    public func statistic(_ statistic: Statistic, from: Int64, to: Int64) -> (value: Double?, n: Int) {
        self.statistic(statistic, over: range(from: from, to: to))
    }
}
