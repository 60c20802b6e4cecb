/// Change-point detection on one series with the L2 cost (changes in the mean): the searches
/// behind `changes SIGNAL every DURATION`.
///
/// Both searches reproduce ruptures 1.1.10 with `model="l2"`, including its grid of admissible
/// change points (`minSize`, `jump`), its tie-breaking, and its refusal of a series too short
/// for the settings (`ChangePointError.seriesTooShort`, ruptures' `BadSegmentationParameters`).
/// The defaults here are `minSize` 2 and `jump` 1, an exact search over every index; ruptures'
/// constructor default `jump=5` would put every change on a multiple of 5. Values must be finite:
/// buckets without traces are left out (or filled) by the caller.
public enum ChangePoints {
    /// PELT: the change points minimising the summed L2 cost plus `penalty` per change point.
    ///
    /// ruptures' `Pelt(model="l2", min_size: minSize, jump: jump).fit(series).predict(pen)`.
    /// - Parameter penalty: the cost of one change point, ≥ 0; nil for the default
    ///   (`ChangePointPenalty.estimated(for:)`, 3·σ̂²·ln n).
    public static func pelt(
        _ series: [Double], penalty: Double? = nil, minSize: Int = 2, jump: Int = 1
    ) throws(ChangePointError) -> Segmentation {
        let grid = try SegmentationGrid(minSize: minSize, jump: jump)
        try checkFinite(series)
        let penalty = try resolve(penalty, for: series)
        try grid.check(count: series.count, changes: 0)
        let changePoints = Pelt.changePoints(cost: SegmentCost(series), penalty: penalty.value, grid: grid)
        return Segmentation(
            series: series, method: .pelt, grid: grid, penalty: penalty, requestedChanges: nil,
            changePoints: changePoints)
    }

    /// Binary segmentation stopped after `changes` change points (or earlier, when no segment
    /// can be split any more).
    ///
    /// ruptures' `Binseg(model="l2", min_size: minSize, jump: jump).fit(series).predict(n_bkps: changes)`;
    /// like it, fails when the series is too short to hold `changes` change points at all.
    public static func binarySegmentation(
        _ series: [Double], changes: Int, minSize: Int = 2, jump: Int = 1
    ) throws(ChangePointError) -> Segmentation {
        let grid = try SegmentationGrid(minSize: minSize, jump: jump)
        try checkFinite(series)
        guard changes >= 0 else { throw .invalidChangeCount(changes) }
        try grid.check(count: series.count, changes: changes)
        let order = BinarySegmentation.splits(cost: SegmentCost(series), stop: .changes(changes), grid: grid)
        return Segmentation(
            series: series, method: .binarySegmentation, grid: grid, penalty: nil, requestedChanges: changes,
            changePoints: order.sorted(), splitOrder: order)
    }

    /// Binary segmentation that keeps splitting while the best split saves more than `penalty`.
    ///
    /// ruptures' `Binseg(model="l2", min_size: minSize, jump: jump).fit(series).predict(pen: penalty)`.
    /// - Parameter penalty: the least gain worth a change point, ≥ 0; nil for the default
    ///   (`ChangePointPenalty.estimated(for:)`).
    public static func binarySegmentation(
        _ series: [Double], penalty: Double? = nil, minSize: Int = 2, jump: Int = 1
    ) throws(ChangePointError) -> Segmentation {
        let grid = try SegmentationGrid(minSize: minSize, jump: jump)
        try checkFinite(series)
        let penalty = try resolve(penalty, for: series)
        try grid.check(count: series.count, changes: 0)
        let order = BinarySegmentation.splits(cost: SegmentCost(series), stop: .penalty(penalty.value), grid: grid)
        return Segmentation(
            series: series, method: .binarySegmentation, grid: grid, penalty: penalty, requestedChanges: nil,
            changePoints: order.sorted(), splitOrder: order)
    }

    /// The penalty given, checked, or the default one for the series.
    private static func resolve(_ penalty: Double?, for series: [Double]) throws(ChangePointError) -> ChangePointPenalty {
        guard let penalty else { return .estimated(for: series) }
        guard penalty.isFinite, penalty >= 0 else { throw .invalidPenalty(penalty) }
        return .given(penalty)
    }

    /// Throws for the first NaN or infinite value.
    private static func checkFinite(_ series: [Double]) throws(ChangePointError) {
        if let index = series.firstIndex(where: { !$0.isFinite }) { throw .nonFiniteValue(index: index) }
    }
}
