import Foundation

/// How the distribution of a numeric signal (latency, tokens, cost, …) moved between a baseline
/// and a current slice of independent traces: `drift SIGNAL between A and B`.
///
/// Several views, because drift has several meanings: KS for "is the shape different at all",
/// PSI and Jensen–Shannon for "how far did the binned distribution move", Wasserstein for "by how
/// much, in the signal's own unit", p50 and p95 deltas with bootstrap intervals for "what does a
/// user feel", and Welch and Mann–Whitney for "did the centre move". Every number agrees with
/// the reference script `oracle_drift.py` (scipy, numpy, Evidently); docs/statistics.md states
/// the methods.
public struct NumericDrift: Sendable, Equatable {
    /// Settings of the computation; the defaults are the reference script's.
    public struct Options: Sendable, Equatable {
        /// The number of baseline-quantile bins for PSI and Jensen–Shannon (fewer are used when
        /// quantiles coincide).
        public var psiBins: Int
        /// The stand-in for an empty bin's proportion in PSI.
        public var psiEpsilon: Double
        /// Bootstrap resamples for the quantile-delta intervals; 0 skips the intervals.
        public var bootstrapResamples: Int
        /// The seed of the bootstrap: the same data and seed give the same intervals.
        public var seed: UInt64
        /// The confidence level of the bootstrap intervals.
        public var confidence: Double

        /// Settings with the reference's defaults: 10 bins, ε = 1e-4, 10,000 resamples, seed 0, 95 %.
        public init(psiBins: Int = 10, psiEpsilon: Double = 1e-4, bootstrapResamples: Int = 10_000,
                    seed: UInt64 = 0, confidence: Double = 0.95) {
            precondition(psiBins >= 1, "PSI needs at least one bin")
            precondition(psiEpsilon > 0, "the PSI epsilon must be positive")
            precondition(bootstrapResamples >= 0, "the number of resamples must not be negative")
            precondition(0 < confidence && confidence < 1, "confidence must be in (0, 1)")
            self.psiBins = psiBins
            self.psiEpsilon = psiEpsilon
            self.bootstrapResamples = bootstrapResamples
            self.seed = seed
            self.confidence = confidence
        }
    }

    /// Location and tail of one sample (numpy's definitions: linear quantiles, divisor n − 1).
    public struct Summary: Sendable, Equatable {
        /// The number of finite values.
        public let count: Int
        /// The mean.
        public let mean: Double
        /// The sample standard deviation; nil below two values.
        public let standardDeviation: Double?
        /// The median.
        public let p50: Double
        /// The 95th percentile.
        public let p95: Double
        /// The 99th percentile.
        public let p99: Double

        init(sorted x: [Double]) {
            count = x.count
            mean = Descriptive.mean(x) ?? .nan
            standardDeviation = Descriptive.sampleStandardDeviation(x)
            p50 = Descriptive.quantile(sorted: x, 0.5) ?? .nan
            p95 = Descriptive.quantile(sorted: x, 0.95) ?? .nan
            p99 = Descriptive.quantile(sorted: x, 0.99) ?? .nan
        }
    }

    /// The baseline sample's summary.
    public let baseline: Summary
    /// The current sample's summary.
    public let current: Summary
    /// Baseline values left out for being NaN or infinite (as the reference and Evidently do).
    public let droppedBaseline: Int
    /// Current values left out for being NaN or infinite.
    public let droppedCurrent: Int
    /// The number of distinct values over both samples (Evidently's `nunique`, which picks its test).
    public let distinctValues: Int
    /// The two-sample Kolmogorov–Smirnov test.
    public let ks: KolmogorovSmirnovTest
    /// PSI on baseline-quantile bins.
    public let psi: PopulationStability
    /// The Jensen–Shannon distance on the PSI bins (raw proportions, no epsilon).
    public let jensenShannon: JensenShannonDistance
    /// The Wasserstein-1 distance, raw and normed.
    public let wasserstein: WassersteinDistance
    /// Welch's t-test of the means (current − baseline); nil below two values a side or without spread.
    public let welch: WelchTTest?
    /// The Mann–Whitney U test (U of the current sample); nil only in scipy's NaN case.
    public let mannWhitney: MannWhitneyUTest?
    /// The change of the median, with its bootstrap interval.
    public let p50Delta: QuantileDelta
    /// The change of the 95th percentile, with its bootstrap interval.
    public let p95Delta: QuantileDelta
    /// The samples as one category per distinct value, when there are at most five: Evidently
    /// then tests a numeric column like a categorical one (chi-square, z-test or Jensen–Shannon
    /// over values). Nil with more values.
    public let valueBins: CategoricalDrift?

    /// The most distinct values for which `valueBins` is kept (Evidently's limit for treating a
    /// numeric column by value).
    static let valueBinLimit = 5

    /// Compares a baseline and a current sample. NaN and ±∞ are dropped first; nil when either
    /// sample has no finite value left.
    public static func compute(baseline: [Double], current: [Double], options: Options = Options()) -> NumericDrift? {
        let a = RadixSort.sortedFinite(baseline)
        let b = RadixSort.sortedFinite(current)
        guard !a.isEmpty, !b.isEmpty else { return nil }
        return NumericDrift(a: a, b: b, droppedBaseline: baseline.count - a.count,
                            droppedCurrent: current.count - b.count, options: options)
    }

    private init(a: [Double], b: [Double], droppedBaseline: Int, droppedCurrent: Int, options: Options) {
        self.baseline = Summary(sorted: a)
        self.current = Summary(sorted: b)
        self.droppedBaseline = droppedBaseline
        self.droppedCurrent = droppedCurrent
        ks = KolmogorovSmirnovTest.compute(sortedBaseline: a, sortedCurrent: b)
        psi = PopulationStability.quantileBinned(sortedBaseline: a, sortedCurrent: b,
                                                 bins: options.psiBins, epsilon: options.psiEpsilon)
        jensenShannon = JensenShannonDistance(baselineCounts: psi.baselineCounts, currentCounts: psi.currentCounts)
        wasserstein = WassersteinDistance.compute(sortedBaseline: a, sortedCurrent: b)
        welch = WelchTTest.compute(baseline: a, current: b)
        mannWhitney = MannWhitneyUTest.compute(sortedBaseline: a, sortedCurrent: b)
        let deltas = QuantileDelta.compute(sortedBaseline: a, sortedCurrent: b, quantiles: [0.5, 0.95],
                                           resamples: options.bootstrapResamples,
                                           confidence: options.confidence, seed: options.seed)
        p50Delta = deltas[0]
        p95Delta = deltas[1]

        // Distinct values over both samples, by a merge of the sorted samples.
        var values: [Double] = []
        var i = 0, j = 0
        var distinct = 0
        while i < a.count || j < b.count {
            let next = j == b.count || (i < a.count && a[i] <= b[j]) ? a[i] : b[j]
            while i < a.count && a[i] == next { i += 1 }
            while j < b.count && b[j] == next { j += 1 }
            distinct += 1
            if distinct <= Self.valueBinLimit { values.append(next) }
        }
        distinctValues = distinct
        if distinct <= Self.valueBinLimit {
            func counts(_ x: [Double]) -> [Int] { values.map { v in x.reduce(0) { $0 + ($1 == v ? 1 : 0) } } }
            valueBins = CategoricalDrift(categories: values.map { "\($0)" }, baselineCounts: counts(a),
                                         currentCounts: counts(b), psiEpsilon: options.psiEpsilon)
        } else {
            valueBins = nil
        }
    }
}
