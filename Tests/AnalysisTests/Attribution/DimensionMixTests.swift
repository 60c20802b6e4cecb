import Analysis
import Testing

extension AttributionTests {
    /// Expected values by hand (fractions of the example counts).
    @Suite struct DimensionMixTests {
        /// Traffic moves from model a (500 → 200 of 1000) to b (500 → 800); rates stay 1% and 10%.
        @Test func mixShift() throws {
            let mixes = DimensionMix.compare(AttributionOracle.mixShiftRows, measure: .rate)
            #expect(mixes.map(\.dimension) == ["model", "route"])
            let model = mixes[0]
            #expect(model.baselineTraces == 1000 && model.currentTraces == 1000)
            expectClose(model.totalVariation, 0.3, relative: 1e-15)
            expectClose(model.metricTotalVariation, 300.0 / 4510, relative: 1e-15)
            // |Δshare| ties exactly, and so does |Δ metric share|: name order.
            #expect(model.elements.map(\.name) == ["a", "b"])
            let a = model.elements[0], b = model.elements[1]
            #expect(a.baselineCount == 500 && a.currentCount == 200)
            #expect(a.baselineShare == 0.5 && a.currentShare == 0.2 && b.currentShare == 0.8)
            expectClose(a.shareDifference, -0.3, relative: 1e-15)
            expectClose(b.shareDifference, 0.3, relative: 1e-15)
            #expect(a.baselineValue == 0.01 && a.currentValue == 0.01)
            #expect(b.baselineValue == 0.1 && b.currentValue == 0.1)
            expectClose(a.baselineMetricShare, 5.0 / 55, relative: 1e-15)
            expectClose(a.currentMetricShare, 2.0 / 82, relative: 1e-15)
            expectClose(a.metricShareDifference, -300.0 / 4510, relative: 1e-15)
            expectClose(b.metricShareDifference, 300.0 / 4510, relative: 1e-15)

            let route = mixes[1]
            #expect(route.totalVariation == 0)
            expectClose(route.metricTotalVariation, 41.0 / 4510, relative: 1e-15)
            #expect(route.elements.map(\.name) == ["chat", "rag"])
            #expect(route.elements.allSatisfy { $0.shareDifference == 0 })
            expectClose(route.elements[0].metricShareDifference, -41.0 / 4510, relative: 1e-15)
        }

        /// Balanced traffic: the mixes tie at 0 and the dimension where the refusals moved
        /// (v2: 50% → 86% of them) comes first.
        @Test func signalShiftOrdersTies() {
            let mixes = DimensionMix.compare(AttributionOracle.promptRows, measure: .rate)
            #expect(mixes.map(\.dimension) == ["prompt_version", "model", "route"])
            #expect(mixes.allSatisfy { $0.totalVariation == 0 })
            expectClose(mixes[0].metricTotalVariation, 0.5 - 20.0 / 140, relative: 1e-15)
            #expect(mixes[0].elements.map(\.name) == ["v1", "v2"])
            #expect(mixes[0].elements[1].baselineValue == 0.02 && mixes[0].elements[1].currentValue == 0.12)
            #expect(mixes[1].metricTotalVariation == 0)
        }

        /// Values sorted by |Δshare|; merged "(missing)"; the sum measure reports totals.
        @Test func orderAndMissing() throws {
            let mixes = DimensionMix.compare(AttributionOracle.missingRows, measure: .sum)
            #expect(mixes.map(\.dimension) == ["region", "intent", "model"])
            let region = mixes[0]
            // 900 "" and 70 eu in the baseline, 960 us now: the mix moved completely.
            #expect(region.totalVariation == 1)
            #expect(region.elements.map(\.name) == ["us", "(missing)", "eu"])
            #expect(region.elements[0].baselineValue == 0 && region.elements[0].currentValue == 63)
            let intent = mixes[1]
            #expect(intent.elements.map(\.name) == ["(missing)", "refund", "billing"])
            let missing = intent.elements[0]
            #expect(missing.baselineCount == 170 && missing.currentCount == 240)
            expectClose(missing.shareDifference, 240.0 / 960 - 170.0 / 970, relative: 1e-14)
            #expect(missing.baselineValue == 3 && missing.currentValue == 48)
        }

        /// Dimensions rank by their largest single move, not by total variation: ten values that
        /// each move 2 points (distance 0.1) come after one value that moves 5 (distance 0.05).
        @Test func dimensionsByLargestMove() {
            var rows: [AttributionRow] = []
            for i in 0..<10 {
                let (b, c) = i < 5 ? (100, 80) : (100, 120)
                rows.append(AttributionRow(dimension: "many", element: "v\(i)", baselineCount: b, baselineSum: 0,
                                           currentCount: c, currentSum: 0))
            }
            rows.append(AttributionRow(dimension: "two", element: "x", baselineCount: 500, baselineSum: 0,
                                       currentCount: 450, currentSum: 0))
            rows.append(AttributionRow(dimension: "two", element: "y", baselineCount: 500, baselineSum: 0,
                                       currentCount: 550, currentSum: 0))
            let mixes = DimensionMix.compare(rows, measure: .rate)
            #expect(mixes.map(\.dimension) == ["two", "many"])
            expectClose(mixes[0].totalVariation, 0.05, relative: 1e-15)
            expectClose(mixes[1].totalVariation, 0.1, relative: 1e-15)
            #expect(mixes[0].metricTotalVariation == nil)
            // Equal moves tie exactly and go by name.
            #expect(mixes[1].elements.map(\.name) == (0..<10).map { "v\($0)" })
        }

        @Test func emptySlice() {
            let rows = [
                AttributionRow(dimension: "d", element: "x", baselineCount: 4, baselineSum: 1, currentCount: 0, currentSum: 0),
                AttributionRow(dimension: "d", element: "y", baselineCount: 6, baselineSum: 0, currentCount: 0, currentSum: 0),
            ]
            let mix = DimensionMix.compare(rows, measure: .mean)[0]
            #expect(mix.totalVariation == nil && mix.metricTotalVariation == nil)
            #expect(mix.elements.map(\.name) == ["x", "y"])
            #expect(mix.elements[0].baselineShare == 0.4 && mix.elements[0].currentShare == nil)
            #expect(mix.elements[0].shareDifference == nil && mix.elements[0].currentValue == nil)
            #expect(mix.elements[0].baselineValue == 0.25 && mix.elements[1].baselineMetricShare == 0)
            #expect(DimensionMix.compare([], measure: .rate).isEmpty)
        }
    }
}
