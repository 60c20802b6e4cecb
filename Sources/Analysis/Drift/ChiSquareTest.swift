import Foundation

/// A Pearson chi-square test: the statistic Σ (observed − expected)²/expected, its degrees of
/// freedom and its p-value.
///
/// Two forms are used on category counts. The contingency test treats both slices as samples
/// (the textbook test of "same distribution"); the goodness-of-fit form treats the baseline
/// proportions as known and tests only the current counts against them, which is what
/// Evidently's `chisquare` does and why its p-values are much smaller.
public struct ChiSquareTest: Sendable, Equatable {
    /// Σ (observed − expected)²/expected; +∞ when a category has observations but no expectation.
    public let statistic: Double
    /// The degrees of freedom.
    public let degreesOfFreedom: Int
    /// P(χ²_dof ≥ statistic); 1 with no degrees of freedom.
    public let pValue: Double

    /// The test of independence of a two-way table of counts (rows: slices, columns: categories).
    ///
    /// `scipy.stats.chi2_contingency(table, correction:)`: expected = row total · column total /
    /// total; dof = (rows − 1)(columns − 1); with `yates` and one degree of freedom each observed
    /// count moves ½ (at most the whole gap) toward its expectation first. Nil when an expected
    /// count is 0 (a row or column without counts), where scipy raises.
    static func contingency(_ table: [[Int]], yates: Bool = false) -> ChiSquareTest? {
        guard let columns = table.first?.count, columns > 0, table.allSatisfy({ $0.count == columns }) else { return nil }
        let rowTotals = table.map { Double($0.reduce(0, +)) }
        let columnTotals = (0..<columns).map { c in Double(table.reduce(0) { $0 + $1[c] }) }
        let total = rowTotals.reduce(0, +)
        let dof = (table.count - 1) * (columns - 1)
        var statistic = 0.0
        for (r, row) in table.enumerated() {
            for (c, count) in row.enumerated() {
                let expected = rowTotals[r] * columnTotals[c] / total
                guard expected > 0 else { return nil }
                var observed = Double(count)
                if dof == 1 && yates {
                    let gap = expected - observed
                    observed += min(0.5, abs(gap)) * (gap > 0 ? 1 : gap < 0 ? -1 : 0)
                }
                statistic += (observed - expected) * (observed - expected) / expected
            }
        }
        if dof == 0 { return ChiSquareTest(statistic: 0, degreesOfFreedom: 0, pValue: 1) }
        return ChiSquareTest(statistic: statistic, degreesOfFreedom: dof,
                             pValue: ChiSquared.survival(statistic, degreesOfFreedom: Double(dof)))
    }

    /// The goodness-of-fit test of observed counts against expected ones (same total), with
    /// categories − 1 degrees of freedom: `scipy.stats.chisquare(observed, expected)`. A category
    /// observed but not expected makes the statistic +∞ and the p-value 0, as in scipy. Nil for
    /// fewer than two categories.
    static func goodnessOfFit(observed: [Double], expected: [Double]) -> ChiSquareTest? {
        precondition(observed.count == expected.count, "observed and expected need the same categories")
        guard observed.count >= 2 else { return nil }
        var statistic = 0.0
        for (o, e) in zip(observed, expected) {
            statistic += (o - e) * (o - e) / e
        }
        let dof = observed.count - 1
        return ChiSquareTest(statistic: statistic, degreesOfFreedom: dof,
                             pValue: ChiSquared.survival(statistic, degreesOfFreedom: Double(dof)))
    }
}
