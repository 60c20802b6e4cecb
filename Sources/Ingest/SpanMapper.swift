import Store

/// Turns a decoded span into relops' canonical facts, applying the workspace's mappings first
/// and then the conventions' own attributes (OpenTelemetry GenAI, old and new names;
/// OpenInference; Langfuse). The one place that knows attribute names.
public struct SpanMapper: Sendable {
    public let config: WorkspaceConfig
    /// Paths tried per field: the workspace's first, then the built-in conventions'.
    let paths: [String: [AttributePath]]

    public init(config: WorkspaceConfig = WorkspaceConfig()) {
        self.config = config
        var paths = Conventions.builtIn
        for (field, custom) in config.mappings {
            paths[field] = custom + (paths[field] ?? [])
        }
        self.paths = paths
    }

    /// The span's class and facts. `logs` are the log records joined to this span by trace and
    /// span id (older GenAI conventions keep message content there).
    public func map(_ raw: RawSpan, logs: [LogRecord] = []) -> (kind: SpanKind, facts: SpanFacts) {
        let view = AttributeView(span: raw.attributes, resource: raw.resourceAttributes)
        let kind = classify(raw, view)
        var f = SpanFacts()
        f.operation = text("operation", view)
        f.provider = text("provider", view)
        f.requestModel = text("request_model", view)
        f.model = text("model", view) ?? (kind == .llm || kind == .embedding ? f.requestModel : nil)
        f.inputTokens = int("input_tokens", view)
        f.outputTokens = int("output_tokens", view)
        f.costUsd = double("cost_usd", view)
        f.finishReason = text("finish_reason", view) ?? Conventions.finishReason(fromOutputMessages: view)
        f.promptId = text("prompt_id", view)
        f.promptVersion = text("prompt_version", view)
        f.promptHash = text("prompt_hash", view)
        f.configHash = text("config_hash", view)
        f.indexVersion = text("index_version", view)
        f.toolName = text("tool_name", view) ?? (kind == .tool ? raw.name.replacingOccurrences(of: "execute_tool ", with: "") : nil)
        f.toolVersion = text("tool_version", view)
        f.release = text("release", view)
        f.environment = text("environment", view)
        f.cohort = text("cohort", view)
        f.service = text("service", view)
        f.serviceVersion = text("service_version", view)
        f.intent = text("intent", view)
        f.userId = text("user_id", view)
        f.sessionId = text("session_id", view)
        f.errorType = text("error_type", view) ?? Conventions.exceptionType(raw.events)
        f.retrievalTopScore = double("retrieval_top_score", view) ?? Conventions.openInferenceTopScore(view)
        f.retrievalReturned = int("retrieval_returned", view) ?? Conventions.openInferenceDocumentCount(view)
        f.safetyFlagged = value("safety_flagged", view).flatMap(Self.truth)
        f.feedback = double("feedback", view)
        f.refused = value("refused", view).flatMap(Self.truth)
        f.httpStatus = int("http_status", view)
        f.input = text("input", view) ?? Conventions.input(view, logs: logs)
        f.output = text("output", view) ?? Conventions.output(view, events: raw.events, logs: logs)
        if kind == .llm, f.finishReason == nil { f.finishReason = Conventions.finishReason(logs: logs) }
        return (kind, f)
    }

    /// The span class (DESIGN.md's vocabulary), by the rule of ../shared/fixtures/otel/README.md.
    func classify(_ raw: RawSpan, _ view: AttributeView) -> SpanKind {
        if let declared = raw.declaredKind, let kind = SpanKind(rawValue: declared.lowercased()) { return kind }
        if let oi = view.span["openinference.span.kind"]?.text?.uppercased() {
            switch oi {
            case "LLM": return .llm
            case "EMBEDDING": return .embedding
            case "RETRIEVER": return .retrieval
            case "TOOL": return .tool
            case "AGENT": return .agent
            case "CHAIN": return .chain
            default: break
            }
        }
        if let lf = view.span["langfuse.observation.type"]?.text?.lowercased() {
            switch lf {
            case "generation": return .llm
            case "embedding": return .embedding
            case "retriever": return .retrieval
            case "tool": return .tool
            case "agent": return .agent
            case "chain": return .chain
            case "span", "event": return raw.parentSpanId == nil ? .root : .other
            default: break
            }
        }
        if let op = view.span["gen_ai.operation.name"]?.text?.lowercased() {
            switch op {
            case "chat", "text_completion", "generate_content", "completion": return .llm
            case "embeddings", "embedding": return .embedding
            case "retrieval", "retrieve": return .retrieval
            case "execute_tool": return .tool
            case "invoke_agent", "create_agent": return .agent
            default: break
            }
        }
        if raw.parentSpanId == nil { return .root }
        if view.span["app.retrieval.index"] != nil || view.span["retrieval.documents"] != nil { return .retrieval }
        return .other
    }

    func value(_ field: String, _ view: AttributeView) -> JSON? {
        guard let candidates = paths[field] else { return nil }
        for path in candidates {
            if let v = view.resolve(path) { return v }
        }
        return nil
    }

    func text(_ field: String, _ view: AttributeView) -> String? {
        guard let v = value(field, view) else { return nil }
        if let t = v.text { return t }
        // An array where one value is expected (e.g. finish_reasons): its first scalar.
        if case .array(let items) = v { return items.first?.text }
        return nil
    }

    func int(_ field: String, _ view: AttributeView) -> Int64? {
        guard let v = value(field, view) else { return nil }
        if case .array(let items) = v { return Int64(items.count) }
        return v.int64
    }

    func double(_ field: String, _ view: AttributeView) -> Double? {
        guard let v = value(field, view) else { return nil }
        if case .array(let items) = v { return items.first?.double }
        return v.double
    }

    static func truth(_ v: JSON) -> Bool? {
        switch v {
        case .bool(let b): return b
        case .integer(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s):
            switch s.lowercased() {
            case "true", "yes", "1": return true
            case "false", "no", "0", "": return false
            default: return nil
            }
        default: return nil
        }
    }
}

/// Attribute lookup over a span's and its resource's attributes (first occurrence of a key).
struct AttributeView {
    let span: [String: JSON]
    let resource: [String: JSON]
    let ordered: [(String, JSON)]

    init(span: [(String, JSON)], resource: [(String, JSON)]) {
        ordered = span
        self.span = Dictionary(span, uniquingKeysWith: { first, _ in first })
        self.resource = Dictionary(resource, uniquingKeysWith: { first, _ in first })
    }

    func resolve(_ path: AttributePath) -> JSON? {
        let source = path.onResource ? resource : span
        guard let raw = source[path.key] else { return nil }
        return path.resolve(raw)
    }
}
