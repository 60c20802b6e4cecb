/// Reading one trace whole: its `traces` row, every span with its original attributes, events,
/// scope and resource, and its OTLP log records. `show` draws it; replay reads the prompt from it.
///
/// Every read goes through an index (`traces_id`, `spans_ids`, `logs_ids`), so one trace costs
/// the same in a store of a thousand traces or of millions.
extension Database {
    /// The shortest id prefix `resolveTraceID` looks up (git's abbreviations start at 4 too):
    /// shorter ones match too much to mean one trace.
    public static let minimumTraceIDPrefix = 4

    /// The trace whose id starts with `prefix` (case-insensitive; ids are stored lower-case).
    ///
    /// A shorter prefix than `minimumTraceIDPrefix` is accepted only as a whole id (native files
    /// may use short ids). The lookup is a range over the unique index, `trace_id >= prefix AND
    /// trace_id < prefix⁺` (the prefix with its last character incremented), which SQLite
    /// answers from the index alone; `LIKE` would scan. Traces that have spans but no `traces`
    /// row (a summary could not be made) are found through `spans_ids`.
    public func resolveTraceID(prefix raw: String, candidates limit: Int = 5) throws(StoreError) -> TraceIDMatch {
        let prefix = raw.trimmingCharacters(in: .whitespaces).lowercased()
        guard !prefix.isEmpty else { return .malformed("a trace id or a prefix of one is needed") }
        if prefix.count < Self.minimumTraceIDPrefix {
            let exact = try scalar("SELECT trace_id FROM traces WHERE trace_id = ?", [.text(prefix)])
            if let id = exact.stringValue { return .unique(id) }
            return .malformed("`\(raw)` is too short: give at least \(Self.minimumTraceIDPrefix) characters of the trace id")
        }
        let bounds: [SQLValue] = [.text(prefix), .text(Self.upperBound(ofPrefix: prefix))]
        var found = try matches(sql: Self.traceIDRangeSQL, countSQL: Self.traceIDCountSQL, bounds, limit: limit)
        if found.count == 0 {
            found = try matches(sql: Self.spanTraceIDRangeSQL, countSQL: Self.spanTraceIDCountSQL, bounds, limit: limit)
        }
        switch found.count {
        case 0: return .none
        case 1: return .unique(found.candidates[0].traceId)
        default: return .ambiguous(count: found.count, candidates: found.candidates)
        }
    }

    /// Ids in `[prefix, prefix⁺)` of `traces`, in index order, with their start times.
    static let traceIDRangeSQL = "SELECT trace_id, ts FROM traces WHERE trace_id >= ? AND trace_id < ? ORDER BY trace_id LIMIT ?"
    static let traceIDCountSQL = "SELECT count(*) FROM traces WHERE trace_id >= ? AND trace_id < ?"
    /// The same over `spans` (traces without a summary row): one row per trace id.
    static let spanTraceIDRangeSQL = """
        SELECT trace_id, min(start_ns) FROM spans WHERE trace_id >= ? AND trace_id < ?
        GROUP BY trace_id ORDER BY trace_id LIMIT ?
        """
    static let spanTraceIDCountSQL = "SELECT count(DISTINCT trace_id) FROM spans WHERE trace_id >= ? AND trace_id < ?"

    private func matches(sql: String, countSQL: String, _ bounds: [SQLValue], limit: Int) throws(StoreError)
        -> (count: Int, candidates: [TraceCandidate]) {
        let rows = try query(sql, bounds + [.integer(Int64(max(1, limit)))])
        guard !rows.rows.isEmpty else { return (0, []) }
        let candidates = rows.rows.map { row -> TraceCandidate in
            let ts: String?
            switch row[1] {
            case .integer(let ns): ts = Timestamp.iso8601(nanoseconds: ns)
            case .text(let text): ts = text
            default: ts = nil
            }
            return TraceCandidate(traceId: row[0].stringValue ?? "", ts: ts)
        }
        let count = candidates.count < limit ? candidates.count : Int(try scalar(countSQL, bounds).int64Value ?? 0)
        return (count, candidates)
    }

    /// The smallest text above every text that starts with `prefix`: the prefix with its last
    /// character's scalar incremented (`"4bf9"` → `"4bfa"`).
    static func upperBound(ofPrefix prefix: String) -> String {
        var scalars = Array(prefix.unicodeScalars)
        while let last = scalars.popLast() {
            var next = last.value + 1
            if (0xD800...0xDFFF).contains(next) { next = 0xE000 }
            if let scalar = Unicode.Scalar(next) {
                scalars.append(scalar)
                var out = String.UnicodeScalarView()
                out.append(contentsOf: scalars)
                return String(out)
            }
        }
        return prefix + "\u{10FFFF}"
    }

    /// The `traces` row of one trace (by its whole id), or nil.
    public func traceRow(id: String) throws(StoreError) -> TraceRow? {
        let statement = try prepare("SELECT * FROM traces WHERE trace_id = ?")
        try statement.bind([.text(id)])
        guard try statement.step() else { return nil }
        let names = statement.columnNames
        var columns: [(name: String, value: SQLValue)] = []
        for (i, name) in names.enumerated() { columns.append((name, statement.value(at: Int32(i)))) }
        return TraceRow(columns: columns)
    }

    /// Every span of one trace with all its columns, its resource's attributes, ordered by start
    /// time (then span id, so equal starts keep one order).
    public func traceSpans(id: String) throws(StoreError) -> [TraceSpanRow] {
        let facts = SpanFacts.columns.map { "s.\"\($0)\"" }.joined(separator: ", ")
        let statement = try prepare("""
            SELECT s.trace_id, s.span_id, s.parent_span_id, s.kind, s.name, s.start_ns, s.end_ns, s.duration_ms,
                   s.status, s.status_message, s.attrs, s.events, s.scope, s.resource_id, r.attrs, s.load_id, s.line,
                   \(facts)
            FROM spans s LEFT JOIN resources r ON r.resource_id = s.resource_id
            WHERE s.trace_id = ? ORDER BY s.start_ns, s.span_id
            """)
        try statement.bind([.text(id)])
        var spans: [TraceSpanRow] = []
        while try statement.step() {
            spans.append(TraceSpanRow(
                traceId: statement.text(at: 0) ?? id, spanId: statement.text(at: 1) ?? "",
                parentSpanId: statement.text(at: 2), kind: statement.text(at: 3) ?? "other", name: statement.text(at: 4) ?? "",
                startNs: statement.int64(at: 5) ?? 0, endNs: statement.int64(at: 6) ?? 0,
                durationMs: statement.double(at: 7) ?? 0, status: statement.text(at: 8) ?? "unset",
                statusMessage: statement.text(at: 9), attributes: statement.text(at: 10) ?? "{}",
                events: statement.text(at: 11), scope: statement.text(at: 12), resourceId: statement.int64(at: 13),
                resourceAttributes: statement.text(at: 14), loadId: statement.int64(at: 15) ?? 0,
                line: statement.int64(at: 16) ?? 0, facts: SpanFacts(reading: statement, from: 17),
                factColumns: SpanFacts.columns.enumerated().map { ($1, statement.value(at: Int32(17 + $0))) }))
        }
        return spans
    }

    /// The trace's OTLP log records (older GenAI conventions keep message content there), in
    /// time order; `spanId` joins each to its span.
    public func traceLogs(id: String) throws(StoreError) -> [LogRecord] {
        let statement = try prepare("""
            SELECT trace_id, span_id, time_ns, event_name, severity, body, attrs, line
            FROM logs WHERE trace_id = ? ORDER BY time_ns, rowid
            """)
        try statement.bind([.text(id)])
        var logs: [LogRecord] = []
        while try statement.step() {
            logs.append(LogRecord(traceId: statement.text(at: 0), spanId: statement.text(at: 1), timeNs: statement.int64(at: 2),
                                  eventName: statement.text(at: 3), severity: statement.text(at: 4), body: statement.text(at: 5),
                                  attributes: statement.text(at: 6) ?? "{}", resource: nil, line: statement.int64(at: 7) ?? 0))
        }
        return logs
    }
}

/// What an id prefix names.
public enum TraceIDMatch: Sendable, Equatable {
    /// Exactly one trace: its whole id.
    case unique(String)
    /// No trace id starts with the prefix.
    case none
    /// Several do: how many, and the first few (in id order) with their start times.
    case ambiguous(count: Int, candidates: [TraceCandidate])
    /// The text cannot name a trace (empty, or too short), and why.
    case malformed(String)
}

/// One trace an ambiguous prefix matched.
public struct TraceCandidate: Sendable, Equatable {
    public var traceId: String
    /// Its start, RFC 3339.
    public var ts: String?

    public init(traceId: String, ts: String?) {
        self.traceId = traceId
        self.ts = ts
    }
}

/// A `traces` row as read: every column by name, in table order, so columns a later schema
/// adds appear without a change here.
public struct TraceRow: Sendable {
    public var columns: [(name: String, value: SQLValue)]

    public init(columns: [(name: String, value: SQLValue)]) {
        self.columns = columns
    }

    public subscript(name: String) -> SQLValue {
        columns.first { $0.name == name }?.value ?? .null
    }

    public var traceId: String { self["trace_id"].stringValue ?? "" }
    public var ts: String? { self["ts"].stringValue }
    public var startNs: Int64 { self["start_ns"].int64Value ?? 0 }
    public var endNs: Int64 { self["end_ns"].int64Value ?? 0 }
    public var latencyMs: Double { self["latency_ms"].doubleValue ?? 0 }

    /// A column as text (numbers printed), nil when null.
    public func text(_ name: String) -> String? { self[name].stringValue }
    /// A 0/1 column as a flag, nil when null.
    public func flag(_ name: String) -> Bool? { self[name].int64Value.map { $0 != 0 } }
}

/// One row of `spans`, every column, with the attributes of its resource (OTLP).
public struct TraceSpanRow: Sendable {
    public var traceId: String
    public var spanId: String
    public var parentSpanId: String?
    public var kind: String
    public var name: String
    public var startNs: Int64
    public var endNs: Int64
    public var durationMs: Double
    public var status: String
    public var statusMessage: String?
    /// `spans.attrs`: every original attribute as one JSON object.
    public var attributes: String
    /// `spans.events`: a JSON array, or nil.
    public var events: String?
    public var scope: String?
    public var resourceId: Int64?
    /// `resources.attrs` of the span's resource, a JSON object, or nil (native spans).
    public var resourceAttributes: String?
    /// The load and line the span came from.
    public var loadId: Int64
    public var line: Int64
    /// The canonical columns (model, tokens, versions …).
    public var facts: SpanFacts
    /// The same columns by name as stored (`SpanFacts.columns` order), for output that lists
    /// every column, including ones a later schema adds.
    public var factColumns: [(name: String, value: SQLValue)]

    public init(traceId: String, spanId: String, parentSpanId: String?, kind: String, name: String, startNs: Int64,
                endNs: Int64, durationMs: Double, status: String, statusMessage: String?, attributes: String,
                events: String?, scope: String?, resourceId: Int64?, resourceAttributes: String?, loadId: Int64,
                line: Int64, facts: SpanFacts, factColumns: [(name: String, value: SQLValue)] = []) {
        self.traceId = traceId
        self.spanId = spanId
        self.parentSpanId = parentSpanId
        self.kind = kind
        self.name = name
        self.startNs = startNs
        self.endNs = endNs
        self.durationMs = durationMs
        self.status = status
        self.statusMessage = statusMessage
        self.attributes = attributes
        self.events = events
        self.scope = scope
        self.resourceId = resourceId
        self.resourceAttributes = resourceAttributes
        self.loadId = loadId
        self.line = line
        self.facts = facts
        self.factColumns = factColumns
    }
}
