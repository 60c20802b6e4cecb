import Foundation

/// How one quantile (p50, p95) of a signal moved between two independent samples, with a
/// percentile-bootstrap interval for the move.
///
/// Tail latency is what users feel, and its shift has no simple standard error, hence the
/// bootstrap: resample each slice with replacement, recompute the quantile delta, and take the
/// middle `confidence` of those deltas.
public struct QuantileDelta: Sendable, Equatable {
    /// The quantile, e.g. 0.95.
    public let quantile: Double
    /// The baseline's quantile (numpy's linear interpolation).
    public let baseline: Double
    /// The current quantile.
    public let current: Double
    /// current − baseline.
    public let delta: Double
    /// The percentile bootstrap interval of `delta`; nil when no resamples were asked for.
    public let interval: ConfidenceInterval?
    /// The standard deviation of the bootstrap deltas (divisor B − 1); nil with `interval`.
    public let standardError: Double?

    /// Quantile deltas of two samples sorted ascending and non-empty, with intervals from one
    /// shared bootstrap (so the p50 and p95 deltas of a resample come from the same resample).
    ///
    /// The bootstrap is the one of `scipy.stats.bootstrap((current, baseline), statistic,
    /// paired=False, method="percentile")`: each sample resampled independently with
    /// replacement, `resamples` times; the interval is the linear-interpolated
    /// (1 − confidence)/2 and (1 + confidence)/2 quantiles of the deltas, the standard error their
    /// standard deviation. Only the way a resample's quantile is drawn differs, not its
    /// distribution: a resample of sorted x₁ ≤ … ≤ xₙ is x at ⌈n·U⌉ for n uniform numbers U, so its
    /// r-th smallest value is x at ⌈n·U₍ᵣ₎⌉, and the few order statistics U₍ᵣ₎ a quantile needs are
    /// drawn directly — U₍ᵣ₎ given U₍ₛ₎ (s < r) is U₍ₛ₎ + (1 − U₍ₛ₎)·Beta(r − s, n − r + 1). Each
    /// resample then costs O(1) instead of O(n), so a million traces bootstrap in milliseconds. The
    /// draws are deterministic for a seed (xoshiro256**) but not numpy's, so intervals agree with
    /// scipy's only within Monte-Carlo error.
    static func compute(sortedBaseline a: [Double], sortedCurrent b: [Double], quantiles: [Double],
                        resamples: Int, confidence: Double, seed: UInt64) -> [QuantileDelta] {
        precondition(!a.isEmpty && !b.isEmpty, "quantile deltas need two non-empty samples")
        precondition(resamples >= 0, "the number of resamples must not be negative")
        precondition(0 < confidence && confidence < 1, "confidence must be in (0, 1)")
        let baseline = quantiles.map { Descriptive.quantile(sorted: a, $0) ?? .nan }
        let current = quantiles.map { Descriptive.quantile(sorted: b, $0) ?? .nan }
        guard resamples > 0 else {
            return quantiles.indices.map {
                QuantileDelta(quantile: quantiles[$0], baseline: baseline[$0], current: current[$0],
                              delta: current[$0] - baseline[$0], interval: nil, standardError: nil)
            }
        }
        var generator = SeededGenerator(seed: seed)
        let samplerA = ResampledQuantiles(sorted: a, quantiles: quantiles)
        let samplerB = ResampledQuantiles(sorted: b, quantiles: quantiles)
        var deltas = [[Double]](repeating: [], count: quantiles.count)
        for i in deltas.indices { deltas[i].reserveCapacity(resamples) }
        var valuesA = [Double](repeating: 0, count: quantiles.count)
        var valuesB = valuesA
        for _ in 0..<resamples {
            // scipy draws the current sample's resample first; the order matters only for the stream.
            samplerB.draw(into: &valuesB, using: &generator)
            samplerA.draw(into: &valuesA, using: &generator)
            for i in quantiles.indices { deltas[i].append(valuesB[i] - valuesA[i]) }
        }
        let lowerQ = (1 - confidence) / 2, upperQ = 1 - lowerQ
        return quantiles.indices.map { i in
            let sorted = deltas[i].sorted()
            let interval = ConfidenceInterval(
                lower: Descriptive.quantile(sorted: sorted, lowerQ) ?? .nan,
                upper: Descriptive.quantile(sorted: sorted, upperQ) ?? .nan)
            let se = Descriptive.sampleStandardDeviation(deltas[i]) ?? 0
            return QuantileDelta(quantile: quantiles[i], baseline: baseline[i], current: current[i],
                                 delta: current[i] - baseline[i], interval: interval, standardError: se)
        }
    }
}

/// Draws the quantiles of one bootstrap resample of a sorted sample from the order statistics
/// they need, without building the resample.
private struct ResampledQuantiles {
    let sorted: [Double]
    /// The distinct 1-based ranks needed, ascending.
    let ranks: [Int]
    /// Per quantile: the positions in `ranks` of the two order statistics numpy interpolates
    /// between, and the weight of the upper one.
    let plan: [(lower: Int, upper: Int, weight: Double)]

    init(sorted: [Double], quantiles: [Double]) {
        self.sorted = sorted
        let n = sorted.count
        let steps = quantiles.map { q -> (lower: Int, upper: Int, weight: Double) in
            let h = Double(n - 1) * q
            let lower = Int(h.rounded(.down))
            return (lower + 1, min(lower + 2, n), h - Double(lower))
        }
        let ranks = Array(Set(steps.flatMap { [$0.lower, $0.upper] })).sorted()
        self.ranks = ranks
        plan = steps.map { step in
            (ranks.firstIndex(of: step.lower) ?? 0, ranks.firstIndex(of: step.upper) ?? 0, step.weight)
        }
    }

    func draw(into values: inout [Double], using generator: inout SeededGenerator) {
        let n = sorted.count
        var u = 0.0, rest = 1.0
        var previous = 0
        var drawn = [Double](repeating: 0, count: ranks.count)
        for (position, r) in ranks.enumerated() {
            // U₍ᵣ₎ = U₍ₚ₎ + (1 − U₍ₚ₎)·B with B ~ Beta(r − p, n − r + 1) = G₁/(G₁ + G₂); 1 − U kept apart.
            let g1 = generator.gamma(shape: Double(r - previous))
            let g2 = generator.gamma(shape: Double(n - r + 1))
            let s = g1 + g2
            u += rest * (g1 / s)
            rest *= g2 / s
            previous = r
            let index = min(max(Int((Double(n) * u).rounded(.up)) - 1, 0), n - 1)
            drawn[position] = sorted[index]
        }
        for (i, step) in plan.enumerated() {
            let a = drawn[step.lower], b = drawn[step.upper]
            // numpy's lerp, from the nearer end.
            let t = step.weight
            values[i] = t < 0.5 ? a + (b - a) * t : b - (b - a) * (1 - t)
        }
    }
}
