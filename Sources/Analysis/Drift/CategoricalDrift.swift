import Foundation

/// How the mix of a categorical field (finish reason, model, route, …) moved between a baseline
/// and a current slice: `drift FIELD between A and B` for categories.
///
/// One bin per category seen in either slice. PSI and Jensen–Shannon measure how far the mix
/// moved; the contingency chi-square asks whether it moved beyond chance; the goodness-of-fit
/// chi-square and (with at most two categories) the z-test are what Evidently's default
/// decision uses.
public struct CategoricalDrift: Sendable, Equatable {
    /// The categories of baseline ∪ current in code-point order (Python's `sorted`). Categories
    /// are Swift strings, so canonically equivalent spellings ("é" precomposed or not) are one.
    public let categories: [String]
    /// The baseline count of each category.
    public let baselineCounts: [Int]
    /// The current count of each category.
    public let currentCounts: [Int]
    /// PSI with one bin per category.
    public let psi: PopulationStability
    /// The Jensen–Shannon distance between the two category mixes.
    public let jensenShannon: JensenShannonDistance
    /// The chi-square test of the 2 × K table without continuity correction
    /// (`chi2_contingency(correction=False)`); nil with a single category.
    public let chiSquare: ChiSquareTest?
    /// Evidently's chi-square: the current counts against the baseline proportions scaled to the
    /// current total (`scipy.stats.chisquare(current, baseline · n_c/n_b)`); nil with a single
    /// category. A category absent from the baseline makes it +∞ with p = 0.
    public let chiSquareGoodnessOfFit: ChiSquareTest?
    /// Evidently's z-test of the share of the second category, when there are at most two (a
    /// single category gives z = 0, p = 1); nil with more.
    public let zTest: TwoProportionZTest?

    /// The number of baseline values.
    public var baselineTotal: Int { baselineCounts.reduce(0, +) }
    /// The number of current values.
    public var currentTotal: Int { currentCounts.reduce(0, +) }

    /// Compares category counts (as from `GROUP BY`); categories with no count on either side are
    /// ignored. Nil when either side has no values.
    public static func compute(baselineCounts: [String: Int], currentCounts: [String: Int], psiEpsilon: Double = 1e-4) -> CategoricalDrift? {
        let present = Set(baselineCounts.filter { $0.value > 0 }.keys).union(currentCounts.filter { $0.value > 0 }.keys)
        let categories = present.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
        return CategoricalDrift(categories: categories,
                                baselineCounts: categories.map { baselineCounts[$0] ?? 0 },
                                currentCounts: categories.map { currentCounts[$0] ?? 0 },
                                psiEpsilon: psiEpsilon)
    }

    /// Compares two samples of category values.
    public static func compute(baseline: some Sequence<String>, current: some Sequence<String>, psiEpsilon: Double = 1e-4) -> CategoricalDrift? {
        var b: [String: Int] = [:], c: [String: Int] = [:]
        for value in baseline { b[value, default: 0] += 1 }
        for value in current { c[value, default: 0] += 1 }
        return compute(baselineCounts: b, currentCounts: c, psiEpsilon: psiEpsilon)
    }

    /// Compares counts over categories already in their order; nil when either side is empty.
    init?(categories: [String], baselineCounts: [Int], currentCounts: [Int], psiEpsilon: Double) {
        precondition(categories.count == baselineCounts.count && categories.count == currentCounts.count,
                     "one count per category on each side")
        precondition(baselineCounts.allSatisfy { $0 >= 0 } && currentCounts.allSatisfy { $0 >= 0 },
                     "counts must not be negative")
        let nb = baselineCounts.reduce(0, +), nc = currentCounts.reduce(0, +)
        guard nb > 0 && nc > 0 else { return nil }
        self.categories = categories
        self.baselineCounts = baselineCounts
        self.currentCounts = currentCounts
        psi = PopulationStability(innerEdges: [], baselineCounts: baselineCounts, currentCounts: currentCounts, epsilon: psiEpsilon)
        jensenShannon = JensenShannonDistance(baselineCounts: baselineCounts, currentCounts: currentCounts)
        chiSquare = categories.count >= 2 ? ChiSquareTest.contingency([baselineCounts, currentCounts]) : nil
        let scale = Double(nc) / Double(nb)
        chiSquareGoodnessOfFit = ChiSquareTest.goodnessOfFit(
            observed: currentCounts.map(Double.init), expected: baselineCounts.map { Double($0) * scale })
        switch categories.count {
        case 1:
            zTest = TwoProportionZTest(z: 0, pValue: 1)
        case 2:
            zTest = TwoProportionZTest.compute(baselineTrue: baselineCounts[1], baselineTotal: nb,
                                               currentTrue: currentCounts[1], currentTotal: nc)
        default:
            zTest = nil
        }
    }
}
