/// One user request summarised as one row of `traces` (DESIGN.md, Vocabulary: trace).
public struct TraceRecord: Sendable, Equatable {
    public var traceId: String
    public var startNs: Int64
    public var endNs: Int64
    public var latencyMs: Double
    public var name: String?
    public var status: String
    public var promptId: String?
    public var promptVersion: String?
    public var promptHash: String?
    public var model: String?
    public var provider: String?
    public var configHash: String?
    public var indexVersion: String?
    public var toolVersion: String?
    public var release: String?
    public var environment: String?
    public var cohort: String?
    public var service: String?
    public var serviceVersion: String?
    public var intent: String?
    public var userId: String?
    public var sessionId: String?
    public var finishReason: String?
    public var input: String?
    public var output: String?
    public var inputHash: String?
    public var inputTokens: Int64 = 0
    public var outputTokens: Int64 = 0
    public var costUsd: Double = 0
    public var spans: Int64 = 0
    public var llmCalls: Int64 = 0
    public var toolCalls: Int64 = 0
    public var toolErrors: Int64 = 0
    public var refused = false
    public var safetyFlagged = false
    public var error = false
    public var retrievalTopScore: Double?
    public var retrievalEmpty: Bool?
    public var feedback: Double?
    /// A replayed request: the trace it re-ran and its replay run.
    public var replayOf: String?
    public var replayRun: String?

    public init(traceId: String, startNs: Int64, endNs: Int64, latencyMs: Double, status: String) {
        self.traceId = traceId
        self.startNs = startNs
        self.endNs = endNs
        self.latencyMs = latencyMs
        self.status = status
    }

    static let insertSQL = """
        INSERT OR REPLACE INTO traces (trace_id, ts, start_ns, end_ns, latency_ms, name, status,
          prompt_id, prompt_version, prompt_hash, model, provider, config_hash, index_version, tool_version,
          release, environment, cohort, service, service_version, intent, user_id, session_id, finish_reason,
          input, output, input_hash, input_tokens, output_tokens, cost_usd, spans, llm_calls, tool_calls,
          tool_errors, refused, safety_flagged, error, retrieval_top_score, retrieval_empty, feedback, replay_of, replay_run)
        VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
        """

    func bind(to s: Statement) {
        var i: Int32 = 1
        func next() -> Int32 { defer { i += 1 }; return i }
        s.bind(traceId, at: next())
        s.bind(Timestamp.iso8601(nanoseconds: startNs), at: next())
        s.bind(startNs, at: next())
        s.bind(endNs, at: next())
        s.bind(latencyMs, at: next())
        s.bind(name, at: next())
        s.bind(status, at: next())
        s.bind(promptId, at: next())
        s.bind(promptVersion, at: next())
        s.bind(promptHash, at: next())
        s.bind(model, at: next())
        s.bind(provider, at: next())
        s.bind(configHash, at: next())
        s.bind(indexVersion, at: next())
        s.bind(toolVersion, at: next())
        s.bind(release, at: next())
        s.bind(environment, at: next())
        s.bind(cohort, at: next())
        s.bind(service, at: next())
        s.bind(serviceVersion, at: next())
        s.bind(intent, at: next())
        s.bind(userId, at: next())
        s.bind(sessionId, at: next())
        s.bind(finishReason, at: next())
        s.bind(input, at: next())
        s.bind(output, at: next())
        s.bind(inputHash, at: next())
        s.bind(inputTokens, at: next())
        s.bind(outputTokens, at: next())
        s.bind(costUsd, at: next())
        s.bind(spans, at: next())
        s.bind(llmCalls, at: next())
        s.bind(toolCalls, at: next())
        s.bind(toolErrors, at: next())
        s.bind(Int64(refused ? 1 : 0), at: next())
        s.bind(Int64(safetyFlagged ? 1 : 0), at: next())
        s.bind(Int64(error ? 1 : 0), at: next())
        s.bind(retrievalTopScore, at: next())
        s.bind(retrievalEmpty.map { Int64($0 ? 1 : 0) }, at: next())
        s.bind(feedback, at: next())
        s.bind(replayOf, at: next())
        s.bind(replayRun, at: next())
    }
}

/// A span's place in its trace and its facts: what a trace summary is made from.
public struct StoredSpan: Sendable {
    public var traceId: String
    public var spanId: String
    public var parentSpanId: String?
    public var kind: String
    public var name: String
    public var startNs: Int64
    public var endNs: Int64
    public var status: String
    public var facts: SpanFacts

    public init(traceId: String, spanId: String, parentSpanId: String?, kind: String, name: String,
                startNs: Int64, endNs: Int64, status: String, facts: SpanFacts) {
        self.traceId = traceId
        self.spanId = spanId
        self.parentSpanId = parentSpanId
        self.kind = kind
        self.name = name
        self.startNs = startNs
        self.endNs = endNs
        self.status = status
        self.facts = facts
    }
}

/// A span's stored original form, read back to derive its facts again (after the rules change).
public struct StoredRawSpan: Sendable {
    public var rowid: Int64
    public var traceId: String
    public var spanId: String
    public var parentSpanId: String?
    public var kind: String
    public var name: String
    public var status: String
    public var attributes: String
    public var events: String?
    public var resourceAttributes: String?
    public var scope: String?
    /// The format of the load the span came from.
    public var format: String
}
