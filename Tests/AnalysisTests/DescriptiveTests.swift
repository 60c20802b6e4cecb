import Testing
@testable import Analysis

/// Expected values: numpy 2.4 via oracle/paired_oracle.py ("descriptive" section).
@Suite struct DescriptiveTests {
    @Test(arguments: [
        (0.0, 100.0), (10, 228.76000000000002), (25, 292.05), (50, 407.29999999999995),
        (90, 865.0500000000001), (99, 1137.9599999999996), (100, 1243.8),
    ])
    func quantileMatchesNumpyLinear(percent: Double, expected: Double) {
        let sorted = OracleData.latencyA.sorted()
        expectClose(Descriptive.quantile(sorted: sorted, percent / 100), expected, relative: 1e-13)
    }

    @Test func meanStandardDeviationAndMedian() {
        expectClose(Descriptive.mean(OracleData.latencyA), 460.156, relative: 1e-14)
        expectClose(Descriptive.sampleStandardDeviation(OracleData.latencyA), 235.9283237401926, relative: 1e-13)
        expectClose(Descriptive.median(sorted: OracleData.latencyA.sorted()), 407.29999999999995, relative: 1e-14)
    }

    @Test func emptyAndSingleInputs() {
        #expect(Descriptive.mean([]) == nil)
        #expect(Descriptive.sampleVariance([3]) == nil)
        #expect(Descriptive.quantile(sorted: [], 0.5) == nil)
        #expect(Descriptive.quantile(sorted: [7], 0.9) == 7)
        #expect(Descriptive.median(sorted: []) == nil)
        #expect(Descriptive.median(sorted: [1, 2, 3, 10]) == 2.5)
    }

    @Test func compensatedSumKeepsSmallTerms() {
        // 1e16 + 1 + 1 − 1e16: plain summation loses both ones.
        #expect(Descriptive.sum([1e16, 1, 1, -1e16]) == 2)
        #expect(Descriptive.sampleVariance([1e9 + 1, 1e9 + 2, 1e9 + 3]) == 1)
    }
}
