import Analysis
import Foundation
import Store

/// `replay TRACE_ID [across DIM]`: every stored answer to the same input (same `input_hash`),
/// grouped by each value of a dimension, beside the trace's own (docs/replay.md).
public struct ReplayAcross: Sendable {
    /// The trace asked about.
    public var trace: TraceRow
    /// Traces with the same input (the trace included).
    public var traces: Int
    /// One comparison per dimension: the one asked for, or each version dimension whose value
    /// varies among these traces.
    public var dimensions: [Dimension]

    public struct Dimension: Sendable {
        public var name: String
        public var groups: [Group]
    }

    /// The traces under one value of the dimension.
    public struct Group: Sendable {
        /// The value (nil: the dimension is not set on those traces).
        public var value: String?
        public var traces: Int
        /// Whether the trace asked about is under this value.
        public var isOwn: Bool
        /// The latest trace under this value (the trace itself for its own value).
        public var latest: TraceRow
        public var refusedRate: Double
        public var errorRate: Double
        public var meanLatencyMs: Double
        public var meanOutputTokens: Double
        public var meanCostUsd: Double
        /// The latest output against the trace's own output, word by word.
        public var words: WordDiff
        /// How many of this group's traces answered exactly as the trace did.
        public var sameOutput: Int
    }

    /// Dimensions `across` accepts: the version dimensions and the request's other facets.
    public static let dimensionNames = Database.versionDimensions + ["intent", "service", "finish_reason", "user_id", "session_id", "replay_run"]

    public static func compute(database: Database, traceId: String, across dimension: String?) throws -> ReplayAcross {
        guard let own = try database.traceRow(id: traceId) else {
            throw ReplayError("trace \(traceId) has spans but no summary row (see `show \(traceId)`)")
        }
        if let dimension, !dimensionNames.contains(dimension) {
            let hint = Suggest.closest(to: dimension, in: dimensionNames).map { "; did you mean `\($0)`?" } ?? ""
            throw ReplayError("cannot replay across `\(dimension)`\(hint)")
        }
        guard let hash = own.text("input_hash") else {
            throw ReplayError("trace \(traceId) has no input, so no other answers to it can be found")
        }
        let rows = try database.traces(withInputHash: hash)
        let names = dimension.map { [$0] } ?? Database.versionDimensions.filter { name in
            Set(rows.map { $0.text(name) ?? "" }).count > 1
        }
        let ownOutput = own.text("output") ?? ""
        let dimensions = names.map { name -> Dimension in
            var byValue: [String?: [TraceRow]] = [:]
            for row in rows { byValue[row.text(name), default: []].append(row) }
            let ownValue = own.text(name)
            let groups = byValue.map { value, members -> Group in
                let isOwn = value == ownValue
                let latest = isOwn ? own : members.max { ($0.startNs, $0.traceId) < ($1.startNs, $1.traceId) }!
                func mean(_ column: String) -> Double {
                    members.reduce(0) { $0 + ($1[column].doubleValue ?? 0) } / Double(members.count)
                }
                return Group(value: value, traces: members.count, isOwn: isOwn, latest: latest,
                             refusedRate: mean("refused"), errorRate: mean("error"), meanLatencyMs: mean("latency_ms"),
                             meanOutputTokens: mean("output_tokens"), meanCostUsd: mean("cost_usd"),
                             words: WordDiff.compute(old: ownOutput, new: latest.text("output") ?? ""),
                             sameOutput: members.filter { ($0.text("output") ?? "") == ownOutput }.count)
            }
            // The trace's own value first, then by traffic, then by value.
            let ordered = groups.sorted {
                if $0.isOwn != $1.isOwn { return $0.isOwn }
                if $0.traces != $1.traces { return $0.traces > $1.traces }
                return ($0.value ?? "") < ($1.value ?? "")
            }
            return Dimension(name: name, groups: ordered)
        }
        return ReplayAcross(trace: own, traces: rows.count, dimensions: dimensions)
    }
}
