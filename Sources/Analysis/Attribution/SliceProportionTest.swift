import Foundation

/// The plain-statistics cross-check of `explain` for a 0/1 signal: for every value of every
/// dimension, did its rate change between the slices?
///
/// Each value gets a pooled two-proportion z-test of its current against its baseline rate,
/// and, because a dimension sweep runs many such tests, a Benjamini–Hochberg q-value over all
/// values of all dimensions together (the reference's `slices_two_proportion_bh`). Unlike
/// Adtributor it says nothing about how much of the overall change a value accounts for: a
/// small slice can change significantly and still explain little.
public struct SliceProportionTest: Sendable, Equatable {
    /// The dimension.
    public let dimension: String
    /// The element (`(missing)` for no value).
    public let element: String
    /// The baseline traces with this value.
    public let baselineCount: Int
    /// The baseline rate, Σ metric / traces; nil without baseline traces.
    public let baselineRate: Double?
    /// The current traces with this value.
    public let currentCount: Int
    /// The current rate; nil without current traces.
    public let currentRate: Double?
    /// z = (current rate − baseline rate) / √(p̄(1 − p̄)(1/n₁ + 1/n₂)) with the pooled rate p̄;
    /// 0 when the pooled rate is 0 or 1, nil when either slice has no traces with this value.
    public let z: Double?
    /// The two-sided p-value, 2·(1 − Φ(|z|)); 1 when z is 0 for want of variance; nil with z.
    public let pValue: Double?
    /// The Benjamini–Hochberg q-value among all tested values of all dimensions; nil with p.
    public let qValue: Double?

    /// Tests every value of every dimension, in the order of the rows' dimensions and, within a
    /// dimension, of the element names (code-point order). The metric should be 0/1 (a rate).
    ///
    /// The z-test is the reference's pooled two-proportion test; the q-values are
    /// `scipy.stats.false_discovery_control(p, method="bh")`.
    public static func compute(_ rows: [AttributionRow]) -> [SliceProportionTest] {
        var tests: [(dimension: String, cell: AttributionTable.Cell, z: Double?, p: Double?)] = []
        for dimension in AttributionTable(rows).dimensions {
            for cell in dimension.cells {
                let x1 = cell.baselineSum, n1 = Double(cell.baselineCount)
                let x2 = cell.currentSum, n2 = Double(cell.currentCount)
                var z: Double?, p: Double?
                if n1 != 0 && n2 != 0 {
                    let pooled = (x1 + x2) / (n1 + n2)
                    let se = (pooled * (1 - pooled) * (1 / n1 + 1 / n2)).squareRoot()
                    if se > 0 {
                        let statistic = (x2 / n2 - x1 / n1) / se
                        z = statistic
                        p = 2 * Normal.cdf(-abs(statistic))
                    } else {
                        z = 0
                        p = 1
                    }
                }
                tests.append((dimension.name, cell, z, p))
            }
        }
        var q = BenjaminiHochberg.qValues(tests.compactMap(\.p)).makeIterator()
        return tests.map { test in
            let cell = test.cell
            return SliceProportionTest(
                dimension: test.dimension, element: cell.element,
                baselineCount: cell.baselineCount,
                baselineRate: cell.baselineCount > 0 ? cell.baselineSum / Double(cell.baselineCount) : nil,
                currentCount: cell.currentCount,
                currentRate: cell.currentCount > 0 ? cell.currentSum / Double(cell.currentCount) : nil,
                z: test.z, pValue: test.p, qValue: test.p == nil ? nil : q.next())
        }
    }
}
