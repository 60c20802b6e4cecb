/// The BubbleUp-style view of one dimension: how the current slice's traces spread over the
/// dimension's values against the baseline's, with the signal in each value.
///
/// Where Adtributor ranks causes, this shows the mix itself, as Honeycomb's BubbleUp does for a
/// selection against the rest: a value whose share of traffic grew (a new model taking over) or
/// whose signal moved (a prompt version refusing more) stands out. The values with the largest
/// change of traffic share come first, and the dimensions with the largest such change.
public struct DimensionMix: Sendable, Equatable {
    /// The dimension.
    public let dimension: String
    /// The baseline traces the dimension accounts for.
    public let baselineTraces: Int
    /// The current traces the dimension accounts for.
    public let currentTraces: Int
    /// The total variation distance between the two traffic mixes, ½·Σ|current share − baseline
    /// share|: the share of traces that would have to change value to turn one mix into the
    /// other (0 to 1); nil when either slice is empty.
    public let totalVariation: Double?
    /// The same distance between the two distributions of Σ metric over the values (for a rate,
    /// where the positives are); nil when either slice's Σ metric is 0.
    public let metricTotalVariation: Double?
    /// Every value: by |shareDifference| descending, then |metricShareDifference| descending,
    /// then name (code-point order); an undefined difference counts as 0.
    public let elements: [Element]

    /// One value of the dimension in both slices.
    public struct Element: Sendable, Equatable {
        /// The value's name (`(missing)` for no value).
        public let name: String
        /// Baseline traces with this value.
        public let baselineCount: Int
        /// Current traces with this value.
        public let currentCount: Int
        /// The value's share of the baseline traces; nil when the baseline is empty.
        public let baselineShare: Double?
        /// The value's share of the current traces; nil when the current slice is empty.
        public let currentShare: Double?
        /// currentShare − baselineShare (computed over one denominator, so equal moves tie
        /// exactly); nil when either is.
        public let shareDifference: Double?
        /// The measure in the baseline: Σ metric / traces for a rate or mean (nil without
        /// traces), Σ metric for a sum.
        public let baselineValue: Double?
        /// The measure in the current slice, as `baselineValue`.
        public let currentValue: Double?
        /// The value's share of the baseline's Σ metric; nil when that is 0.
        public let baselineMetricShare: Double?
        /// The value's share of the current Σ metric; nil when that is 0.
        public let currentMetricShare: Double?
        /// currentMetricShare − baselineMetricShare; nil when either is.
        public let metricShareDifference: Double?
    }

    /// The mix of every dimension of the rows, the most changed dimension first: by the largest
    /// |shareDifference| among its values descending (BubbleUp's order), then the largest
    /// |metricShareDifference| descending, then name (an undefined difference counts as 0).
    ///
    /// The largest single difference rather than `totalVariation`, because the distance adds up
    /// the sampling noise of every value and so favours dimensions with many values.
    public static func compare(_ rows: [AttributionRow], measure: AttributionMeasure) -> [DimensionMix] {
        let mixes = AttributionTable(rows).dimensions.map { dimension in
            let mix = DimensionMix(dimension: dimension, measure: measure)
            let share = mix.elements.map { abs($0.shareDifference ?? 0) }.max() ?? 0
            let metric = mix.elements.map { abs($0.metricShareDifference ?? 0) }.max() ?? 0
            return (mix: mix, share: share, metric: metric)
        }
        return mixes.sorted { a, b in
            if a.share != b.share { return a.share > b.share }
            if a.metric != b.metric { return a.metric > b.metric }
            return AttributionTable.precedes(a.mix.dimension, b.mix.dimension)
        }.map(\.mix)
    }

    init(dimension: AttributionTable.Dimension, measure: AttributionMeasure) {
        let cells = dimension.cells
        let n1 = dimension.baselineCount, n2 = dimension.currentCount
        let sum1 = cells.reduce(0) { $0 + $1.baselineSum }, sum2 = cells.reduce(0) { $0 + $1.currentSum }
        func share(_ x: Double, _ total: Double) -> Double? { total != 0 ? x / total : nil }
        // x2/t2 − x1/t1 over one denominator: exact for counts, so that values whose shares
        // moved by the same amount tie exactly and fall back to the next sort key.
        func difference(_ x1: Double, _ t1: Double, _ x2: Double, _ t2: Double) -> Double? {
            guard t1 != 0 && t2 != 0 else { return nil }
            return (x2 * t1 - x1 * t2) / (t1 * t2)
        }
        func value(_ sum: Double, _ count: Int) -> Double? {
            guard measure.isRatio else { return sum }
            return count > 0 ? sum / Double(count) : nil
        }
        let elements = cells.map { cell in
            let c1 = Double(cell.baselineCount), c2 = Double(cell.currentCount)
            return Element(
                name: cell.element, baselineCount: cell.baselineCount, currentCount: cell.currentCount,
                baselineShare: share(c1, Double(n1)), currentShare: share(c2, Double(n2)),
                shareDifference: difference(c1, Double(n1), c2, Double(n2)),
                baselineValue: value(cell.baselineSum, cell.baselineCount),
                currentValue: value(cell.currentSum, cell.currentCount),
                baselineMetricShare: share(cell.baselineSum, sum1), currentMetricShare: share(cell.currentSum, sum2),
                metricShareDifference: difference(cell.baselineSum, sum1, cell.currentSum, sum2))
        }
        func distance(_ differences: [Double?]) -> Double? {
            guard differences.allSatisfy({ $0 != nil }) else { return nil }
            return differences.reduce(0) { $0 + abs($1 ?? 0) } / 2
        }
        self.dimension = dimension.name
        baselineTraces = n1
        currentTraces = n2
        totalVariation = elements.isEmpty ? nil : distance(elements.map(\.shareDifference))
        metricTotalVariation = elements.isEmpty ? nil : distance(elements.map(\.metricShareDifference))
        self.elements = elements.sorted { a, b in
            let dA = abs(a.shareDifference ?? 0), dB = abs(b.shareDifference ?? 0)
            if dA != dB { return dA > dB }
            let mA = abs(a.metricShareDifference ?? 0), mB = abs(b.metricShareDifference ?? 0)
            if mA != mB { return mA > mB }
            return AttributionTable.precedes(a.name, b.name)
        }
    }
}
