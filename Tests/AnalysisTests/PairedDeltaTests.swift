import Foundation
import Testing
@testable import Analysis

/// Expected values: scipy 1.17 `stats.ttest_rel(b, a)` (statistic, pvalue,
/// `confidence_interval(confidence)`), `np.median` and the order-statistic median interval with k
/// from `stats.binom`, all printed by oracle/paired_oracle.py ("paired deltas" section).
@Suite struct PairedDeltaTests {
    /// One case of the oracle's output.
    struct Expected {
        var n: Int
        var meanA, meanB, meanDelta, relativeDelta: Double
        var t, p: Double
        var lower, upper: Double
        var median: Double
        var medianLower, medianUpper, coverage: Double?
    }

    static func check(_ r: PairedDelta, _ e: Expected, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.n == e.n, sourceLocation: sourceLocation)
        #expect(r.degreesOfFreedom == e.n - 1, sourceLocation: sourceLocation)
        expectClose(r.meanA, e.meanA, relative: 1e-12, "meanA", sourceLocation: sourceLocation)
        expectClose(r.meanB, e.meanB, relative: 1e-12, "meanB", sourceLocation: sourceLocation)
        expectClose(r.meanDelta, e.meanDelta, relative: 1e-11, "meanDelta", sourceLocation: sourceLocation)
        expectClose(r.relativeDelta, e.relativeDelta, relative: 1e-11, "relativeDelta", sourceLocation: sourceLocation)
        expectClose(r.t, e.t, relative: 1e-9, "t", sourceLocation: sourceLocation)
        expectClose(r.pValue, e.p, relative: 1e-9, "p", sourceLocation: sourceLocation)
        expectClose(r.meanInterval?.lower, e.lower, relative: 1e-9, "CI lower", sourceLocation: sourceLocation)
        expectClose(r.meanInterval?.upper, e.upper, relative: 1e-9, "CI upper", sourceLocation: sourceLocation)
        expectClose(r.medianDelta, e.median, relative: 1e-12, "median", sourceLocation: sourceLocation)
        if let lower = e.medianLower, let upper = e.medianUpper, let coverage = e.coverage {
            expectClose(r.medianInterval?.lower, lower, relative: 1e-12, "median lower", sourceLocation: sourceLocation)
            expectClose(r.medianInterval?.upper, upper, relative: 1e-12, "median upper", sourceLocation: sourceLocation)
            expectClose(r.medianCoverage, coverage, relative: 1e-11, "coverage", sourceLocation: sourceLocation)
            #expect((r.medianCoverage ?? 0) >= r.confidence, sourceLocation: sourceLocation)
        } else {
            #expect(r.medianInterval == nil, sourceLocation: sourceLocation)
            #expect(r.medianCoverage == nil, sourceLocation: sourceLocation)
        }
    }

    @Test func latencyAt95Percent() {
        let r = PairedDelta.compute(baseline: OracleData.latencyA, current: OracleData.latencyB)
        #expect(r.confidence == 0.95)
        Self.check(r, Expected(
            n: 50, meanA: 460.156, meanB: 504.0539999999999, meanDelta: 43.897999999999996,
            relativeDelta: 0.09539808238945052, t: 3.4458813792035103, p: 0.001176804794635795,
            lower: 18.29748621217777, upper: 69.49851378782222, median: 28.24999999999997,
            medianLower: 14.099999999999966, medianUpper: 85.79999999999995, coverage: 0.9671608624357315))
    }

    @Test func latencyAt99And90Percent() {
        let r99 = PairedDelta.compute(baseline: OracleData.latencyA, current: OracleData.latencyB, confidence: 0.99)
        Self.check(r99, Expected(
            n: 50, meanA: 460.156, meanB: 504.0539999999999, meanDelta: 43.897999999999996,
            relativeDelta: 0.09539808238945052, t: 3.4458813792035103, p: 0.001176804794635795,
            lower: 9.757378547246887, upper: 78.0386214527531, median: 28.24999999999997,
            medianLower: 8.699999999999989, medianUpper: 94.69999999999999, coverage: 0.9933995520331891))
        let r90 = PairedDelta.compute(baseline: OracleData.latencyA, current: OracleData.latencyB, confidence: 0.90)
        Self.check(r90, Expected(
            n: 50, meanA: 460.156, meanB: 504.0539999999999, meanDelta: 43.897999999999996,
            relativeDelta: 0.09539808238945052, t: 3.4458813792035103, p: 0.001176804794635795,
            lower: 22.539971970287, upper: 65.25602802971298, median: 28.24999999999997,
            medianLower: 15.399999999999977, medianUpper: 62.99999999999997, coverage: 0.9350913529277278))
    }

    @Test func smallSampleHasNoMedianInterval() {
        let r = PairedDelta.compute(baseline: OracleData.smallA, current: OracleData.smallB)
        Self.check(r, Expected(
            n: 3, meanA: 119.58333333333333, meanB: 123.16666666666667, meanDelta: 3.5833333333333335,
            relativeDelta: 0.029965156794425088, t: 1.3958390672965701, p: 0.2975318969409936,
            lower: -7.462237255351958, upper: 14.628903922018626, median: 5.5,
            medianLower: nil, medianUpper: nil, coverage: nil))
    }

    @Test func tiedDifferences() {
        let r = PairedDelta.compute(baseline: OracleData.tiesA, current: OracleData.tiesB)
        Self.check(r, Expected(
            n: 12, meanA: 10.416666666666666, meanB: 11.416666666666666, meanDelta: 1.0,
            relativeDelta: 0.096, t: 5.7445626465380295, p: 0.00012940169548043978,
            lower: 0.6168576625379711, upper: 1.3831423374620289, median: 1.0,
            medianLower: 1.0, medianUpper: 1.0, coverage: 0.96142578125))
    }

    /// n = 2000 from a formula both sides evaluate with the same libm (see `long_data` in the oracle).
    @Test func longSeries() {
        var a: [Double] = [], b: [Double] = []
        for i in 0..<2000 {
            let x = sin(Double(i)) * 100.0 + Double(i % 7) + 500.0
            a.append(x)
            b.append(x + cos(0.37 * Double(i)) * 20.0 + 3.0 + Double(i % 5))
        }
        #expect(a[1] == 585.1470984807896 && b[2] == 612.69911385716)
        let r = PairedDelta.compute(baseline: a, current: b)
        Self.check(r, Expected(
            n: 2000, meanA: 503.03682696025373, meanB: 508.0146574367288, meanDelta: 4.977830476474948,
            relativeDelta: 0.009895558753729694, t: 15.65868542398493, p: 3.220627295534933e-52,
            lower: 4.354388658469336, upper: 5.601272294480561, median: 4.975988457174537,
            medianLower: 3.573484654937033, medianUpper: 6.35680693935069, coverage: 0.9534471795082164))
        #expect(PairedDelta.medianRank(n: 2000, confidence: 0.95) == 956)
    }

    @Test func noPairs() {
        let r = PairedDelta.compute(baseline: [], current: [])
        #expect(r.n == 0)
        #expect(r.meanA == nil && r.meanB == nil && r.meanDelta == nil && r.relativeDelta == nil)
        #expect(r.meanInterval == nil && r.t == nil && r.pValue == nil && r.standardError == nil)
        #expect(r.medianDelta == nil && r.medianInterval == nil && r.medianCoverage == nil)
    }

    @Test func onePair() {
        let r = PairedDelta.compute(baseline: [200], current: [230])
        #expect(r.n == 1 && r.meanA == 200 && r.meanB == 230 && r.meanDelta == 30 && r.medianDelta == 30)
        #expect(r.relativeDelta == 0.15)
        #expect(r.degreesOfFreedom == nil && r.meanInterval == nil && r.t == nil && r.pValue == nil)
        #expect(r.medianInterval == nil)
    }

    /// Every difference the same: scipy gives t = ±inf or a huge rounding artefact; we give nil.
    @Test func zeroVariance() {
        let a: [Double] = [1, 2.5, 3, 4.25, 5, 6, 7.5, 8]
        let shifted = PairedDelta.compute(baseline: a, current: a.map { $0 + 2.5 })
        #expect(shifted.t == nil && shifted.pValue == nil)
        #expect(shifted.standardError == 0)
        #expect(shifted.meanDelta == 2.5 && shifted.medianDelta == 2.5)
        #expect(shifted.meanInterval == ConfidenceInterval(lower: 2.5, upper: 2.5))
        #expect(shifted.medianInterval == ConfidenceInterval(lower: 2.5, upper: 2.5))

        // Three differences of exactly 0.1: summing would give 0.10000000000000002 (and scipy a
        // t of 1.02e16); the delta is reported as the 0.1 it is.
        let tenth = PairedDelta.compute(baseline: [0, 0, 0], current: [0.1, 0.1, 0.1])
        #expect(tenth.meanDelta == 0.1 && tenth.t == nil && tenth.relativeDelta == nil)
        #expect(tenth.meanInterval == ConfidenceInterval(lower: 0.1, upper: 0.1))

        let same = PairedDelta.compute(baseline: [3, 3, 9], current: [3, 3, 9])
        #expect(same.meanDelta == 0 && same.medianDelta == 0 && same.relativeDelta == 0)
        #expect(same.t == nil && same.pValue == nil)
        #expect(same.meanInterval == ConfidenceInterval(lower: 0, upper: 0))
    }

    @Test func zeroBaselineHasNoRelativeDelta() {
        let r = PairedDelta.compute(baseline: [0, 0, 0, 0], current: [1, 2, 0, 1])
        #expect(r.meanA == 0 && r.relativeDelta == nil)
        #expect(r.meanDelta == 1 && r.t != nil)
    }

    @Test func medianRankRule() {
        // 95 %: 1 − 2·0.5ⁿ ≥ 0.95 first holds at n = 6.
        #expect(PairedDelta.medianRank(n: 5, confidence: 0.95) == nil)
        #expect(PairedDelta.medianRank(n: 6, confidence: 0.95) == 1)
        // n = 50: binom.ppf(0.025, 50, 0.5) = 18 (as in the latency case).
        #expect(PairedDelta.medianRank(n: 50, confidence: 0.95) == 18)
        #expect(PairedDelta.medianRank(n: 0, confidence: 0.95) == nil)
    }
}
