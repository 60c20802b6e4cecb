import Ingest
import Store

/// One trace as a tree of spans, each with its timing, facts and content: what `show` draws,
/// and where replay finds the final answer's prompt.
///
/// Spans are kept in depth-first order (children by start time) with their depth, so a
/// renderer walks one list. A span whose parent is not in the trace (an exporter dropped it, or
/// it is in a file not loaded yet), or whose parent chain loops, is attached under the root and
/// marked `isOrphan`, so every span is shown exactly once.
public struct TraceTree: Sendable {
    /// One span in its place in the tree.
    public struct Node: Sendable {
        public var spanId: String
        /// As stored (may name a span that is not in the trace: see `isOrphan`).
        public var parentSpanId: String?
        /// 0 for a root; an orphan attached under the root is at depth 1.
        public var depth: Int
        /// The parent is missing or its parent chain loops: attached under the root.
        public var isOrphan: Bool
        /// `root`, `llm`, `tool`, `retrieval`, `embedding`, `agent`, `chain`, `other`.
        public var kind: String
        public var name: String
        /// `ok`, `error`, `unset`.
        public var status: String
        public var statusMessage: String?
        public var errorType: String?
        public var startNs: Int64
        public var endNs: Int64
        /// Start relative to the trace's first span, in milliseconds.
        public var startOffsetMs: Double
        /// `end - start` in milliseconds, from the integer times (Unix nanoseconds are past a
        /// double's exact range, so subtracting them as doubles would add noise).
        public var durationMs: Double
        /// The answering model (else the requested one), the requested one, and the provider.
        public var model: String?
        public var requestModel: String?
        public var provider: String?
        public var inputTokens: Int64?
        public var outputTokens: Int64?
        public var costUsd: Double?
        public var finishReason: String?
        /// The version dimensions the span carries (`prompt_version`, `release` …), in
        /// `Database.versionDimensions` order, without `model` and `provider`.
        public var versions: [(name: String, value: String)]
        /// Every canonical fact of the span (`spans` columns), typed and by column name.
        public var facts: SpanFacts
        public var factColumns: [(name: String, value: SQLValue)]
        /// Messages, output, tool calls, documents.
        public var content: SpanContent
        /// The span's original attributes, in source order.
        public var attributes: [(String, JSON)]
        /// Span events (`[{"name", "time_unix_nano", "attributes"}]`), if any.
        public var events: JSON?
        public var scope: String?
        /// Index into `TraceTree.resources`, nil for spans without a resource (native files).
        public var resourceIndex: Int?
        /// The log records joined to this span (older GenAI message events).
        public var logs: [LogRecord]
        /// Where the span came from: the load and the line of its file.
        public var loadId: Int64
        public var line: Int64
        /// The trace's final answer (docs/schema.md): the span replay re-runs.
        public var isFinalAnswer: Bool
    }

    public var traceId: String
    /// The `traces` row (every column); synthesised from the spans' extent when the trace has
    /// no row (`hasSummaryRow` false).
    public var summary: TraceRow
    public var hasSummaryRow: Bool
    /// Depth first, children in start order.
    public var spans: [Node]
    /// The distinct resources (OTLP: the processes) of the trace's spans, as attribute lists.
    public var resources: [[(String, JSON)]]
    /// Log records of the trace not joined to any of its spans.
    public var unattachedLogs: [LogRecord]
    /// The extent of the spans (Unix ns): the waterfall's scale.
    public var startNs: Int64
    public var endNs: Int64
    /// Render every span's attributes and the resources (`show ID attributes`); JSON always has them.
    public var showsAttributes = false

    /// The final answer's span (replay sends its prompt again), if the trace has an LLM span.
    public var finalAnswer: Node? { spans.first { $0.isFinalAnswer } }

    /// Reads the trace a prefix of its id names (git-style: any unique prefix of 4 or more
    /// characters, case-insensitive).
    public static func load(database: Database, idPrefix: String) throws -> TraceTree {
        let id = try resolve(database: database, idPrefix: idPrefix)
        return TraceTree(traceId: id, row: try database.traceRow(id: id), spans: try database.traceSpans(id: id),
                         logs: try database.traceLogs(id: id))
    }

    /// The whole trace id a prefix names, or a `TraceLookupError` saying why there is none.
    public static func resolve(database: Database, idPrefix: String) throws -> String {
        switch try database.resolveTraceID(prefix: idPrefix) {
        case .unique(let id): return id
        case .none: throw TraceLookupError(prefix: idPrefix, reason: .notFound)
        case .ambiguous(let count, let candidates): throw TraceLookupError(prefix: idPrefix, reason: .ambiguous(count: count, candidates: candidates))
        case .malformed(let why): throw TraceLookupError(prefix: idPrefix, reason: .malformed(why))
        }
    }

    /// Builds the tree from the store's rows (spans in any order).
    public init(traceId: String, row: TraceRow?, spans rows: [TraceSpanRow], logs: [LogRecord]) {
        self.traceId = traceId
        let rows = rows.sorted { ($0.startNs, $0.spanId) < ($1.startNs, $1.spanId) }
        startNs = rows.map(\.startNs).min() ?? row?.startNs ?? 0
        endNs = max(rows.map(\.endNs).max() ?? row?.endNs ?? 0, startNs)
        hasSummaryRow = row != nil
        summary = row ?? TraceRow(columns: [
            ("trace_id", .text(traceId)), ("ts", .text(Timestamp.iso8601(nanoseconds: startNs))),
            ("start_ns", .integer(startNs)), ("end_ns", .integer(endNs)),
            ("latency_ms", .real(Double(endNs - startNs) / 1e6)), ("spans", .integer(Int64(rows.count))),
        ])

        // Resources: one entry per distinct resource id.
        var resourceIndex: [Int64: Int] = [:]
        var resources: [[(String, JSON)]] = []
        for span in rows {
            guard let id = span.resourceId, resourceIndex[id] == nil else { continue }
            resourceIndex[id] = resources.count
            resources.append(span.resourceAttributes.flatMap { try? JSONParser.parse($0) }?.object ?? [])
        }
        self.resources = resources

        var logsBySpan: [String: [LogRecord]] = [:]
        let spanIds = Set(rows.map(\.spanId))
        var unattached: [LogRecord] = []
        for log in logs {
            if let id = log.spanId, spanIds.contains(id) { logsBySpan[id, default: []].append(log) } else { unattached.append(log) }
        }
        unattachedLogs = unattached

        let order = Self.treeOrder(rows)
        let final = Self.finalAnswerIndex(rows)
        let start = startNs
        var nodes = order.map { place -> Node in
            let span = rows[place.index]
            let attributes = (try? JSONParser.parse(span.attributes))?.object ?? []
            let events = span.events.flatMap { try? JSONParser.parse($0) }
            let spanLogs = logsBySpan[span.spanId] ?? []
            let content = SpanContent.extract(attributes: attributes, events: events, logs: spanLogs,
                                              kind: SpanKind(rawValue: span.kind) ?? .other)
            let f = span.facts
            return Node(
                spanId: span.spanId, parentSpanId: span.parentSpanId, depth: place.depth, isOrphan: place.isOrphan,
                kind: span.kind, name: span.name, status: span.status, statusMessage: span.statusMessage,
                errorType: f.errorType, startNs: span.startNs, endNs: span.endNs,
                startOffsetMs: Double(span.startNs - start) / 1e6, durationMs: Double(span.endNs - span.startNs) / 1e6,
                model: f.model ?? f.requestModel, requestModel: f.requestModel, provider: f.provider,
                inputTokens: f.inputTokens, outputTokens: f.outputTokens, costUsd: f.costUsd, finishReason: f.finishReason,
                versions: Self.versions(of: f), facts: f, factColumns: span.factColumns, content: content, attributes: attributes, events: events,
                scope: span.scope, resourceIndex: span.resourceId.flatMap { resourceIndex[$0] }, logs: spanLogs,
                loadId: span.loadId, line: span.line, isFinalAnswer: place.index == final)
        }
        Self.linkToolCalls(&nodes)
        self.spans = nodes
    }

    // MARK: - tree shape

    /// A span's place: its index in the rows, depth, and whether it was attached as an orphan.
    struct Place {
        var index: Int
        var depth: Int
        var isOrphan: Bool
    }

    /// Depth-first order over the rows (sorted by start): roots first (the earliest parentless
    /// span is the root), children by start time; orphans and spans on a parent loop under the
    /// root, or at the top when there is no root.
    static func treeOrder(_ rows: [TraceSpanRow]) -> [Place] {
        var byId: [String: Int] = [:]
        for (i, span) in rows.enumerated() where byId[span.spanId] == nil { byId[span.spanId] = i }
        func hasNoParent(_ span: TraceSpanRow) -> Bool { (span.parentSpanId ?? "").isEmpty }
        var parent = rows.enumerated().map { i, span -> Int? in
            guard !hasNoParent(span), let p = byId[span.parentSpanId ?? ""], p != i else { return nil }
            return p
        }
        // Break loops in parent chains: the span at which a walk comes back loses its parent.
        var settled = [Bool](repeating: false, count: rows.count)
        for i in rows.indices where !settled[i] {
            var path: [Int] = []
            var onPath = Set<Int>()
            var current: Int? = i
            while let c = current, !settled[c] {
                if onPath.contains(c) { parent[c] = nil; break }
                onPath.insert(c)
                path.append(c)
                current = parent[c]
            }
            for p in path { settled[p] = true }
        }
        let root = rows.indices.first { hasNoParent(rows[$0]) }
        var orphan = [Bool](repeating: false, count: rows.count)
        for i in rows.indices where parent[i] == nil && !hasNoParent(rows[i]) {
            orphan[i] = true
            parent[i] = root
        }
        var children = [[Int]](repeating: [], count: rows.count)
        var tops: [Int] = []
        for i in rows.indices {
            if let p = parent[i] { children[p].append(i) } else { tops.append(i) }
        }
        // The root first, then any other top-level spans in start order.
        if let root, let at = tops.firstIndex(of: root), at > 0 { tops.remove(at: at); tops.insert(root, at: 0) }
        var order: [Place] = []
        order.reserveCapacity(rows.count)
        var stack: [(Int, Int)] = tops.reversed().map { ($0, 0) }
        while let (i, depth) = stack.popLast() {
            order.append(Place(index: i, depth: depth, isOrphan: orphan[i]))
            for child in children[i].reversed() { stack.append((child, depth + 1)) }
        }
        return order
    }

    /// The final answer by the trace row's rule (docs/schema.md): the last successful LLM span by
    /// end time that is not a tool-call step; else the last such call attempted; else the last LLM span.
    static func finalAnswerIndex(_ rows: [TraceSpanRow]) -> Int? {
        var answer: Int?, attempt: Int?, last: Int?
        func later(_ i: Int, than other: Int?) -> Bool {
            other.map { (rows[i].endNs, rows[i].startNs) >= (rows[$0].endNs, rows[$0].startNs) } ?? true
        }
        for (i, span) in rows.enumerated() where span.kind == "llm" {
            if later(i, than: last) { last = i }
            guard span.facts.finishReason != "tool_calls" else { continue }
            if later(i, than: attempt) { attempt = i }
            if span.status != "error", later(i, than: answer) { answer = i }
        }
        return answer ?? attempt ?? last
    }

    /// The version dimensions a span carries, without `model` and `provider` (shown apart).
    static func versions(of f: SpanFacts) -> [(name: String, value: String)] {
        let values: [(String, String?)] = [
            ("prompt_id", f.promptId), ("prompt_version", f.promptVersion), ("prompt_hash", f.promptHash),
            ("config_hash", f.configHash), ("index_version", f.indexVersion), ("tool_version", f.toolVersion),
            ("release", f.release), ("environment", f.environment), ("cohort", f.cohort),
            ("service_version", f.serviceVersion),
        ]
        return values.compactMap { name, value in value.map { (name, $0) } }
    }

    /// Fills what a tool span did not record from the rest of the trace, by call id: the older
    /// GenAI conventions put a tool's arguments only in the model's request for it and its result
    /// only in the next prompt. The tool's name falls back to the span's `tool_name`.
    static func linkToolCalls(_ nodes: inout [Node]) {
        var requested: [String: SpanContent.ToolCall] = [:]
        var results: [String: String] = [:]
        for node in nodes {
            for call in node.content.toolCalls + node.content.messages.flatMap(\.toolCalls) where node.kind != "tool" {
                if let id = call.id, requested[id] == nil { requested[id] = call }
            }
            for message in node.content.messages where message.role == "tool" {
                if let id = message.toolCallId, results[id] == nil { results[id] = message.content }
            }
        }
        for i in nodes.indices where nodes[i].kind == "tool" {
            var call = nodes[i].content.toolCalls.first ?? SpanContent.ToolCall(name: "")
            if call.name.isEmpty { call.name = nodes[i].facts.toolName ?? nodes[i].name }
            if let id = call.id {
                if call.arguments == nil { call.arguments = requested[id]?.arguments }
                if nodes[i].content.toolResult == nil, nodes[i].status != "error" { nodes[i].content.toolResult = results[id] }
            }
            nodes[i].content.toolCalls = [call]
        }
    }
}

/// A trace id prefix that names no trace, or several.
public struct TraceLookupError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        case notFound
        case ambiguous(count: Int, candidates: [TraceCandidate])
        case malformed(String)
    }

    public var prefix: String
    public var reason: Reason

    public init(prefix: String, reason: Reason) {
        self.prefix = prefix
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .notFound:
            let hex = !prefix.isEmpty && prefix.allSatisfy(\.isHexDigit)
            return "no trace id starts with `\(prefix)`" + (hex ? "" : " (trace ids are hex digits)")
        case .ambiguous(let count, let candidates):
            var lines = ["`\(prefix)` matches \(count) traces; give more characters of the id:"]
            for c in candidates { lines.append("  \(c.traceId)  \(c.ts ?? "")") }
            if count > candidates.count { lines.append("  … and \(count - candidates.count) more") }
            return lines.joined(separator: "\n")
        case .malformed(let why):
            return why
        }
    }
}
