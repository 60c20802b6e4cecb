import Foundation

/// The two-sample Kolmogorov–Smirnov test: the largest gap between the two empirical CDFs, and
/// how likely so large a gap is when both samples come from one continuous distribution.
///
/// It reacts to any change of shape, not only of location, and needs no binning; it is the test
/// Evidently picks for a numeric column with a reference of at most 1000 values.
public struct KolmogorovSmirnovTest: Sendable, Equatable {
    /// How the p-value was computed.
    public enum Method: String, Sendable, Equatable {
        /// The exact null distribution of the statistic for these two sample sizes.
        case exact
        /// The one-sample Kolmogorov distribution at the effective size n₁n₂/(n₁ + n₂).
        case asymptotic
    }

    /// D = sup |F_current − F_baseline|. For the exact method it is the lattice value h/lcm(n₁, n₂)
    /// nearest the computed one, as scipy reports it.
    public let statistic: Double
    /// The two-sided p-value.
    public let pValue: Double
    /// The method behind `pValue`.
    public let method: Method

    /// The sample size up to which scipy's `method="auto"` attempts the exact distribution.
    static let exactSizeLimit = 10_000

    /// Tests two samples, each sorted ascending, non-empty and free of NaN.
    ///
    /// This is `scipy.stats.ks_2samp(baseline, current)` (two-sided, `method="auto"`): exact when
    /// both samples have at most 10,000 values — Hodges' lattice-path count, computed as the
    /// probability of staying inside the band by Viehmann's (2021) recursion, or by the closed
    /// form for equal sizes — and otherwise `kstwo.sf(D, round(n₁n₂/(n₁ + n₂)))`. Should the
    /// exact computation fail (scipy's fallback), the asymptotic one is used. Ties are allowed;
    /// the p-value then is conservative, as scipy's.
    public static func compute(sortedBaseline a: [Double], sortedCurrent b: [Double]) -> KolmogorovSmirnovTest {
        precondition(!a.isEmpty && !b.isEmpty, "the Kolmogorov–Smirnov test needs two non-empty samples")
        let n1 = a.count, n2 = b.count
        var d = largestGap(a, b)
        if max(n1, n2) <= exactSizeLimit {
            let g = gcd(n1, n2)
            let lcm = (n1 / g) * n2
            let h = Int((d * Double(lcm)).rounded(.toNearestOrEven))
            d = Double(h) / Double(lcm)
            if h == 0 { return KolmogorovSmirnovTest(statistic: d, pValue: 1, method: .exact) }
            let p = n1 == n2
                ? probabilityOutsideSquare(n: n1, h: h)
                : probabilityOutsideBand(m: n1, n: n2, g: g, h: h)
            if p.isFinite && (0...1).contains(p) {
                return KolmogorovSmirnovTest(statistic: d, pValue: p, method: .exact)
            }
        }
        let m = Double(max(n1, n2)), n = Double(min(n1, n2))
        let effective = (m * n / (m + n)).rounded(.toNearestOrEven)
        let p = Kolmogorov.survival(n: max(Int(effective), 1), x: d)
        return KolmogorovSmirnovTest(statistic: d, pValue: min(max(p, 0), 1), method: .asymptotic)
    }

    /// max(max(F_a − F_b), max(F_b − F_a)) over all observed values, with F(x) = #{≤ x}/n formed
    /// as scipy forms it (a count divided by n), so that the same gap comes out bit for bit.
    static func largestGap(_ a: [Double], _ b: [Double]) -> Double {
        let n1 = Double(a.count), n2 = Double(b.count)
        var i = 0, j = 0
        var largest = -Double.infinity, smallest = Double.infinity
        while i < a.count || j < b.count {
            // The next distinct value, and the counts of each sample at or below it.
            let next = j == b.count || (i < a.count && a[i] <= b[j]) ? a[i] : b[j]
            while i < a.count && a[i] <= next { i += 1 }
            while j < b.count && b[j] <= next { j += 1 }
            let gap = Double(i) / n1 - Double(j) / n2
            largest = max(largest, gap)
            smallest = min(smallest, gap)
        }
        let below = min(max(-smallest, 0), 1)
        return below > largest ? below : largest
    }

    /// P(D ≥ h/n) for two samples of n values each: 2·Σₖ (−1)^(k+1) C(2n, n − kh)/C(2n, n), by
    /// the nested (Horner-like) form of scipy's `_compute_prob_outside_square`.
    static func probabilityOutsideSquare(n: Int, h: Int) -> Double {
        var p = 0.0
        var k = n / h
        while k >= 0 {
            var term = 1.0
            for j in 0..<h {
                term = Double(n - k * h - j) * term / Double(n + k * h + j + 1)
            }
            p = term * (1 - p)
            k -= 1
        }
        return 2 * p
    }

    /// P(D ≥ h/lcm(m, n)) for samples of m and n values: the share of monotone lattice paths
    /// from (0, 0) to (m, n) that leave the band |x/m − y/n| < h/lcm, computed directly as a
    /// probability column by column (Viehmann 2021; scipy's `_compute_outer_prob_inside_method`).
    static func probabilityOutsideBand(m: Int, n: Int, g: Int, h: Int) -> Double {
        let (m, n) = m >= n ? (m, n) : (n, m)
        let mg = m / g, ng = n / g
        var minJ = 0
        var maxJ = min(ceilDivide(h, mg), n + 1)
        var currentLength = maxJ - minJ
        let length = min(2 * maxJ + 2, n + 1)
        var column = [Double](repeating: 1, count: length)
        for j in minJ..<min(maxJ, length) { column[j] = 0 }
        for i in 1...m {
            let lastMinJ = minJ, lastLength = currentLength
            minJ = min(max(floorDivide(ng * i - h, mg) + 1, 0), n)
            maxJ = min(ceilDivide(ng * i + h, mg), n + 1)
            if maxJ <= minJ { return 1 }
            var value = minJ == 0 ? 0.0 : 1.0
            let id = Double(i)
            for jj in 0..<(maxJ - minJ) {
                let j = jj + minJ
                let source = jj + minJ - lastMinJ
                // Entries past the previous window lie outside the band: probability 1.
                let previous = source < length ? column[source] : 1
                value = (previous * id + value * Double(j)) / (id + Double(j))
                column[jj] = value
            }
            currentLength = maxJ - minJ
            if lastLength > currentLength {
                let start = maxJ - minJ
                for index in start..<min(start + lastLength - currentLength, length) { column[index] = 1 }
            }
        }
        return column[maxJ - minJ - 1]
    }

    private static func floorDivide(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static func ceilDivide(_ a: Int, _ b: Int) -> Int {
        -floorDivide(-a, b)
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }
}
