/// Where segments may start: the minimum segment length and the grid step, as ruptures applies
/// them.
///
/// ruptures raises the minimum length to its cost's own minimum (1 for L2), so a `minSize` of 0
/// behaves as 1; change points must be multiples of `jump`, which is why jump 5 puts a step at
/// index 103 on 100 and 105 rather than on 103.
struct SegmentationGrid: Sendable, Equatable {
    /// The effective minimum number of values in a segment (at least 1).
    let minSize: Int
    /// The grid step: every change point is a multiple of it.
    let jump: Int

    /// Validates `jump`; clamps `minSize` to at least 1 as ruptures' `max(min_size, cost.min_size)`.
    init(minSize: Int, jump: Int) throws(ChangePointError) {
        guard jump >= 1 else { throw .invalidJump(jump) }
        self.minSize = max(minSize, 1)
        self.jump = jump
    }

    /// The least series length that admits `changes` change points: ruptures' `sanity_check`,
    /// n ≥ changes·⌈minSize/jump⌉·jump + minSize (which also implies changes ≤ n / jump).
    func neededLength(changes: Int) -> Int {
        let stepsPerSegment = (minSize + jump - 1) / jump
        return changes * stepsPerSegment * jump + minSize
    }

    /// Throws `seriesTooShort` unless a series of `count` values admits `changes` change points.
    func check(count: Int, changes: Int) throws(ChangePointError) {
        let needed = neededLength(changes: changes)
        // ruptures' first test, changes > n // jump, is implied by the second; kept for clarity.
        guard changes <= count / jump, needed <= count else {
            throw .seriesTooShort(count: count, needed: needed, minSize: minSize, jump: jump, changes: changes)
        }
    }
}
