import Analysis
import Testing

extension AttributionTests {
    /// Expected values: the `slices_two_proportion_bh` section of `oracle_attribution.py`
    /// (scipy 1.17.1 `norm.sf` and `false_discovery_control(method="bh")`).
    @Suite struct SliceProportionTestTests {
        @Test(arguments: AttributionOracleCase.all.filter { $0.expected.slices != nil })
        func agreesWithTheOracle(_ c: AttributionOracleCase) throws {
            let slices = try #require(c.expected.slices)
            expectAgreement(SliceProportionTest.compute(c.rows), slices)
        }

        /// 20/1000 against 50/1000: z = 0.03/√(0.035·0.965·0.002) = 3.6501 (the oracles' README).
        @Test func zByHand() throws {
            let rows = [AttributionRow(dimension: "all", element: "x", baselineCount: 1000, baselineSum: 20,
                                       currentCount: 1000, currentSum: 50)]
            let test = try #require(SliceProportionTest.compute(rows).first)
            expectClose(test.z, 0.03 / (0.035 * 0.965 * 0.002).squareRoot(), relative: 1e-13)
            expectClose(test.pValue, 0.0002621055109992034, relative: 1e-9)  // scipy 2·norm.sf(z)
            #expect(test.qValue == test.pValue)
        }

        /// No variance (both rates 0) gives z = 0 and p = 1; a value absent from one slice is not
        /// tested and takes no part in the q-values.
        @Test func degenerateSlices() {
            let rows = [
                AttributionRow(dimension: "d", element: "zero", baselineCount: 10, baselineSum: 0, currentCount: 10, currentSum: 0),
                AttributionRow(dimension: "d", element: "new", baselineCount: 0, baselineSum: 0, currentCount: 10, currentSum: 5),
                AttributionRow(dimension: "d", element: "all", baselineCount: 10, baselineSum: 10, currentCount: 5, currentSum: 5),
            ]
            let tests = SliceProportionTest.compute(rows)
            #expect(tests.map(\.element) == ["all", "new", "zero"])
            #expect(tests[0].z == 0 && tests[0].pValue == 1 && tests[0].qValue == 1)
            #expect(tests[1].baselineRate == nil && tests[1].currentRate == 0.5)
            #expect(tests[1].z == nil && tests[1].pValue == nil && tests[1].qValue == nil)
            #expect(tests[2].z == 0 && tests[2].qValue == 1)
        }

        /// q-values: p·m/rank, made monotone from the top and capped at 1.
        @Test func benjaminiHochbergByHand() {
            // Rates chosen for p-values in a known order; check the step-up rule on the output.
            let tests = SliceProportionTest.compute(AttributionOracle.bothRows)
            let p = tests.compactMap(\.pValue), q = tests.compactMap(\.qValue)
            #expect(p.count == 8 && q.count == 8)
            let order = p.indices.sorted { p[$0] < p[$1] }
            var next = 1.0
            for (rank, i) in order.enumerated().reversed() {
                next = min(next, p[i] * 8 / Double(rank + 1))
                expectClose(q[i], next, relative: 1e-15, "q of rank \(rank + 1)")
            }
        }
    }
}
