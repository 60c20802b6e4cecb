import Analysis
import Foundation
import Query
import Store

/// `drift [SIGNAL, …] between SLICE and SLICE by DIM`: each signal's drift within each value of
/// a dimension — (baseline and DIM == v) against (current and DIM == v) — from one scan that
/// reads the dimension beside the signals (docs/investigate.md).
///
/// Every (value, signal) pair is one test with a p-value: KS for numbers, the two-proportion
/// z-test for rates (Fisher's exact test when a cell expects fewer than five traces), the 2 × K
/// chi-square for labels. Testing twenty values at p < 0.05 flags one by chance, so the verdict
/// rests on Benjamini–Hochberg q-values over all the command's tests: drifted when q is below
/// the false discovery rate (`DriftThresholds.falseDiscoveryRate`, default 0.05).
public struct DriftBreakdown: Sendable {
    public var baseline: String
    public var current: String
    /// The dimension's name as typed.
    public var dimension: String
    public var baselineTraces: Int
    public var currentTraces: Int
    public var thresholds: DriftThresholds
    /// One per (value, signal), sorted by q, then by PSI (the size of the move), largest first;
    /// tests without a p-value last.
    public var tests: [Test]
    /// Values with traces in the baseline only, busiest first.
    public var onlyInBaseline: [ValueCount]
    /// Values with traces in the current slice only, busiest first.
    public var onlyInCurrent: [ValueCount]
    /// Values in both slices left untested beyond the `maximumValues` busiest.
    public var untestedValues: Int
    public var elapsedMs: Double

    /// At most this many values (the busiest over both slices) are tested.
    public static let maximumValues = 50
    /// A test needs at least this many known values of the signal in each slice; below, the pair
    /// gets a problem and no p-value.
    public static let minimumValues = 2

    /// A value of the dimension (nil: traces without it) and its traces.
    public struct ValueCount: Sendable, Equatable {
        public var value: String?
        public var traces: Int
    }

    /// The test behind a p-value.
    public enum Method: String, Sendable {
        case kolmogorovSmirnov = "ks"
        case zTest = "z"
        case fisher = "fisher"
        case chiSquare = "chi_square"
    }

    /// One signal within one value of the dimension.
    public struct Test: Sendable {
        public var value: String?
        public var signal: Signal
        /// Traces of the value in each slice.
        public var baselineTraces: Int
        public var currentTraces: Int
        /// Traces with the signal known, in each slice.
        public var baselineCount = 0
        public var currentCount = 0
        /// The mean (numbers) or rate (true/false); nil for labels.
        public var baselineValue: Double?
        public var currentValue: Double?
        public var method: Method?
        /// KS D (numbers), current − baseline rate (true/false), Jensen–Shannon distance in base 2 (labels).
        public var effect: Double?
        /// PSI of the signal within the value (quantile bins, or one bin per category).
        public var psi: Double?
        public var pValue: Double?
        /// The Benjamini–Hochberg q-value over every test of the command.
        public var qValue: Double?
        /// q below the false discovery rate.
        public var drifted = false
        /// Why there is no p-value (too few values in a slice).
        public var problem: String?

        init(value: String?, signal: Signal, baselineTraces: Int, currentTraces: Int) {
            self.value = value
            self.signal = signal
            self.baselineTraces = baselineTraces
            self.currentTraces = currentTraces
        }
    }

    public static func compute(database: Database, queries: QueryEngine, signals: [Signal], slices: SlicePairSpec,
                               by dimension: String, thresholds: DriftThresholds = DriftThresholds()) throws -> DriftBreakdown {
        let started = Date()
        guard !signals.isEmpty else { throw InvestigateError("name a signal, or none for all of them") }
        let column = try queries.dimensionColumn(dimension)
        let conditions = try queries.conditions([slices.baseline, slices.current])
        let byValue = try SignalSamples.read(signals, by: column, baseline: conditions[0], current: conditions[1], database: database)
        let baselineTraces = byValue.values.reduce(0) { $0 + $1.baselineTraces }
        let currentTraces = byValue.values.reduce(0) { $0 + $1.currentTraces }
        guard baselineTraces > 0, currentTraces > 0 else {
            throw InvestigateError("the baseline holds \(baselineTraces) traces and the current slice \(currentTraces): both need some")
        }
        func counts(_ keys: [String?], _ traces: (SignalSamples) -> Int) -> [ValueCount] {
            keys.map { ValueCount(value: $0, traces: byValue[$0].map(traces) ?? 0) }.sorted(by: busiestFirst)
        }
        let inBoth = byValue.filter { $0.value.baselineTraces > 0 && $0.value.currentTraces > 0 }
        let tested = inBoth.map { ValueCount(value: $0.key, traces: $0.value.baselineTraces + $0.value.currentTraces) }
            .sorted(by: busiestFirst).prefix(maximumValues)
        var tests = tested.flatMap { entry in
            byValue[entry.value].map { samples in valueTests(samples, value: entry.value) } ?? []
        }
        adjust(&tests, falseDiscoveryRate: thresholds.falseDiscoveryRate)
        return DriftBreakdown(
            baseline: slices.baseline.text.trimmingCharacters(in: .whitespaces),
            current: slices.current.text.trimmingCharacters(in: .whitespaces), dimension: dimension,
            baselineTraces: baselineTraces, currentTraces: currentTraces, thresholds: thresholds, tests: tests,
            onlyInBaseline: counts(byValue.filter { $0.value.currentTraces == 0 }.map(\.key), \.baselineTraces),
            onlyInCurrent: counts(byValue.filter { $0.value.baselineTraces == 0 }.map(\.key), \.currentTraces),
            untestedValues: inBoth.count - tested.count, elapsedMs: Date().timeIntervalSince(started) * 1000)
    }

    /// More traces first; ties by value, the missing value last.
    static func busiestFirst(_ a: ValueCount, _ b: ValueCount) -> Bool {
        if a.traces != b.traces { return a.traces > b.traces }
        switch (a.value, b.value) {
        case let (x?, y?): return x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars)
        case (_?, nil): return true
        default: return false
        }
    }

    /// The tests of one value, one per signal.
    static func valueTests(_ samples: SignalSamples, value: String?) -> [Test] {
        samples.signals.indices.map { i in
            var test = Test(value: value, signal: samples.signals[i], baselineTraces: samples.baselineTraces,
                            currentTraces: samples.currentTraces)
            let (a, b) = (samples.baseline[i], samples.current[i])
            test.baselineCount = a.count
            test.currentCount = b.count
            guard a.count >= minimumValues, b.count >= minimumValues else {
                test.problem = "known for \(a.count) baseline and \(b.count) current traces; a test needs \(minimumValues) a side"
                return test
            }
            switch (a, b) {
            case let (.numbers(x), .numbers(y)): numeric(&test, baseline: x, current: y)
            case let (.rate(kx, nx), .rate(ky, ny)): rate(&test, baselineTrue: kx, baselineTotal: nx, currentTrue: ky, currentTotal: ny)
            case let (.labels(x), .labels(y)): labels(&test, baseline: x, current: y)
            default: break
            }
            if test.pValue == nil { test.problem = "no finite values to compare" }
            return test
        }
    }

    /// KS p-value, KS D, means; no bootstrap (the by-view shows no quantile intervals).
    static func numeric(_ test: inout Test, baseline: [Double], current: [Double]) {
        var options = NumericDrift.Options()
        options.bootstrapResamples = 0
        guard let drift = NumericDrift.compute(baseline: baseline, current: current, options: options) else { return }
        test.method = .kolmogorovSmirnov
        test.pValue = drift.ks.pValue
        test.effect = drift.ks.statistic
        test.psi = drift.psi.value
        test.baselineValue = drift.baseline.mean
        test.currentValue = drift.current.mean
    }

    /// The z-test, or Fisher's exact test when the smallest expected cell of the 2 × 2 table is
    /// below 5 (Cochran's rule: the normal approximation is poor there).
    static func rate(_ test: inout Test, baselineTrue: Int, baselineTotal: Int, currentTrue: Int, currentTotal: Int) {
        guard let drift = ProportionDrift.compute(baselineTrue: baselineTrue, baselineTotal: baselineTotal,
                                                  currentTrue: currentTrue, currentTotal: currentTotal) else { return }
        let all = baselineTotal + currentTotal, hits = baselineTrue + currentTrue
        let smallestExpected = Double(min(baselineTotal, currentTotal)) * Double(min(hits, all - hits)) / Double(all)
        if smallestExpected < 5 {
            test.method = .fisher
            test.pValue = drift.fisher.pValue
        } else {
            test.method = .zTest
            test.pValue = drift.zTest.pValue
        }
        test.effect = drift.delta
        test.psi = drift.categorical.psi.value
        test.baselineValue = drift.baselineRate
        test.currentValue = drift.currentRate
    }

    /// The 2 × K chi-square (p = 1 when both slices hold one and the same label).
    static func labels(_ test: inout Test, baseline: [String: Int], current: [String: Int]) {
        guard let drift = CategoricalDrift.compute(baselineCounts: baseline, currentCounts: current) else { return }
        test.method = .chiSquare
        test.pValue = drift.chiSquare?.pValue ?? 1
        test.effect = drift.jensenShannon.base2
        test.psi = drift.psi.value
    }

    /// Fills the q-values over every test with a p-value, the verdicts, and sorts.
    static func adjust(_ tests: inout [Test], falseDiscoveryRate: Double) {
        for i in tests.indices {
            if let p = tests[i].pValue, !p.isFinite { tests[i].pValue = nil; tests[i].problem = "the test gave no p-value" }
            tests[i].pValue = tests[i].pValue.map { min(max($0, 0), 1) }
        }
        let withP = tests.indices.filter { tests[$0].pValue != nil }
        let q = BenjaminiHochberg.qValues(withP.compactMap { tests[$0].pValue })
        for (k, i) in withP.enumerated() {
            tests[i].qValue = q[k]
            tests[i].drifted = q[k] < falseDiscoveryRate
        }
        tests = tests.enumerated().sorted { x, y in
            let (a, b) = (x.element, y.element)
            switch (a.qValue, b.qValue) {
            case let (qa?, qb?) where qa != qb: return qa < qb
            case (_?, nil): return true
            case (nil, _?): return false
            default:
                let (pa, pb) = (a.psi ?? -1, b.psi ?? -1)
                return pa != pb ? pa > pb : x.offset < y.offset
            }
        }.map(\.element)
    }
}
