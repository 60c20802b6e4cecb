import Analysis
import Testing

/// What `oracle_attribution.py` printed for one run: its `input` sizes and scale, `root_causes`,
/// `dimensions` and, for 0/1 metrics, `slices_two_proportion_bh`.
struct OracleAttribution: Sendable {
    let baselineRows: Int
    let currentRows: Int
    let scale: Double
    let rootCauses: [OracleCandidate]
    let dimensions: [OracleDimension]
    let slices: [OracleSlice]?
}

/// A `candidate` / `root_causes` entry.
struct OracleCandidate: Sendable {
    let dimension: String
    let elements: [String]
    let explains: Double
    let surprise: Double
}

/// One entry of `dimensions`; `totals` is [forecast_m1, forecast_m2, actual_m1, actual_m2,
/// total_change].
struct OracleDimension: Sendable {
    let name: String
    let totals: [Double]
    let surpriseSum: Double
    let elements: [OracleElement]
    let candidate: OracleCandidate?
}

/// One entry of `elements_sorted_by_surprise`: for a sum, `forecast`/`actual` are the totals and
/// p, q the shares; for a rate or mean, the m1 sums, with the m2 counts, rates and both surprises.
struct OracleElement: Sendable {
    let value: String
    let forecast: Double
    var forecastCount: Double? = nil
    var forecastRate: Double? = nil
    let actual: Double
    var actualCount: Double? = nil
    var actualRate: Double? = nil
    var epRaw: Double? = nil
    let ep: Double?
    let surprise: Double
    var surpriseM1: Double? = nil
    var surpriseM2: Double? = nil
    var p: Double? = nil
    var q: Double? = nil
}

/// One entry of `slices_two_proportion_bh`.
struct OracleSlice: Sendable {
    let dimension: String
    let value: String
    let baselineN: Int
    let baselineRate: Double?
    let currentN: Int
    let currentRate: Double?
    let z: Double?
    let p: Double?
    let q: Double?
}

/// Expects both nil, or both numbers within `relative` of each other.
func expectSame(
    _ actual: Double?, _ expected: Double?, relative: Double = 1e-9, _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let expected else {
        #expect(actual == nil, "\(what): got \(actual.map { "\($0)" } ?? "nil"), expected nil",
                sourceLocation: sourceLocation)
        return
    }
    expectClose(actual, expected, relative: relative, what, sourceLocation: sourceLocation)
}

/// Expects `result` to agree with the oracle in every number, element order and candidate.
func expectAgreement(_ result: Adtributor, _ oracle: OracleAttribution, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.baselineTraces == oracle.baselineRows, sourceLocation: sourceLocation)
    #expect(result.currentTraces == oracle.currentRows, sourceLocation: sourceLocation)
    expectClose(result.forecastScale, oracle.scale, "scale", sourceLocation: sourceLocation)
    #expect(result.rootCauses.map(\.dimension) == oracle.rootCauses.map(\.dimension),
            "root causes", sourceLocation: sourceLocation)
    for (got, want) in zip(result.rootCauses, oracle.rootCauses) {
        expectCandidate(got, want, "root cause", sourceLocation: sourceLocation)
    }
    #expect(result.dimensions.map(\.name) == oracle.dimensions.map(\.name), sourceLocation: sourceLocation)
    for (got, want) in zip(result.dimensions, oracle.dimensions) {
        let d = want.name
        let totals = [got.forecastSum, got.forecastCount, got.actualSum, got.actualCount, got.totalChange]
        for (i, (a, b)) in zip(totals, want.totals).enumerated() {
            expectClose(a, b, "\(d) totals[\(i)]", sourceLocation: sourceLocation)
        }
        expectClose(got.totalSurprise, want.surpriseSum, "\(d) surprise sum", sourceLocation: sourceLocation)
        #expect(got.elements.map(\.name) == want.elements.map(\.value), "\(d) element order",
                sourceLocation: sourceLocation)
        for (e, o) in zip(got.elements, want.elements) {
            let w = "\(d)=\(o.value)"
            expectClose(e.forecastSum, o.forecast, "\(w) F1", sourceLocation: sourceLocation)
            expectClose(e.actualSum, o.actual, "\(w) A1", sourceLocation: sourceLocation)
            expectSame(e.explanatoryPower, o.ep, "\(w) EP", sourceLocation: sourceLocation)
            expectClose(e.surprise, o.surprise, "\(w) surprise", sourceLocation: sourceLocation)
            if result.measure.isRatio {
                expectSame(e.forecastCount, o.forecastCount, "\(w) F2", sourceLocation: sourceLocation)
                expectSame(e.actualCount, o.actualCount, "\(w) A2", sourceLocation: sourceLocation)
                expectSame(e.forecastValue, o.forecastRate, "\(w) forecast rate", sourceLocation: sourceLocation)
                expectSame(e.actualValue, o.actualRate, "\(w) actual rate", sourceLocation: sourceLocation)
                expectSame(e.explanatoryPowerRaw, o.epRaw, "\(w) EP raw", sourceLocation: sourceLocation)
                expectSame(e.sumSurprise, o.surpriseM1, "\(w) surprise m1", sourceLocation: sourceLocation)
                expectSame(e.countSurprise, o.surpriseM2, "\(w) surprise m2", sourceLocation: sourceLocation)
            } else {
                expectSame(e.forecastShare, o.p, "\(w) p", sourceLocation: sourceLocation)
                expectSame(e.actualShare, o.q, "\(w) q", sourceLocation: sourceLocation)
                #expect(e.explanatoryPowerRaw == nil && e.sumSurprise == nil && e.countSurprise == nil,
                        sourceLocation: sourceLocation)
            }
        }
        switch (got.candidate, want.candidate) {
        case (nil, nil): break
        case let (g?, w?): expectCandidate(g, w, "\(d) candidate", sourceLocation: sourceLocation)
        default: Issue.record("\(d) candidate: got \(String(describing: got.candidate)), expected \(String(describing: want.candidate))",
                              sourceLocation: sourceLocation)
        }
    }
}

/// Expects one candidate set to be the oracle's.
func expectCandidate(
    _ got: Adtributor.Candidate, _ want: OracleCandidate, _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(got.dimension == want.dimension && got.elements == want.elements,
            "\(what): got \(got.dimension) \(got.elements), expected \(want.dimension) \(want.elements)",
            sourceLocation: sourceLocation)
    expectClose(got.explanatoryPower, want.explains, "\(what) \(want.dimension) EP", sourceLocation: sourceLocation)
    expectClose(got.surprise, want.surprise, "\(what) \(want.dimension) surprise", sourceLocation: sourceLocation)
}

/// Expects the per-slice tests to be the oracle's, in its order.
func expectAgreement(_ tests: [SliceProportionTest], _ oracle: [OracleSlice], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(tests.map { "\($0.dimension)=\($0.element)" } == oracle.map { "\($0.dimension)=\($0.value)" },
            sourceLocation: sourceLocation)
    for (t, o) in zip(tests, oracle) {
        let w = "\(o.dimension)=\(o.value)"
        #expect(t.baselineCount == o.baselineN && t.currentCount == o.currentN, "\(w) counts",
                sourceLocation: sourceLocation)
        expectSame(t.baselineRate, o.baselineRate, "\(w) baseline rate", sourceLocation: sourceLocation)
        expectSame(t.currentRate, o.currentRate, "\(w) current rate", sourceLocation: sourceLocation)
        expectSame(t.z, o.z, "\(w) z", sourceLocation: sourceLocation)
        expectSame(t.pValue, o.p, "\(w) p", sourceLocation: sourceLocation)
        expectSame(t.qValue, o.q, "\(w) q", sourceLocation: sourceLocation)
    }
}
