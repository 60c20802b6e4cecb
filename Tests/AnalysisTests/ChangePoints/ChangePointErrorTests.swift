import Testing
@testable import Analysis

/// Series too short for the settings (ruptures' `BadSegmentationParameters`) and invalid input.
@Suite struct ChangePointTestsErrors {
    @Test func tooShortForOneSegment() {
        // oracle_changepoint.py on [] and [4.0]: BadSegmentationParameters for min_size 2.
        for series in [[], [4.0]] {
            #expect(throws: ChangePointError.seriesTooShort(count: series.count, needed: 2, minSize: 2, jump: 1, changes: 0)) {
                try ChangePoints.pelt(series, penalty: 1)
            }
            #expect(throws: ChangePointError.seriesTooShort(count: series.count, needed: 2, minSize: 2, jump: 1, changes: 0)) {
                try ChangePoints.binarySegmentation(series)
            }
        }
    }

    @Test func twoAndThreeValues() throws {
        // oracle_changepoint.py on [4, 6] and [4, 6, 5] --pen 1: pelt → none, cost 2.0.
        let two = try ChangePoints.pelt([4, 6], penalty: 1)
        #expect(two.changePoints.isEmpty && two.cost == 2 && two.objective == 2)
        let three = try ChangePoints.pelt([4, 6, 5], penalty: 1)
        #expect(three.changePoints.isEmpty && three.cost == 2)
        // rpt.Pelt(model="l2", min_size=1, jump=1).fit([4, 6]).predict(pen=0.0 and 1.0) → [1, 2].
        #expect(try ChangePoints.pelt([4, 6], penalty: 0, minSize: 1).changePoints == [1])
        #expect(try ChangePoints.pelt([4, 6], penalty: 1, minSize: 1).changePoints == [1])
        // [4, 6, 5], min_size=1, pen=0 → [1, 2, 3].
        #expect(try ChangePoints.pelt([4, 6, 5], penalty: 0, minSize: 1).changePoints == [1, 2])
        // [1, 2, 9, 10] and [1, 2, 9, 10, 9.5] --pen 1: pelt → [2].
        #expect(try ChangePoints.pelt([1, 2, 9, 10], penalty: 1).changePoints == [2])
        #expect(try ChangePoints.pelt([1, 2, 9, 10, 9.5], penalty: 1).changePoints == [2])
    }

    @Test func minimumSizeBelowOneActsAsOne() throws {
        // rpt.Pelt(model="l2", min_size=0, jump=1).fit([4.0]).predict(pen=1.0) → [1].
        let result = try ChangePoints.pelt([4], penalty: 1, minSize: 0)
        #expect(result.changePoints.isEmpty)
        #expect(result.minSize == 1)
        #expect(result.cost == 0)
    }

    @Test func invalidSettings() {
        #expect(throws: ChangePointError.invalidJump(0)) { try ChangePoints.pelt([1, 2, 3], penalty: 1, jump: 0) }
        #expect(throws: ChangePointError.invalidChangeCount(-1)) {
            try ChangePoints.binarySegmentation([1, 2, 3, 4], changes: -1)
        }
        for penalty in [-1, .nan, .infinity] as [Double] {
            #expect(throws: ChangePointError.self) { try ChangePoints.pelt([1, 2, 3], penalty: penalty) }
            #expect(throws: ChangePointError.self) { try ChangePoints.binarySegmentation([1, 2, 3], penalty: penalty) }
        }
        #expect(throws: ChangePointError.nonFiniteValue(index: 2)) { try ChangePoints.pelt([1, 2, .nan, 4], penalty: 1) }
        #expect(throws: ChangePointError.nonFiniteValue(index: 0)) {
            try ChangePoints.binarySegmentation([-.infinity, 2, 3, 4], changes: 1)
        }
    }

    @Test(arguments: [
        (ChangePointError.seriesTooShort(count: 1, needed: 2, minSize: 2, jump: 1, changes: 0),
         "series of 1 value too short for a segmentation with min size 2 and jump 1 (needs at least 2)"),
        (.seriesTooShort(count: 3, needed: 4, minSize: 2, jump: 1, changes: 1),
         "series of 3 values too short for 1 change point with min size 2 and jump 1 (needs at least 4)"),
        (.seriesTooShort(count: 10, needed: 12, minSize: 2, jump: 1, changes: 5),
         "series of 10 values too short for 5 change points with min size 2 and jump 1 (needs at least 12)"),
        (.nonFiniteValue(index: 7), "value 7 of the series is not a finite number"),
        (.invalidJump(0), "jump must be at least 1, found 0"),
        (.invalidPenalty(-2), "penalty must be a finite number ≥ 0, found -2.0"),
        (.invalidChangeCount(-1), "number of change points must be at least 0, found -1"),
    ])
    func messages(error: ChangePointError, message: String) {
        #expect(error.description == message)
    }

    @Test func neededLengthFollowsRupturesSanityCheck() throws {
        // sanity_check: n_bkps · ⌈min_size/jump⌉ · jump + min_size ≤ n.
        let grid = try SegmentationGrid(minSize: 3, jump: 5)
        #expect(grid.neededLength(changes: 0) == 3)
        #expect(grid.neededLength(changes: 39) == 198)
        #expect(grid.neededLength(changes: 40) == 203)
        #expect(try SegmentationGrid(minSize: 7, jump: 5).neededLength(changes: 2) == 27)
    }
}
