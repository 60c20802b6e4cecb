import Foundation
import Ingest
import Store

/// A stored trace to re-run, and the request made of it.
public struct ReplayTarget: Sendable {
    public var traceId: String
    public var request: ReplayRequest
    /// What the original answered, to show beside the replay.
    public var originalOutput: String?
    public var originalRefused = false
    /// The original's values of the dimensions `set` changed.
    public var replaced: [String: String] = [:]

    public init(traceId: String, request: ReplayRequest, originalOutput: String? = nil, originalRefused: Bool = false,
                replaced: [String: String] = [:]) {
        self.traceId = traceId
        self.request = request
        self.originalOutput = originalOutput
        self.originalRefused = originalRefused
        self.replaced = replaced
    }
}

/// Turns a runner's answer (or failure) into what the store holds for any trace: one LLM
/// span whose attributes use the GenAI names and relops' own (`relops.*`, docs/replay.md),
/// mapped and summarised by the same rules as loaded traces — so `refused` comes from the
/// workspace's refusal rules, and `rederive` derives it again like everything else.
public struct ReplayRecorder: Sendable {
    let mapper: SpanMapper
    let summarizer: TraceSummarizer
    public let runId: String
    public let runner: String

    /// Longest raw runner answer kept on the span.
    public static let rawLimit = 16 * 1024

    public init(config: WorkspaceConfig, runId: String, runner: String) {
        mapper = SpanMapper(config: config)
        summarizer = TraceSummarizer(rules: config.signals)
        self.runId = runId
        self.runner = runner
    }

    /// The span and trace row of one call's result.
    public func record(_ target: ReplayTarget, _ attempt: ReplayAttempt) -> (spans: [SpanRecord], trace: TraceRecord, ok: Bool) {
        let request = target.request
        var attributes: [(String, JSON)] = [
            ("gen_ai.operation.name", .string("chat")),
            ("relops.replay_of", .string(target.traceId)),
            ("relops.replay.run", .string(runId)),
            ("relops.replay.runner", .string(runner)),
            ("relops.replay.attempts", .integer(Int64(attempt.attempts))),
        ]
        if let input = request.input { attributes.append(("relops.input", .string(input))) }
        if let model = request.model { attributes.append(("gen_ai.request.model", .string(model))) }
        for (key, value) in request.parameters.sorted(by: { $0.key < $1.key }) {
            attributes.append(("gen_ai.request.\(key)", value.json))
        }
        attributes.append(("gen_ai.input.messages", .string(JSON.array(request.messages.map(Self.message)).serialized)))
        for dimension in Self.carried.sorted() {
            if let value = request.versions[dimension] { attributes.append(("relops.\(dimension)", .string(value))) }
        }
        var status = "ok"
        var statusMessage: String?
        switch attempt.result {
        case .success(let response):
            if let model = response.model ?? request.model { attributes.append(("gen_ai.response.model", .string(model))) }
            if let n = response.inputTokens { attributes.append(("gen_ai.usage.input_tokens", .integer(n))) }
            if let n = response.outputTokens { attributes.append(("gen_ai.usage.output_tokens", .integer(n))) }
            if let cost = response.costUsd { attributes.append(("gen_ai.usage.cost", .double(cost))) }
            if let finish = response.finishReason { attributes.append(("gen_ai.response.finish_reasons", .array([.string(finish)]))) }
            if let refused = response.refused { attributes.append(("relops.refused", .bool(refused))) }
            var parts: [(String, JSON)] = [("role", .string("assistant")),
                                           ("parts", .array([.object([("type", .string("text")), ("content", .string(response.output ?? ""))])]))]
            if let finish = response.finishReason { parts.append(("finish_reason", .string(finish))) }
            attributes.append(("gen_ai.output.messages", .string(JSON.array([.object(parts)]).serialized)))
        case .failure(let error):
            status = "error"
            statusMessage = error.failure.message
            attributes.append(("error.type", .string(error.failure.errorType)))
            if case .http(let code, _) = error.failure { attributes.append(("http.response.status_code", .integer(Int64(code)))) }
        }
        if let raw = attempt.raw, !raw.isEmpty {
            attributes.append(("relops.replay.response", .string(RawText.cut(Array(raw.utf8), limit: Self.rawLimit))))
        }

        let traceId = Self.randomHex(bytes: 16)
        let raw = RawSpan(traceId: traceId, spanId: Self.randomHex(bytes: 8), parentSpanId: nil,
                          name: "replay \(runner)", startNs: attempt.startNs, endNs: max(attempt.endNs, attempt.startNs),
                          status: status, statusMessage: statusMessage, declaredKind: SpanKind.llm.rawValue,
                          attributes: attributes, line: 0)
        let (_, facts) = mapper.map(raw)
        let span = SpanRecord(traceId: traceId, spanId: raw.spanId, parentSpanId: nil, kind: SpanKind.llm.rawValue,
                              name: raw.name, startNs: raw.startNs, endNs: raw.endNs, status: status,
                              statusMessage: statusMessage, facts: facts, attributes: raw.attributesJSON, line: 0)
        // `relops.input` holds the original's input text, so the fingerprint (`input_hash`) matches.
        let trace = summarizer.summarize([StoredSpan(span)])
            ?? TraceRecord(traceId: traceId, startNs: raw.startNs, endNs: raw.endNs, latencyMs: 0, status: status)
        return ([span], trace, status == "ok")
    }

    /// The dimensions a replay carries from the original trace (with `set` values applied).
    public static let carried: Set<String> = [
        "prompt_id", "prompt_version", "prompt_hash", "config_hash", "index_version", "tool_version", "release",
        "environment", "cohort", "service", "service_version", "intent", "user_id", "session_id",
    ]

    static func message(_ m: ChatMessage) -> JSON {
        .object([("role", .string(m.role)), ("parts", .array([.object([("type", .string("text")), ("content", .string(m.content))])]))])
    }

    static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
