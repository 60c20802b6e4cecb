import Foundation

/// Did a signal drift, by which test, and how badly: one row of `drift`'s table.
///
/// The decision follows Evidently's defaults (`ColumnDriftMetric` without a `stattest`), so a
/// verdict here and one from Evidently agree on the same data. Evidently picks the test from the
/// baseline size and the number of distinct values n_u over both slices:
///
/// | | baseline ≤ 1000 values | baseline > 1000 values |
/// |---|---|---|
/// | numeric, n_u > 5 | KS, drift if p ≤ 0.05 | normed Wasserstein ≥ 0.1 |
/// | numeric, 3 ≤ n_u ≤ 5 | chi-square goodness of fit, p < 0.05 | Jensen–Shannon (base e, per value) ≥ 0.1 |
/// | numeric, n_u ≤ 2 | z-test, p < 0.05 | Jensen–Shannon ≥ 0.1 |
/// | categorical, n_u > 2 | chi-square goodness of fit, p < 0.05 | Jensen–Shannon ≥ 0.1 |
/// | categorical or yes/no, n_u ≤ 2 | z-test, p < 0.05 | Jensen–Shannon ≥ 0.1 |
///
/// The severity adds what Evidently leaves out: how large the move is (the PSI band) and whether
/// PSI is above its chance level at these sample sizes.
public struct DriftVerdict: Sendable, Equatable {
    /// The test used.
    public let method: DriftMethod
    /// Its score: a p-value or a distance.
    public let score: Double
    /// The threshold the score was held against.
    public let threshold: Double
    /// Whether the test flags drift.
    public let detected: Bool
    /// The PSI of the signal (quantile bins, or one bin per category).
    public let psi: Double
    /// The rule-of-thumb band of `psi`.
    public let psiBand: PopulationStability.Band
    /// Whether `psi` is above the 95th percentile of its no-change distribution.
    public let psiExceedsNoise: Bool
    /// How badly it drifted, for sorting a table.
    public let severity: DriftSeverity

    /// The verdict on a numeric signal.
    public static func numeric(_ drift: NumericDrift, thresholds: DriftThresholds = DriftThresholds()) -> DriftVerdict {
        let large = drift.baseline.count > thresholds.baselineSizeLimit
        let automatic: DriftMethod
        if drift.distinctValues > NumericDrift.valueBinLimit {
            automatic = large ? .wasserstein : .kolmogorovSmirnov
        } else {
            automatic = large ? .jensenShannon : drift.distinctValues > 2 ? .chiSquare : .zTest
        }
        func score(_ method: DriftMethod) -> Double? {
            switch method {
            case .kolmogorovSmirnov: drift.ks.pValue
            case .wasserstein: drift.wasserstein.normed
            case .psi: drift.psi.value
            // Evidently bins by value below six values, else (for an explicit choice) by its own
            // histogram; relops uses the value bins or the PSI bins.
            case .jensenShannon: drift.valueBins?.jensenShannon.baseE ?? drift.jensenShannon.baseE
            case .chiSquare: drift.valueBins?.chiSquareGoodnessOfFit?.pValue
            case .zTest: drift.valueBins?.zTest?.pValue
            }
        }
        return make(automatic: automatic, score: score, psi: drift.psi, thresholds: thresholds)
    }

    /// The verdict on a categorical field.
    public static func categorical(_ drift: CategoricalDrift, thresholds: DriftThresholds = DriftThresholds()) -> DriftVerdict {
        let large = drift.baselineTotal > thresholds.baselineSizeLimit
        let automatic: DriftMethod = large ? .jensenShannon : drift.categories.count > 2 ? .chiSquare : .zTest
        func score(_ method: DriftMethod) -> Double? {
            switch method {
            case .chiSquare: drift.chiSquareGoodnessOfFit?.pValue
            case .zTest: drift.zTest?.pValue
            case .jensenShannon: drift.jensenShannon.baseE
            case .psi: drift.psi.value
            case .kolmogorovSmirnov, .wasserstein: nil
            }
        }
        return make(automatic: automatic, score: score, psi: drift.psi, thresholds: thresholds)
    }

    /// The verdict on a yes/no signal: Evidently treats it as a categorical column of two values.
    public static func proportion(_ drift: ProportionDrift, thresholds: DriftThresholds = DriftThresholds()) -> DriftVerdict {
        categorical(drift.categorical, thresholds: thresholds)
    }

    private static func make(automatic: DriftMethod, score: (DriftMethod) -> Double?,
                             psi: PopulationStability, thresholds: DriftThresholds) -> DriftVerdict {
        var method = automatic
        var value = score(automatic) ?? .nan
        if let chosen = thresholds.method, let chosenScore = score(chosen) {
            method = chosen
            value = chosenScore
        }
        let threshold = thresholds.threshold(for: method)
        let detected: Bool
        switch method {
        case .kolmogorovSmirnov: detected = value <= threshold
        case .chiSquare, .zTest: detected = value < threshold
        case .wasserstein, .jensenShannon, .psi: detected = value >= threshold
        }
        let band = psi.band(moderate: thresholds.psiModerate, significant: thresholds.psiSignificant)
        let severity = DriftSeverity(detected: detected, method: method, score: value, threshold: threshold,
                                     psiBand: band, psiExceedsNoise: psi.exceedsNoise)
        return DriftVerdict(method: method, score: value, threshold: threshold, detected: detected,
                            psi: psi.value, psiBand: band, psiExceedsNoise: psi.exceedsNoise, severity: severity)
    }
}
