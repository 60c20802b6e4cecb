/// PELT (Killick, Fearnhead and Eckley 2012): the segmentation minimising the total L2 cost plus
/// a penalty per segment, exactly, in about linear time when the series has changes.
///
/// This follows ruptures 1.1.10 `Pelt._seg` step by step so that the answers agree, ties
/// included: segment ends are visited in the order ruptures visits them (the multiples of `jump`
/// that are at least `minSize`, then n); at each end the newest start admitted is
/// ⌊(end − minSize)/jump⌋·jump, dropped when no partition ends there; the optimum is the first
/// (smallest) start reaching the minimum of F(t) + (cost(t, end) + penalty), summed in that
/// order as ruptures' dictionary sum does (left to right, as Python 3.11's `sum`); and a start
/// is pruned once that value exceeds F(end) + penalty. Pruning is what makes it fast: a start beaten by more than one penalty
/// can never be optimal later, because splitting a segment never raises its L2 cost. On a series
/// with no change nothing is pruned and the search is quadratic, as in ruptures.
enum Pelt {
    /// The change points (0-based index of each new segment's first value), ascending.
    ///
    /// The caller has checked the settings (`SegmentationGrid.check`) and the penalty (≥ 0).
    static func changePoints(cost: SegmentCost, penalty: Double, grid: SegmentationGrid) -> [Int] {
        let n = cost.count
        let minSize = grid.minSize, jump = grid.jump
        precondition(n >= minSize && penalty >= 0, "PELT called with unchecked settings")

        // F(t) of the optimal partition of 0..<t and the start of its last segment, for each t
        // at which ruptures builds a partition.
        var best = [Double](repeating: .infinity, count: n + 1)
        var solved = [Bool](repeating: false, count: n + 1)
        var previous = [Int](repeating: 0, count: n + 1)
        best[0] = 0
        solved[0] = true

        // The admissible starts, in order, each with what the inner loop reads of it kept side by
        // side: F(t), the prefix sums at t, and t itself as a Double. Fixed buffers rather than
        // arrays, so that the hot loop pays for no uniqueness or bounds checks; at most one start
        // is admitted per segment end, so the number of ends bounds their length.
        let capacity = (n - minSize) / jump + 2
        let starts = Buffer<Int>(capacity)
        let startBest = Buffer<Double>(capacity), startSum = Buffer<Double>(capacity)
        let startSquares = Buffer<Double>(capacity), startIndex = Buffer<Double>(capacity)
        let values = Buffer<Double>(capacity)
        var k = 0

        var end = ((minSize + jump - 1) / jump) * jump
        while true {
            if end >= n { end = n }
            let newest = (end - minSize) / jump * jump
            if solved[newest] {
                starts[k] = newest
                startBest[k] = best[newest]
                startSum[k] = cost.sum(upTo: newest)
                startSquares[k] = cost.squares(upTo: newest)
                startIndex[k] = Double(newest)
                k += 1
            }

            let endSum = cost.sum(upTo: end), endSquares = cost.squares(upTo: end), endIndex = Double(end)
            let (lowest, highest) = evaluate(
                count: k, endSum: endSum, endSquares: endSquares, endIndex: endIndex, penalty: penalty,
                best: startBest.base, sums: startSum.base, squares: startSquares.base, indexes: startIndex.base,
                into: values.base)
            // The first start reaching the minimum, as Python's `min` returns the first.
            var chosen = 0
            while chosen < k - 1 && values[chosen] != lowest { chosen += 1 }
            best[end] = lowest
            previous[end] = starts[chosen]
            solved[end] = true

            // Prune in place, keeping order (ties are broken by position).
            let bound = lowest + penalty
            if highest > bound {
                var kept = 0
                for i in 0..<k where values[i] <= bound {
                    starts[kept] = starts[i]
                    startBest[kept] = startBest[i]
                    startSum[kept] = startSum[i]
                    startSquares[kept] = startSquares[i]
                    startIndex[kept] = startIndex[i]
                    kept += 1
                }
                k = kept
            }

            if end == n { break }
            end += jump
        }

        var changePoints: [Int] = []
        var t = previous[n]
        while t > 0 {
            changePoints.append(t)
            t = previous[t]
        }
        return changePoints.reversed()
    }

    /// Writes F(t) + (cost(t, end) + penalty) for each admissible start t into `values` and
    /// returns their minimum and maximum.
    ///
    /// This is where PELT spends its time (every start against every end on a series without
    /// changes), so it works four starts at a time; each lane computes exactly what the scalar
    /// expression would, so the values do not depend on the vector width.
    @inline(__always)
    private static func evaluate(
        count k: Int, endSum: Double, endSquares: Double, endIndex: Double, penalty: Double,
        best f: UnsafeMutablePointer<Double>, sums s: UnsafeMutablePointer<Double>,
        squares q: UnsafeMutablePointer<Double>, indexes t: UnsafeMutablePointer<Double>,
        into v: UnsafeMutablePointer<Double>
    ) -> (lowest: Double, highest: Double) {
        typealias Lanes = SIMD4<Double>
        func load(_ p: UnsafeMutablePointer<Double>, _ i: Int) -> Lanes {
            UnsafeRawPointer(p + i).loadUnaligned(as: Lanes.self)
        }
        var lowest = Lanes(repeating: .infinity), highest = Lanes(repeating: -.infinity)
        var i = 0
        while i + 4 <= k {
            let ds = Lanes(repeating: endSum) - load(s, i)
            let dq = Lanes(repeating: endSquares) - load(q, i)
            let m = Lanes(repeating: endIndex) - load(t, i)
            var segmentCost = dq - ds * ds / m
            segmentCost.replace(with: 0, where: segmentCost .< 0)
            let value = load(f, i) + (segmentCost + Lanes(repeating: penalty))
            UnsafeMutableRawPointer(v + i).storeBytes(of: value, as: Lanes.self)
            lowest.replace(with: value, where: value .< lowest)
            highest.replace(with: value, where: value .> highest)
            i += 4
        }
        var low = lowest.min(), high = highest.max()
        while i < k {
            let ds = endSum - s[i]
            let segmentCost = Swift.max(0, (endSquares - q[i]) - ds * ds / (endIndex - t[i]))
            let value = f[i] + (segmentCost + penalty)
            v[i] = value
            low = Swift.min(low, value)
            high = Swift.max(high, value)
            i += 1
        }
        return (low, high)
    }
}

/// A fixed-size buffer freed with its owner: the storage of PELT's admissible starts.
private final class Buffer<Element> {
    /// The first element.
    let base: UnsafeMutablePointer<Element>

    init(_ capacity: Int) {
        base = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    /// The element at `index`; the caller keeps `index` below the capacity.
    @inline(__always)
    subscript(index: Int) -> Element {
        get { base[index] }
        set { base[index] = newValue }
    }
}

