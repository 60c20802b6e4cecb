import Testing
@testable import Analysis

/// Expected values: scipy 1.17 `special.betainc` via oracle/paired_oracle.py.
@Suite struct IncompleteBetaTests {
    @Test(arguments: [
        (0.5, 0.5, 0.3, 0.36901011956554536),
        (2.0, 3.0, 0.4, 0.5247999999999999),
        (1000.0, 0.5, 0.999, 0.15724727426672383),
        (0.5, 1000.0, 0.001, 0.842752725733276),
        (50.0, 60.0, 0.45, 0.4642352914306031),
        (5.0, 2.0, 0.999, 0.999985039955024),
        (999.5, 0.5, 0.98, 2.0959226758216738e-10),
        (500000.0, 500000.0, 0.499, 0.022750050961632337),
    ])
    func matchesScipy(a: Double, b: Double, x: Double, expected: Double) {
        let value = IncompleteBeta.regularized(a: a, b: b, x: x)
        expectClose(value.lower, expected, relative: 1e-12, "I_\(x)(\(a), \(b))")
        // 1 − expected is itself rounded, so the complement is checked to an absolute 1e-15.
        expectClose(value.upper, 1 - expected, relative: 0, absolute: 1e-15, "complement")
    }

    @Test func endsOfTheRange() {
        #expect(IncompleteBeta.regularized(a: 2, b: 3, x: 0) == (0, 1))
        #expect(IncompleteBeta.regularized(a: 2, b: 3, x: 1) == (1, 0))
    }

    @Test func logBetaAgreesWithLgammaWhereBothAreExact() {
        // Moderate arguments, where lgamma differences are still accurate.
        for (a, b) in [(10.0, 0.5), (12.5, 3.0), (40.0, 40.0)] {
            let direct = lgammaValue(a) + lgammaValue(b) - lgammaValue(a + b)
            expectClose(IncompleteBeta.logBeta(a, b), direct, relative: 1e-13, "logBeta(\(a), \(b))")
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private func lgammaValue(_ x: Double) -> Double { lgamma(x) }
