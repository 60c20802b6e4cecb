import Testing
@testable import Analysis

/// `WindowSeries`: windows are `(from, to]`, and each statistic agrees with numpy on the
/// window's values (expected values from numpy: `np.percentile(w, q)`, `np.mean(w)`).
@Suite struct WindowSeriesTests {
    /// Times 10, 20, … 100; the window (25, 80] holds the values at 30 … 80.
    let series = WindowSeries(times: (1...10).map { Int64($0 * 10) }, values: [120, 80, 300, 95, 410, 150, 60, 220, 1000, 75])

    @Test func windowsAreOpenAtTheStartAndClosedAtTheEnd() {
        #expect(series.range(from: 25, to: 80) == 2..<8)
        #expect(series.range(from: 30, to: 80) == 3..<8, "a trace at the window's start belongs to the window before")
        #expect(series.range(from: 0, to: 5) == 0..<0 && series.range(from: 100, to: 200) == 10..<10)
        #expect(series.range(from: 50, to: 40).isEmpty)
    }

    @Test func statisticsAgreeWithNumpy() throws {
        let w = series.range(from: 25, to: 80)
        #expect(try #require(series.statistic(.p95, over: w).value) == 382.5)
        #expect(try #require(series.statistic(.p50, over: w).value) == 185.0)
        #expect(abs(try #require(series.statistic(.p99, over: w).value) - 404.5) < 1e-9)
        #expect(abs(try #require(series.statistic(.mean, over: w).value) - 205.83333333333334) < 1e-9)
        #expect(series.statistic(.count, over: w).value == 6 && series.statistic(.count, over: w).n == 6)
        #expect(series.statistic(.mean, from: 200, to: 300).value == nil, "an empty window has no mean")
        #expect(series.statistic(.count, from: 200, to: 300).value == 0, "but a count of 0")
    }

    @Test func rateIsTheMeanOfZerosAndOnes() {
        let flags = WindowSeries(times: [1, 2, 3, 4, 5], values: [0, 1, 0, 0, 1])
        #expect(flags.statistic(.rate, from: 0, to: 5).value == 0.4)
        #expect(flags.statistic(.rate, from: 1, to: 4).value == 1.0 / 3.0)
    }
}
