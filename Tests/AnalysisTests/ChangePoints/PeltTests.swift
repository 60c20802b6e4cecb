import Testing
@testable import Analysis

/// PELT against ruptures 1.1.10 (`ChangePointCases.pelt`): the change points exactly, costs and
/// gains to 1e-9 relative, segment means to 1e-12.
@Suite struct ChangePointTestsPelt {
    @Test(arguments: ChangePointCases.pelt)
    func matchesRuptures(_ c: PeltCase) throws {
        let series = ChangePointSeries.named(c.series)
        guard let expected = c.expected else {
            #expect(throws: ChangePointError.self) {
                try ChangePoints.pelt(series, penalty: c.penalty, minSize: c.minSize, jump: c.jump)
            }
            return
        }
        let result = try ChangePoints.pelt(series, penalty: c.penalty, minSize: c.minSize, jump: c.jump)
        #expect(result.changePoints == expected.changePoints)
        #expect(result.breakpoints == expected.changePoints + [series.count])
        #expect(result.method == .pelt)
        #expect(result.penalty == .given(c.penalty))
        #expect(result.splits.isEmpty)
        expectClose(result.cost, expected.cost, "cost")
        expectClose(result.objective, expected.objective, "objective")
        guard result.changePoints == expected.changePoints else { return }
        for (segment, mean) in zip(result.segments, expected.means) {
            expectClose(segment.mean, mean, relative: 1e-12, "mean of \(segment.start)..<\(segment.end)")
        }
        for (change, gain) in zip(result.changes, expected.gains) {
            expectClose(change.gain, gain, "gain of \(change.index)")
        }
    }

    @Test func everyValueItsOwnSegmentWithoutPenaltyOrMinimum() throws {
        // oracle_changepoint.py noise.json --pen 0.0 --min-size 1 --jump 1: bkps 1, 2, …, 300, cost 0.
        let result = try ChangePoints.pelt(ChangePointSeries.noise, penalty: 0, minSize: 1)
        #expect(result.changePoints == Array(1..<300))
        #expect(result.cost == 0)
        #expect(result.segments.allSatisfy { $0.count == 1 && $0.cost == 0 })
    }

    @Test func constantSeriesHasNoChangeEvenWithoutPenalty() throws {
        // rpt.Pelt(model="l2", min_size=2, jump=1).fit([5.0] * 10).predict(pen=0.0 and 1.0) → [10]:
        // every partition costs 0, and the first start reaching the minimum is 0.
        for penalty in [0.0, 1.0] {
            let result = try ChangePoints.pelt(Array(repeating: 5, count: 10), penalty: penalty)
            #expect(result.changePoints.isEmpty)
            #expect(result.cost == 0)
        }
    }

    @Test func gridDecidesWhereSegmentsMayStart() throws {
        let series: [Double] = [1, 2, 9, 10, 9.5, 9.6]
        // rpt.Pelt(model="l2", min_size=3, jump=2).fit(x).predict(pen=1.0) → [6]: 3 is not on the
        // grid of multiples of 2, and a start at 2 or 4 would leave a segment shorter than 3.
        #expect(try ChangePoints.pelt(series, penalty: 1, minSize: 3, jump: 2).changePoints == [])
        // min_size=1, jump=4 → [4, 6]; jump=6 and jump=7 → [6].
        #expect(try ChangePoints.pelt(series, penalty: 1, minSize: 1, jump: 4).changePoints == [4])
        #expect(try ChangePoints.pelt(series, penalty: 1, minSize: 1, jump: 6).changePoints == [])
        #expect(try ChangePoints.pelt(series, penalty: 1, minSize: 1, jump: 7).changePoints == [])
        // [1, 2, 9, 10, 9.5] with min_size=2, jump=3 → [3, 5].
        #expect(try ChangePoints.pelt(Array(series.prefix(5)), penalty: 1, minSize: 2, jump: 3).changePoints == [3])
    }

    @Test func defaultPenaltyIsTheEstimate() throws {
        let series = ChangePointSeries.steps
        let byDefault = try ChangePoints.pelt(series)
        let given = try ChangePoints.pelt(series, penalty: 1.5334667381476126)
        #expect(byDefault.penalty?.source == .differences)
        expectClose(byDefault.penalty?.value, 1.5334667381476126, relative: 1e-14)
        #expect(byDefault.changePoints == given.changePoints)
        #expect(byDefault.changePoints == [40, 75, 125, 150])
    }
}
