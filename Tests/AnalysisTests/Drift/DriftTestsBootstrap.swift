import Foundation
import Testing
@testable import Analysis

/// The seeded percentile bootstrap of quantile deltas against scipy's `stats.bootstrap` (the
/// oracle's call). Bootstraps agree only in distribution, so both are run over 20 seeds and the
/// means of their interval ends and standard errors compared within Monte-Carlo error.
@Suite struct DriftTestsBootstrap {
    /// Per case, over scipy seeds 0…19 (10,000 resamples each): mean and sd of the interval's
    /// lower end, of its upper end, and of the bootstrap standard error, for the p95 delta (the
    /// p50 delta for `latency_p50`). From
    /// `Expected/bootstrap_spread.py` (output in `Expected/bootstrap_spread.txt`).
    static let scipySpread: [String: [Double]] = [
        "tiny_numeric": [2.544999999999999, 0.022360679774997422, 7.455, 0.022360679774997422, 1.2058389245136742, 0.010535091874740745],
        "latency": [642.219962499999, 1.747704730732194, 1054.5195437499992, 2.291672111057404, 102.12196532691551, 0.8967076471662452],
        "latency_same": [-82.70717500000038, 1.7388508202259783, 215.80558124999976, 1.5811557727675145, 74.866444394973, 0.7198279315225994],
        "latency_large": [272.41623750000025, 1.4465622763103707, 450.0861937500007, 1.051365681002216, 45.1343917569916, 0.30616446472889447],
        "ties": [-0.15806249999999528, 0.21980272068320392, 1.5500000000000007, 0.0, 0.41796927516297344, 0.003934232910552776],
        "exact_mwu": [0.7419874999999999, 0.09202718687974783, 4.710000000000003, 1.8225036628030615e-15, 1.0202704738665929, 0.011654044640214085],
        "few_values": [0.0, 0.0, 0.9525000000000027, 0.011180339887498315, 0.22901269364949156, 0.004762563007476978],
        "large_shift": [176.97834125000045, 0.800116224586569, 297.37950625000013, 0.8378642088616173, 30.8034675920309, 0.17618183898816314],
        "latency_p50": [316.28862499999997, 0.88530435407383, 449.8114374999999, 0.645984595684618, 33.58841714723851, 0.22762093645669995],
    ]

    static func inputs(_ name: String) -> (baseline: [Double], current: [Double]) {
        func column(_ file: String) -> [Double] { DriftFixtures.csvColumn(file).compactMap { Double($0) } }
        switch name {
        case "tiny_numeric": return DriftFixtures.numericPair("examples/tiny_numeric_pair.json")
        case "latency", "latency_p50": return (column("examples/latency_baseline.csv"), column("examples/latency_current.csv"))
        case "latency_same": return (column("examples/latency_baseline.csv"), column("examples/latency_same_current.csv"))
        case "latency_large": return DriftFixtures.numericPair("examples/latency_large_pair.json")
        case "large_shift": return DriftTestsNumeric.largeInputs(shifted: true)
        default: return DriftFixtures.numericPair("case_\(name).json")
        }
    }

    static func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(x.count) }
    static func sd(_ x: [Double]) -> Double {
        let m = mean(x)
        return (x.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(x.count - 1)).squareRoot()
    }

    /// The mean of relops' interval ends and standard error over seeds 0…19 is within four
    /// combined Monte-Carlo standard errors of scipy's mean over its seeds 0…19.
    @Test(arguments: ["tiny_numeric", "latency", "latency_same", "latency_large", "ties", "exact_mwu", "few_values",
                      "large_shift", "latency_p50"])
    func agreesWithScipyInDistribution(_ name: String) throws {
        let (b, c) = Self.inputs(name)
        let a = b.sorted(), s = c.sorted()
        let q = name.hasSuffix("_p50") ? 0.5 : 0.95
        var lows: [Double] = [], highs: [Double] = [], errors: [Double] = []
        for seed in 0..<20 {
            let delta = QuantileDelta.compute(sortedBaseline: a, sortedCurrent: s, quantiles: [q],
                                              resamples: 10_000, confidence: 0.95, seed: UInt64(seed))[0]
            let interval = try #require(delta.interval)
            lows.append(interval.lower)
            highs.append(interval.upper)
            errors.append(try #require(delta.standardError))
        }
        let scipy = try #require(Self.scipySpread[name])
        for (ours, index, what) in [(lows, 0, "lower end"), (highs, 2, "upper end"), (errors, 4, "standard error")] {
            let allowed = 4 * ((scipy[index + 1] * scipy[index + 1] + Self.sd(ours) * Self.sd(ours)) / 20).squareRoot()
                + 1e-9 * abs(scipy[index])
            #expect(abs(Self.mean(ours) - scipy[index]) <= allowed,
                    "\(name) \(what): relops mean \(Self.mean(ours)) (sd \(Self.sd(ours))), scipy \(scipy[index]) (sd \(scipy[index + 1]))")
        }
    }

    /// The same seed gives the same interval; another seed another one.
    @Test func seededAndDeterministic() throws {
        let (b, c) = Self.inputs("latency")
        let options = NumericDrift.Options(seed: 42)
        let first = try #require(NumericDrift.compute(baseline: b, current: c, options: options))
        let second = try #require(NumericDrift.compute(baseline: b, current: c, options: options))
        #expect(first.p95Delta == second.p95Delta && first.p50Delta == second.p50Delta)
        let other = try #require(NumericDrift.compute(baseline: b, current: c, options: .init(seed: 43)))
        #expect(other.p95Delta.interval != first.p95Delta.interval)
        #expect(other.p95Delta.delta == first.p95Delta.delta)
    }

    /// The p50 delta's point is the difference of numpy's medians, and both intervals cover
    /// their point (the p50 interval's agreement with scipy is the `latency_p50` case above).
    @Test func medianDelta() throws {
        let (b, c) = Self.inputs("latency")
        let r = try #require(NumericDrift.compute(baseline: b, current: c))
        // np.percentile(current, 50) − np.percentile(baseline, 50), from drift_latency.json's summary.
        expectClose(r.p50Delta.delta, 1202.5500000000002 - 824.05, relative: 1e-12)
        #expect(r.p50Delta.interval?.contains(r.p50Delta.delta) == true)
        #expect(r.p95Delta.interval?.contains(r.p95Delta.delta) == true)
    }

    /// Without resamples there is no interval; one-value samples give a degenerate one.
    @Test func degenerateCases() throws {
        let none = try #require(NumericDrift.compute(baseline: [1, 2, 3], current: [2, 3, 4], options: .init(bootstrapResamples: 0)))
        #expect(none.p95Delta.interval == nil && none.p95Delta.standardError == nil)
        let single = try #require(NumericDrift.compute(baseline: [2.5], current: [7.5], options: .init(bootstrapResamples: 500)))
        #expect(single.p95Delta.interval == ConfidenceInterval(lower: 5, upper: 5))
        #expect(single.p95Delta.standardError == 0)
    }

    /// A resample costs O(1) after sorting, so 200,000 values with 10,000 resamples is quick.
    @Test func largeSamplesStayCheap() throws {
        let b = (0..<200_000).map { Double(($0 * 7919) % 100_003) }
        let c = (0..<200_000).map { Double(($0 * 104_729) % 100_003) + 100 }
        let delta = QuantileDelta.compute(sortedBaseline: b.sorted(), sortedCurrent: c.sorted(), quantiles: [0.5, 0.95],
                                          resamples: 10_000, confidence: 0.95, seed: 0)
        // Uniform on 0…100002 shifted by 100: both deltas are 100 and the intervals are narrow.
        for d in delta {
            let interval = try #require(d.interval)
            #expect(interval.contains(100))
            #expect(interval.upper - interval.lower < 2_000)
        }
    }
}
