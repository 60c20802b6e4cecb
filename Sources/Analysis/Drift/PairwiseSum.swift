import Foundation

/// numpy's summation order (`np.sum` of a contiguous float64 array): eight running partial sums
/// for blocks of up to 128 values, split in halves above that.
///
/// Used where the reference sums a handful of terms that nearly cancel (Jensen–Shannon between
/// almost equal histograms is √ of a sum ~10⁻⁸ of terms ~10⁻⁵): there the order of additions
/// alone moves the result by ~10⁻¹⁰, and summing in numpy's order keeps agreement at rounding.
enum PairwiseSum {
    static func sum(_ values: [Double]) -> Double {
        values.withUnsafeBufferPointer { sum($0[...]) }
    }

    private static func sum(_ a: Slice<UnsafeBufferPointer<Double>>) -> Double {
        let n = a.count
        let start = a.startIndex
        if n < 8 {
            var total = 0.0
            for x in a { total += x }
            return total
        }
        if n <= 128 {
            var r = (a[start], a[start + 1], a[start + 2], a[start + 3],
                     a[start + 4], a[start + 5], a[start + 6], a[start + 7])
            var i = 8
            while i < n - n % 8 {
                r.0 += a[start + i]
                r.1 += a[start + i + 1]
                r.2 += a[start + i + 2]
                r.3 += a[start + i + 3]
                r.4 += a[start + i + 4]
                r.5 += a[start + i + 5]
                r.6 += a[start + i + 6]
                r.7 += a[start + i + 7]
                i += 8
            }
            var total = ((r.0 + r.1) + (r.2 + r.3)) + ((r.4 + r.5) + (r.6 + r.7))
            while i < n {
                total += a[start + i]
                i += 1
            }
            return total
        }
        var half = n / 2
        half -= half % 8
        return sum(a[start..<(start + half)]) + sum(a[(start + half)...])
    }
}
