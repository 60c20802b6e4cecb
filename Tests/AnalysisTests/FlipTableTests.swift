import Analysis
import Testing

/// Expected values: scipy 1.17 `binomtest(...).pvalue` and `proportion_ci(method="wilson")` via
/// oracle/paired_oracle.py.
@Suite struct FlipTableTests {
    @Test func countsPairs() {
        // 100 inputs: 50 stay false, 12 become true, 3 become false, 35 stay true.
        var pairs: [(Bool, Bool)] = []
        pairs += Array(repeating: (false, false), count: 50)
        pairs += Array(repeating: (false, true), count: 12)
        pairs += Array(repeating: (true, false), count: 3)
        pairs += Array(repeating: (true, true), count: 35)
        let table = FlipTable.compute(pairs)
        #expect(table == FlipTable(bothFalse: 50, falseToTrue: 12, trueToFalse: 3, bothTrue: 35))
        #expect(table.n == 100 && table.flips == 15)
        #expect(table.rateA == 0.38 && table.rateB == 0.47)
        expectClose(table.rateDelta, 0.09, relative: 1e-15)
        expectClose(table.rateAInterval?.lower, 0.2909759925247874, relative: 1e-12)
        expectClose(table.rateAInterval?.upper, 0.4779024470448892, relative: 1e-12)
        expectClose(table.rateBInterval?.lower, 0.37510817959341275, relative: 1e-12)
        expectClose(table.rateBInterval?.upper, 0.5671114302990065, relative: 1e-12)
        expectClose(table.mcnemarPValue, 0.03515625, relative: 1e-12)
    }

    @Test func countsAnySequence() {
        let pairs = (0..<1000).lazy.map { i in (i % 3 == 0, i % 5 == 0) }
        let table = FlipTable.compute(pairs, confidence: 0.9)
        // Multiples of 15: 67; of 3 only: 334 − 67; of 5 only: 200 − 67.
        #expect(table.bothTrue == 67 && table.trueToFalse == 267 && table.falseToTrue == 133)
        #expect(table.bothFalse == 1000 - 67 - 267 - 133)
        #expect(table.confidence == 0.9)
    }

    @Test(arguments: [
        (0, 0, 1.0), (3, 12, 0.03515625), (40, 25, 0.08168153394154003),
        (500, 430, 0.023608839292547163), (499_700, 500_300, 0.5491729059131272),
    ])
    func mcnemarMatchesScipy(b: Int, c: Int, expected: Double) {
        let table = FlipTable(bothFalse: 10, falseToTrue: b, trueToFalse: c, bothTrue: 10)
        expectClose(table.mcnemarPValue, expected, relative: 1e-10, "b \(b), c \(c)")
        let mirrored = FlipTable(bothFalse: 10, falseToTrue: c, trueToFalse: b, bothTrue: 10)
        #expect(mirrored.mcnemarPValue == table.mcnemarPValue)
    }

    @Test func emptyTable() {
        let table = FlipTable.compute([(Bool, Bool)]())
        #expect(table.n == 0)
        #expect(table.rateA == nil && table.rateB == nil && table.rateDelta == nil)
        #expect(table.rateAInterval == nil && table.rateBInterval == nil)
        #expect(table.mcnemarPValue == 1)
    }

    @Test func allTrueAndAllFalse() {
        let table = FlipTable(bothFalse: 0, falseToTrue: 0, trueToFalse: 0, bothTrue: 10)
        #expect(table.rateA == 1 && table.rateB == 1 && table.rateDelta == 0)
        expectClose(table.rateAInterval?.lower, 0.7224672001371109, relative: 1e-12)
        #expect(table.rateAInterval?.upper == 1)
        let none = FlipTable(bothFalse: 10, falseToTrue: 0, trueToFalse: 0, bothTrue: 0)
        #expect(none.rateBInterval?.lower == 0)
        expectClose(none.rateBInterval?.upper, 0.27753279986288926, relative: 1e-12)
    }
}
