import Foundation

/// The distribution of the one-sample Kolmogorov–Smirnov statistic Dₙ, whose upper tail at the
/// effective size n₁n₂/(n₁ + n₂) is the asymptotic p-value of the two-sample test.
///
/// `survival(n:x:)` is scipy's `kstwo.sf(x, n)` (scipy/stats/_ksstats.py, which follows Simard
/// and L'Ecuyer 2011): the same regions and the same method in each — Ruben–Gambino's closed
/// forms at the ends, twice the one-sided Smirnov tail for large x, the Durbin matrix algorithm
/// (Marsaglia–Tsang–Wang) for small n·x^1.5, and Pelz–Good's asymptotic series otherwise. Where
/// scipy uses Pomeranz's recursion (n ≤ 140, 0.754693 < n·x² ≤ 4) this uses the Durbin matrix
/// instead: both are exact, so the two agree to rounding.
enum Kolmogorov {
    /// P(Dₙ ≥ x).
    static func survival(n: Int, x: Double) -> Double {
        precondition(n > 0, "the Kolmogorov distribution needs n > 0")
        if x.isNaN { return .nan }
        if x >= 1 { return 0 }
        if x <= 0 { return 1 }
        let nd = Double(n)
        let t = nd * x
        if t <= 1 {
            // Ruben–Gambino: P(Dₙ ≤ x) = n!/nⁿ (2t − 1)ⁿ for 1/(2n) ≤ x ≤ 1/n.
            if t <= 0.5 { return 1 }
            let cdf: Double
            if n <= 140 {
                var product = 1.0
                for i in 1...n { product *= Double(i) * (1 / nd) * (2 * t - 1) }
                cdf = product
            } else {
                // log(n!/nⁿ) = ½ log(2πn) − n + stirling(n).
                cdf = exp(0.5 * log(2 * Double.pi * nd) - nd + Stirling.correction(nd) + nd * log(2 * t - 1))
            }
            return clip(1 - cdf)
        }
        if t >= nd - 1 {
            // Ruben–Gambino: P(Dₙ ≥ x) = 2(1 − x)ⁿ for x ≥ 1 − 1/n.
            return clip(2 * exp(nd * log1p(-x)))
        }
        if x >= 0.5 {
            // The one-sided events D⁺ ≥ x and D⁻ ≥ x cannot both happen.
            return clip(2 * smirnovSurvival(n: n, x: x))
        }
        let nx2 = t * x
        if n <= 140 {
            if nx2 <= 4 { return clip(1 - durbinCDF(n: n, x: x)) }
            return clip(2 * smirnovSurvival(n: n, x: x))
        }
        if nx2 >= 370 { return 0 }
        if nx2 >= 2.2 { return clip(2 * smirnovSurvival(n: n, x: x)) }
        let cdf: Double
        if n <= 100_000 && nd * pow(x, 1.5) <= 1.4 {
            cdf = durbinCDF(n: n, x: x)
        } else {
            cdf = pelzGoodCDF(n: n, x: x)
        }
        return clip(1 - cdf)
    }

    private static func clip(_ p: Double) -> Double {
        min(max(p, 0), 1)
    }

    // MARK: Smirnov (one-sided)

    /// P(Dₙ⁺ ≥ x), the one-sided Smirnov tail (scipy's `special.smirnov(n, x)`).
    ///
    /// Birnbaum and Tingey's sum, x · Σ_{v=0}^{⌊n(1−x)⌋} C(n, v)(x + v/n)^(v−1)(1 − x − v/n)^(n−v),
    /// whose terms are all positive. Each term is (n·x/(n·x + v)) · b(v; n, x + v/n) with b the
    /// binomial density, computed by Loader's formula so that it keeps its digits for n in the
    /// hundreds of thousands (scipy gets the same from double-double arithmetic). The loop stops
    /// where scipy's does. Above n = 10⁶ scipy switches to the approximation
    /// exp(−(6nx + 1)²/(18n)), and so does this.
    static func smirnovSurvival(n: Int, x: Double) -> Double {
        precondition(n > 0, "the Smirnov distribution needs n > 0")
        if x.isNaN || x < 0 || x > 1 { return .nan }
        if n == 1 { return 1 - x }
        if x == 0 { return 1 }
        if x == 1 { return 0 }
        let nd = Double(n)
        // n·x = nx + residual exactly; its floor and fractional part without rounding.
        let nx = nd * x
        let residual = fma(nd, x, -nx)
        var floorNX = nx.rounded(.down)
        var alpha = (nx - floorNX) + residual
        if alpha < 0 {
            floorNX -= 1
            alpha += 1
        }
        if alpha >= 1 {
            floorNX += 1
            alpha = 0
        }
        let nxFloor = Int(floorNX)
        if nxFloor == 0 || (nxFloor == 1 && alpha == 0) {
            // x ≤ 1/n: P(Dₙ⁺ < x) = x (1 + x)^(n−1).
            return clip(1 - x * exp((nd - 1) * log1p(x)))
        }
        if -2 * nd * x * x < -708.396_418_532_264_1 { return 0 }
        if nxFloor >= n - 1 {
            return exp(nd * log1p(-x))
        }
        if n > 1_000_000 {
            let logP = -pow(6 * nd * x + 1, 2) / 18 / nd
            return logP < -log(2.0) ? exp(logP) : 1 + expm1(logP)
        }
        var lastTerm = n - nxFloor - (alpha == 0 ? 0 : 1)
        if alpha == 0 { lastTerm -= 1 }
        let termCount = lastTerm + 1
        // v = 0: (1 − x)ⁿ.
        var sum = exp(nd * log1p(-x))
        let half = n / 2
        var v = 1
        while v < termCount {
            let vd = Double(v)
            // n·p = n·x + v and n·q = n − v − n·x, each with the residual of n·x.
            let np = (vd + nx) + residual
            let nq = (Double(n - v) - nx) - residual
            var term = 0.0
            if nq > 0 {
                term = nx / (nx + vd) * exp(BinomialDensity.logProbability(vd, trials: nd, mean: np, complementMean: nq))
            }
            if term.isFinite && term != 0 { sum += term }
            if term != 0 {
                if 4 * Double(termCount - v) * term < Double.ulpOfOne * sum && v != termCount - 1 { break }
            } else if v > half {
                break
            }
            v += 1
        }
        return clip(sum)
    }

    // MARK: Durbin's matrix

    /// P(Dₙ ≤ x) by Durbin's matrix formula, n!/nⁿ · (Hⁿ)ₖₖ, with H the (2k − 1)-square matrix of
    /// Marsaglia, Tsang and Wang (2003), k = ⌈nx⌉; powers by repeated squaring with the exponent
    /// kept apart so that nothing overflows (scipy's `_kolmogn_DMTW`).
    static func durbinCDF(n: Int, x: Double) -> Double {
        if x >= 1 { return 1 }
        let nd = Double(n)
        let nx = nd * x
        if nx <= 0.5 { return 0 }
        let k = Int(nx.rounded(.up))
        let h = Double(k) - nx
        let m = 2 * k - 1

        var v = [Double](repeating: 0, count: m)
        var w = [Double](repeating: 0, count: m)
        var factorial = 1.0
        for j in 1...m {
            w[j - 1] = factorial
            factorial /= Double(j)
            v[j - 1] = (1 - pow(h, Double(j))) * factorial
        }
        let tt = pow(max(2 * h - 1, 0), Double(m)) - 2 * pow(h, Double(m))
        v[m - 1] = (1 + tt) * factorial

        var matrix = SquareMatrix(size: m)
        for i in 1..<max(m, 1) {
            for row in (i - 1)..<m { matrix[row, i] = w[row - (i - 1)] }
        }
        for row in 0..<m { matrix[row, 0] = v[row] }
        for column in 0..<m { matrix[m - 1, column] = v[m - 1 - column] }

        let scale = 0x1p128, inverseScale = 0x1p-128
        var power = SquareMatrix.identity(size: m)
        var exponent = 0, matrixExponent = 0
        var remaining = n
        while remaining > 0 {
            if remaining % 2 == 1 {
                power = power * matrix
                exponent += matrixExponent
            }
            matrix = matrix * matrix
            matrixExponent *= 2
            if abs(matrix[k - 1, k - 1]) > scale {
                matrix.scale(by: inverseScale)
                matrixExponent += 128
            }
            remaining /= 2
        }
        var p = power[k - 1, k - 1]
        for i in 1...n {
            p = Double(i) * p / nd
            if abs(p) < inverseScale {
                p *= scale
                exponent -= 128
            }
        }
        if exponent != 0 { p = scalbn(p, exponent) }
        return clip(p)
    }

    // MARK: Pelz–Good

    /// Pelz and Good's (1976) asymptotic series for P(Dₙ ≤ x), four terms in powers of 1/√n
    /// (scipy's `_kolmogn_PelzGood`, term by term).
    static func pelzGoodCDF(n: Int, x: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let pi2 = Double.pi * Double.pi, pi4 = pi2 * pi2, pi6 = pi4 * pi2
        let sqrt2pi = (2 * Double.pi).squareRoot()
        let nd = Double(n)
        let z = nd.squareRoot() * x
        let z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2
        let qlog = -pi2 / 8 / z2
        if qlog < -708 { return 0 }
        var q = exp(qlog)

        let k1a = -z2, k1b = pi2 / 4
        let k2a = 6 * z6 + 2 * z4
        let k2b = (2 * z4 - 5 * z2) * pi2 / 4
        let k2c = pi4 * (1 - 2 * z2) / 16
        let k3d = pi6 * (5 - 30 * z2) / 64
        let k3c = pi4 * (-60 * z2 + 212 * z4) / 16
        let k3b = pi2 * (135 * z4 - 96 * z6) / 4
        let k3a = -30 * z6 - 90 * pow(z, 8)

        var terms = [0.0, 0.0, 0.0, 0.0]
        let maxK = Int((16 * z / Double.pi).rounded(.up))
        var k = maxK
        while k >= 1 {
            let m = Double(2 * k - 1)
            let m2 = m * m, m4 = m2 * m2, m6 = m4 * m2
            let qPower = pow(q, Double(8 * k))
            let coefficients = [1.0,
                                k1a + k1b * m2,
                                k2a + k2b * m2 + k2c * m4,
                                k3a + k3b * m2 + k3c * m4 + k3d * m6]
            for i in 0..<4 { terms[i] = terms[i] * qPower + coefficients[i] }
            k -= 1
        }
        let divisors = [z, 6 * z4, 72 * pow(z, 7), 6480 * pow(z, 10)]
        for i in 0..<4 { terms[i] = terms[i] * q * sqrt2pi / divisors[i] }

        q = exp(-pi2 / 2 / z2)
        var k2extra = 0.0, k3extra = 0.0
        let sqrt3z = 3.0.squareRoot() * z
        k = maxK
        while k >= 1 {
            let kd = Double(k)
            let k2 = kd * kd
            let qPower = pow(q, k2)
            k2extra += k2 * qPower
            let kpi = Double.pi * kd
            k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qPower
            k -= 1
        }
        terms[2] += k2extra * (pi2 * sqrt2pi / (-36 * z3))
        terms[3] += k3extra * (pi2 * sqrt2pi / (216 * z6))
        var sum = 0.0
        for i in 0..<4 { sum += terms[i] / pow(nd, Double(i) / 2) }
        return sum
    }
}

/// A small dense square matrix for Durbin's formula, stored row by row.
private struct SquareMatrix {
    let size: Int
    var values: [Double]

    init(size: Int) {
        self.size = size
        values = [Double](repeating: 0, count: size * size)
    }

    static func identity(size: Int) -> SquareMatrix {
        var matrix = SquareMatrix(size: size)
        for i in 0..<size { matrix[i, i] = 1 }
        return matrix
    }

    subscript(row: Int, column: Int) -> Double {
        get { values[row * size + column] }
        set { values[row * size + column] = newValue }
    }

    mutating func scale(by factor: Double) {
        for i in values.indices { values[i] *= factor }
    }

    static func * (a: SquareMatrix, b: SquareMatrix) -> SquareMatrix {
        let n = a.size
        var product = SquareMatrix(size: n)
        a.values.withUnsafeBufferPointer { left in
            b.values.withUnsafeBufferPointer { right in
                product.values.withUnsafeMutableBufferPointer { out in
                    for i in 0..<n {
                        for l in 0..<n {
                            let factor = left[i * n + l]
                            if factor == 0 { continue }
                            for j in 0..<n { out[i * n + j] += factor * right[l * n + j] }
                        }
                    }
                }
            }
        }
        return product
    }
}
