/// The L2 cost of a segment, Σ (xᵢ − x̄)² over it, in O(1) from prefix sums.
///
/// The searches evaluate millions of segments, so they need the cost without a pass over the
/// values; the prefix sums are of the values less the series mean, kept with Neumaier's
/// compensation, so that Σx² − (Σx)²/m does not cancel away a level far from zero. What the
/// searches report (segment costs, gains) is recomputed in two passes by `exact`.
struct SegmentCost: Sendable {
    /// Σ yᵢ for i < k, at index k, with y = x − mean.
    private let sums: [Double]
    /// Σ yᵢ² for i < k, at index k.
    private let squares: [Double]

    /// The number of values.
    var count: Int { sums.count - 1 }

    init(_ series: [Double]) {
        let center = Descriptive.mean(series) ?? 0
        var sums = [Double](repeating: 0, count: series.count + 1)
        var squares = [Double](repeating: 0, count: series.count + 1)
        var s = 0.0, sc = 0.0, q = 0.0, qc = 0.0
        for (i, x) in series.enumerated() {
            let y = x - center
            Descriptive.add(y, to: &s, compensation: &sc)
            Descriptive.add(y * y, to: &q, compensation: &qc)
            sums[i + 1] = s + sc
            squares[i + 1] = q + qc
        }
        self.sums = sums
        self.squares = squares
    }

    /// The cost of the values in start..<end (0 for an empty or one-value segment, never negative).
    @inline(__always)
    func cost(_ start: Int, _ end: Int) -> Double {
        let m = Double(end - start)
        let s = sums[end] - sums[start]
        let q = squares[end] - squares[start]
        return Swift.max(0, q - s * s / m)
    }

    /// The prefix sum of centred values up to (not including) `index`.
    @inline(__always)
    func sum(upTo index: Int) -> Double { sums[index] }

    /// The prefix sum of squared centred values up to (not including) `index`.
    @inline(__always)
    func squares(upTo index: Int) -> Double { squares[index] }

    /// The cost of series[start..<end] by two compensated passes (mean, then squared deviations),
    /// as numpy's `var() * m` computes it up to rounding; 0 for an empty range.
    static func exact(_ series: [Double], _ start: Int, _ end: Int) -> Double {
        guard end > start, let mean = Descriptive.mean(Array(series[start..<end])) else { return 0 }
        return Descriptive.sum(series[start..<end].map { ($0 - mean) * ($0 - mean) })
    }
}
