/// The change points found in one series, with the segments between them and the evidence for
/// each change: the levels either side and how much cost it saves.
///
/// Indexes follow `oracle_changepoint.py`: a change point is the 0-based index of the first
/// value of a new segment, and ruptures' breakpoints (segment ends, the last one n) are
/// `breakpoints`. Costs and gains are recomputed in two passes over the values, so they agree
/// with ruptures' and numpy's to rounding, not only to the precision of the search.
public struct Segmentation: Sendable, Equatable {
    /// The search that produced the segmentation.
    public enum Method: String, Sendable, Equatable, CaseIterable {
        /// PELT: the exact minimum of cost + penalty × change points.
        case pelt
        /// Binary segmentation: greedy splits, best first.
        case binarySegmentation
    }

    /// A run of values between two change points, fitted by its mean.
    public struct Segment: Sendable, Equatable {
        /// The index of its first value.
        public let start: Int
        /// The index after its last value.
        public let end: Int
        /// The mean of its values: the level the segment is fitted with.
        public let mean: Double
        /// Its L2 cost, Σ (xᵢ − mean)².
        public let cost: Double

        /// The number of values.
        public var count: Int { end - start }
    }

    /// One change point with the levels either side.
    public struct Change: Sendable, Equatable {
        /// The index of the first value after the change.
        public let index: Int
        /// The mean of the segment that ends just before `index`.
        public let before: Double
        /// The mean of the segment that starts at `index`.
        public let after: Double
        /// (after − before) / before, the change as a fraction of the earlier level; nil when
        /// the earlier level is 0.
        public let relativeChange: Double?
        /// How much this change lowers the cost given the changes next to it:
        /// cost(p, q) − cost(p, index) − cost(index, q) for the neighbouring change points (or
        /// ends) p and q. It is what removing the change would cost, so it ranks the changes.
        public let gain: Double

        /// after − before.
        public var delta: Double { after - before }
    }

    /// One split of binary segmentation, in the order the splits were made.
    public struct Split: Sendable, Equatable {
        /// The change point the split introduced.
        public let index: Int
        /// The cost the split saved in the segment it cut, at the time:
        /// cost(s, e) − cost(s, index) − cost(index, e). For the first split this is
        /// `binseg_n_bkps_1.gain` of the oracle.
        public let gain: Double
    }

    /// The search used.
    public let method: Method
    /// The number of values segmented.
    public let count: Int
    /// The effective minimum segment length (a request below 1 becomes 1, as in ruptures).
    public let minSize: Int
    /// The grid step: every change point is a multiple of it.
    public let jump: Int
    /// The penalty per change point; nil for binary segmentation asked for a number of changes.
    public let penalty: ChangePointPenalty?
    /// The number of changes asked of binary segmentation; nil when a penalty decided.
    public let requestedChanges: Int?
    /// The change points, ascending.
    public let changePoints: [Int]
    /// The segments, in order; they cover 0..<count.
    public let segments: [Segment]
    /// The fitted cost: the sum of the segments' L2 costs (the oracle's `sum_of_l2_costs`).
    public let cost: Double
    /// The change points with their levels, ascending.
    public let changes: [Change]
    /// Binary segmentation's splits in the order made (best first); empty for PELT.
    public let splits: [Split]

    /// ruptures' breakpoints: the end of each segment, the last being `count`.
    public var breakpoints: [Int] { changePoints + [count] }

    /// cost + penalty × change points, the quantity PELT minimises (the oracle's
    /// `objective_pen_per_change_point`); nil without a penalty.
    public var objective: Double? {
        penalty.map { cost + $0.value * Double(changePoints.count) }
    }

    /// Describes the segmentation of `series` at `changePoints` (ascending), given binary
    /// segmentation's split order when there is one.
    init(
        series: [Double], method: Method, grid: SegmentationGrid, penalty: ChangePointPenalty?,
        requestedChanges: Int?, changePoints: [Int], splitOrder: [Int] = []
    ) {
        let n = series.count
        let bounds = [0] + changePoints + [n]
        var segments: [Segment] = []
        for (start, end) in zip(bounds, bounds.dropFirst()) {
            let mean = Descriptive.mean(Array(series[start..<end])) ?? 0
            segments.append(Segment(start: start, end: end, mean: mean, cost: SegmentCost.exact(series, start, end)))
        }
        var changes: [Change] = []
        for i in changePoints.indices {
            let left = segments[i], right = segments[i + 1]
            let gain = (SegmentCost.exact(series, left.start, right.end) - left.cost) - right.cost
            changes.append(Change(
                index: right.start, before: left.mean, after: right.mean,
                relativeChange: left.mean == 0 ? nil : (right.mean - left.mean) / left.mean, gain: gain))
        }
        var splits: [Split] = []
        var ends = [n]
        for index in splitOrder {
            let position = ends.firstIndex { $0 > index } ?? ends.count - 1
            let start = position == 0 ? 0 : ends[position - 1], end = ends[position]
            let gain = (SegmentCost.exact(series, start, end) - SegmentCost.exact(series, start, index))
                - SegmentCost.exact(series, index, end)
            splits.append(Split(index: index, gain: gain))
            ends.insert(index, at: position)
        }

        self.method = method
        self.count = n
        self.minSize = grid.minSize
        self.jump = grid.jump
        self.penalty = penalty
        self.requestedChanges = requestedChanges
        self.changePoints = changePoints
        self.segments = segments
        self.cost = Descriptive.sum(segments.map(\.cost))
        self.changes = changes
        self.splits = splits
    }
}
