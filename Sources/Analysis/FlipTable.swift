import Foundation

/// How a yes/no signal (refused, errored, tool called, …) changed between two versions over the
/// same inputs: the 2 × 2 table of (A, B) outcomes, the two rates and McNemar's test.
///
/// Only the inputs that flipped carry evidence about a change; inputs that agree under both
/// versions say nothing about it. McNemar's exact test therefore asks whether flips towards
/// true and towards false are equally likely, as a binomial test on the discordant pairs.
public struct FlipTable: Sendable, Equatable {
    /// Inputs false under A and under B.
    public let bothFalse: Int
    /// Inputs false under A and true under B (e.g. answered → refused).
    public let falseToTrue: Int
    /// Inputs true under A and false under B (e.g. refused → answered).
    public let trueToFalse: Int
    /// Inputs true under A and under B.
    public let bothTrue: Int
    /// The confidence level of the two rate intervals.
    public let confidence: Double
    /// The share of inputs true under A; nil with no inputs.
    public let rateA: Double?
    /// The share of inputs true under B; nil with no inputs.
    public let rateB: Double?
    /// The Wilson score interval of `rateA`.
    public let rateAInterval: ConfidenceInterval?
    /// The Wilson score interval of `rateB`.
    public let rateBInterval: ConfidenceInterval?
    /// rateB − rateA, which on paired data is (falseToTrue − trueToFalse) / n.
    public let rateDelta: Double?
    /// McNemar's exact two-sided p-value: scipy's `binomtest(min(b, c), b + c, 0.5).pvalue` for
    /// the flip counts b and c; 1 when nothing flipped.
    public let mcnemarPValue: Double

    /// The number of inputs.
    public var n: Int { bothFalse + falseToTrue + trueToFalse + bothTrue }

    /// The number of inputs whose outcome differs between A and B.
    public var flips: Int { falseToTrue + trueToFalse }

    /// A table from its four counts.
    public init(bothFalse: Int, falseToTrue: Int, trueToFalse: Int, bothTrue: Int, confidence: Double = 0.95) {
        precondition(bothFalse >= 0 && falseToTrue >= 0 && trueToFalse >= 0 && bothTrue >= 0,
                     "flip counts must not be negative")
        precondition(0 < confidence && confidence < 1, "confidence must be in (0, 1)")
        self.bothFalse = bothFalse
        self.falseToTrue = falseToTrue
        self.trueToFalse = trueToFalse
        self.bothTrue = bothTrue
        self.confidence = confidence
        let n = bothFalse + falseToTrue + trueToFalse + bothTrue
        let trueA = trueToFalse + bothTrue, trueB = falseToTrue + bothTrue
        if n > 0 {
            rateA = Double(trueA) / Double(n)
            rateB = Double(trueB) / Double(n)
            rateDelta = Double(falseToTrue - trueToFalse) / Double(n)
        } else {
            rateA = nil
            rateB = nil
            rateDelta = nil
        }
        rateAInterval = ConfidenceInterval.wilson(successes: trueA, trials: n, confidence: confidence)
        rateBInterval = ConfidenceInterval.wilson(successes: trueB, trials: n, confidence: confidence)
        let discordant = falseToTrue + trueToFalse
        mcnemarPValue = Binomial.twoSidedPValue(min(falseToTrue, trueToFalse), trials: discordant)
    }

    /// Counts (outcome under A, outcome under B) pairs, one per input.
    ///
    /// Inlinable so that the loop is specialized for the caller's sequence, and branch-free
    /// (it counts trues and joint trues and derives the rest), so random outcomes cost no
    /// mispredictions: 200,000 pairs take well under a millisecond.
    @inlinable
    public static func compute(_ pairs: some Sequence<(Bool, Bool)>, confidence: Double = 0.95) -> FlipTable {
        var n = 0, trueA = 0, trueB = 0, both = 0
        for (a, b) in pairs {
            let x = a ? 1 : 0, y = b ? 1 : 0
            n += 1
            trueA += x
            trueB += y
            both += x & y
        }
        return FlipTable(bothFalse: n - trueA - trueB + both, falseToTrue: trueB - both,
                         trueToFalse: trueA - both, bothTrue: both, confidence: confidence)
    }
}
