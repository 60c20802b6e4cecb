import Foundation
import Testing
@testable import Analysis

/// `CategoricalDrift` and `ProportionDrift` against `oracle_drift.py` on every categorical and
/// yes/no fixture (the oracles' examples and `Expected/regenerate.sh`'s cases), to 1e-9 relative.
@Suite struct DriftTestsCategorical {
    /// Checks the categorical section the oracle prints (also for yes/no data).
    static func checkCategorical(_ r: CategoricalDrift, _ o: OracleValue, sourceLocation loc: SourceLocation = #_sourceLocation) {
        #expect(r.baselineCounts == o["baseline_counts"].ints, "baseline counts", sourceLocation: loc)
        #expect(r.currentCounts == o["current_counts"].ints, "current counts", sourceLocation: loc)
        let psi = o["psi"]
        expectOracle(r.psi.value, psi["value"], relative: 1e-9, absolute: 1e-15, "PSI", sourceLocation: loc)
        expectOracle(r.psi.baselineProportions, psi["baseline_pct_after_eps"], relative: 1e-15, "baseline %", sourceLocation: loc)
        expectOracle(r.psi.currentProportions, psi["current_pct_after_eps"], relative: 1e-15, "current %", sourceLocation: loc)
        expectOracle(r.psi.terms, psi["terms"], relative: 1e-9, absolute: 1e-15, "PSI terms", sourceLocation: loc)
        expectOracle(r.psi.noise.expected, psi["sampling_noise"]["expected_if_no_change"], relative: 1e-12, "noise E", sourceLocation: loc)
        expectOracle(r.psi.noise.critical95, psi["sampling_noise"]["critical_95_if_no_change"], relative: 1e-10, "noise 95", sourceLocation: loc)
        expectOracle(r.jensenShannon.base2, o["jensen_shannon"]["distance_base2"], relative: 1e-9, absolute: 1e-15, "JS base 2", sourceLocation: loc)
        expectOracle(r.jensenShannon.baseE, o["jensen_shannon"]["distance_base_e"], relative: 1e-9, absolute: 1e-15, "JS base e", sourceLocation: loc)
        if o["chi_square"]["statistic"].exists {
            expectOracle(r.chiSquare?.statistic, o["chi_square"]["statistic"], relative: 1e-12, "chi2", sourceLocation: loc)
            expectOracle(r.chiSquare?.pValue, o["chi_square"]["pvalue"], relative: 1e-9, "chi2 p", sourceLocation: loc)
            #expect(r.chiSquare?.degreesOfFreedom == o["chi_square"]["dof"].int, sourceLocation: loc)
            expectOracle(r.chiSquareGoodnessOfFit?.statistic, o["chi_square_gof_evidently_style"]["statistic"], relative: 1e-12, "GOF", sourceLocation: loc)
            expectOracle(r.chiSquareGoodnessOfFit?.pValue, o["chi_square_gof_evidently_style"]["pvalue"], relative: 1e-9, "GOF p", sourceLocation: loc)
        } else {
            // The oracle's "only one category" case.
            #expect(r.categories.count == 1 && r.chiSquare == nil && r.chiSquareGoodnessOfFit == nil, sourceLocation: loc)
        }
        let evidently = o["evidently"]["default"]
        let verdict = DriftVerdict.categorical(r)
        #expect(DriftTestsNumeric.evidentlyNames[verdict.method] == evidently["method"].string,
                "method \(verdict.method) vs Evidently \(String(describing: evidently["method"].string))", sourceLocation: loc)
        // Evidently's z-test p is 2·(1 − Φ(|z|)), which loses ~1e-12 relative against erfc.
        expectOracle(verdict.score, evidently["score"], relative: 1e-9, "Evidently score", sourceLocation: loc)
        expectOracle(verdict.threshold, evidently["threshold"], relative: 0, "Evidently threshold", sourceLocation: loc)
        #expect(verdict.detected == evidently["drift_detected"].bool, "detected", sourceLocation: loc)
    }

    /// Checks the yes/no section (`proportion`) and, through `categorical`, the rest.
    static func checkProportion(baseline: [Bool], current: [Bool], _ o: OracleValue, sourceLocation loc: SourceLocation = #_sourceLocation) {
        guard let r = ProportionDrift.compute(baseline: baseline, current: current) else {
            Issue.record("no result", sourceLocation: loc)
            return
        }
        checkCategorical(r.categorical, o, sourceLocation: loc)
        #expect(DriftVerdict.proportion(r) == DriftVerdict.categorical(r.categorical), sourceLocation: loc)
        let p = o["proportion"]
        #expect(r.baselineTotal == p["baseline"]["n"].int && r.baselineTrue == p["baseline"]["true"].int, sourceLocation: loc)
        #expect(r.currentTotal == p["current"]["n"].int && r.currentTrue == p["current"]["true"].int, sourceLocation: loc)
        expectOracle(r.baselineRate, p["baseline"]["rate"], relative: 1e-15, "baseline rate", sourceLocation: loc)
        expectOracle(r.currentRate, p["current"]["rate"], relative: 1e-15, "current rate", sourceLocation: loc)
        expectOracle([r.baselineInterval.lower, r.baselineInterval.upper], p["baseline"]["wilson95_statsmodels"],
                     relative: 1e-12, absolute: 1e-15, "baseline Wilson", sourceLocation: loc)
        expectOracle([r.currentInterval.lower, r.currentInterval.upper], p["current"]["wilson95_statsmodels"],
                     relative: 1e-12, absolute: 1e-15, "current Wilson", sourceLocation: loc)
        expectOracle(r.delta, p["delta_rate"], relative: 1e-15, absolute: 1e-17, "delta", sourceLocation: loc)
        expectOracle(r.zTest.z, p["two_proportion_z"]["z"], relative: 1e-12, "z", sourceLocation: loc)
        expectOracle(r.zTest.pValue, p["two_proportion_z"]["pvalue_two_sided"], relative: 1e-9, "z p", sourceLocation: loc)
        expectOracle([r.deltaInterval.lower, r.deltaInterval.upper], p["delta_ci95_newcombe"],
                     relative: 1e-12, absolute: 1e-15, "Newcombe", sourceLocation: loc)
        let fisher = p["fisher_exact"]
        expectOracle(r.fisher.oddsRatio, fisher["odds_ratio"], relative: 1e-15, "odds ratio", sourceLocation: loc)
        expectOracle(r.fisher.pValue, fisher["pvalue_two_sided"], relative: 1e-9, "Fisher p", sourceLocation: loc)
        let chi = p["chi_square_2x2"]
        if chi.exists {
            expectOracle(r.chiSquare?.statistic, chi["no_correction"]["statistic"], relative: 1e-12, "2x2 chi2", sourceLocation: loc)
            expectOracle(r.chiSquare?.pValue, chi["no_correction"]["pvalue"], relative: 1e-9, "2x2 chi2 p", sourceLocation: loc)
            expectOracle(r.chiSquareYates?.statistic, chi["yates"]["statistic"], relative: 1e-12, "Yates chi2", sourceLocation: loc)
            expectOracle(r.chiSquareYates?.pValue, chi["yates"]["pvalue"], relative: 1e-9, "Yates p", sourceLocation: loc)
        } else {
            #expect(r.chiSquare == nil && r.chiSquareYates == nil, sourceLocation: loc)
        }
    }

    static func strings(_ values: [Any]) -> [String] { values.compactMap { $0 as? String } }
    static func bools(_ values: [Any]) -> [Bool] { values.compactMap(DriftFixtures.bool) }
    static func bools(csv: String) -> [Bool] { DriftFixtures.csvColumn(csv).map { $0 == "1" } }

    // MARK: Categorical

    /// `oracle_drift.py --pair finish_reason_pair.json` (70/20/10 vs 50/40/10)
    @Test func finishReason() throws {
        let (b, c) = DriftFixtures.pair("examples/finish_reason_pair.json")
        let r = try #require(CategoricalDrift.compute(baseline: Self.strings(b), current: Self.strings(c)))
        #expect(r.categories == ["length", "stop", "tool_calls"])
        Self.checkCategorical(r, DriftFixtures.oracle("examples/drift_finish_reason.json"))
    }

    /// A category only in the current slice: PSI's epsilon, Evidently's chi-square +∞ with p = 0.
    /// `oracle_drift.py --pair case_category_new.json --type categorical`
    @Test func categoryOnlyInCurrent() throws {
        let (b, c) = DriftFixtures.pair("case_category_new.json")
        let r = try #require(CategoricalDrift.compute(baseline: Self.strings(b), current: Self.strings(c)))
        #expect(r.categories == ["content_filter", "length", "stop"])
        #expect(r.chiSquareGoodnessOfFit?.statistic == .infinity && r.chiSquareGoodnessOfFit?.pValue == 0)
        Self.checkCategorical(r, DriftFixtures.oracle("drift_category_new.json"))
    }

    /// 1500 vs 1500 values: Evidently switches to Jensen–Shannon (base e).
    /// `oracle_drift.py --pair case_categories_large.json --type categorical`
    @Test func categoriesLarge() throws {
        let (b, c) = DriftFixtures.pair("case_categories_large.json")
        let r = try #require(CategoricalDrift.compute(baseline: Self.strings(b), current: Self.strings(c)))
        Self.checkCategorical(r, DriftFixtures.oracle("drift_categories_large.json"))
    }

    /// Counts from GROUP BY give the same result as the values; zero counts are ignored;
    /// categories sort by code point (Python's `sorted`), not by Swift's String order.
    @Test func countsAndOrder() throws {
        let fromCounts = try #require(CategoricalDrift.compute(
            baselineCounts: ["stop": 70, "length": 20, "tool_calls": 10, "unused": 0],
            currentCounts: ["stop": 50, "length": 40, "tool_calls": 10]))
        let (b, c) = DriftFixtures.pair("examples/finish_reason_pair.json")
        let fromValues = try #require(CategoricalDrift.compute(baseline: Self.strings(b), current: Self.strings(c)))
        #expect(fromCounts == fromValues)
        let order = try #require(CategoricalDrift.compute(baseline: ["b", "B", "é", "Z", "ä"], current: ["a"]))
        #expect(order.categories == ["B", "Z", "a", "b", "ä", "é"])
        // Canonically equivalent spellings are one Swift String, hence one category (Python would
        // keep precomposed "é" and "e" + U+0301 apart).
        let merged = try #require(CategoricalDrift.compute(baseline: ["\u{E9}", "e\u{301}"], current: ["\u{E9}"]))
        #expect(merged.categories.count == 1 && merged.baselineCounts == [2])
        #expect(CategoricalDrift.compute(baselineCounts: [:], currentCounts: ["a": 1]) == nil)
    }

    // MARK: Yes/no

    /// `oracle_drift.py refused_baseline.csv refused_current.csv` (20/1000 vs 50/1000)
    @Test func refused() {
        Self.checkProportion(baseline: Self.bools(csv: "examples/refused_baseline.csv"),
                             current: Self.bools(csv: "examples/refused_current.csv"),
                             DriftFixtures.oracle("examples/drift_refused.json"))
    }

    /// `oracle_drift.py --pair refused_small_pair.json` (1/50 vs 6/50)
    @Test func refusedSmall() {
        let (b, c) = DriftFixtures.pair("examples/refused_small_pair.json")
        Self.checkProportion(baseline: Self.bools(b), current: Self.bools(c), DriftFixtures.oracle("examples/drift_refused_small.json"))
    }

    /// 0/40 vs 0/60: one category, z = 0 and p = 1, Fisher p = 1 without an odds ratio.
    /// `oracle_drift.py --pair case_rate_zero.json --type boolean`
    @Test func rateZeroBothSides() {
        let (b, c) = DriftFixtures.pair("case_rate_zero.json")
        Self.checkProportion(baseline: Self.bools(b), current: Self.bools(c), DriftFixtures.oracle("drift_rate_zero.json"))
    }

    /// 0/200 vs 7/150. `oracle_drift.py --pair case_rate_zero_vs_some.json --type boolean`
    @Test func rateZeroAgainstSome() {
        let (b, c) = DriftFixtures.pair("case_rate_zero_vs_some.json")
        Self.checkProportion(baseline: Self.bools(b), current: Self.bools(c), DriftFixtures.oracle("drift_rate_zero_vs_some.json"))
    }

    /// 30/30 vs 25/30: an infinite odds ratio. `oracle_drift.py --pair case_rate_all_true.json --type boolean`
    @Test func rateAllTrue() {
        let (b, c) = DriftFixtures.pair("case_rate_all_true.json")
        Self.checkProportion(baseline: Self.bools(b), current: Self.bools(c), DriftFixtures.oracle("drift_rate_all_true.json"))
    }

    /// 30/1500 vs 60/1500: above 1000 baseline values Evidently judges a yes/no column by
    /// Jensen–Shannon (0.042, no drift) although the z-test gives p = 0.0013.
    /// `oracle_drift.py --pair case_refused_large.json --type boolean`
    @Test func refusedLarge() {
        let (b, c) = DriftFixtures.pair("case_refused_large.json")
        Self.checkProportion(baseline: Self.bools(b), current: Self.bools(c), DriftFixtures.oracle("drift_refused_large.json"))
    }

    /// Counts and samples give the same result; an empty side gives none.
    @Test func countsAndEmptySides() {
        let fromCounts = ProportionDrift.compute(baselineTrue: 1, baselineTotal: 50, currentTrue: 6, currentTotal: 50)
        let (b, c) = DriftFixtures.pair("examples/refused_small_pair.json")
        #expect(fromCounts == ProportionDrift.compute(baseline: Self.bools(b), current: Self.bools(c)))
        #expect(ProportionDrift.compute(baselineTrue: 0, baselineTotal: 0, currentTrue: 1, currentTotal: 2) == nil)
    }
}
