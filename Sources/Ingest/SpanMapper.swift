import Store

/// Turns a decoded span into relops' canonical facts, applying the workspace's mappings first
/// and then the conventions' own attributes (OpenTelemetry GenAI, old and new names;
/// OpenInference; Langfuse). The one place that knows attribute names.
public struct SpanMapper: Sendable {
    public let config: WorkspaceConfig
    /// Paths tried per field: the workspace's first, then the built-in conventions', compiled.
    let plan: MappingPlan

    public init(config: WorkspaceConfig = WorkspaceConfig()) {
        self.config = config
        var paths = Conventions.builtIn
        for (field, custom) in config.mappings {
            paths[field] = custom + (paths[field] ?? [])
        }
        plan = MappingPlan(paths: paths)
    }

    /// The attribute keys any rule reads (the native decoder decodes only these).
    var keyFilter: KeyFilter { plan.filter }

    /// The span's class and facts. `logs` are the log records joined to this span by trace and
    /// span id (older GenAI conventions keep message content there).
    public func map(_ raw: RawSpan, logs: [LogRecord] = []) -> (kind: SpanKind, facts: SpanFacts) {
        var found = FoundValues()
        found.collect(raw.attributes, plan.span)
        found.collect(raw.resourceAttributes, plan.resource)
        let view = AttributeView(span: raw.attributes, resource: raw.resourceAttributes)
        let kind = classify(raw, view)
        var f = SpanFacts()
        f.operation = found.text(.operation)
        f.provider = found.text(.provider)
        f.requestModel = found.text(.request_model)
        f.model = found.text(.model) ?? (kind == .llm || kind == .embedding ? f.requestModel : nil)
        f.inputTokens = found.int(.input_tokens)
        f.outputTokens = found.int(.output_tokens)
        f.costUsd = found.double(.cost_usd)
        f.finishReason = found.text(.finish_reason) ?? (kind == .llm ? Conventions.finishReason(fromOutputMessages: view) : nil)
        f.promptId = found.text(.prompt_id)
        f.promptVersion = found.text(.prompt_version)
        f.promptHash = found.text(.prompt_hash)
        f.configHash = found.text(.config_hash)
        f.indexVersion = found.text(.index_version)
        f.toolName = found.text(.tool_name) ?? (kind == .tool ? Self.toolName(fromSpanName: raw.name) : nil)
        f.toolVersion = found.text(.tool_version)
        f.release = found.text(.release)
        f.environment = found.text(.environment)
        f.cohort = found.text(.cohort)
        f.service = found.text(.service)
        f.serviceVersion = found.text(.service_version)
        f.intent = found.text(.intent)
        f.userId = found.text(.user_id)
        f.sessionId = found.text(.session_id)
        f.errorType = found.text(.error_type) ?? Conventions.exceptionType(raw.events)
        f.retrievalTopScore = found.double(.retrieval_top_score) ?? Conventions.documentsTopScore(view, kind: kind)
        f.retrievalReturned = found.int(.retrieval_returned) ?? Conventions.documentCount(view, kind: kind)
        f.safetyFlagged = found.value(.safety_flagged).flatMap(Self.truth)
        f.feedback = found.double(.feedback)
        f.refused = found.value(.refused).flatMap(Self.truth)
        f.httpStatus = found.int(.http_status)
        f.replayOf = found.text(.replay_of)
        f.replayRun = found.text(.replay_run)
        f.input = found.text(.input) ?? Conventions.input(view, events: raw.events, logs: logs)
        f.output = found.text(.output) ?? Conventions.output(view, events: raw.events, logs: logs)
        if kind == .llm, f.finishReason == nil { f.finishReason = Conventions.finishReason(logs: logs) }
        return (kind, f)
    }

    static func toolName(fromSpanName name: String) -> String {
        name.hasPrefix("execute_tool ") ? String(name.dropFirst("execute_tool ".count)) : name
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
            case "span", "event": return .other
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

/// The best value found so far for each fact (lowest priority number wins).
struct FoundValues {
    private var values = [JSON?](repeating: nil, count: Fact.allCases.count)
    private var priorities = [Int](repeating: Int.max, count: Fact.allCases.count)

    mutating func collect(_ attributes: [(String, JSON)], _ table: [String: [MappingPlan.Entry]]) {
        guard !table.isEmpty else { return }
        for (key, value) in attributes {
            guard let entries = table[key] else { continue }
            for entry in entries {
                let i = entry.field.index
                guard entry.priority < priorities[i], let resolved = entry.path.resolve(value) else { continue }
                values[i] = resolved
                priorities[i] = entry.priority
            }
        }
    }

    func value(_ fact: Fact) -> JSON? { values[fact.index] }

    func text(_ fact: Fact) -> String? {
        guard let v = values[fact.index] else { return nil }
        if let t = v.text { return t }
        // An array where one value is expected (e.g. finish_reasons): its first scalar.
        if case .array(let items) = v { return items.first?.text }
        return nil
    }

    func int(_ fact: Fact) -> Int64? {
        guard let v = values[fact.index] else { return nil }
        if case .array(let items) = v { return Int64(items.count) }
        return v.int64
    }

    func double(_ fact: Fact) -> Double? {
        guard let v = values[fact.index] else { return nil }
        if case .array(let items) = v { return items.first?.double }
        return v.double
    }
}

/// Attribute lookup for the conventions' helpers: a linear search over a span's (few,
/// decoded) attributes, cheaper than building a dictionary per span.
struct AttributeView {
    let spanAttributes: [(String, JSON)]
    let resourceAttributes: [(String, JSON)]

    init(span: [(String, JSON)], resource: [(String, JSON)]) {
        spanAttributes = span
        resourceAttributes = resource
    }

    var span: Lookup { Lookup(pairs: spanAttributes) }
    var resource: Lookup { Lookup(pairs: resourceAttributes) }

    struct Lookup {
        let pairs: [(String, JSON)]
        subscript(key: String) -> JSON? {
            // Comparing lengths first skips almost every pair without touching the bytes.
            let count = key.utf8.count
            for (k, v) in pairs where k.utf8.count == count && k == key { return v }
            return nil
        }
    }
}
