import Foundation

/// The hypergeometric distribution: the number of marked items among `draws` taken without
/// replacement from `population` items of which `marked` are marked. The null distribution of
/// Fisher's exact test.
///
/// Point probabilities come from three binomial densities (R's `dhyper`), so they keep full
/// relative precision for populations in the millions; tails are summed from the far side of
/// the mode, where terms shrink at least geometrically, so the small tail is never `1 − …`.
/// Parameters as scipy's `hypergeom(M=population, n=marked, N=draws)`.
struct Hypergeometric: Sendable {
    let population: Int
    let marked: Int
    let draws: Int

    init(population: Int, marked: Int, draws: Int) {
        precondition(population >= 0 && (0...population).contains(marked) && (0...population).contains(draws),
                     "hypergeometric needs 0 ≤ marked, draws ≤ population")
        self.population = population
        self.marked = marked
        self.draws = draws
    }

    /// The smallest possible count.
    var lowest: Int { max(0, draws - (population - marked)) }
    /// The largest possible count.
    var highest: Int { min(marked, draws) }
    /// The most likely count, ⌊(draws + 1)(marked + 1)/(population + 2)⌋ (scipy's `fisher_exact`
    /// computes it the same way, in floating point).
    var mode: Int { Int(Double((draws + 1) * (marked + 1)) / Double(population + 2)) }

    /// log P(X = k).
    func logPMF(_ k: Int) -> Double {
        guard k >= lowest && k <= highest else { return -.infinity }
        let total = Double(population), n = Double(draws)
        let unmarked = Double(population - marked), m = Double(marked)
        // p = draws/population; P(X = k) = b(k; marked, p) · b(draws − k; unmarked, p) / b(draws; population, p).
        let p = n / total, q = Double(population - draws) / total
        return BinomialDensity.logProbability(Double(k), trials: m, mean: m * p, complementMean: m * q)
            + BinomialDensity.logProbability(Double(draws - k), trials: unmarked, mean: unmarked * p, complementMean: unmarked * q)
            - BinomialDensity.logProbability(n, trials: total, mean: n, complementMean: total - n)
    }

    /// P(X = k).
    func pmf(_ k: Int) -> Double {
        exp(logPMF(k))
    }

    /// P(X ≤ k).
    func cdf(_ k: Int) -> Double {
        if k < lowest { return 0 }
        if k >= highest { return 1 }
        if k >= mode { return 1 - sf(k) }
        return lowerTail(k)
    }

    /// P(X > k).
    func sf(_ k: Int) -> Double {
        if k < lowest { return 1 }
        if k >= highest { return 0 }
        if k + 1 < mode { return 1 - lowerTail(k) }
        return upperTail(k + 1)
    }

    /// P(X ≤ k) for k below the mode: terms fall going down.
    private func lowerTail(_ k: Int) -> Double {
        let start = pmf(k)
        guard start > 0 else { return 0 }
        let others = Double(population - marked - draws)
        var sum = 1.0, term = 1.0
        var j = k
        while j > lowest {
            // P(j − 1)/P(j) = j (N − K − n + j) / ((K − j + 1)(n − j + 1))
            let jd = Double(j)
            term *= jd * (others + jd) / ((Double(marked) - jd + 1) * (Double(draws) - jd + 1))
            sum += term
            if term < sum * 1e-17 { break }
            j -= 1
        }
        return start * sum
    }

    /// P(X ≥ k) for k above the mode: terms fall going up.
    private func upperTail(_ k: Int) -> Double {
        let start = pmf(k)
        guard start > 0 else { return 0 }
        let others = Double(population - marked - draws)
        var sum = 1.0, term = 1.0
        var j = k
        while j < highest {
            // P(j + 1)/P(j) = (K − j)(n − j) / ((j + 1)(N − K − n + j + 1))
            let jd = Double(j)
            term *= (Double(marked) - jd) * (Double(draws) - jd) / ((jd + 1) * (others + jd + 1))
            sum += term
            if term < sum * 1e-17 { break }
            j += 1
        }
        return start * sum
    }
}
