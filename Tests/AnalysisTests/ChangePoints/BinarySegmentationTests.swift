import Testing
@testable import Analysis

/// Binary segmentation against ruptures 1.1.10 (`ChangePointCases.binarySegmentation`): the
/// splits in the order made exactly, their gains and the fitted cost to 1e-9 relative.
@Suite struct ChangePointTestsBinarySegmentation {
    @Test(arguments: ChangePointCases.binarySegmentation)
    func matchesRuptures(_ c: BinsegCase) throws {
        let series = ChangePointSeries.named(c.series)
        func run() throws(ChangePointError) -> Segmentation {
            if let changes = c.changes {
                return try ChangePoints.binarySegmentation(series, changes: changes, minSize: c.minSize, jump: c.jump)
            }
            return try ChangePoints.binarySegmentation(series, penalty: c.penalty, minSize: c.minSize, jump: c.jump)
        }
        guard let expected = c.expected else {
            #expect(throws: ChangePointError.self) { try run() }
            return
        }
        let result = try run()
        #expect(result.splits.map(\.index) == expected.order)
        #expect(result.changePoints == expected.order.sorted())
        #expect(result.method == .binarySegmentation)
        #expect(result.requestedChanges == c.changes)
        #expect(result.penalty?.value == c.penalty)
        expectClose(result.cost, expected.cost, "cost")
        for (split, gain) in zip(result.splits, expected.gains) {
            expectClose(split.gain, gain, "gain of the split at \(split.index)")
        }
    }

    @Test func equalGainsGoToTheLaterIndex() throws {
        // rpt.Binseg(model="l2", min_size=2, jump=1).fit([5.0] * 10).predict(n_bkps=k) for k = 1…4:
        // [8, 10], [6, 8, 10], [4, 6, 8, 10], [2, 4, 6, 8, 10]; k = 5: BadSegmentationParameters.
        let constant = [Double](repeating: 5, count: 10)
        for (k, expected) in [(1, [8]), (2, [6, 8]), (3, [4, 6, 8]), (4, [2, 4, 6, 8])] {
            let result = try ChangePoints.binarySegmentation(constant, changes: k)
            #expect(result.changePoints == expected, "k = \(k)")
            #expect(result.splits.allSatisfy { $0.gain == 0 })
        }
        #expect(throws: ChangePointError.seriesTooShort(count: 10, needed: 12, minSize: 2, jump: 1, changes: 5)) {
            try ChangePoints.binarySegmentation(constant, changes: 5)
        }
    }

    @Test func aSegmentWithoutCandidatesWinsATieAndStopsTheSearch() throws {
        // rpt.Binseg(...).fit([1, 1, 5, 5, 5, 5, 5, 5]).predict(n_bkps=2 and 3) → [2, 8]: after the
        // split at 2, the leftmost segment (no candidate, gain 0) ties with the constant right one.
        let series: [Double] = [1, 1, 5, 5, 5, 5, 5, 5]
        for k in [1, 2, 3] {
            let result = try ChangePoints.binarySegmentation(series, changes: k)
            #expect(result.changePoints == [2], "k = \(k)")
            #expect(result.splits.map(\.gain) == [24])
        }
    }

    @Test func penaltyStopsAtTheFirstSplitNotWorthIt() throws {
        // flat.csv: the forced first split gains 0.2451… (binseg_n_bkps_1), below the default
        // penalty 0.9370… (cp_flat.json), so by penalty there is none.
        let flat = ChangePointSeries.flat
        let forced = try ChangePoints.binarySegmentation(flat, changes: 1)
        let penalised = try ChangePoints.binarySegmentation(flat)
        #expect(forced.changePoints == [59])
        #expect(penalised.changePoints.isEmpty)
        let penalty = try #require(penalised.penalty)
        #expect(forced.splits[0].gain < penalty.value)
        expectClose(penalty.value, 0.9370346037008761, relative: 1e-14)
    }

    @Test func shortSeries() throws {
        // rpt.Binseg(model="l2", min_size=1, jump=1).fit([4, 6, 5]).predict(n_bkps=1) → [1, 3],
        // n_bkps=2 → [1, 2, 3], n_bkps=3 → BadSegmentationParameters.
        let series: [Double] = [4, 6, 5]
        #expect(try ChangePoints.binarySegmentation(series, changes: 1, minSize: 1).changePoints == [1])
        #expect(try ChangePoints.binarySegmentation(series, changes: 2, minSize: 1).changePoints == [1, 2])
        #expect(throws: ChangePointError.self) { try ChangePoints.binarySegmentation(series, changes: 3, minSize: 1) }
        // min_size=2: one change needs 4 values.
        #expect(throws: ChangePointError.seriesTooShort(count: 3, needed: 4, minSize: 2, jump: 1, changes: 1)) {
            try ChangePoints.binarySegmentation(series, changes: 1)
        }
        // [1, 2, 9, 10, 9.5] with min_size=2, jump=3 → [3, 5]; min_size=3, jump=2 → BadSegmentationParameters.
        let five: [Double] = [1, 2, 9, 10, 9.5]
        #expect(try ChangePoints.binarySegmentation(five, changes: 1, minSize: 2, jump: 3).changePoints == [3])
        #expect(throws: ChangePointError.seriesTooShort(count: 5, needed: 7, minSize: 3, jump: 2, changes: 1)) {
            try ChangePoints.binarySegmentation(five, changes: 1, minSize: 3, jump: 2)
        }
        // [1, 2, 9, 10] → [2, 4], gain 64 (oracle_changepoint.py, binseg_n_bkps_1).
        let four = try ChangePoints.binarySegmentation([1, 2, 9, 10], changes: 1)
        #expect(four.changePoints == [2])
        #expect(four.splits.map(\.gain) == [64])
        #expect(four.cost == 1)
    }
}
