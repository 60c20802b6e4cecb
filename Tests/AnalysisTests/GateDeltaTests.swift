import Testing
@testable import Analysis

/// A gate's deltas agree with scipy and numpy: Welch's interval and p-value
/// (`scipy.stats.ttest_ind(b, a, equal_var=False).confidence_interval(…)`, scipy 1.17), the
/// p95 delta (`numpy.quantile`), and rates through `ProportionDrift`.
@Suite struct GateDeltaTests {
    static let a = [12.0, 15.5, 9.25, 11.0, 14.0, 13.5, 10.0, 16.0]
    static let b = [14.0, 18.5, 13.0, 17.25, 15.0, 19.0, 16.5]

    @Test func meanHasWelchsInterval() throws {
        let d = try #require(GateDelta.numbers(baseline: Self.a, candidate: Self.b, statistic: .mean))
        let interval = try #require(d.interval)
        #expect(abs(interval.lower - 0.8642392690579839) < 1e-9 && abs(interval.upper - 6.18040358808487) < 1e-9, "\(interval)")
        #expect(abs((d.pValue ?? 1) - 0.013335014452302785) < 1e-9)
        #expect(abs(d.delta - (d.candidate - d.baseline)) < 1e-12 && d.baselineCount == 8 && d.candidateCount == 7)
        let ninety = try #require(GateDelta.numbers(baseline: Self.a, candidate: Self.b, statistic: .mean, confidence: 0.9)?.interval)
        #expect(abs(ninety.lower - 1.3435182699832295) < 1e-9 && abs(ninety.upper - 5.701124587159624) < 1e-9)
        let relative = try #require(d.relative), relativeInterval = try #require(d.relativeInterval)
        #expect(abs(relative - d.delta / d.baseline) < 1e-12 && abs(relativeInterval.upper - interval.upper / d.baseline) < 1e-12)
    }

    @Test func quantileHasASeededBootstrap() throws {
        let d = try #require(GateDelta.numbers(baseline: Self.a, candidate: Self.b, statistic: .p95, resamples: 500, seed: 3))
        #expect(abs(d.delta - 3.025000000000002) < 1e-9 && d.pValue == nil)
        let interval = try #require(d.interval)
        #expect(interval.lower <= interval.upper)
        #expect(GateDelta.numbers(baseline: Self.a, candidate: Self.b, statistic: .p95, resamples: 500, seed: 3) == d, "same seed, same interval")
    }

    @Test func rates() throws {
        let d = try #require(GateDelta.rate(baselineTrue: 18, baselineTotal: 1771, candidateTrue: 95, candidateTotal: 2229))
        let drift = try #require(ProportionDrift.compute(baselineTrue: 18, baselineTotal: 1771, currentTrue: 95, currentTotal: 2229))
        #expect(d.delta == drift.delta && d.interval == drift.deltaInterval && d.pValue == drift.zTest.pValue && d.statistic == .rate)
        #expect(GateDelta.rate(baselineTrue: 0, baselineTotal: 0, candidateTrue: 1, candidateTotal: 2) == nil)
        #expect(GateDelta.rate(baselineTrue: 0, baselineTotal: 10, candidateTrue: 1, candidateTotal: 10)?.relative == nil, "no relative change from 0")
    }

    @Test func degenerateSamples() throws {
        #expect(GateDelta.numbers(baseline: [], candidate: [1], statistic: .mean) == nil)
        #expect(GateDelta.numbers(baseline: [.nan], candidate: [1], statistic: .p50) == nil)
        #expect(GateDelta.numbers(baseline: [1, 2], candidate: [3], statistic: .rate) == nil)
        #expect(GateDelta.numbers(baseline: [1], candidate: [3], statistic: .mean)?.interval == nil, "one value: no interval")
        let flat = try #require(GateDelta.numbers(baseline: [2, 2, 2], candidate: [2, 2], statistic: .mean))
        #expect(flat.interval == ConfidenceInterval(lower: 0, upper: 0) && flat.delta == 0)
        #expect(GateDelta.numbers(baseline: [5], candidate: [7], statistic: .p99, resamples: 100)?.delta == 2)
    }
}
