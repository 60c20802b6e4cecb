import Store

/// The attribute names of the conventions relops reads by default, per canonical field, and
/// the few facts that need more than a lookup (message lists, events, log records).
///
/// OpenTelemetry GenAI: https://opentelemetry.io/docs/specs/semconv/gen-ai/ (current names and
/// the v1.30 names); OpenInference: openinference-semantic-conventions; Langfuse: the
/// `langfuse.*` attributes its OpenTelemetry SDK writes.
enum Conventions {
    static let builtIn: [String: [AttributePath]] = {
        func p(_ names: String...) -> [AttributePath] { names.compactMap(AttributePath.init) }
        return [
            "operation": p("gen_ai.operation.name"),
            "provider": p("gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system"),
            "request_model": p("gen_ai.request.model", "llm.invocation_parameters#model"),
            "model": p("gen_ai.response.model", "llm.model_name", "langfuse.observation.model.name", "embedding.model_name"),
            "input_tokens": p("gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt",
                              "langfuse.observation.usage_details#prompt_tokens", "langfuse.observation.usage_details#input"),
            "output_tokens": p("gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "llm.token_count.completion",
                               "langfuse.observation.usage_details#completion_tokens", "langfuse.observation.usage_details#output"),
            "cost_usd": p("gen_ai.usage.cost", "llm.cost.total", "langfuse.observation.cost_details#total"),
            "finish_reason": p("gen_ai.response.finish_reasons", "llm.finish_reason",
                               "llm.output_messages.0.message.finish_reason"),
            "prompt_id": p("gen_ai.prompt.name", "llm.prompt_template.id", "langfuse.observation.prompt.name", "relops.prompt_id"),
            "prompt_version": p("gen_ai.prompt.version", "llm.prompt_template.version", "langfuse.observation.prompt.version",
                                "relops.prompt_version"),
            // relops' own names: what a replay writes (docs/replay.md), and a plain choice for
            // teams that log their own spans.
            "prompt_hash": p("relops.prompt_hash"),
            "config_hash": p("relops.config_hash"),
            "index_version": p("relops.index_version"),
            "tool_version": p("relops.tool_version"),
            "cohort": p("relops.cohort"),
            "intent": p("relops.intent"),
            "replay_of": p("relops.replay_of"),
            "replay_run": p("relops.replay.run"),
            "tool_name": p("gen_ai.tool.name", "tool.name"),
            "environment": p("resource:deployment.environment.name", "resource:deployment.environment",
                             "deployment.environment.name", "langfuse.environment", "relops.environment"),
            "release": p("langfuse.release", "resource:langfuse.release", "relops.release"),
            "service": p("resource:service.name", "service.name", "relops.service"),
            "service_version": p("resource:service.version", "service.version", "relops.service_version"),
            "user_id": p("user.id", "langfuse.user.id", "enduser.id", "relops.user_id"),
            "session_id": p("session.id", "langfuse.session.id", "gen_ai.conversation.id", "relops.session_id"),
            "error_type": p("error.type", "exception.type"),
            "retrieval_top_score": p("gen_ai.retrieval.documents#0.score", "retrieval.documents.0.document.score"),
            "http_status": p("http.response.status_code", "http.status_code"),
            // OpenInference's `input.value` / `output.value` are read by `input` / `output` below,
            // after the message lists: on LLM spans they hold the whole request and response bodies.
            "input": p("gen_ai.prompt", "relops.input"),
            "refused": p("relops.refused"),
            "safety_flagged": p("relops.safety_flagged"),
            "output": p("gen_ai.completion"),
        ]
    }()

    /// Span attributes that hold a span's input and output as OpenInference writes them (text, or
    /// a JSON body on LLM spans); `MappingPlan` keeps them for the native decoder.
    static let valueKeys = ["input.value", "output.value"]

    /// The last user message's text from GenAI `gen_ai.input.messages`, OpenInference
    /// `llm.input_messages.N.message.*`, Langfuse `langfuse.observation.input`, or the
    /// `gen_ai.user.message` log records; else OpenInference's `input.value`.
    ///
    /// The message lists come first because the trace's input fingerprint is taken from the
    /// answering LLM call: `input.value` there is the whole request body (system prompt and
    /// all), which would make the same question hash differently under each prompt version.
    static func input(_ view: AttributeView, events: JSON? = nil, logs: [LogRecord]) -> String? {
        if let messages = parsed(view.span["gen_ai.input.messages"]), let text = lastText(messages, role: "user") {
            return text
        }
        if let text = openInferenceMessage(view, prefix: "llm.input_messages", role: "user", last: true) { return text }
        if let input = parsed(view.span["langfuse.observation.input"]) {
            // The SDK writes a plain-text input (the root observation's question) as is.
            if case .string(let s) = input { return s }
            if let text = lastText(input, role: "user") { return text }
            if let text = lastText(input["messages"] ?? .null, role: "user") { return text }
        }
        // Span events of the older conventions: `gen_ai.user.message` (content) and
        // `gen_ai.content.prompt` (the `gen_ai.prompt` attribute).
        for event in (events?.array ?? []).reversed() {
            let attrs = event["attributes"] ?? .null
            switch event["name"]?.string {
            case "gen_ai.user.message":
                if let text = content(attrs["content"].flatMap { parsedJSON($0) ?? $0 } ?? attrs) { return text }
            case "gen_ai.content.prompt":
                if let prompt = parsed(attrs["gen_ai.prompt"]) {
                    if case .string(let s) = prompt { return s }
                    if let text = lastText(prompt, role: "user") { return text }
                }
            default:
                continue
            }
        }
        for log in logs.reversed() where log.eventName == "gen_ai.user.message" {
            if let body = log.body.flatMap({ try? JSONParser.parse($0) }), let text = content(body) { return text }
        }
        return view.span["input.value"]?.text
    }

    /// The model's output text: GenAI `gen_ai.output.messages` text parts, OpenInference
    /// `llm.output_messages.0.message.content`, Langfuse `langfuse.observation.output`, a
    /// `gen_ai.choice` span event or log record; else OpenInference's `output.value`.
    ///
    /// A call whose output messages hold no text (a tool call, a filtered answer) has no
    /// output: the response body in `output.value` is not an answer, and refusal patterns
    /// must not run over it.
    static func output(_ view: AttributeView, events: JSON?, logs: [LogRecord]) -> String? {
        if let messages = parsed(view.span["gen_ai.output.messages"]) {
            let texts = (messages.array ?? []).compactMap { textParts($0) }
            if !texts.isEmpty { return texts.joined(separator: "\n") }
        }
        if view.span["llm.output_messages.0.message.role"] != nil || view.span["llm.output_messages.0.message.content"] != nil {
            return openInferenceMessage(view, prefix: "llm.output_messages", role: nil, last: false)
        }
        if let output = parsed(view.span["langfuse.observation.output"]) {
            if case .string(let s) = output { return s }
            if let text = content(output) { return text }
        }
        for event in events?.array ?? [] {
            let attrs = event["attributes"] ?? .null
            switch event["name"]?.string {
            case "gen_ai.choice":
                if let text = content(attrs["message"].flatMap(parsedJSON) ?? attrs) { return text }
            case "gen_ai.content.completion":
                // The older event form: `gen_ai.completion` text, or a JSON list of messages.
                if let completion = parsed(attrs["gen_ai.completion"]) {
                    if case .string(let s) = completion { return s }
                    if let text = lastText(completion, role: "assistant") ?? completion.array?.first.flatMap(content) { return text }
                }
            default:
                continue
            }
        }
        for log in logs where log.eventName == "gen_ai.choice" {
            if let body = log.body.flatMap({ try? JSONParser.parse($0) }),
               let text = content(body["message"] ?? body) { return text }
        }
        return view.span["output.value"]?.text
    }

    static func finishReason(fromOutputMessages view: AttributeView) -> String? {
        guard let messages = parsed(view.span["gen_ai.output.messages"]) else { return nil }
        return messages.array?.first?["finish_reason"]?.text
    }

    static func finishReason(logs: [LogRecord]) -> String? {
        for log in logs where log.eventName == "gen_ai.choice" {
            if let body = log.body.flatMap({ try? JSONParser.parse($0) }), let reason = body["finish_reason"]?.text {
                return reason
            }
        }
        return nil
    }

    static func exceptionType(_ events: JSON?) -> String? {
        for event in events?.array ?? [] where event["name"]?.string == "exception" {
            if let type = event["attributes"]?["exception.type"]?.text { return type }
        }
        return nil
    }

    /// The top document's score of a retrieval whose documents are a JSON list (GenAI
    /// `gen_ai.retrieval.documents`, Langfuse's retriever output).
    static func documentsTopScore(_ view: AttributeView, kind: SpanKind) -> Double? {
        guard kind == .retrieval, let documents = retrievalDocuments(view) else { return nil }
        return documents.first?["score"]?.double
    }

    /// How many documents a retrieval returned: the JSON document list's length, or
    /// OpenInference's flattened `retrieval.documents.N.document.*`.
    static func documentCount(_ view: AttributeView, kind: SpanKind) -> Int64? {
        guard kind == .retrieval else { return nil }
        if let documents = retrievalDocuments(view) { return Int64(documents.count) }
        return openInferenceDocumentCount(view)
    }

    static func retrievalDocuments(_ view: AttributeView) -> [JSON]? {
        if let list = parsed(view.span["gen_ai.retrieval.documents"])?.array { return list }
        if view.span["langfuse.observation.type"]?.text == "retriever",
           let list = parsed(view.span["langfuse.observation.output"])?.array { return list }
        return nil
    }

    static func openInferenceDocumentCount(_ view: AttributeView) -> Int64? {
        guard view.span["openinference.span.kind"]?.text?.uppercased() == "RETRIEVER" else { return nil }
        var n: Int64 = 0
        while view.span["retrieval.documents.\(n).document.id"] != nil || view.span["retrieval.documents.\(n).document.content"] != nil {
            n += 1
        }
        return n
    }

    // MARK: - message helpers

    static func parsed(_ value: JSON?) -> JSON? {
        guard let value else { return nil }
        if case .string(let s) = value { return parsedJSON(.string(s)) ?? value }
        return value
    }

    static func parsedJSON(_ value: JSON) -> JSON? {
        guard case .string(let s) = value, let first = s.utf8.first, first == 0x5B || first == 0x7B || first == 0x22 else { return nil }
        return try? JSONParser.parse(s)
    }

    /// Text of a message in any of the shapes conventions use: `content` as a string,
    /// `parts` (GenAI) or `content` as a list of typed parts.
    static func content(_ message: JSON) -> String? {
        if case .string(let s) = message { return s }
        if let parts = message["parts"], let text = textParts(.object([("parts", parts)])) { return text }
        if let c = message["content"] {
            if case .string(let s) = c { return s }
            if case .array(let items) = c {
                let texts = items.compactMap { $0["text"]?.string ?? $0["content"]?.string }
                if !texts.isEmpty { return texts.joined(separator: "\n") }
            }
        }
        if let message = message["message"] { return content(message) }
        return nil
    }

    static func textParts(_ message: JSON) -> String? {
        guard let parts = message["parts"]?.array else { return content(message["content"] ?? .null) }
        let texts = parts.compactMap { part -> String? in
            guard part["type"]?.string == "text" else { return nil }
            return part["content"]?.string ?? part["text"]?.string
        }
        return texts.isEmpty ? nil : texts.joined(separator: "\n")
    }

    static func lastText(_ messages: JSON, role: String) -> String? {
        guard let items = messages.array else { return nil }
        for message in items.reversed() where message["role"]?.string == role {
            if let text = textParts(message) ?? content(message) { return text }
        }
        return nil
    }

    static func openInferenceMessage(_ view: AttributeView, prefix: String, role: String?, last: Bool) -> String? {
        var found: String?
        var i = 0
        while let r = view.span["\(prefix).\(i).message.role"]?.string ?? (view.span["\(prefix).\(i).message.content"] != nil ? "" : nil) {
            if role == nil || r == role, let text = view.span["\(prefix).\(i).message.content"]?.string {
                found = text
                if !last { return found }
            }
            i += 1
        }
        return found
    }
}
