import Foundation
import Testing
@testable import Analysis

/// The oracle's worked examples (oracles/examples/expected/cp_*.json) in full: what a `changes`
/// command reports for each, plus the helpers it uses (onsets, fitted levels).
@Suite struct ChangePointTests {
    @Test func stepAt100() throws {
        // cp_step_at_100.json: pelt → [100]; sum_of_l2_costs 7.6986717558999995;
        // objective_pen_per_change_point 8.302394168148274; means 0.9502299999999999, 2.996479.
        let result = try ChangePoints.pelt(ChangePointSeries.stepAt100, penalty: 0.6037224122482744)
        #expect(result.changePoints == [100])
        #expect(result.breakpoints == [100, 200])
        #expect(result.count == 200 && result.minSize == 2 && result.jump == 1)
        #expect(result.segments.map(\.start) == [0, 100])
        #expect(result.segments.map(\.end) == [100, 200])
        expectClose(result.cost, 7.6986717558999995)
        expectClose(result.objective, 8.302394168148274)
        let change = try #require(result.changes.first)
        #expect(change.index == 100)
        expectClose(change.before, 0.9502299999999999, relative: 1e-14)
        expectClose(change.after, 2.996479, relative: 1e-14)
        expectClose(change.delta, 2.996479 - 0.9502299999999999, relative: 1e-14)
        expectClose(change.relativeChange, (2.996479 - 0.9502299999999999) / 0.9502299999999999, relative: 1e-14)
        // binseg_n_bkps_1.gain: the same change found by one split.
        expectClose(change.gain, 209.35674850005)
        let costs = result.segments.map(\.cost)
        expectClose(costs[0] + costs[1], 7.6986717558999995)
    }

    @Test func stepAt103OnTheJumpFiveGrid() throws {
        // cp_step_at_103.json: jump 1 → [103]; ruptures' defaults (jump 5) → [100, 105], since
        // change points must be multiples of 5; cost 9.300578738573684.
        let exact = try ChangePoints.pelt(ChangePointSeries.stepAt103, penalty: 0.6346354267471532)
        let coarse = try ChangePoints.pelt(ChangePointSeries.stepAt103, penalty: 0.6346354267471532, jump: 5)
        #expect(exact.changePoints == [103])
        #expect(coarse.changePoints == [100, 105])
        expectClose(exact.cost, 7.9297621304233825)
        expectClose(coarse.cost, 9.300578738573684)
        expectClose(coarse.objective, 10.56984959206799)
        expectClose(coarse.segments[1].mean, 1.5428799999999998, relative: 1e-14)
        // binseg_n_bkps_1_ruptures_defaults: [100], gain 49.912937932050006.
        let split = try ChangePoints.binarySegmentation(ChangePointSeries.stepAt103, changes: 1, jump: 5)
        #expect(split.changePoints == [100])
        expectClose(split.splits.first?.gain, 49.912937932050006)
    }

    @Test func flatHasNoChange() throws {
        // cp_flat.json: pelt → none, cost 10.12019783555, mean 1.0204914999999999.
        let result = try ChangePoints.pelt(ChangePointSeries.flat, penalty: 0.9370346037008761)
        #expect(result.changePoints.isEmpty)
        #expect(result.changes.isEmpty)
        #expect(result.segments.count == 1)
        expectClose(result.cost, 10.12019783555)
        expectClose(result.segments.first?.mean, 1.0204914999999999, relative: 1e-14)
        #expect(result.fittedLevels == Array(repeating: result.segments[0].mean, count: 200))
    }

    @Test func onsetsAreTheStartsOfTheFirstBucketAfterEachChange() throws {
        let result = try ChangePoints.pelt(ChangePointSeries.steps, penalty: 1.5334667381476126)
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        let hourly = (0..<result.count).map { start.addingTimeInterval(Double($0) * 3600) }
        #expect(result.onsets(bucketStarts: hourly) == [40, 75, 125, 150].map { start.addingTimeInterval(Double($0) * 3600) })
        #expect(result.onsets(bucketStarts: Array(0..<result.count)) == result.changePoints)
    }

    @Test func changesCarryLevelsAndTheirRelativeShift() throws {
        let result = try ChangePoints.pelt(ChangePointSeries.steps, penalty: 1.5334667381476126)
        #expect(result.changes.map(\.index) == [40, 75, 125, 150])
        for (i, change) in result.changes.enumerated() {
            #expect(change.before == result.segments[i].mean)
            #expect(change.after == result.segments[i + 1].mean)
            #expect(change.relativeChange == (change.after - change.before) / change.before)
        }
        // The levels 1, 3, 2, 5, 4.5 come back to within the noise.
        for (segment, level) in zip(result.segments, [1.0, 3.0, 2.0, 5.0, 4.5]) {
            #expect(abs(segment.mean - level) < 0.15)
        }
        let fitted = result.fittedLevels
        #expect(fitted.count == result.count)
        #expect(fitted[39] == result.segments[0].mean && fitted[40] == result.segments[1].mean)
    }

    @Test func relativeChangeIsMissingFromZero() throws {
        let result = try ChangePoints.pelt([0, 0, 0, 2, 2, 2], penalty: 1)
        #expect(result.changePoints == [3])
        #expect(result.changes[0].relativeChange == nil)
        #expect(result.changes[0].delta == 2)
        #expect(result.changes[0].gain == 6)
    }
}
