import Analysis
import Testing

/// The attribution tests (`swift test --filter AttributionTests`): one suite per source file,
/// nested here so that one filter runs them all.
@Suite enum AttributionTests {}

/// One oracle run: the rows, the options the oracle was given, and what it printed.
struct AttributionOracleCase: Sendable, CustomTestStringConvertible {
    let name: String
    let rows: [AttributionRow]
    let measure: AttributionMeasure
    var forecast: AttributionForecast = .scaled
    var elementThreshold = Adtributor.defaultElementThreshold
    var setThreshold = Adtributor.defaultSetThreshold
    var top = Adtributor.defaultTop
    let expected: OracleAttribution

    var testDescription: String { name }

    static let all: [AttributionOracleCase] = [
        .init(name: "prompt v2 refusals, rate", rows: AttributionOracle.promptRows, measure: .rate,
              expected: AttributionOracle.promptRate),
        .init(name: "prompt v2 refusals, sum", rows: AttributionOracle.promptRows, measure: .sum,
              expected: AttributionOracle.promptSum),
        .init(name: "mix shift", rows: AttributionOracle.mixShiftRows, measure: .rate,
              expected: AttributionOracle.mixShiftRate),
        .init(name: "two dimensions explain", rows: AttributionOracle.bothRows, measure: .rate,
              expected: AttributionOracle.both),
        .init(name: "two dimensions, other thresholds", rows: AttributionOracle.bothRows, measure: .rate,
              elementThreshold: 0.2, setThreshold: 0.5, top: 2, expected: AttributionOracle.bothThresholds),
        .init(name: "no change", rows: AttributionOracle.noChangeRows, measure: .rate,
              expected: AttributionOracle.noChange),
        .init(name: "no change at 70% volume", rows: AttributionOracle.volume70Rows, measure: .rate,
              expected: AttributionOracle.volume70),
        .init(name: "single-element dimension", rows: AttributionOracle.singleRows, measure: .rate,
              expected: AttributionOracle.single),
        .init(name: "missing values", rows: AttributionOracle.missingRows, measure: .rate,
              expected: AttributionOracle.missing),
        .init(name: "mean latency", rows: AttributionOracle.meanRows, measure: .mean,
              expected: AttributionOracle.mean),
        .init(name: "sum, scaled", rows: AttributionOracle.sumRows, measure: .sum,
              expected: AttributionOracle.sum),
        .init(name: "sum, raw", rows: AttributionOracle.sumRows, measure: .sum, forecast: .raw,
              expected: AttributionOracle.sumRaw),
        .init(name: "volume, scaled", rows: AttributionOracle.volumeRows, measure: .rate,
              expected: AttributionOracle.volume),
        .init(name: "volume, raw", rows: AttributionOracle.volumeRows, measure: .rate, forecast: .raw,
              expected: AttributionOracle.volumeRaw),
    ]
}

extension AttributionTests {
    /// Expected values: `oracle_attribution.py` (AttributionOracleCases.swift names each command).
    @Suite struct AdtributorTests {
        @Test(arguments: AttributionOracleCase.all)
        func agreesWithTheOracle(_ c: AttributionOracleCase) {
            let result = Adtributor.explain(
                c.rows, measure: c.measure, forecast: c.forecast, elementThreshold: c.elementThreshold,
                setThreshold: c.setThreshold, top: c.top)
            #expect(result.measure == c.measure && result.forecast == c.forecast && result.top == c.top)
            expectAgreement(result, c.expected)
        }

        /// The known answers of the oracles' README, by construction of the examples.
        @Test func knownAnswers() {
            let prompt = Adtributor.explain(AttributionOracle.promptRows, measure: .rate)
            #expect(prompt.rootCauses.first?.dimension == "prompt_version")
            #expect(prompt.rootCauses.first?.elements == ["v2"])
            #expect(prompt.rootCauses.first?.explanatoryPower == 1)
            expectClose(prompt.rootCauses.first?.surprise, 0.0343004181296063)

            let mix = Adtributor.explain(AttributionOracle.mixShiftRows, measure: .rate)
            #expect(mix.rootCauses.first?.dimension == "model")
            #expect(mix.rootCauses.first?.elements == ["a", "b"])
            let model = mix.dimensions.first { $0.name == "model" }
            // Rates stay 1% and 10%, traffic moves a → b: 0.65 and 0.35 of the change by hand.
            expectClose(model?.elements.first { $0.name == "a" }?.explanatoryPower, 0.65, relative: 1e-14)
            expectClose(model?.elements.first { $0.name == "b" }?.explanatoryPower, 0.35, relative: 1e-14)
        }

        /// Ties in surprise go to the dimension name (cohort and model carry the same traces).
        @Test func tiedCandidatesRankByName() {
            let result = Adtributor.explain(AttributionOracle.bothRows, measure: .rate)
            #expect(result.rootCauses.map(\.dimension) == ["cohort", "model", "route"])
            #expect(result.rootCauses[0].surprise == result.rootCauses[1].surprise)
            let single = Adtributor.explain(AttributionOracle.singleRows, measure: .rate)
            #expect(single.rootCauses.last?.dimension == "env")
            #expect(single.rootCauses.last?.surprise == 0)
        }

        @Test func surpriseByHand() {
            #expect(Adtributor.surprise(forecastShare: 0.3, actualShare: 0.3) == 0)
            #expect(Adtributor.surprise(forecastShare: 0, actualShare: 0) == 0)
            // A share that appears from nothing: ½·q·log₂(2) = q/2.
            #expect(Adtributor.surprise(forecastShare: 0, actualShare: 1) == 0.5)
            #expect(Adtributor.surprise(forecastShare: 0.5, actualShare: 0) == 0.25)
            // ½(0.1·log₂(0.2/0.4) + 0.3·log₂(0.6/0.4))
            expectClose(Adtributor.surprise(forecastShare: 0.1, actualShare: 0.3), 0.0377443751081735, relative: 1e-14)
        }

        /// Rows of one element split over several rows (NULL, "", blanks; padded values) give the
        /// same result as the merged rows.
        @Test func splitRowsAreMerged() {
            let merged = AttributionOracle.missingRows.reduce(into: [String: AttributionRow]()) { byKey, row in
                let key = row.dimension + "\u{0}" + row.elementName
                let old = byKey[key]
                byKey[key] = AttributionRow(
                    dimension: row.dimension, element: row.elementName,
                    baselineCount: (old?.baselineCount ?? 0) + row.baselineCount,
                    baselineSum: (old?.baselineSum ?? 0) + row.baselineSum,
                    currentCount: (old?.currentCount ?? 0) + row.currentCount,
                    currentSum: (old?.currentSum ?? 0) + row.currentSum)
            }
            let order = ["intent", "model", "region"]
            let rows = merged.values.sorted {
                let a = order.firstIndex(of: $0.dimension) ?? 0, b = order.firstIndex(of: $1.dimension) ?? 0
                return a != b ? a < b : $0.elementName < $1.elementName
            }
            #expect(rows.count == 8)
            #expect(Adtributor.explain(rows, measure: .rate) == Adtributor.explain(AttributionOracle.missingRows, measure: .rate))
        }

        @Test func rowOrderDoesNotMatterWithinADimension() {
            let rows = AttributionOracle.bothRows
            #expect(Adtributor.explain(rows.reversed().reversed(), measure: .rate) == Adtributor.explain(rows, measure: .rate))
            let shuffled = [rows[2], rows[0], rows[1], rows[5], rows[3], rows[4], rows[7], rows[6]]
            #expect(Adtributor.explain(shuffled, measure: .rate) == Adtributor.explain(rows, measure: .rate))
        }

        /// Element names compare by code point, as in Python and SQLite: "Z" < "a" < "é", and
        /// a decomposed "é" is a value of its own.
        @Test func elementsInCodePointOrder() {
            let rows = ["é", "a", "Z", "e\u{301}"].map {
                AttributionRow(dimension: "d", element: $0, baselineCount: 10, baselineSum: 1, currentCount: 10, currentSum: 1)
            }
            let result = Adtributor.explain(rows, measure: .rate)
            #expect(result.dimensions[0].elements.map { Array($0.name.unicodeScalars) }
                    == [["Z"], ["a"], ["e", "\u{301}"], ["é"]])
        }

        @Test func emptyInputAndEmptySlices() {
            let none = Adtributor.explain([], measure: .rate)
            #expect(none.dimensions.isEmpty && none.rootCauses.isEmpty)
            #expect(none.baselineTraces == 0 && none.currentTraces == 0 && none.forecastScale == 1)

            // Nothing in the baseline: every forecast is 0. A ratio has no change to split
            // (ΣF2 = 0), a sum is all new and split by the current totals.
            let rows = [
                AttributionRow(dimension: "model", element: "a", baselineCount: 0, baselineSum: 0, currentCount: 30, currentSum: 3),
                AttributionRow(dimension: "model", element: "b", baselineCount: 0, baselineSum: 0, currentCount: 10, currentSum: 7),
            ]
            let rate = Adtributor.explain(rows, measure: .rate)
            #expect(rate.forecastScale == 1 && rate.rootCauses.isEmpty)
            #expect(rate.dimensions[0].elements.allSatisfy { $0.explanatoryPower == nil && $0.forecastValue == nil })
            let sum = Adtributor.explain(rows, measure: .sum)
            #expect(sum.rootCauses.first?.elements == ["b"])
            expectClose(sum.rootCauses.first?.explanatoryPower, 0.7, relative: 1e-15)
            #expect(sum.rootCauses.first?.surprise == 0.35)
        }

        @Test func topLimitsTheRootCauses() {
            #expect(Adtributor.explain(AttributionOracle.bothRows, measure: .rate, top: 0).rootCauses.isEmpty)
            #expect(Adtributor.explain(AttributionOracle.bothRows, measure: .rate, top: 1).rootCauses.map(\.dimension) == ["cohort"])
            #expect(Adtributor.explain(AttributionOracle.bothRows, measure: .rate, top: 10).rootCauses.count == 3)
        }

        /// Rate and mean are the same computation; only the name differs.
        @Test func rateIsMean() {
            let rate = Adtributor.explain(AttributionOracle.mixShiftRows, measure: .rate)
            let mean = Adtributor.explain(AttributionOracle.mixShiftRows, measure: .mean)
            #expect(rate.dimensions == mean.dimensions && rate.rootCauses == mean.rootCauses)
        }
    }
}
