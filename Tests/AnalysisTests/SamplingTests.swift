import Analysis
import Foundation
import Testing

/// Stratified allocation (hand-computed cases) and Floyd's draw (exact, deterministic, uniform).
@Suite struct SamplingTests {
    @Test(arguments: [
        // 10 of 60/30/10: quotas 6, 3, 1.
        (10, [60, 30, 10], [6, 3, 1]),
        // quotas 7, 2.5, 0.3, 0.2 → 7, 2, 0, 0 and the left draw to 2.5's stratum → 7, 3, 0, 0; the two
        // empty strata get one each from the largest (7 → 6 → 5).
        (10, [70, 25, 3, 2], [5, 3, 1, 1]),
        // Fewer draws than strata: largest remainders only (0.6 each; the earlier first).
        (3, [1, 1, 1, 1, 1], [1, 1, 1, 0, 0]),
        // Equal remainders (0.5, 0.5): the larger stratum first; then the empty one gets one back.
        (2, [1, 3], [1, 1]),
        (1, [5, 5], [1, 0]),
        // At least the total: everything.
        (100, [3, 4], [3, 4]),
        (7, [3, 4], [3, 4]),
        // An empty stratum gets nothing and is not lifted.
        (7, [0, 10, 4], [0, 5, 2]),
        (0, [5, 5], [0, 0]),
        (3, [], []),
    ])
    func allocatesProportionallyByLargestRemainders(_ n: Int, _ sizes: [Int], _ expected: [Int]) {
        #expect(Sampling.allocate(n, sizes: sizes) == expected)
    }

    @Test func allocationAlwaysAddsUpAndFits() {
        for n in 1...40 {
            for sizes in [[1, 2, 3, 50], [9, 9, 9], [100, 1, 1, 1, 1], [13, 0, 7]] {
                let counts = Sampling.allocate(n, sizes: sizes)
                #expect(counts.reduce(0, +) == min(n, sizes.reduce(0, +)), "\(n) of \(sizes)")
                #expect(zip(counts, sizes).allSatisfy { $0 <= $1 }, "\(n) of \(sizes) → \(counts)")
                if n >= sizes.filter({ $0 > 0 }).count {
                    #expect(zip(counts, sizes).allSatisfy { $1 == 0 || $0 >= 1 }, "\(n) of \(sizes) → \(counts)")
                }
            }
        }
    }

    @Test func floydDrawsDistinctSortedPositionsFromASeed() {
        let a = Sampling.positions(20, of: 1_000_000, seed: 7)
        #expect(a.count == 20 && Set(a).count == 20 && a == a.sorted() && a.allSatisfy { (0..<1_000_000).contains($0) })
        #expect(Sampling.positions(20, of: 1_000_000, seed: 7) == a)
        #expect(Sampling.positions(20, of: 1_000_000, seed: 8) != a)
        #expect(Sampling.positions(5, of: 3, seed: 1) == [0, 1, 2])
        #expect(Sampling.positions(0, of: 3, seed: 1).isEmpty && Sampling.positions(2, of: 0, seed: 1).isEmpty)
    }

    /// Every pair of 2 out of 5 equally likely: 10 pairs over 20,000 seeds, 2,000 each expected;
    /// the chi-square with 9 degrees of freedom stays below its 0.999 quantile (27.9).
    @Test func floydIsUniformOverSubsets() {
        var counts: [[Int]: Int] = [:]
        for seed in 0..<20_000 { counts[Sampling.positions(2, of: 5, seed: UInt64(seed)), default: 0] += 1 }
        #expect(counts.count == 10)
        let chiSquare = counts.values.reduce(0.0) { $0 + pow(Double($1) - 2000, 2) / 2000 }
        #expect(chiSquare < 27.9, "\(counts)")
    }
}
