import Analysis
import Foundation
import Query
import Store

/// `explain SIGNAL between SLICE and SLICE`: which dimensions and values account for the change
/// of a signal (docs/statistics.md, "Which dimension explains a shift").
///
/// One scan groups both slices by every dimension at once; each dimension's totals are added up
/// from those groups, Adtributor ranks the candidate causes, the BubbleUp-style view compares the
/// mix of each dimension, and every candidate gets trace ids from the current slice as evidence.
public struct Explanation: Sendable {
    public var signal: Signal
    public var baseline: String
    public var current: String
    /// The signal over each whole slice: mean (a rate for 0/1 signals) and traces with it known.
    public var baselineValue: Double?
    public var currentValue: Double?
    public var baselineCount: Int
    public var currentCount: Int
    public var adtributor: Adtributor
    /// The causes, placed for "what changed?" (`Cause`): changes first, then facets.
    public var causes: [Cause]
    public var mix: [DimensionMix]
    /// For 0/1 signals: each value of each dimension tested on its own, with BH q-values.
    public var slices: [SliceProportionTest]

    /// Trace ids of the current slice that show a cause, and the values they are under — the
    /// cause's own, or, when the cause is values that left the current slice (v1 replaced by
    /// v2), the values that took their place.
    public struct Evidence: Sendable {
        public var values: [String]
        public var traceIds: [String]

        public init(values: [String], traceIds: [String]) {
            self.values = values
            self.traceIds = traceIds
        }
    }
    public var elapsedMs: Double

    /// Per dimension and value: baseline count and sum, current count and sum. One scan reads
    /// each trace as a fingerprint of its combination of values; the combinations (a few
    /// thousand) are added up in memory and named by one trace each.
    struct Combination {
        var rowid: Int64
        var baselineCount = 0, baselineSum = 0.0, currentCount = 0, currentSum = 0.0
    }

    /// The combinations of the dimensions' values in the two slices, with their counts and sums.
    static func combinations(database: Database, signal: Signal, dimensions: [ScanDimension], baseline: Condition,
                             current: Condition) throws -> [(values: [String?], totals: Combination)] {
        // One scan on this connection: split into rowid ranges the planner loses the covering
        // index that finds both slices' rows, and the scan takes twice as long (measured).
        var combinations: [Int64: Combination] = [:]
        let scan = SignalScan.combinations(signal, of: dimensions, baseline: baseline, current: current)
        let statement = try database.prepare(scan.sql)
        try statement.bind(scan.parameters)
        while try statement.step() {
            let key = statement.int64(at: 0) ?? 0
            let x = statement.double(at: 4) ?? 0
            var c = combinations[key] ?? Combination(rowid: statement.int64(at: 1) ?? 0)
            if statement.int64(at: 2) == 1 { c.baselineCount += 1; c.baselineSum += x }
            if statement.int64(at: 3) == 1 { c.currentCount += 1; c.currentSum += x }
            combinations[key] = c
        }
        var named: [(values: [String?], totals: Combination)] = []
        let names = try database.prepare(SignalScan.dimensionValues(dimensions))
        for c in combinations.values.sorted(by: { $0.rowid < $1.rowid }) {
            names.reset()
            names.bind(c.rowid, at: 1)
            guard try names.step() else { continue }
            named.append(((0..<dimensions.count).map { names.text(at: Int32($0)) }, c))
        }
        return named
    }

    /// Adds the combinations up per dimension and value: baseline count and sum, current count and sum.
    static func totals(_ combinations: [(values: [String?], totals: Combination)], dimensions: Int) -> [[String?: (Int, Double, Int, Double)]] {
        var totals = Array(repeating: [String?: (Int, Double, Int, Double)](), count: dimensions)
        for (values, c) in combinations {
            for i in 0..<dimensions {
                let old = totals[i][values[i]] ?? (0, 0, 0, 0)
                totals[i][values[i]] = (old.0 + c.baselineCount, old.1 + c.baselineSum, old.2 + c.currentCount, old.3 + c.currentSum)
            }
        }
        return totals
    }

    /// The dimensions examined: the version dimensions and the request's other facets.
    public static let dimensions = Database.versionDimensions + ["intent", "finish_reason", "service"]

    /// The dimensions that are deployed, most specific first: candidates for what changed (the
    /// others say where a change shows). When dimensions are aliases in the data, the first of
    /// this order names the cause.
    public static let changeDimensions = [
        "prompt_version", "prompt_hash", "prompt_id", "model", "provider", "index_version", "tool_version",
        "config_hash", "service_version", "release",
    ]

    /// The change dimensions that bundle others: a new value of one of them is explained by the
    /// specific change it carries, when the data show one.
    public static let containerDimensions: Set<String> = ["config_hash", "service_version", "release"]

    /// The dimensions asked for besides the defaults (`explain … with user_id, attr."app.locale"`):
    /// text fields of traces, checked against the catalog, and span attributes.
    public static func extraDimensions(_ references: [SlicePair.Dimension], queries: QueryEngine) throws -> [ScanDimension] {
        var found: [ScanDimension] = []
        for reference in references {
            let dimension: ScanDimension
            switch reference {
            case .field(let name): dimension = .column(try queries.dimensionColumn(name), name: name)
            case .attribute(let key): dimension = .attribute(key)
            }
            if !dimensions.contains(dimension.name), !found.contains(where: { $0.name == dimension.name }) { found.append(dimension) }
        }
        return found
    }

    /// - Parameter extra: dimensions examined besides `dimensions` (`extraDimensions`).
    public static func compute(database: Database, queries: QueryEngine, signal: Signal, slices: SlicePairSpec,
                               dimensions: [String] = Explanation.dimensions, extra: [ScanDimension] = [],
                               thresholds: AttributionThresholds = AttributionThresholds(),
                               evidencePerCause: Int = 3) throws -> Explanation {
        let started = Date()
        guard signal.kind != .categorical else {
            throw InvestigateError("`explain` takes a numeric or true/false signal; `\(signal.name)` is a label (try `drift \(signal.name) between …`)")
        }
        let conditions = try queries.conditions([slices.baseline, slices.current])
        let scanned = dimensions.map { ScanDimension.column($0) } + extra
        let dimensions = scanned.map(\.name)
        let combinations = try combinations(database: database, signal: signal, dimensions: scanned,
                                            baseline: conditions[0], current: conditions[1])
        let totals = totals(combinations, dimensions: dimensions.count)
        var rows: [AttributionRow] = []
        for (i, dimension) in dimensions.enumerated() {
            for (value, t) in totals[i].sorted(by: { ($0.key ?? "") < ($1.key ?? "") }) {
                rows.append(AttributionRow(dimension: dimension, element: value, baselineCount: t.0, baselineSum: t.1,
                                           currentCount: t.2, currentSum: t.3))
            }
        }
        let whole = totals.first?.values.reduce((0, 0.0, 0, 0.0)) { ($0.0 + $1.0, $0.1 + $1.1, $0.2 + $1.2, $0.3 + $1.3) } ?? (0, 0, 0, 0)
        guard whole.0 > 0, whole.2 > 0 else {
            throw InvestigateError("`\(signal.name)` is known for \(whole.0) traces of the baseline and \(whole.2) of the current slice: both need some")
        }
        let measure: AttributionMeasure = signal.kind == .boolean ? .rate : .mean
        let adtributor = Adtributor.explain(rows, measure: measure, elementThreshold: thresholds.element,
                                            setThreshold: thresholds.set, top: thresholds.top)
        let membership = Cause.Membership(dimensions: dimensions, combinations: combinations.map {
            ($0.values, $0.totals.baselineCount, $0.totals.currentCount)
        })
        var causes = Cause.rank(adtributor.dimensions.compactMap(\.candidate), membership: membership)
        for i in causes.indices {
            let dimension = scanned.first { $0.name == causes[i].dimension } ?? .column(causes[i].dimension)
            causes[i].evidence = try evidence(database: database, signal: signal, dimension: dimension,
                                              values: causes[i].values, adtributor: adtributor, current: conditions[1],
                                              limit: evidencePerCause)
        }
        return Explanation(signal: signal, baseline: slices.baseline.text, current: slices.current.text,
                           baselineValue: whole.1 / Double(whole.0), currentValue: whole.3 / Double(whole.2),
                           baselineCount: whole.0, currentCount: whole.2, adtributor: adtributor, causes: causes,
                           mix: DimensionMix.compare(rows, measure: measure),
                           slices: signal.kind == .boolean ? SliceProportionTest.compute(rows) : [],
                           elapsedMs: Date().timeIntervalSince(started) * 1000)
    }

    /// Traces of the current slice under a cause's values — or, when those values left the
    /// current slice, under the values that replaced them.
    static func evidence(database: Database, signal: Signal, dimension: ScanDimension, values: [String], adtributor: Adtributor,
                         current: Condition, limit: Int) throws -> Evidence {
        var shown = values
        if let analysed = adtributor.dimensions.first(where: { $0.name == dimension.name }),
           !analysed.elements.contains(where: { values.contains($0.name) && $0.actualCount > 0 }) {
            shown = analysed.elements.filter { $0.actualCount > 0 && !values.contains($0.name) }.map(\.name)
        }
        let stored = shown.filter { $0 != AttributionRow.missingElement }
        let query = SignalScan.evidence(signal, dimension: dimension, elements: stored,
                                        includesNull: shown.contains(AttributionRow.missingElement), current: current, limit: limit)
        return Evidence(values: shown, traceIds: try database.query(query.sql, query.parameters).rows.compactMap { $0.first?.stringValue })
    }
}
