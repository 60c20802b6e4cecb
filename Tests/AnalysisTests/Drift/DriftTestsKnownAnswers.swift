import Foundation
import Testing
@testable import Analysis

/// The answers known by construction or by hand in ../shared/oracles/README.md ("Examples and
/// known answers"), computed from the closed forms given there rather than read from the
/// oracle's output.
@Suite struct DriftTestsKnownAnswers {
    /// 1..10 vs 6..15: D = 0.5; PSI = 5(1e-4 − 0.1)ln(1e-3) + 0.5 ln 6; W1 = 5, normed 5/√8.25;
    /// Evidently's default K-S with p = 0.168, no drift.
    @Test func tinyNumeric() throws {
        let r = try #require(NumericDrift.compute(baseline: (1...10).map(Double.init), current: (6...15).map(Double.init)))
        #expect(r.ks.statistic == 0.5)
        expectClose(r.psi.value, 5 * (1e-4 - 0.1) * log(1e-3) + 0.5 * log(6.0), relative: 1e-12)
        expectClose(r.psi.value, 4.34630, relative: 1e-5)
        #expect(r.wasserstein.distance == 5)
        expectClose(r.wasserstein.normed, 5 / 8.25.squareRoot(), relative: 1e-14)
        let verdict = DriftVerdict.numeric(r)
        #expect(verdict.method == .kolmogorovSmirnov && !verdict.detected)
        expectClose(verdict.score, 0.168, relative: 0.002)
    }

    /// Latency ×1.5: Evidently's default K-S (baseline ≤ 1000 values) detects drift; PSI ≥ 0.25.
    /// The same distribution: no drift, PSI < 0.1.
    @Test func latency() throws {
        let b = DriftFixtures.csvColumn("examples/latency_baseline.csv").compactMap { Double($0) }
        let slower = DriftFixtures.csvColumn("examples/latency_current.csv").compactMap { Double($0) }
        let same = DriftFixtures.csvColumn("examples/latency_same_current.csv").compactMap { Double($0) }
        let drifted = try #require(NumericDrift.compute(baseline: b, current: slower))
        let v1 = DriftVerdict.numeric(drifted)
        #expect(v1.method == .kolmogorovSmirnov && v1.detected)
        #expect(drifted.psi.band() == .significant && v1.severity.level == .high)
        let stable = try #require(NumericDrift.compute(baseline: b, current: same))
        let v2 = DriftVerdict.numeric(stable)
        #expect(!v2.detected && stable.psi.value < 0.1 && v2.severity.level == .none)
    }

    /// 3000 vs 2000 rows: Evidently's default switches to the normed Wasserstein distance.
    @Test func latencyLarge() throws {
        let (b, c) = DriftFixtures.numericPair("examples/latency_large_pair.json")
        let r = try #require(NumericDrift.compute(baseline: b, current: c, options: .init(bootstrapResamples: 0)))
        let verdict = DriftVerdict.numeric(r)
        #expect(verdict.method == .wasserstein && verdict.score == r.wasserstein.normed && verdict.detected)
    }

    /// 70/20/10 vs 50/40/10: χ² = 10 with 2 dof, p = e⁻⁵; PSI = 0.2(ln 1.4 + ln 2);
    /// Evidently's default is the goodness-of-fit chi-square, p = 2.6e-6.
    @Test func finishReason() throws {
        let r = try #require(CategoricalDrift.compute(baselineCounts: ["stop": 70, "length": 20, "tool_calls": 10],
                                                      currentCounts: ["stop": 50, "length": 40, "tool_calls": 10]))
        expectClose(r.chiSquare?.statistic, 10, relative: 1e-14)
        #expect(r.chiSquare?.degreesOfFreedom == 2)
        expectClose(r.chiSquare?.pValue, exp(-5), relative: 1e-14)
        expectClose(r.psi.value, 0.2 * (log(1.4) + log(2.0)), relative: 1e-14)
        let verdict = DriftVerdict.categorical(r)
        #expect(verdict.method == .chiSquare && verdict.detected)
        expectClose(verdict.score, 2.6e-6, relative: 0.003)
    }

    /// 20/1000 vs 50/1000: z = 0.03/√(0.035·0.965·0.002), p = 2.62e-4; χ² without Yates = z²;
    /// Evidently's default is the z-test.
    @Test func refused() throws {
        let r = try #require(ProportionDrift.compute(baselineTrue: 20, baselineTotal: 1000, currentTrue: 50, currentTotal: 1000))
        let z = 0.03 / (0.035 * 0.965 * 0.002).squareRoot()
        expectClose(r.zTest.z, z, relative: 1e-12)
        expectClose(r.zTest.z, 3.6501, relative: 1e-4)
        expectClose(r.zTest.pValue, 2.62e-4, relative: 0.001)
        expectClose(r.chiSquare?.statistic, z * z, relative: 1e-12)
        expectClose(r.chiSquare?.pValue, r.zTest.pValue, relative: 1e-12)
        let verdict = DriftVerdict.proportion(r)
        #expect(verdict.method == .zTest && verdict.detected)
    }

    /// 1/50 vs 6/50: z-test p = 0.05004 (not below 0.05), Fisher p = 0.112.
    @Test func refusedSmall() throws {
        let r = try #require(ProportionDrift.compute(baselineTrue: 1, baselineTotal: 50, currentTrue: 6, currentTotal: 50))
        expectClose(r.zTest.pValue, 0.05004, relative: 1e-4)
        expectClose(r.fisher.pValue, 0.112, relative: 0.005)
        let verdict = DriftVerdict.proportion(r)
        #expect(verdict.method == .zTest && !verdict.detected)
    }
}
