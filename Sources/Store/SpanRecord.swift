/// A span in canonical form: the row written to `spans`.
///
/// `facts` are what the convention mappers read out of the attributes; `attributes` keeps every
/// original attribute as a JSON object, so nothing is lost and the facts can be derived again.
public struct SpanRecord: Sendable {
    public var traceId: String
    public var spanId: String
    public var parentSpanId: String?
    public var kind: String
    public var name: String
    public var startNs: Int64
    public var endNs: Int64
    public var status: String
    public var statusMessage: String?
    public var facts: SpanFacts
    /// Every span attribute as one JSON object (original keys, values as JSON).
    public var attributes: String
    /// Span events as a JSON array, if any.
    public var events: String?
    /// Instrumentation scope, `name` or `name version`.
    public var scope: String?
    public var resource: ResourceRecord?
    /// 1-based line (or document) of the file the span came from.
    public var line: Int64

    public init(traceId: String, spanId: String, parentSpanId: String?, kind: String, name: String,
                startNs: Int64, endNs: Int64, status: String, statusMessage: String?,
                facts: SpanFacts = SpanFacts(), attributes: String, events: String? = nil,
                scope: String? = nil, resource: ResourceRecord? = nil, line: Int64) {
        self.traceId = traceId
        self.spanId = spanId
        self.parentSpanId = parentSpanId
        self.kind = kind
        self.name = name
        self.startNs = startNs
        self.endNs = endNs
        self.status = status
        self.statusMessage = statusMessage
        self.facts = facts
        self.attributes = attributes
        self.events = events
        self.scope = scope
        self.resource = resource
        self.line = line
    }
}

extension SpanRecord {
    /// The INSERT of one span (`OR IGNORE`: a span already stored is skipped).
    static func insertSQL(orIgnore: Bool) -> String {
        let columns = ["trace_id", "span_id", "parent_span_id", "kind", "name", "start_ns", "end_ns",
                       "duration_ms", "status", "status_message"] + SpanFacts.columns
            + ["attr_values", "attr_shape", "events", "scope", "resource_id", "load_id", "line"]
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ",")
        return "INSERT \(orIgnore ? "OR IGNORE " : "")INTO span_rows (\(columns.joined(separator: ","))) VALUES (\(placeholders))"
    }

    /// Binds this span to `insertSQL`'s placeholders, its attributes as a shape of `shapes`.
    func bind(to s: Statement, resourceId: Int64?, loadId: Int64, shapes: AttributeShapes) throws(StoreError) {
        s.bind(traceId, at: 1)
        s.bind(spanId, at: 2)
        s.bind(parentSpanId, at: 3)
        s.bind(kind, at: 4)
        s.bind(name, at: 5)
        s.bind(startNs, at: 6)
        s.bind(endNs, at: 7)
        s.bind((Double(endNs) - Double(startNs)) / 1e6, at: 8)
        s.bind(status, at: 9)
        s.bind(statusMessage, at: 10)
        facts.bind(to: s, from: 11)
        let next = Int32(11 + SpanFacts.columns.count)
        try shapes.bind(attributes, to: s, values: next, shape: next + 1)
        s.bind(events, at: next + 2)
        s.bind(scope, at: next + 3)
        s.bind(resourceId, at: next + 4)
        s.bind(loadId, at: next + 5)
        s.bind(line, at: next + 6)
    }
}

/// What a span says about the request, in relops' vocabulary (DESIGN.md, Vocabulary).
public struct SpanFacts: Sendable, Equatable {
    public var operation: String?
    public var provider: String?
    public var requestModel: String?
    public var model: String?
    public var inputTokens: Int64?
    public var outputTokens: Int64?
    public var costUsd: Double?
    public var finishReason: String?
    public var promptId: String?
    public var promptVersion: String?
    public var promptHash: String?
    public var configHash: String?
    public var indexVersion: String?
    public var toolName: String?
    public var toolVersion: String?
    public var release: String?
    public var environment: String?
    public var cohort: String?
    public var service: String?
    public var serviceVersion: String?
    public var intent: String?
    public var userId: String?
    public var sessionId: String?
    public var errorType: String?
    public var retrievalTopScore: Double?
    public var retrievalReturned: Int64?
    public var safetyFlagged: Bool?
    public var feedback: Double?
    /// An explicit refusal marker on the span.
    public var refused: Bool?
    /// The HTTP status the span answered (server spans) or got (client spans).
    public var httpStatus: Int64?
    /// The user's input as text (the last user message for chat calls). Not a column of
    /// `spans` (the text is in `attrs`); the trace row keeps the request's input.
    public var input: String?
    /// The model's (or tool's) output as text; the trace row keeps the final answer's.
    public var output: String?
    /// A replayed call: the trace it re-ran and its replay run (`relops.replay_of`, `relops.replay.run`).
    public var replayOf: String?
    public var replayRun: String?

    public init() {}

    /// Column names in `spans`, in the order `bind` uses.
    public static let columns = [
        "operation", "provider", "request_model", "model", "input_tokens", "output_tokens", "cost_usd",
        "finish_reason", "prompt_id", "prompt_version", "prompt_hash", "config_hash", "index_version",
        "tool_name", "tool_version", "release", "environment", "cohort", "service", "service_version",
        "intent", "user_id", "session_id", "error_type", "retrieval_top_score", "retrieval_returned",
        "safety_flagged", "feedback", "refused", "http_status", "replay_of", "replay_run",
    ]

    func bind(to statement: Statement, from first: Int32) {
        var i = first
        func next() -> Int32 { defer { i += 1 }; return i }
        statement.bind(operation, at: next())
        statement.bind(provider, at: next())
        statement.bind(requestModel, at: next())
        statement.bind(model, at: next())
        statement.bind(inputTokens, at: next())
        statement.bind(outputTokens, at: next())
        statement.bind(costUsd, at: next())
        statement.bind(finishReason, at: next())
        statement.bind(promptId, at: next())
        statement.bind(promptVersion, at: next())
        statement.bind(promptHash, at: next())
        statement.bind(configHash, at: next())
        statement.bind(indexVersion, at: next())
        statement.bind(toolName, at: next())
        statement.bind(toolVersion, at: next())
        statement.bind(release, at: next())
        statement.bind(environment, at: next())
        statement.bind(cohort, at: next())
        statement.bind(service, at: next())
        statement.bind(serviceVersion, at: next())
        statement.bind(intent, at: next())
        statement.bind(userId, at: next())
        statement.bind(sessionId, at: next())
        statement.bind(errorType, at: next())
        statement.bind(retrievalTopScore, at: next())
        statement.bind(retrievalReturned, at: next())
        statement.bind(safetyFlagged.map { Int64($0 ? 1 : 0) }, at: next())
        statement.bind(feedback, at: next())
        statement.bind(refused.map { Int64($0 ? 1 : 0) }, at: next())
        statement.bind(httpStatus, at: next())
        statement.bind(replayOf, at: next())
        statement.bind(replayRun, at: next())
    }

    init(reading statement: Statement, from first: Int32) {
        var i = first
        func next() -> Int32 { defer { i += 1 }; return i }
        operation = statement.text(at: next())
        provider = statement.text(at: next())
        requestModel = statement.text(at: next())
        model = statement.text(at: next())
        inputTokens = statement.int64(at: next())
        outputTokens = statement.int64(at: next())
        costUsd = statement.double(at: next())
        finishReason = statement.text(at: next())
        promptId = statement.text(at: next())
        promptVersion = statement.text(at: next())
        promptHash = statement.text(at: next())
        configHash = statement.text(at: next())
        indexVersion = statement.text(at: next())
        toolName = statement.text(at: next())
        toolVersion = statement.text(at: next())
        release = statement.text(at: next())
        environment = statement.text(at: next())
        cohort = statement.text(at: next())
        service = statement.text(at: next())
        serviceVersion = statement.text(at: next())
        intent = statement.text(at: next())
        userId = statement.text(at: next())
        sessionId = statement.text(at: next())
        errorType = statement.text(at: next())
        retrievalTopScore = statement.double(at: next())
        retrievalReturned = statement.int64(at: next())
        safetyFlagged = statement.int64(at: next()).map { $0 != 0 }
        feedback = statement.double(at: next())
        refused = statement.int64(at: next()).map { $0 != 0 }
        httpStatus = statement.int64(at: next())
        replayOf = statement.text(at: next())
        replayRun = statement.text(at: next())
    }
}

/// An OpenTelemetry resource (the process that emitted spans), stored once per distinct digest.
public final class ResourceRecord: Sendable {
    public let digest: String
    public let service: String?
    public let serviceVersion: String?
    public let environment: String?
    /// Every resource attribute as one JSON object.
    public let attributes: String
    public let schemaURL: String?

    public init(digest: String, service: String?, serviceVersion: String?, environment: String?,
                attributes: String, schemaURL: String?) {
        self.digest = digest
        self.service = service
        self.serviceVersion = serviceVersion
        self.environment = environment
        self.attributes = attributes
        self.schemaURL = schemaURL
    }
}

/// An OTLP log record (older GenAI conventions keep message content in them).
public struct LogRecord: Sendable {
    public var traceId: String?
    public var spanId: String?
    public var timeNs: Int64?
    public var eventName: String?
    public var severity: String?
    /// The body as JSON.
    public var body: String?
    public var attributes: String
    public var resource: ResourceRecord?
    public var line: Int64

    public init(traceId: String?, spanId: String?, timeNs: Int64?, eventName: String?, severity: String?,
                body: String?, attributes: String, resource: ResourceRecord?, line: Int64) {
        self.traceId = traceId
        self.spanId = spanId
        self.timeNs = timeNs
        self.eventName = eventName
        self.severity = severity
        self.body = body
        self.attributes = attributes
        self.resource = resource
        self.line = line
    }
}
