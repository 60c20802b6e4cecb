import Foundation

/// Which dimensions explain a change of a signal between a baseline and a current slice:
/// Adtributor (Bhagwan et al., "Adtributor: Revenue Debugging in Advertising Systems",
/// NSDI 2014), the method behind `explain`.
///
/// Per dimension, each element (value) gets an explanatory power, its share of the total change,
/// and a surprise, how far its share of the signal moved from the forecast (a Jensen–Shannon
/// term, log base 2). Elements are taken in order of surprise; those with EP above T_EEP join the
/// dimension's candidate set until the set explains more than T_EP of the change. Candidate sets
/// are then ranked by their surprise: the dimension whose few values moved against the mix comes
/// first, while a dimension whose every value moved alike (EP spread evenly, surprise near 0)
/// sinks, which is what separates a cause from a bystander.
///
/// Every rule, tie-break and degenerate case is that of the reference
/// `oracles/oracle_attribution.py`, and the tests require agreement to 1e-9.
public struct Adtributor: Sendable, Equatable {
    /// How the signal aggregates (rate and mean are the same computation).
    public let measure: AttributionMeasure
    /// How the forecast is made from the baseline.
    public let forecast: AttributionForecast
    /// The factor applied to the baseline: N_current / N_baseline for `scaled`, 1 for `raw`
    /// (and 1 when the baseline is empty, where every forecast is 0 anyway).
    public let forecastScale: Double
    /// T_EEP: an element joins a candidate set only with an EP above this.
    public let elementThreshold: Double
    /// T_EP: a candidate set is complete once its accumulated EP is above this.
    public let setThreshold: Double
    /// How many candidate sets `rootCauses` keeps.
    public let top: Int
    /// The number of baseline traces (those the first dimension accounts for).
    public let baselineTraces: Int
    /// The number of current traces (those the first dimension accounts for).
    public let currentTraces: Int
    /// The best candidate sets, most surprising first (ties: dimension name), at most `top`.
    public let rootCauses: [Candidate]
    /// Every dimension, in the order of the input rows.
    public let dimensions: [Dimension]

    /// The default T_EEP of the reference (the paper's experiments use 0.1).
    public static let defaultElementThreshold = 0.1
    /// The default T_EP of the reference (the paper's experiments use 0.67).
    public static let defaultSetThreshold = 0.67
    /// The default number of root causes kept.
    public static let defaultTop = 3

    /// Runs Adtributor over the aggregated rows of every dimension.
    ///
    /// For a ratio measure (`rate`, `mean`) m1 = Σ metric and m2 = traces; EP uses the paper's
    /// finite-difference formula for derived measures,
    /// raw = ((A1 − F1)·ΣF2 − (A2 − F2)·ΣF1) / (ΣF2·(ΣF2 + A2 − F2)), normalised to sum to 1 within
    /// the dimension, and the surprise is S(m1) + S(m2). For `sum`, EP = (A − F) / (ΣA − ΣF) and
    /// the surprise is S(m1). N_baseline and N_current, for the scaled forecast, are the counts
    /// of the first dimension: every dimension accounts for every trace (see `AttributionRow`).
    public static func explain(
        _ rows: [AttributionRow], measure: AttributionMeasure, forecast: AttributionForecast = .scaled,
        elementThreshold: Double = defaultElementThreshold, setThreshold: Double = defaultSetThreshold,
        top: Int = defaultTop
    ) -> Adtributor {
        precondition(top >= 0, "the number of root causes must not be negative")
        precondition(elementThreshold.isFinite && setThreshold.isFinite, "thresholds must be finite")
        let table = AttributionTable(rows)
        let baselineTraces = table.dimensions.first?.baselineCount ?? 0
        let currentTraces = table.dimensions.first?.currentCount ?? 0
        let scale = forecast == .scaled && baselineTraces > 0
            ? Double(currentTraces) / Double(baselineTraces) : 1
        let dimensions = table.dimensions.map {
            Dimension(analysing: $0, measure: measure, scale: scale,
                      elementThreshold: elementThreshold, setThreshold: setThreshold)
        }
        let ranked = dimensions.compactMap(\.candidate).sorted { a, b in
            a.surprise != b.surprise
                ? a.surprise > b.surprise : AttributionTable.precedes(a.dimension, b.dimension)
        }
        return Adtributor(
            measure: measure, forecast: forecast, forecastScale: scale,
            elementThreshold: elementThreshold, setThreshold: setThreshold, top: top,
            baselineTraces: baselineTraces, currentTraces: currentTraces,
            rootCauses: Array(ranked.prefix(top)), dimensions: dimensions)
    }

    /// The surprise of one element whose share of the signal is p in the forecast and q in the
    /// actual slice: ½(p·log₂(2p/(p+q)) + q·log₂(2q/(p+q))), with 0·log 0 = 0.
    ///
    /// Log base 2 keeps it in [0, 1] as the paper states; natural-log implementations report
    /// ln 2 times this, with the same ranking.
    public static func surprise(forecastShare p: Double, actualShare q: Double) -> Double {
        var s = 0.0
        if p > 0 { s += p * log2(2 * p / (p + q)) }
        if q > 0 { s += q * log2(2 * q / (p + q)) }
        return 0.5 * s
    }
}
