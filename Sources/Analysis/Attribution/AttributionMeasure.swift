/// How a signal aggregates over a set of traces, which decides how Adtributor splits its change.
public enum AttributionMeasure: String, Sendable, Equatable, CaseIterable {
    /// A rate of a 0/1 signal (refusal rate): Σ metric / traces. Computed exactly as `mean`; the
    /// name only records that the metric is 0/1, which makes per-value proportion tests meaningful.
    case rate
    /// A mean per trace (mean latency, cost per trace): Σ metric / traces, a derived measure.
    case mean
    /// An additive total (Σ cost, Σ tool errors): a fundamental measure.
    case sum

    /// Whether the measure is the ratio m1/m2 of Σ metric to the number of traces.
    public var isRatio: Bool {
        self != .sum
    }
}
