import Foundation

/// Stirling's series and Loader's deviance: the two pieces that let binomial and beta
/// probabilities with large arguments be computed without subtracting huge logarithms.
enum Stirling {
    /// log Γ(x) − [(x − ½) log x − x + ½ log 2π], the tail of Stirling's series, for x ≥ 10
    /// (truncation error below 1e-16 there).
    static func correction(_ x: Double) -> Double {
        let r = 1 / x, r2 = r * r
        let c1 = 1.0 / 12, c3 = -1.0 / 360, c5 = 1.0 / 1260, c7 = -1.0 / 1680
        let c9 = 1.0 / 1188, c11 = -691.0 / 360_360, c13 = 1.0 / 156
        return r * (c1 + r2 * (c3 + r2 * (c5 + r2 * (c7 + r2 * (c9 + r2 * (c11 + r2 * c13))))))
    }

    /// The deviance term x·log(x/m) + m − x, by its series when x is close to m (where the plain
    /// form cancels), as in Loader (2000), "Fast and accurate computation of binomial probabilities".
    static func deviance(_ x: Double, _ m: Double) -> Double {
        if abs(x - m) < 0.1 * (x + m) {
            let v = (x - m) / (x + m)
            var s = (x - m) * v
            var ej = 2 * x * v
            let v2 = v * v
            var j = 1.0
            while true {
                ej *= v2
                let next = s + ej / (2 * j + 1)
                if next == s { return s }
                s = next
                j += 1
            }
        }
        return x * log(x / m) + m - x
    }
}
