import Foundation
import Testing
@testable import Analysis

/// Verdicts, thresholds, severity ordering, the PSI noise level and Benjamini–Hochberg.
@Suite struct DriftTestsVerdict {
    static func latency(_ file: String) -> [Double] {
        DriftFixtures.csvColumn("examples/\(file)").compactMap { Double($0) }
    }

    /// Thresholds are configurable: a stricter p-value threshold turns the small-sample z-test
    /// around, a forced method is used where it applies and ignored where it does not.
    @Test func configurableThresholds() throws {
        let r = try #require(ProportionDrift.compute(baselineTrue: 1, baselineTotal: 50, currentTrue: 6, currentTotal: 50))
        #expect(!DriftVerdict.proportion(r).detected)
        let lenient = DriftVerdict.proportion(r, thresholds: DriftThresholds(pValue: 0.1))
        #expect(lenient.detected && lenient.threshold == 0.1)

        let b = Self.latency("latency_baseline.csv"), c = Self.latency("latency_current.csv")
        let drift = try #require(NumericDrift.compute(baseline: b, current: c, options: .init(bootstrapResamples: 0)))
        let byPSI = DriftVerdict.numeric(drift, thresholds: DriftThresholds(method: .psi))
        #expect(byPSI.method == .psi && byPSI.score == drift.psi.value && byPSI.detected)
        let byJS = DriftVerdict.numeric(drift, thresholds: DriftThresholds(jensenShannon: 0.5, method: .jensenShannon))
        #expect(byJS.method == .jensenShannon && byJS.score == drift.jensenShannon.baseE && !byJS.detected)
        // A chi-square needs value bins (at most five values): ignored here, Evidently's KS stays.
        #expect(DriftVerdict.numeric(drift, thresholds: DriftThresholds(method: .chiSquare)).method == .kolmogorovSmirnov)
        // A smaller baseline limit moves the latency example to Wasserstein, as a large baseline would.
        let large = DriftVerdict.numeric(drift, thresholds: DriftThresholds(baselineSizeLimit: 500))
        #expect(large.method == .wasserstein && large.score == drift.wasserstein.normed)
    }

    /// Sorting verdicts by descending severity puts large, certain drift first and no drift last.
    @Test func severityOrdering() throws {
        let b = Self.latency("latency_baseline.csv")
        let slower = try #require(NumericDrift.compute(baseline: b, current: Self.latency("latency_current.csv"),
                                                       options: .init(bootstrapResamples: 0)))
        let same = try #require(NumericDrift.compute(baseline: b, current: Self.latency("latency_same_current.csv"),
                                                     options: .init(bootstrapResamples: 0)))
        let refused = try #require(ProportionDrift.compute(baselineTrue: 20, baselineTotal: 1000, currentTrue: 50, currentTotal: 1000))
        let finish = try #require(CategoricalDrift.compute(baselineCounts: ["stop": 70, "length": 20, "tool_calls": 10],
                                                           currentCounts: ["stop": 50, "length": 40, "tool_calls": 10]))
        let rows = [("same", DriftVerdict.numeric(same)), ("refused", DriftVerdict.proportion(refused)),
                    ("latency", DriftVerdict.numeric(slower)), ("finish", DriftVerdict.categorical(finish))]
        let sorted = rows.sorted { $0.1.severity > $1.1.severity }.map(\.0)
        // latency: PSI 0.91 (high); finish: PSI 0.21 (moderate); refused: detected with PSI 0.028 (low).
        #expect(sorted == ["latency", "finish", "refused", "same"])
        #expect(rows.map(\.1.severity.level) == [.none, .low, .high, .moderate])
        // Within a level, the stronger score first.
        let weaker = DriftSeverity(detected: true, method: .kolmogorovSmirnov, score: 0.01, threshold: 0.05,
                                   psiBand: .moderate, psiExceedsNoise: true)
        let stronger = DriftSeverity(detected: true, method: .wasserstein, score: 0.5, threshold: 0.1,
                                     psiBand: .moderate, psiExceedsNoise: true)
        #expect(weaker < stronger)
        expectClose(weaker.strength, log(0.01) / log(0.05), relative: 1e-15)
        #expect(stronger.strength == 5)
    }

    /// A PSI within its chance level is not read as a large move: 1..10 vs 6..15 has PSI 4.35,
    /// well above the "significant" 0.25 but with 10 values a side chance alone reaches 3.38.
    @Test func psiNoiseLevel() throws {
        let r = try #require(NumericDrift.compute(baseline: (1...10).map(Double.init), current: (6...15).map(Double.init),
                                                  options: .init(bootstrapResamples: 0)))
        // (B − 1)(1/n_b + 1/n_c) = 9 · 0.2; χ²₉(0.95) = 16.918977604620448 (scipy chi2.ppf).
        expectClose(r.psi.noise.expected, 1.8, relative: 1e-15)
        expectClose(r.psi.noise.critical95, 16.918977604620448 * 0.2, relative: 1e-12)
        #expect(r.psi.exceedsNoise)
        let small = try #require(CategoricalDrift.compute(baselineCounts: ["a": 6, "b": 4], currentCounts: ["a": 4, "b": 6]))
        // PSI 0.16 ("moderate") with a chance level of χ²₁(0.95)·0.2 = 0.77.
        #expect(small.psi.band() == .moderate && !small.psi.exceedsNoise)
        let severity = DriftSeverity(detected: true, method: .chiSquare, score: 0.01, threshold: 0.05,
                                     psiBand: small.psi.band(), psiExceedsNoise: small.psi.exceedsNoise)
        #expect(severity.level == .low)
    }

    /// Evidently's KS boundary is "p ≤ threshold", the chi-square and z-test's "p < threshold".
    @Test func thresholdBoundaries() throws {
        let r = try #require(NumericDrift.compute(baseline: (1...10).map(Double.init), current: (6...15).map(Double.init),
                                                  options: .init(bootstrapResamples: 0)))
        let atP = DriftVerdict.numeric(r, thresholds: DriftThresholds(pValue: r.ks.pValue))
        #expect(atP.detected)
        let z = try #require(ProportionDrift.compute(baselineTrue: 1, baselineTotal: 50, currentTrue: 6, currentTotal: 50))
        #expect(!DriftVerdict.proportion(z, thresholds: DriftThresholds(pValue: z.zTest.pValue)).detected)
    }

    /// `statsmodels.stats.multitest.multipletests(p, alpha=0.05, method="fdr_bh")` (q-values and
    /// rejections), statsmodels 0.15.0.
    @Test(arguments: [
        ([0.01, 0.04, 0.03, 0.005, 0.2, 0.5, 0.04, 0.9], [0.04, 0.064, 0.064, 0.04, 0.26666666666666666, 0.5714285714285714, 0.064, 0.9],
         [true, false, false, true, false, false, false, false]),
        ([0.0, 1.0, 0.5], [0.0, 1.0, 0.75], [true, false, false]),
        ([0.05], [0.05], [true]),
        ([], [], []),
        ([0.001, 0.001, 0.001, 0.001, 0.3, 0.3], [0.0015, 0.0015, 0.0015, 0.0015, 0.3, 0.3], [true, true, true, true, false, false]),
        ([0.00026, 0.05, 0.11, 0.0013, 0.97, 0.0388, 0.0124], [0.00182, 0.07, 0.12833333333333335, 0.00455, 0.97, 0.0679, 0.028933333333333335],
         [true, false, false, true, false, false, true]),
    ] as [([Double], [Double], [Bool])])
    func benjaminiHochberg(_ p: [Double], _ q: [Double], _ reject: [Bool]) {
        let ours = BenjaminiHochberg.qValues(p)
        #expect(ours.count == q.count)
        for (a, e) in zip(ours, q) { expectClose(a, e, relative: 1e-15) }
        #expect(BenjaminiHochberg.discoveries(p) == reject)
    }
}
