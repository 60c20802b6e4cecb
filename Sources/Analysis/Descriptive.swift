import Foundation

/// Small descriptive statistics shared by the comparisons, matching numpy's definitions.
enum Descriptive {
    /// The arithmetic mean, summed with Neumaier's compensation so long inputs lose no digits;
    /// nil for an empty input.
    static func mean(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        return sum(values) / Double(values.count)
    }

    /// The sample variance (divisor n − 1, numpy `ddof=1`), two-pass about the mean so that a
    /// large offset does not cancel the spread away; nil for fewer than two values.
    static func sampleVariance(_ values: [Double]) -> Double? {
        guard values.count >= 2, let m = mean(values) else { return nil }
        var squares = 0.0, compensation = 0.0
        for x in values {
            let d = x - m
            add(d * d, to: &squares, compensation: &compensation)
        }
        return (squares + compensation) / Double(values.count - 1)
    }

    /// The sample standard deviation (numpy `std(ddof=1)`); nil for fewer than two values.
    static func sampleStandardDeviation(_ values: [Double]) -> Double? {
        sampleVariance(values).map { $0.squareRoot() }
    }

    /// The `q`-quantile (0...1) of ascending values by linear interpolation between the closest
    /// ranks: numpy's default `method="linear"` (Hyndman and Fan type 7). Nil for no values.
    static func quantile(sorted values: [Double], _ q: Double) -> Double? {
        precondition((0...1).contains(q), "quantile needs q in 0...1")
        guard let first = values.first else { return nil }
        guard values.count > 1 else { return first }
        let h = Double(values.count - 1) * q
        let lower = Int(h.rounded(.down))
        let upper = min(lower + 1, values.count - 1)
        let t = h - Double(lower)
        let a = values[lower], b = values[upper]
        // numpy's lerp: from the nearer end, so that t = 1 gives b exactly.
        return t < 0.5 ? a + (b - a) * t : b - (b - a) * (1 - t)
    }

    /// The median of ascending values (numpy `median`: the mean of the two middle values when
    /// the count is even); nil for no values.
    static func median(sorted values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let mid = values.count / 2
        return values.count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2
    }

    /// The compensated sum of the values.
    static func sum(_ values: [Double]) -> Double {
        var total = 0.0, compensation = 0.0
        for x in values { add(x, to: &total, compensation: &compensation) }
        return total + compensation
    }

    /// One step of Neumaier's summation: `total + compensation` carries the exact running sum
    /// to about twice the working precision.
    @inline(__always)
    static func add(_ x: Double, to total: inout Double, compensation: inout Double) {
        let t = total + x
        if abs(total) >= abs(x) {
            compensation += (total - t) + x
        } else {
            compensation += (x - t) + total
        }
        total = t
    }
}
