import Foundation
import Testing
@testable import Analysis

/// `NumericDrift` against `oracle_drift.py` on every numeric fixture: the examples of
/// ../shared/oracles (`examples/expected/drift_*.json`, see that folder's
/// `regenerate_expected.sh`) and this suite's edge cases (`Expected/drift_*.json`, made by
/// `Expected/regenerate.sh`). Deterministic numbers must agree to 1e-9 relative; the bootstrap
/// interval within Monte-Carlo error (see `bootstrapTolerance`).
@Suite struct DriftTestsNumeric {
    /// The Evidently method names the oracle prints, by relops' method.
    static let evidentlyNames: [DriftMethod: String] = [
        .kolmogorovSmirnov: "K-S p_value", .chiSquare: "chi-square p_value", .zTest: "Z-test p_value",
        .wasserstein: "Wasserstein distance (normed)", .jensenShannon: "Jensen-Shannon distance", .psi: "PSI",
    ]

    /// How far a bootstrap interval end may be from the oracle's, in units of the oracle's
    /// bootstrap standard error. Two independent runs of 10,000 resamples put an end of a 95 %
    /// percentile interval about 0.04 standard errors apart for a smooth bootstrap distribution
    /// (sd of an empirical 2.5 % quantile ≈ √(0.025·0.975/10⁴)/φ(1.96) ≈ 0.027 SE, times √2);
    /// the quantiles of small samples have lumpy bootstrap distributions, whose ends jump between
    /// atoms, hence the wider allowance. `DriftTestsBootstrap` compares the two bootstraps
    /// properly, over 20 seeds each.
    static let bootstrapTolerance = 0.25

    /// Checks every number the oracle prints for a numeric pair.
    static func check(baseline: [Double], current: [Double], oracle o: OracleValue,
                      sourceLocation: SourceLocation = #_sourceLocation) {
        guard let r = NumericDrift.compute(baseline: baseline, current: current) else {
            Issue.record("no result", sourceLocation: sourceLocation)
            return
        }
        let loc = sourceLocation
        #expect(r.baseline.count == o["input"]["n_baseline"].int, sourceLocation: loc)
        #expect(r.current.count == o["input"]["n_current"].int, sourceLocation: loc)

        // KS
        expectOracle(r.ks.statistic, o["ks"]["statistic"], relative: 1e-12, "KS D", sourceLocation: loc)
        expectOracle(r.ks.pValue, o["ks"]["pvalue"], relative: 1e-9, "KS p", sourceLocation: loc)
        #expect(r.ks.method == (max(r.baseline.count, r.current.count) <= 10_000 ? .exact : .asymptotic), sourceLocation: loc)

        // PSI
        let psi = o["psi"]
        expectOracle(r.psi.value, psi["value"], relative: 1e-9, absolute: 1e-15, "PSI", sourceLocation: loc)
        #expect(r.psi.binCount == psi["n_bins_used"].int, sourceLocation: loc)
        expectOracle(r.psi.innerEdges, psi["inner_edges"], relative: 1e-15, "PSI edges", sourceLocation: loc)
        #expect(r.psi.baselineCounts == psi["baseline_counts"].ints, "baseline counts", sourceLocation: loc)
        #expect(r.psi.currentCounts == psi["current_counts"].ints, "current counts", sourceLocation: loc)
        expectOracle(r.psi.baselineProportions, psi["baseline_pct_after_eps"], relative: 1e-15, "baseline %", sourceLocation: loc)
        expectOracle(r.psi.currentProportions, psi["current_pct_after_eps"], relative: 1e-15, "current %", sourceLocation: loc)
        expectOracle(r.psi.terms, psi["terms"], relative: 1e-9, absolute: 1e-15, "PSI terms", sourceLocation: loc)
        expectOracle(r.psi.noise.expected, psi["sampling_noise"]["expected_if_no_change"], relative: 1e-12, "noise E", sourceLocation: loc)
        expectOracle(r.psi.noise.critical95, psi["sampling_noise"]["critical_95_if_no_change"], relative: 1e-10, "noise 95", sourceLocation: loc)

        // Jensen–Shannon and Wasserstein
        expectOracle(r.jensenShannon.base2, o["jensen_shannon"]["distance_base2"], relative: 1e-9, absolute: 1e-15, "JS base 2", sourceLocation: loc)
        expectOracle(r.jensenShannon.baseE, o["jensen_shannon"]["distance_base_e"], relative: 1e-9, absolute: 1e-15, "JS base e", sourceLocation: loc)
        expectOracle(r.wasserstein.distance, o["wasserstein"]["distance"], relative: 1e-12, absolute: 1e-15, "W1", sourceLocation: loc)
        expectOracle(r.wasserstein.normed, o["wasserstein"]["normed"], relative: 1e-12, absolute: 1e-15, "W1 normed", sourceLocation: loc)
        expectOracle(r.wasserstein.norm, o["wasserstein"]["norm"], relative: 1e-12, "W1 norm", sourceLocation: loc)

        // Summaries
        for (summary, side) in [(r.baseline, "baseline"), (r.current, "current")] {
            let s = o["summary"][side]
            expectOracle(summary.mean, s["mean"], relative: 1e-13, "\(side) mean", sourceLocation: loc)
            if s["std_ddof1"].exists {
                expectOracle(summary.standardDeviation, s["std_ddof1"], relative: 1e-12, absolute: 1e-15, "\(side) sd", sourceLocation: loc)
            } else {
                #expect(summary.standardDeviation == nil, sourceLocation: loc)
            }
            expectOracle(summary.p50, s["p50"], relative: 1e-15, "\(side) p50", sourceLocation: loc)
            expectOracle(summary.p95, s["p95"], relative: 1e-15, "\(side) p95", sourceLocation: loc)
            expectOracle(summary.p99, s["p99"], relative: 1e-15, "\(side) p99", sourceLocation: loc)
        }

        // Location tests
        let welch = o["location_tests"]["welch_t"]
        expectOracle(r.welch?.t, welch["statistic"], relative: 1e-10, "Welch t", sourceLocation: loc)
        expectOracle(r.welch?.pValue, welch["pvalue"], relative: 1e-9, "Welch p", sourceLocation: loc)
        let mwu = o["location_tests"]["mann_whitney_u"]
        expectOracle(r.mannWhitney?.u, mwu["statistic"], relative: 1e-15, "MWU U", sourceLocation: loc)
        expectOracle(r.mannWhitney?.pValue, mwu["pvalue"], relative: 1e-9, "MWU p", sourceLocation: loc)

        // p95 delta: the point exactly, the interval within Monte-Carlo error
        let p95 = o["p95_delta"]
        expectOracle(r.p95Delta.delta, p95["point"], relative: 1e-12, absolute: 1e-12, "p95 delta", sourceLocation: loc)
        if p95["ci95_percentile"].exists, let se = p95["bootstrap_se"].double {
            let allowed = bootstrapTolerance * se
            let lower = p95["ci95_percentile"][0].double ?? .nan, upper = p95["ci95_percentile"][1].double ?? .nan
            let interval = r.p95Delta.interval
            #expect(abs((interval?.lower ?? .nan) - lower) <= allowed,
                    "p95 CI lower \(String(describing: interval?.lower)) vs oracle \(lower) (allowed ±\(allowed))", sourceLocation: loc)
            #expect(abs((interval?.upper ?? .nan) - upper) <= allowed,
                    "p95 CI upper \(String(describing: interval?.upper)) vs oracle \(upper) (allowed ±\(allowed))", sourceLocation: loc)
            // scipy's own standard error varies by up to 2 % (sd over seeds) and seed 0 is not central.
            #expect(abs((r.p95Delta.standardError ?? .nan) - se) <= 0.1 * se + 1e-12,
                    "bootstrap SE \(String(describing: r.p95Delta.standardError)) vs oracle \(se)", sourceLocation: loc)
        }

        // Evidently's default decision
        let evidently = o["evidently"]["default"]
        let verdict = DriftVerdict.numeric(r)
        #expect(evidentlyNames[verdict.method] == evidently["method"].string,
                "method \(verdict.method) vs Evidently \(String(describing: evidently["method"].string))", sourceLocation: loc)
        expectOracle(verdict.score, evidently["score"], relative: 1e-9, "Evidently score", sourceLocation: loc)
        expectOracle(verdict.threshold, evidently["threshold"], relative: 0, "Evidently threshold", sourceLocation: loc)
        #expect(verdict.detected == evidently["drift_detected"].bool, "detected", sourceLocation: loc)
    }

    static func numbers(_ strings: [String]) -> [Double] {
        strings.compactMap { Double($0) }
    }

    // MARK: The oracles' examples

    /// `oracle_drift.py --pair tiny_numeric_pair.json`
    @Test func tinyNumeric() {
        let (b, c) = DriftFixtures.numericPair("examples/tiny_numeric_pair.json")
        Self.check(baseline: b, current: c, oracle: DriftFixtures.oracle("examples/drift_tiny_numeric.json"))
    }

    /// `oracle_drift.py latency_baseline.csv latency_current.csv`
    @Test func latencySlower() {
        let b = Self.numbers(DriftFixtures.csvColumn("examples/latency_baseline.csv"))
        let c = Self.numbers(DriftFixtures.csvColumn("examples/latency_current.csv"))
        #expect(b.count == 800 && c.count == 600)
        Self.check(baseline: b, current: c, oracle: DriftFixtures.oracle("examples/drift_latency.json"))
    }

    /// `oracle_drift.py latency_baseline.csv latency_same_current.csv`
    @Test func latencySame() {
        let b = Self.numbers(DriftFixtures.csvColumn("examples/latency_baseline.csv"))
        let c = Self.numbers(DriftFixtures.csvColumn("examples/latency_same_current.csv"))
        Self.check(baseline: b, current: c, oracle: DriftFixtures.oracle("examples/drift_latency_same.json"))
    }

    /// `oracle_drift.py --pair latency_large_pair.json` (3000 vs 2000: Evidently switches to Wasserstein)
    @Test func latencyLarge() {
        let (b, c) = DriftFixtures.numericPair("examples/latency_large_pair.json")
        Self.check(baseline: b, current: c, oracle: DriftFixtures.oracle("examples/drift_latency_large.json"))
    }

    // MARK: Edge cases (Expected/regenerate.sh: oracle_drift.py --pair case_NAME.json --type numeric)

    /// Many ties: KS with ties, Mann–Whitney's tie correction, PSI with merged edges and empty bins.
    @Test func ties() {
        let (b, c) = DriftFixtures.numericPair("case_ties.json")
        Self.check(baseline: b, current: c, oracle: DriftFixtures.oracle("drift_ties.json"))
    }

    /// Every value equal: D = 0, p = 1, one edge, Welch undefined, Evidently's z-test on one value.
    @Test func allEqual() {
        let (b, c) = DriftFixtures.numericPair("case_all_equal.json")
        Self.check(baseline: b, current: c, oracle: DriftFixtures.oracle("drift_all_equal.json"))
    }

    /// A one-value baseline (`--bootstrap 0`: scipy's bootstrap refuses it).
    @Test func oneElementBaseline() {
        let (b, c) = DriftFixtures.numericPair("case_one_element.json")
        Self.check(baseline: b, current: c, oracle: DriftFixtures.oracle("drift_one_element.json"))
    }

    /// One value a side (`--bootstrap 0`): Evidently's z-test on two values.
    @Test func singleValueEachSide() {
        let (b, c) = DriftFixtures.numericPair("case_single_each.json")
        Self.check(baseline: b, current: c, oracle: DriftFixtures.oracle("drift_single_each.json"))
    }

    /// Small samples without ties: Mann–Whitney's exact distribution, KS exact with unequal sizes.
    @Test func exactMannWhitney() {
        let (b, c) = DriftFixtures.numericPair("case_exact_mwu.json")
        Self.check(baseline: b, current: c, oracle: DriftFixtures.oracle("drift_exact_mwu.json"))
        let r = NumericDrift.compute(baseline: b, current: c, options: .init(bootstrapResamples: 0))
        #expect(r?.mannWhitney?.method == .exact)
    }

    /// Four distinct values, 100 a side: Evidently's chi-square goodness of fit over values.
    @Test func fewValues() {
        let (b, c) = DriftFixtures.numericPair("case_few_values.json")
        Self.check(baseline: b, current: c, oracle: DriftFixtures.oracle("drift_few_values.json"))
    }

    /// Three distinct values, 1500 a side: Evidently's Jensen–Shannon over values; an edge
    /// interpolated between 1 and 2 (1.2000000000000455) tests numpy's lerp bit for bit.
    @Test func fewValuesLarge() {
        let (b, c) = DriftFixtures.numericPair("case_few_values_large.json")
        Self.check(baseline: b, current: c, oracle: DriftFixtures.oracle("drift_few_values_large.json"))
    }

    /// The large cases' inputs, built by make_cases.py's integer formulas.
    static func largeInputs(shifted: Bool) -> (baseline: [Double], current: [Double]) {
        let b = (0..<12_000).map { Double(($0 * 7919) % 10_007) }
        let c = (0..<9000).map { i -> Double in
            let v = Double((i * 104_729) % 10_007)
            return shifted ? v * 1.02 + 50 : v
        }
        return (b, c)
    }

    /// 12,000 vs 9,000 values, shifted: KS asymptotic (kstwo at n = 5143, Smirnov's region).
    @Test func largeShifted() {
        let (b, c) = Self.largeInputs(shifted: true)
        let (fb, fc) = DriftFixtures.numericPair("case_large_shift.json")
        #expect(b == fb && c == fc, "the Swift formulas rebuild make_cases.py's inputs")
        Self.check(baseline: b, current: c, oracle: DriftFixtures.oracle("drift_large_shift.json"))
    }

    /// 12,000 vs 9,000 values from one distribution: KS asymptotic (Durbin's matrix region).
    @Test func largeSame() {
        let (b, c) = Self.largeInputs(shifted: false)
        Self.check(baseline: b, current: c, oracle: DriftFixtures.oracle("drift_large_same.json"))
    }

    /// NaN and ±∞ are dropped and counted, as the oracle and Evidently drop them.
    @Test func nonFiniteValuesAreDropped() throws {
        let r = try #require(NumericDrift.compute(baseline: [1, .nan, 2, 3, .infinity], current: [2, 3, -.infinity, 4],
                                                  options: .init(bootstrapResamples: 0)))
        #expect(r.droppedBaseline == 2 && r.droppedCurrent == 1)
        #expect(r.baseline.count == 3 && r.current.count == 3)
        #expect(NumericDrift.compute(baseline: [.nan], current: [1]) == nil)
        #expect(NumericDrift.compute(baseline: [1], current: []) == nil)
    }
}
