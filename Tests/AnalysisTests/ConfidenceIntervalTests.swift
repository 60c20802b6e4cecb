import Analysis
import Testing

/// Expected values: scipy 1.17 `binomtest(k, n).proportion_ci(confidence, method="wilson")` via
/// oracle/paired_oracle.py.
@Suite struct ConfidenceIntervalTests {
    @Test(arguments: [
        (0, 10, 0.95, 0.0, 0.27753279986288926),
        (10, 10, 0.95, 0.7224672001371109, 1.0),
        (3, 12, 0.95, 0.08894166839405471, 0.5323053349335657),
        (40, 100, 0.95, 0.3094012864324589, 0.4979974132089382),
        (1, 1, 0.95, 0.20654931437723745, 1.0),
        (500, 930, 0.95, 0.5055014784096352, 0.5694577122953906),
        (0, 1, 0.95, 0.0, 0.7934506856227626),
        (40, 100, 0.99, 0.2838632554739869, 0.5285808820691777),
        (17, 250, 0.90, 0.04616922268290727, 0.09908102767720431),
    ])
    func wilsonMatchesScipy(k: Int, n: Int, confidence: Double, lower: Double, upper: Double) throws {
        let interval = try #require(ConfidenceInterval.wilson(successes: k, trials: n, confidence: confidence))
        expectClose(interval.lower, lower, relative: 1e-12, "lower \(k)/\(n)")
        expectClose(interval.upper, upper, relative: 1e-12, "upper \(k)/\(n)")
    }

    @Test func wilsonWithoutTrialsIsNil() {
        #expect(ConfidenceInterval.wilson(successes: 0, trials: 0) == nil)
    }

    @Test func containsAndExcludesZero() {
        let interval = ConfidenceInterval(lower: -1, upper: 2)
        #expect(interval.contains(-1) && interval.contains(2) && !interval.contains(2.5))
        #expect(!interval.excludesZero)
        #expect(ConfidenceInterval(lower: 0.5, upper: 2).excludesZero)
    }
}
