/// What the current slice is expected to look like if nothing had changed: Adtributor's forecast.
public enum AttributionForecast: String, Sendable, Equatable, CaseIterable {
    /// The baseline scaled to the current slice's number of traces, F = baseline × N_current /
    /// N_baseline, so that a slice with more traffic is not in itself a change.
    case scaled
    /// The baseline as it is, F = baseline: for slices of the same length in time, where a change
    /// of volume is part of what should be explained.
    case raw
}
