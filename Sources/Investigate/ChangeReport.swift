import Analysis
import Foundation
import Query
import Store

/// `changes SIGNAL [every DURATION] [by DIM] [where EXPR] [penalty X]`: change points of the
/// signal bucketed in time (docs/investigate.md; methods in docs/statistics.md).
///
/// Each series is the signal's mean per bucket (a rate for true/false signals), buckets without
/// traces left out. PELT (L2 cost, min size 2, jump 1) finds the change points with the penalty
/// given or the default `3·σ̂²·ln n`; binary segmentation's best single split is shown beside it
/// as a cross-check.
public struct ChangeReport: Sendable {
    public var signal: Signal
    public var bucketNs: Int64
    public var condition: String?
    public var dimension: String?
    public var series: [Series]
    public var elapsedMs: Double

    public struct Series: Sendable {
        /// The dimension's value (nil: the whole slice, or traces without the dimension).
        public var value: String?
        public var bucketStarts: [Int64]
        public var values: [Double]
        public var counts: [Int]
        public var pelt: Segmentation?
        /// Binary segmentation's best single split.
        public var split: Segmentation?
        /// Why there is no segmentation (too few buckets …).
        public var problem: String?

        /// Bucket starts (Unix ns) at which each PELT change begins.
        public var onsets: [Int64] { pelt.map { $0.onsets(bucketStarts: bucketStarts) } ?? [] }
    }

    /// At most this many values of a `by` dimension, by traffic.
    public static let maximumSeries = 8

    public static func compute(database: Database, queries: QueryEngine, signal: Signal, every bucketNs: Int64,
                               condition: QuerySource?, by dimension: String?, penalty: Double?) throws -> ChangeReport {
        let started = Date()
        guard signal.kind != .categorical else {
            throw InvestigateError("`changes` follows a numeric or true/false signal; `\(signal.name)` is a label")
        }
        guard bucketNs > 0 else { throw InvestigateError("the bucket must be longer than zero") }
        if let dimension { _ = try queries.dimensionColumn(dimension) }
        let slice = try condition.map { try queries.condition($0) } ?? .all
        let scan = SignalScan.series(signal, every: bucketNs, in: slice, by: dimension)
        let statement = try database.prepare(scan.sql)
        try statement.bind(scan.parameters)
        var byValue: [String?: Series] = [:]
        var traffic: [String?: Int] = [:]
        let offset: Int32 = dimension == nil ? 0 : 1
        while try statement.step() {
            let value = dimension == nil ? nil : statement.text(at: 1)
            let count = Int(statement.int64(at: 2 + offset) ?? 0)
            var series = byValue[value] ?? Series(value: value, bucketStarts: [], values: [], counts: [])
            series.bucketStarts.append(statement.int64(at: 0) ?? 0)
            series.values.append(statement.double(at: 1 + offset) ?? 0)
            series.counts.append(count)
            byValue[value] = series
            traffic[value, default: 0] += count
        }
        let chosen = byValue.keys.sorted { (traffic[$0] ?? 0, $1 ?? "") > (traffic[$1] ?? 0, $0 ?? "") }.prefix(maximumSeries)
        var report = ChangeReport(signal: signal, bucketNs: bucketNs, condition: condition?.text, dimension: dimension,
                                  series: [], elapsedMs: 0)
        for key in chosen {
            guard var series = byValue[key] else { continue }
            do {
                series.pelt = try ChangePoints.pelt(series.values, penalty: penalty)
                series.split = try ChangePoints.binarySegmentation(series.values, changes: 1)
            } catch {
                series.problem = "\(error)"
            }
            report.series.append(series)
        }
        report.elapsedMs = Date().timeIntervalSince(started) * 1000
        return report
    }

    /// `90s`, `30m`, `1h`, `1d`, `1w`, `500ms` as nanoseconds.
    public static func duration(_ text: String) -> Int64? {
        let units: [(String, Int64)] = [("ms", 1_000_000), ("s", 1_000_000_000), ("m", 60_000_000_000), ("h", 3_600_000_000_000),
                                        ("d", 86_400_000_000_000), ("w", 604_800_000_000_000)]
        for (unit, size) in units where text.hasSuffix(unit) {
            guard let n = Int64(text.dropLast(unit.count)), n > 0 else { return nil }
            let (product, overflow) = n.multipliedReportingOverflow(by: size)
            return overflow ? nil : product
        }
        return nil
    }
}
