/// Stratified random sampling for the weekly review (docs/review.md): how many traces each
/// stratum gets, and which ones, reproducibly from a seed.
public enum Sampling {
    /// Proportional allocation of `n` draws over strata of these sizes, by largest remainders
    /// (Hamilton's method); then, when `n` is at least the number of strata, every stratum gets
    /// at least one, taken from the stratum with the most draws (the later one on a tie).
    ///
    /// A stratum's quota is `n · size / total`; each gets its quota's whole part, and the draws
    /// left go one each to the largest fractional parts (ties: the larger stratum, then the
    /// earlier). `n` at or above the total takes every trace. Sizes of 0 get nothing.
    public static func allocate(_ n: Int, sizes: [Int]) -> [Int] {
        let total = sizes.reduce(0, +)
        guard n > 0, total > 0 else { return sizes.map { _ in 0 } }
        guard n < total else { return sizes }
        let quotas = sizes.map { Double(n) * Double($0) / Double(total) }
        var counts = quotas.map { Int($0.rounded(.down)) }
        let order = sizes.indices.sorted { a, b in
            let ra = quotas[a] - Double(counts[a]), rb = quotas[b] - Double(counts[b])
            if ra != rb { return ra > rb }
            if sizes[a] != sizes[b] { return sizes[a] > sizes[b] }
            return a < b
        }
        for i in order.prefix(n - counts.reduce(0, +)) { counts[i] += 1 }
        let strata = sizes.filter { $0 > 0 }.count
        guard n >= strata else { return counts }
        for i in sizes.indices where sizes[i] > 0 && counts[i] == 0 {
            guard let donor = counts.indices.filter({ counts[$0] > 1 }).max(by: { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 < $1) }) else { break }
            counts[donor] -= 1
            counts[i] = 1
        }
        return counts
    }

    /// `k` distinct positions of `0..<n`, uniform over all such sets, in increasing order:
    /// Floyd's algorithm (Bentley and Floyd 1987), `k` draws however large `n` is.
    public static func positions(_ k: Int, of n: Int, seed: UInt64) -> [Int] {
        guard k > 0, n > 0 else { return [] }
        guard k < n else { return Array(0..<n) }
        var generator = SeededGenerator(seed: seed)
        var chosen = Set<Int>(minimumCapacity: k)
        for j in (n - k)..<n {
            let t = Int.random(in: 0...j, using: &generator)
            chosen.insert(chosen.contains(t) ? j : t)
        }
        return chosen.sorted()
    }
}
