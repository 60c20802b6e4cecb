import Foundation

/// The population stability index (PSI) of a current sample against a baseline, with its bins
/// and the level it reaches by chance alone at these sample sizes.
///
/// PSI = Σᵢ (cᵢ − bᵢ)·ln(cᵢ/bᵢ) over bins with baseline and current proportions bᵢ and cᵢ. It is
/// the symmetric Kullback–Leibler divergence of the binned distributions, the industry's usual
/// "how far did this move" number, read with the rule of thumb < 0.1 stable, 0.1–0.25 moderate,
/// ≥ 0.25 significant. Those bands ignore sample size, though: with 50 traces a side, pure
/// chance gives PSI ≈ 0.36 on ten bins. `noise` states that level so small slices are not read
/// as drift.
public struct PopulationStability: Sendable, Equatable {
    /// The rule-of-thumb reading of a PSI value.
    public enum Band: Int, Sendable, Comparable, CaseIterable {
        /// Below the moderate threshold (default 0.1).
        case stable
        /// From the moderate to the significant threshold (default 0.1 to 0.25).
        case moderate
        /// At or above the significant threshold (default 0.25).
        case significant

        public static func < (a: Band, b: Band) -> Bool { a.rawValue < b.rawValue }
    }

    /// PSI's distribution when nothing changed, for these sample sizes and bins.
    ///
    /// With proportions π over B bins and no change, cᵢ − bᵢ is approximately normal with
    /// covariance (1/n_b + 1/n_c)(diag π − ππᵀ), and ln(cᵢ/bᵢ) ≈ (cᵢ − bᵢ)/πᵢ, so
    /// PSI ≈ Σ (cᵢ − bᵢ)²/πᵢ ≈ (1/n_b + 1/n_c)·χ²_{B−1}. (Quantile bins cut from the baseline make
    /// the baseline proportions fixed, but their edges then carry the same baseline sampling
    /// error, and the result is unchanged.) Hence the expected value (B − 1)(1/n_b + 1/n_c) and
    /// the 95th percentile χ²_{B−1, 0.95}(1/n_b + 1/n_c), as the oracle's `sampling_noise`.
    public struct Noise: Sendable, Equatable {
        /// E[PSI] under no change: (B − 1)(1/n_b + 1/n_c).
        public let expected: Double
        /// The 95th percentile of PSI under no change: χ²_{B−1}(0.95) · (1/n_b + 1/n_c).
        public let critical95: Double

        /// The noise level for `bins` bins (at least 2 counted as 1 degree of freedom) and the two sample sizes.
        public init(bins: Int, baselineCount nb: Int, currentCount nc: Int) {
            precondition(nb > 0 && nc > 0, "PSI noise needs two non-empty samples")
            let scale = 1 / Double(nb) + 1 / Double(nc)
            let dof = Double(max(bins - 1, 1))
            expected = dof * scale
            critical95 = ChiSquared.quantile(0.95, degreesOfFreedom: dof) * scale
        }
    }

    /// The inner bin edges e₁ < … < e_m of a numeric PSI (bins (−∞, e₁], (e₁, e₂], …, (e_m, +∞));
    /// empty for categories.
    public let innerEdges: [Double]
    /// The baseline count in each bin.
    public let baselineCounts: [Int]
    /// The current count in each bin.
    public let currentCounts: [Int]
    /// The baseline proportion of each bin, with a proportion of exactly 0 replaced by `epsilon`.
    public let baselineProportions: [Double]
    /// The current proportion of each bin, with a proportion of exactly 0 replaced by `epsilon`.
    public let currentProportions: [Double]
    /// The term (cᵢ − bᵢ)·ln(cᵢ/bᵢ) of each bin.
    public let terms: [Double]
    /// PSI, the sum of the terms.
    public let value: Double
    /// The stand-in for an empty bin's proportion (default 1e-4).
    public let epsilon: Double
    /// The chance level at these sample sizes.
    public let noise: Noise

    /// The number of bins used (after merging equal edges).
    public var binCount: Int { baselineCounts.count }

    /// Whether PSI is above the 95th percentile of its no-change distribution.
    public var exceedsNoise: Bool { value > noise.critical95 }

    /// The rule-of-thumb band of `value`.
    public func band(moderate: Double = 0.1, significant: Double = 0.25) -> Band {
        value >= significant ? .significant : value >= moderate ? .moderate : .stable
    }

    /// PSI over given bins: proportions count/n, a proportion of exactly 0 replaced by `epsilon`
    /// and not renormalised, as the oracle's `psi_from_pct`.
    init(innerEdges: [Double], baselineCounts: [Int], currentCounts: [Int], epsilon: Double) {
        precondition(baselineCounts.count == currentCounts.count, "both samples need the same bins")
        let nb = baselineCounts.reduce(0, +), nc = currentCounts.reduce(0, +)
        precondition(nb > 0 && nc > 0, "PSI needs two non-empty samples")
        self.innerEdges = innerEdges
        self.baselineCounts = baselineCounts
        self.currentCounts = currentCounts
        self.epsilon = epsilon
        let b = baselineCounts.map { $0 == 0 ? epsilon : Double($0) / Double(nb) }
        let c = currentCounts.map { $0 == 0 ? epsilon : Double($0) / Double(nc) }
        baselineProportions = b
        currentProportions = c
        let terms = zip(b, c).map { b, c in (c - b) * log(c / b) }
        self.terms = terms
        value = PairwiseSum.sum(terms)
        noise = Noise(bins: baselineCounts.count, baselineCount: nb, currentCount: nc)
    }

    /// PSI on `bins` quantile bins of the baseline (the oracles' README rule).
    ///
    /// Inner edges are numpy's linear quantiles of the baseline at k/bins, k = 1…bins − 1, with
    /// equal edges merged (`np.unique`), so a baseline with few distinct values gets fewer bins. A
    /// value equal to an edge falls in the bin below it. Both samples sorted ascending, non-empty.
    static func quantileBinned(sortedBaseline a: [Double], sortedCurrent b: [Double], bins: Int, epsilon: Double) -> PopulationStability {
        precondition(bins >= 1, "PSI needs at least one bin")
        var edges: [Double] = []
        for k in 1..<max(bins, 1) {
            if let edge = Descriptive.quantile(sorted: a, Double(k) / Double(bins)) { edges.append(edge) }
        }
        edges.sort()
        var unique: [Double] = []
        for edge in edges where unique.last != edge { unique.append(edge) }
        return PopulationStability(
            innerEdges: unique, baselineCounts: binCounts(a, edges: unique),
            currentCounts: binCounts(b, edges: unique), epsilon: epsilon)
    }

    /// Counts of ascending `values` in the bins (−∞, e₁], (e₁, e₂], …, (e_m, +∞): the bin of x is
    /// the number of edges below x (numpy `searchsorted(edges, x, side="left")`).
    static func binCounts(_ values: [Double], edges: [Double]) -> [Int] {
        var counts = [Int](repeating: 0, count: edges.count + 1)
        var bin = 0
        for x in values {
            while bin < edges.count && edges[bin] < x { bin += 1 }
            counts[bin] += 1
        }
        return counts
    }
}
