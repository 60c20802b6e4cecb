import Foundation

/// The test a drift verdict rests on.
public enum DriftMethod: String, Sendable, Equatable, CaseIterable {
    /// Two-sample Kolmogorov–Smirnov p-value (numeric).
    case kolmogorovSmirnov = "ks"
    /// Evidently's chi-square: goodness of fit of the current counts to the baseline proportions.
    case chiSquare = "chisquare"
    /// Pooled two-proportion z-test p-value (at most two values).
    case zTest = "z"
    /// Wasserstein-1 distance in baseline standard deviations (numeric).
    case wasserstein = "wasserstein"
    /// Jensen–Shannon distance, natural logarithm (Evidently's base).
    case jensenShannon = "jensenshannon"
    /// Population stability index.
    case psi = "psi"

    /// Whether the score is a p-value (drift when small) rather than a distance (drift when large).
    public var scoresPValue: Bool {
        switch self {
        case .kolmogorovSmirnov, .chiSquare, .zTest: true
        case .wasserstein, .jensenShannon, .psi: false
        }
    }
}

/// The thresholds behind drift verdicts. The defaults are Evidently's (0.7, legacy
/// `ColumnDriftMetric`) and the usual PSI bands.
public struct DriftThresholds: Sendable, Equatable {
    /// Drift when a test's p-value is below this (at or below, for KS, as Evidently). Default 0.05.
    public var pValue: Double
    /// Drift when the normed Wasserstein distance reaches this. Default 0.1.
    public var wassersteinNormed: Double
    /// Drift when the Jensen–Shannon distance (base e) reaches this. Default 0.1.
    public var jensenShannon: Double
    /// Drift when PSI reaches this, if PSI is the chosen method. Default 0.1.
    public var psi: Double
    /// The PSI band boundary between stable and moderate. Default 0.1.
    public var psiModerate: Double
    /// The PSI band boundary between moderate and significant. Default 0.25.
    public var psiSignificant: Double
    /// Evidently's switch: with at most this many baseline values it uses p-value tests, above it
    /// distances. Default 1000.
    public var baselineSizeLimit: Int
    /// The method to use instead of Evidently's choice; ignored where it does not apply (e.g. KS
    /// for categories). Nil (the default) follows Evidently.
    public var method: DriftMethod?
    /// `drift … by DIM` tests every value of a dimension at once and calls a test drifted when
    /// its Benjamini–Hochberg q-value is below this false discovery rate. Default 0.05.
    public var falseDiscoveryRate: Double

    /// Thresholds with Evidently's defaults unless given.
    public init(pValue: Double = 0.05, wassersteinNormed: Double = 0.1, jensenShannon: Double = 0.1,
                psi: Double = 0.1, psiModerate: Double = 0.1, psiSignificant: Double = 0.25,
                baselineSizeLimit: Int = 1000, method: DriftMethod? = nil, falseDiscoveryRate: Double = 0.05) {
        precondition(0 < pValue && pValue < 1, "the p-value threshold must be in (0, 1)")
        precondition(0 < falseDiscoveryRate && falseDiscoveryRate < 1, "the false discovery rate must be in (0, 1)")
        precondition(psiModerate <= psiSignificant, "the moderate PSI band must start below the significant one")
        self.pValue = pValue
        self.wassersteinNormed = wassersteinNormed
        self.jensenShannon = jensenShannon
        self.psi = psi
        self.psiModerate = psiModerate
        self.psiSignificant = psiSignificant
        self.baselineSizeLimit = baselineSizeLimit
        self.method = method
        self.falseDiscoveryRate = falseDiscoveryRate
    }

    /// The threshold of `method`.
    public func threshold(for method: DriftMethod) -> Double {
        switch method {
        case .kolmogorovSmirnov, .chiSquare, .zTest: pValue
        case .wasserstein: wassersteinNormed
        case .jensenShannon: jensenShannon
        case .psi: psi
        }
    }
}
