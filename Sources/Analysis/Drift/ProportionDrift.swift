import Foundation

/// How a yes/no signal's rate (refused, errored, tool called, …) moved between two independent
/// slices: `drift refused between A and B`.
///
/// Unlike `FlipTable`, the slices hold different traces, so the evidence is in the two rates
/// alone: Wilson intervals for each, Newcombe's interval for the difference, the pooled z-test
/// (Evidently's choice), and Fisher's exact test, which is the one to believe when the events
/// are few (a z-test p of 0.050 can be a Fisher p of 0.11).
public struct ProportionDrift: Sendable, Equatable {
    /// Baseline traces where the signal is true.
    public let baselineTrue: Int
    /// Baseline traces.
    public let baselineTotal: Int
    /// Current traces where the signal is true.
    public let currentTrue: Int
    /// Current traces.
    public let currentTotal: Int
    /// The confidence level of the intervals.
    public let confidence: Double
    /// The baseline rate.
    public let baselineRate: Double
    /// The current rate.
    public let currentRate: Double
    /// The Wilson score interval of the baseline rate.
    public let baselineInterval: ConfidenceInterval
    /// The Wilson score interval of the current rate.
    public let currentInterval: ConfidenceInterval
    /// currentRate − baselineRate.
    public let delta: Double
    /// Newcombe's hybrid score interval for `delta` (his method 10), from the two Wilson intervals.
    public let deltaInterval: ConfidenceInterval
    /// The pooled two-proportion z-test.
    public let zTest: TwoProportionZTest
    /// Fisher's exact test of [[x_b, n_b − x_b], [x_c, n_c − x_c]].
    public let fisher: FisherExactTest
    /// The 2 × 2 chi-square without continuity correction (equal to z²); nil when every trace is
    /// true or every trace is false.
    public let chiSquare: ChiSquareTest?
    /// The 2 × 2 chi-square with Yates' correction; nil with `chiSquare`.
    public let chiSquareYates: ChiSquareTest?
    /// The same data as categories `false` and `true` (those present): PSI, Jensen–Shannon and
    /// Evidently's chi-square, as for any categorical field.
    public let categorical: CategoricalDrift

    /// Compares x_b true of n_b against x_c true of n_c; nil when a side has no traces.
    public static func compute(baselineTrue xb: Int, baselineTotal nb: Int, currentTrue xc: Int, currentTotal nc: Int,
                               confidence: Double = 0.95, psiEpsilon: Double = 1e-4) -> ProportionDrift? {
        precondition((0...max(nb, 0)).contains(xb) && (0...max(nc, 0)).contains(xc), "true counts must be within their totals")
        precondition(0 < confidence && confidence < 1, "confidence must be in (0, 1)")
        guard nb > 0, nc > 0,
              let baselineInterval = ConfidenceInterval.wilson(successes: xb, trials: nb, confidence: confidence),
              let currentInterval = ConfidenceInterval.wilson(successes: xc, trials: nc, confidence: confidence) else { return nil }
        var labels: [String] = [], b: [Int] = [], c: [Int] = []
        if xb < nb || xc < nc { labels.append("false"); b.append(nb - xb); c.append(nc - xc) }
        if xb > 0 || xc > 0 { labels.append("true"); b.append(xb); c.append(xc) }
        guard let categorical = CategoricalDrift(categories: labels, baselineCounts: b, currentCounts: c, psiEpsilon: psiEpsilon) else { return nil }
        return ProportionDrift(xb: xb, nb: nb, xc: xc, nc: nc, confidence: confidence,
                               baselineInterval: baselineInterval, currentInterval: currentInterval, categorical: categorical)
    }

    /// Compares two samples of yes/no values.
    public static func compute(baseline: some Sequence<Bool>, current: some Sequence<Bool>, confidence: Double = 0.95) -> ProportionDrift? {
        var xb = 0, nb = 0, xc = 0, nc = 0
        for value in baseline { nb += 1; if value { xb += 1 } }
        for value in current { nc += 1; if value { xc += 1 } }
        return compute(baselineTrue: xb, baselineTotal: nb, currentTrue: xc, currentTotal: nc, confidence: confidence)
    }

    private init(xb: Int, nb: Int, xc: Int, nc: Int, confidence: Double,
                 baselineInterval: ConfidenceInterval, currentInterval: ConfidenceInterval, categorical: CategoricalDrift) {
        baselineTrue = xb
        baselineTotal = nb
        currentTrue = xc
        currentTotal = nc
        self.confidence = confidence
        let p1 = Double(xb) / Double(nb), p2 = Double(xc) / Double(nc)
        baselineRate = p1
        currentRate = p2
        self.baselineInterval = baselineInterval
        self.currentInterval = currentInterval
        delta = p2 - p1
        // statsmodels' confint_proportions_2indep(x_c, n_c, x_b, n_b, method="newcomb").
        let below = ((p2 - currentInterval.lower) * (p2 - currentInterval.lower)
            + (baselineInterval.upper - p1) * (baselineInterval.upper - p1)).squareRoot()
        let above = ((p1 - baselineInterval.lower) * (p1 - baselineInterval.lower)
            + (currentInterval.upper - p2) * (currentInterval.upper - p2)).squareRoot()
        deltaInterval = ConfidenceInterval(lower: delta - below, upper: delta + above)
        zTest = TwoProportionZTest.compute(baselineTrue: xb, baselineTotal: nb, currentTrue: xc, currentTotal: nc)
        fisher = FisherExactTest.compute(xb, nb - xb, xc, nc - xc)
        let table = [[xb, nb - xb], [xc, nc - xc]]
        if xb + xc > 0 && xb + xc < nb + nc {
            chiSquare = ChiSquareTest.contingency(table, yates: false)
            chiSquareYates = ChiSquareTest.contingency(table, yates: true)
        } else {
            chiSquare = nil
            chiSquareYates = nil
        }
        self.categorical = categorical
    }
}
