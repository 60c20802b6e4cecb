import Testing
@testable import Analysis

/// Expected values: scipy 1.17 `stats.binom.logcdf` and `stats.binomtest` via
/// oracle/paired_oracle.py.
@Suite struct BinomialTests {
    @Test(arguments: [
        (0, 1, -0.6931471805599453), (3, 15, -4.041100047703289), (25, 65, -3.198074505970484),
        (430, 930, -4.4392812713411), (499_000, 1_000_000, -3.780812744992511),
        (0, 1_000_000, -693147.1805599453), (956, 2000, -3.6554019164309373),
    ])
    func logCDFMatchesScipy(k: Int, n: Int, expected: Double) {
        expectClose(Binomial.logCDF(k, trials: n), expected, relative: 1e-11, "log P(X ≤ \(k)), n \(n)")
    }

    @Test func logProbabilitySumsToOne() {
        for n in [1, 2, 15, 16, 17, 40, 301] {
            var total = 0.0
            for k in 0...n { total += exp(Binomial.logProbability(k, trials: n)) }
            expectClose(total, 1, relative: 1e-13, "n \(n)")
        }
    }

    @Test func upperHalfOfTheCDF() {
        #expect(Binomial.logCDF(10, trials: 10) == 0)
        #expect(Binomial.logCDF(-1, trials: 10) == -.infinity)
        // P(X ≤ 12) for n = 15 = 1 − P(X ≤ 2).
        expectClose(exp(Binomial.logCDF(12, trials: 15)), 1 - 121.0 / 32768, relative: 1e-14)
    }

    @Test(arguments: [
        (0, 0, 1.0), (3, 12, 0.03515625), (40, 25, 0.08168153394154003),
        (500, 430, 0.023608839292547163), (7, 7, 1.0), (0, 9, 0.00390625),
        (499_700, 500_300, 0.5491729059131272), (499_000, 501_000, 0.0456082998653896),
    ])
    func mcnemarMatchesScipyBinomtest(b: Int, c: Int, expected: Double) {
        expectClose(Binomial.twoSidedPValue(min(b, c), trials: b + c), expected, relative: 1e-10, "b \(b), c \(c)")
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
