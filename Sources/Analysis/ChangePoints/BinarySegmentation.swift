/// Binary segmentation: split the series at its best single change, then keep splitting the
/// segment whose best split lowers the L2 cost most, until a count or a penalty says stop.
///
/// Greedy and fast (O(n) per change), and its splits come ranked: the first is the largest
/// single shift, which is what an investigator asks first ("when did it move?"). It can miss
/// a short excursion that PELT finds, since one split alone may not reveal it.
///
/// This follows ruptures 1.1.10 `Binseg._seg` and `single_bkp`: within a segment [s, e) the
/// candidates are s, s + jump, … with both parts at least `minSize` long, the gain is
/// (cost(s, e) − cost(s, b)) − cost(b, e), and the best is the largest gain, the later index on
/// a tie (Python's `max` of (gain, index) pairs); across segments the first (leftmost) segment
/// with the largest gain wins, a segment without candidates counting as gain 0; the search
/// stops when that winner has no candidate, when the count is reached, or, under a penalty,
/// when the gain is not above the penalty.
enum BinarySegmentation {
    /// When to stop splitting.
    enum StopRule: Sendable, Equatable {
        /// After this many change points (fewer if the segments run out of candidates).
        case changes(Int)
        /// At the first best split whose gain is not above the penalty.
        case penalty(Double)
    }

    /// The change points in the order they were found.
    static func splits(cost: SegmentCost, stop: StopRule, grid: SegmentationGrid) -> [Int] {
        let n = cost.count
        var ends = [n]
        var candidates = [bestSplit(cost: cost, start: 0, end: n, grid: grid)]
        var found: [Int] = []
        while true {
            var chosen = 0
            for i in candidates.indices.dropFirst() where candidates[i].gain > candidates[chosen].gain {
                chosen = i
            }
            guard let index = candidates[chosen].index else { break }
            switch stop {
            case .changes(let count):
                guard found.count < count else { return found }
            case .penalty(let penalty):
                guard candidates[chosen].gain > penalty else { return found }
            }
            found.append(index)
            let start = chosen == 0 ? 0 : ends[chosen - 1], end = ends[chosen]
            ends.insert(index, at: chosen)
            candidates.replaceSubrange(chosen...chosen, with: [
                bestSplit(cost: cost, start: start, end: index, grid: grid),
                bestSplit(cost: cost, start: index, end: end, grid: grid),
            ])
        }
        return found
    }

    /// The best single split of start..<end: its index (nil without candidates) and gain.
    static func bestSplit(cost: SegmentCost, start: Int, end: Int, grid: SegmentationGrid) -> (index: Int?, gain: Double) {
        let whole = cost.cost(start, end)
        var best: (index: Int?, gain: Double) = (nil, 0)
        // The first candidate is the first grid point s + k·jump at least minSize from start.
        let firstStep = (grid.minSize + grid.jump - 1) / grid.jump
        var b = start + firstStep * grid.jump
        while b < end && end - b >= grid.minSize {
            let gain = (whole - cost.cost(start, b)) - cost.cost(b, end)
            if best.index == nil || gain >= best.gain {
                best = (b, gain)
            }
            b += grid.jump
        }
        return best
    }
}
