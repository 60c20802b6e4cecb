import Store

/// The per-trace signals of DESIGN.md's vocabulary, as the analysis commands (`drift`,
/// `changes`, `explain`) read them from `traces`: a name, a kind, and the SQL that yields it.
public struct Signal: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// A measurement (latency, cost, tokens, scores).
        case numeric
        /// 0/1 per trace (refused, error …): compared as rates.
        case boolean
        /// A label (finish reason, model): compared as distributions.
        case categorical
    }

    public var name: String
    public var kind: Kind
    /// The SQL over `traces` (a column, or `tool_errors > 0` for `tool_error`).
    var sql: String

    public static let all: [Signal] = [
        Signal(name: "latency_ms", kind: .numeric, sql: "latency_ms"),
        Signal(name: "cost_usd", kind: .numeric, sql: "cost_usd"),
        Signal(name: "input_tokens", kind: .numeric, sql: "input_tokens"),
        Signal(name: "output_tokens", kind: .numeric, sql: "output_tokens"),
        Signal(name: "retrieval_top_score", kind: .numeric, sql: "retrieval_top_score"),
        Signal(name: "feedback", kind: .numeric, sql: "feedback"),
        Signal(name: "tool_errors", kind: .numeric, sql: "tool_errors"),
        Signal(name: "refused", kind: .boolean, sql: "refused"),
        Signal(name: "safety_flagged", kind: .boolean, sql: "safety_flagged"),
        Signal(name: "error", kind: .boolean, sql: "error"),
        Signal(name: "tool_error", kind: .boolean, sql: "(tool_errors > 0)"),
        Signal(name: "retrieval_empty", kind: .boolean, sql: "retrieval_empty"),
        Signal(name: "finish_reason", kind: .categorical, sql: "finish_reason"),
    ]

    public static func named(_ name: String) -> Signal? { all.first { $0.name == name } }

    /// The prefix of a score signal's name: `score.helpfulness`.
    public static let scorePrefix = "score."

    /// The signals of a review rubric (docs/review.md): `score.NAME` per criterion, the trace's
    /// latest score (any reviewer). A scale is numeric; two labels are a rate of the first
    /// (`values: [yes, no]` → the share of `yes`); more labels are categorical.
    public static func scores(of rubric: Rubric) -> [Signal] {
        rubric.criteria.map { criterion in
            let name = scorePrefix + criterion.name
            switch criterion.kind {
            case .scale:
                return Signal(name: name, kind: .numeric, sql: latestScore("value", of: criterion.name))
            case .values(let labels) where labels.count == 2:
                return Signal(name: name, kind: .boolean, sql: "(\(latestScore("label", of: criterion.name)) = \(literal(labels[0])))")
            case .values:
                return Signal(name: name, kind: .categorical, sql: latestScore("label", of: criterion.name))
            }
        }
    }

    /// The column of the trace's latest `scores` row for the criterion: a correlated subquery
    /// answered from the `scores_latest` index (the last entry of the trace and criterion),
    /// asked only of traces whose rowid is among the scored ones — a set SQLite builds once per
    /// statement — so that the million unscored traces of a scan cost an integer lookup each
    /// rather than a probe by their text ids (3× faster on the 1M store). The criterion is a
    /// literal because a signal's SQL is spliced into statements whose placeholders belong to
    /// their conditions; rubric names are identifiers (relops.yaml checks them), and the literal
    /// is quoted all the same.
    static func latestScore(_ column: String, of criterion: String) -> String {
        let name = literal(criterion)
        return """
            (CASE WHEN traces.rowid IN (SELECT t.rowid FROM scores AS s JOIN traces AS t ON t.trace_id = s.trace_id \
            WHERE s.criterion = \(name)) THEN (SELECT sc.\(column) FROM scores AS sc \
            WHERE sc.trace_id = traces.trace_id AND sc.criterion = \(name) ORDER BY sc.scored_at DESC, sc.rowid DESC LIMIT 1) END)
            """
    }

    static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}

/// A dimension the analysis commands group traces by: its name as shown, and the SQL over
/// `traces` that yields its value as text.
public struct ScanDimension: Sendable, Equatable {
    public var name: String
    var sql: String

    /// A text column of `traces` (`column` as stored; `name` as the user wrote it).
    public static func column(_ column: String, name: String? = nil) -> ScanDimension {
        ScanDimension(name: name ?? column, sql: SQLCompiler.quote(column))
    }

    /// A span attribute as a dimension of the trace: its value, as text, on the earliest span of
    /// the trace that carries it. A lookup of the trace's spans per trace: far slower than a column.
    public static func attribute(_ key: String) -> ScanDimension {
        let path = "$.\"" + key.replacingOccurrences(of: "\"", with: "\\\"") + "\""
        let literal = "'" + path.replacingOccurrences(of: "'", with: "''") + "'"
        let keyLiteral = "'" + key.replacingOccurrences(of: "'", with: "''") + "'"
        let value = Schema.attributeSQL(row: "s", path: literal, key: keyLiteral)
        return ScanDimension(name: "attr.\"\(key)\"", sql: """
            (SELECT CAST(\(value) AS TEXT) FROM span_rows AS s
             WHERE s.trace_id = traces.trace_id AND \(value) IS NOT NULL ORDER BY s.start_ns LIMIT 1)
            """)
    }
}

/// SQL the analysis commands run over `traces`. Conditions come from `QueryEngine.conditions`
/// and are bound first.
public enum SignalScan {
    /// Every row of either slice with the signals' values: one scan for all signals and both
    /// slices. Columns: in baseline (0/1), in current (0/1), then each signal (NULL where
    /// unknown), then, with `dimension` (a store column from `QueryEngine.textField`), its value.
    /// Both conditions must come from one `QueryEngine.conditions` call.
    public static func samples(_ signals: [Signal], baseline: Condition, current: Condition, by dimension: String? = nil) -> CompiledQuery {
        let columns = signals.map(\.sql) + (dimension.map { [SQLCompiler.quote($0)] } ?? [])
        return CompiledQuery(sql: """
            SELECT (\(baseline.sql)), (\(current.sql)), \(columns.joined(separator: ", "))
            FROM traces WHERE (\(baseline.sql)) OR (\(current.sql))
            """, parameters: baseline.parameters)
    }

    /// The signal's mean (a rate for 0/1 signals) and count per time bucket of `bucketNs`
    /// nanoseconds (aligned to the Unix epoch, UTC), oldest first; with `dimension`, per value of
    /// it too. Columns: bucket start (ns), [dimension,] mean, count.
    public static func series(_ signal: Signal, every bucketNs: Int64, in slice: Condition, by dimension: String? = nil) -> CompiledQuery {
        let k = slice.parameters.count
        let group = dimension.map { ", " + SQLCompiler.quote($0) } ?? ""
        let keys = dimension == nil ? "1" : "1, 2"
        return CompiledQuery(sql: """
            SELECT (start_ns / ?\(k + 1)) * ?\(k + 1)\(group), avg(\(signal.sql)), count(\(signal.sql))
            FROM traces WHERE (\(slice.sql)) AND \(signal.sql) IS NOT NULL GROUP BY \(keys) ORDER BY \(keys)
            """, parameters: slice.parameters + [.integer(bucketNs)])
    }

    /// Several signals' means per time bucket in one scan (`report`'s incidents): the bucket's
    /// start, then each signal's mean (a rate for 0/1 signals), NULL where no trace of the bucket
    /// knows it — per signal the series `series(_:every:in:)` gives.
    public static func series(_ signals: [Signal], every bucketNs: Int64, in slice: Condition) -> CompiledQuery {
        let k = slice.parameters.count
        let means = signals.map { "avg(\($0.sql))" }.joined(separator: ", ")
        return CompiledQuery(sql: """
            SELECT (start_ns / ?\(k + 1)) * ?\(k + 1), \(means.isEmpty ? "NULL" : means)
            FROM traces WHERE (\(slice.sql)) GROUP BY 1 ORDER BY 1
            """, parameters: slice.parameters + [.integer(bucketNs)])
    }

    /// Every trace of either slice with the signal known, as numbers: a fingerprint of its
    /// combination of the `dimensions`' values, its rowid, whether it is in the baseline and in
    /// the current slice, and the signal. `explain` adds the combinations up in memory — a
    /// GROUP BY over fifteen text columns would sort every row. Both conditions must come from
    /// one `QueryEngine.conditions` call (shared placeholders).
    public static func combinations(_ signal: Signal, of dimensions: [ScanDimension], baseline: Condition, current: Condition) -> CompiledQuery {
        // The tuple form hashes each value (NULL a value of its own) without concatenating them.
        let key = (dimensions.count == 1 ? ["NULL"] : []) + dimensions.map(\.sql)
        return CompiledQuery(sql: """
            SELECT relops_fingerprint(\(key.joined(separator: ", "))), rowid, (\(baseline.sql)), (\(current.sql)), \(signal.sql)
            FROM traces WHERE ((\(baseline.sql)) OR (\(current.sql))) AND \(signal.sql) IS NOT NULL
            """, parameters: baseline.parameters)
    }

    /// The `dimensions`' values of the trace with this rowid.
    public static func dimensionValues(_ dimensions: [ScanDimension]) -> String {
        "SELECT \(dimensions.map(\.sql).joined(separator: ", ")) FROM traces WHERE rowid = ?"
    }

    /// Up to `limit` traces of the current slice under one of `elements` of `dimension` (NULL
    /// when `includesNull`), those that show the signal first (refused, or the highest
    /// values), newest first: evidence to `show` and `pin`.
    public static func evidence(_ signal: Signal, dimension: ScanDimension, elements: [String], includesNull: Bool,
                                current: Condition, limit: Int) -> CompiledQuery {
        let k = current.parameters.count
        let d = dimension.sql
        var alternatives: [String] = []
        if !elements.isEmpty {
            alternatives.append("\(d) IN (" + elements.indices.map { "?\(k + 1 + $0)" }.joined(separator: ", ") + ")")
        }
        if includesNull { alternatives.append("\(d) IS NULL") }
        let membership = alternatives.isEmpty ? "0" : alternatives.joined(separator: " OR ")
        return CompiledQuery(sql: """
            SELECT trace_id FROM traces WHERE (\(current.sql)) AND (\(membership)) AND \(signal.sql) IS NOT NULL
            ORDER BY \(signal.sql) DESC, start_ns DESC LIMIT \(max(0, limit))
            """, parameters: current.parameters + elements.map(SQLValue.text))
    }
}
