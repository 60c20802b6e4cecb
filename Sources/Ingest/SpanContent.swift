import Store

/// What a span said and heard, read from its original attributes under whichever convention
/// wrote them: the prompt messages, the output, tool calls and results, retrieved documents.
///
/// The canonical facts (`SpanFacts`) keep one input and one output text per span; `show` and
/// replay need the whole conversation: system prompt, history, tool calls with their ids and
/// arguments, each document with its score. This is the one place that reads message content
/// per convention, reusing `Conventions`' helpers for message text, so `show`, replay and the
/// trace row agree on what a message says.
///
/// Conventions read (first that has content wins, in this order):
///
/// | what | OpenTelemetry GenAI (current) | GenAI (older) | OpenInference | Langfuse | native / bench |
/// | --- | --- | --- | --- | --- | --- |
/// | prompt | `gen_ai.input.messages` (`parts`), `gen_ai.system_instructions` | `gen_ai.prompt.N.role/content`; span events and log records `gen_ai.system.message`, `gen_ai.user.message`, `gen_ai.assistant.message`, `gen_ai.tool.message`, `gen_ai.content.prompt`; `gen_ai.prompt` | `llm.input_messages.N.message.*`; else the request body in `input.value` | `langfuse.observation.input` | `input.value` as the user message |
/// | output | `gen_ai.output.messages` (`text` and `tool_call` parts) | `gen_ai.completion.N.*`; `gen_ai.choice` events and log records; `gen_ai.completion` | `llm.output_messages.N.message.*` (with `tool_calls`); else the response body in `output.value` | `langfuse.observation.output` | `output.value` |
/// | tool span | `gen_ai.tool.name`, `gen_ai.tool.call.id`, `gen_ai.tool.call.arguments`, `gen_ai.tool.call.result` | – | `tool.name`, `tool.id`, `input.value`, `output.value` | observation input / output | the same keys |
/// | retrieval | `gen_ai.retrieval.query.text`, `gen_ai.retrieval.documents` | – | `input.value`, `retrieval.documents.N.document.id/score/content` | observation input (`query`) / output (document list) | `app.retrieval.document_ids` + `app.retrieval.scores` |
public struct SpanContent: Sendable, Equatable {
    /// One chat message. Tool calls an assistant asked for are in `toolCalls` (its `content`
    /// may then be empty); a tool's answer has role `tool` and the call's id in `toolCallId`.
    public struct Message: Sendable, Equatable {
        /// `system`, `user`, `assistant`, `tool` (or whatever the convention wrote, e.g. `developer`).
        public var role: String
        /// The text parts, joined with newlines; `""` when the message holds none.
        public var content: String
        public var toolCalls: [ToolCall]
        /// A `tool` message: the id of the call it answers.
        public var toolCallId: String?

        public init(role: String, content: String, toolCalls: [ToolCall] = [], toolCallId: String? = nil) {
            self.role = role
            self.content = content
            self.toolCalls = toolCalls
            self.toolCallId = toolCallId
        }

        /// Neither text nor tool calls.
        public var isEmpty: Bool { content.isEmpty && toolCalls.isEmpty }
    }

    /// A function call: asked for by a model (in an output message) or run by a tool span.
    public struct ToolCall: Sendable, Equatable {
        /// The call id that links the request, the tool span and the tool's answer (`call_…`).
        public var id: String?
        public var name: String
        /// The arguments as the convention wrote them, usually JSON text.
        public var arguments: String?

        public init(id: String? = nil, name: String, arguments: String? = nil) {
            self.id = id
            self.name = name
            self.arguments = arguments
        }
    }

    /// A retrieved document, in rank order.
    public struct Document: Sendable, Equatable {
        public var id: String?
        public var score: Double?
        public var content: String?

        public init(id: String? = nil, score: Double? = nil, content: String? = nil) {
            self.id = id
            self.score = score
            self.content = content
        }
    }

    /// The prompt as sent: system instructions, history, the user's message (LLM spans), or the
    /// request a chain or agent span received (as one user message when it is plain text).
    public var messages: [Message] = []
    /// The output as text: the text parts of the output messages, or the output value.
    /// Nil when the output holds no text (a tool-call step, a filtered answer).
    public var output: String?
    /// The output messages, tool calls included.
    public var outputMessages: [Message] = []
    /// Tool spans: the call the span ran (one). LLM spans: the calls the model asked for.
    public var toolCalls: [ToolCall] = []
    /// Tool spans: what the tool returned.
    public var toolResult: String?
    /// Retrieval spans: the text searched for; embedding spans: the text embedded.
    public var query: String?
    /// Retrieval spans: the documents returned, best first.
    public var documents: [Document] = []

    public init(messages: [Message] = [], output: String? = nil, outputMessages: [Message] = [], toolCalls: [ToolCall] = [],
                toolResult: String? = nil, query: String? = nil, documents: [Document] = []) {
        self.messages = messages
        self.output = output
        self.outputMessages = outputMessages
        self.toolCalls = toolCalls
        self.toolResult = toolResult
        self.query = query
        self.documents = documents
    }

    /// Nothing was found.
    public var isEmpty: Bool {
        messages.isEmpty && output == nil && outputMessages.isEmpty && toolCalls.isEmpty && toolResult == nil
            && query == nil && documents.isEmpty
    }

    /// The messages a replay sends to re-run this call: system, history (tool calls and their
    /// results included) and the user's message, in order, without empty messages. For a span
    /// that recorded only the user's text (the native shape's `input.value`) that is one user
    /// message; for one that recorded nothing, none.
    public var promptMessages: [Message] {
        messages.filter { !$0.isEmpty }
    }

    // MARK: - Reading

    /// Reads a span's content from its attributes (`spans.attrs` parsed: original keys, values
    /// as JSON), its span events (`spans.events` parsed: `[{"name", "attributes"}]`) and the log
    /// records joined to it by trace and span id (`logs` rows, in time order).
    ///
    /// `kind` decides what `input.value` / `output.value` mean (a tool's arguments and result, a
    /// retrieval's query, a chat's user message and answer); nil: classified from the attributes
    /// by the same rule as loading (docs/loading.md), without the native `kind` member.
    public static func extract(attributes: [(String, JSON)], events: JSON? = nil, logs: [LogRecord] = [],
                               kind: SpanKind? = nil) -> SpanContent {
        let view = AttributeView(span: attributes, resource: [])
        let kind = kind ?? classify(attributes)
        var content = SpanContent()
        switch kind {
        case .tool:
            content.readToolCall(view)
        case .retrieval:
            content.readRetrieval(view)
        case .embedding:
            content.query = embeddingInput(view)
        case .llm, .agent, .chain, .root, .other:
            content.messages = promptMessages(view, attributes: attributes, events: events, logs: logs)
            content.readOutput(view, attributes: attributes, events: events, logs: logs)
            content.toolCalls = content.outputMessages.flatMap(\.toolCalls)
        }
        return content
    }

    /// `extract` over the stored texts: `spans.attrs`, `spans.events` and the span's `logs` rows.
    /// Text that does not parse counts as no attributes (or no events).
    public static func extract(attributesJSON: String, eventsJSON: String? = nil, logs: [LogRecord] = [],
                               kind: SpanKind? = nil) -> SpanContent {
        let attributes = (try? JSONParser.parse(attributesJSON))?.object ?? []
        let events = eventsJSON.flatMap { try? JSONParser.parse($0) }
        return extract(attributes: attributes, events: events, logs: logs, kind: kind)
    }

    /// The messages a replay of this LLM call would send (`promptMessages` of its content).
    public static func promptMessages(attributes: [(String, JSON)], events: JSON? = nil,
                                      logs: [LogRecord] = []) -> [Message] {
        extract(attributes: attributes, events: events, logs: logs, kind: .llm).promptMessages
    }

    /// The span class by the loader's rule, for a span whose stored kind is not at hand.
    static func classify(_ attributes: [(String, JSON)]) -> SpanKind {
        // A parent id, so that a span without convention attributes is `other`, not `root`:
        // the two read content alike.
        let raw = RawSpan(traceId: "", spanId: "", parentSpanId: "", name: "", startNs: 0, endNs: 0, status: "unset",
                          statusMessage: nil, attributes: attributes, attributesJSON: "", line: 0)
        return classifier.classify(raw, AttributeView(span: attributes, resource: []))
    }

    private static let classifier = SpanMapper()

    // MARK: - prompt

    static func promptMessages(_ view: AttributeView, attributes: [(String, JSON)], events: JSON?, logs: [LogRecord]) -> [Message] {
        var messages = conversation(view, attributes: attributes, events: events, logs: logs)
        // GenAI's current conventions may keep the system prompt apart from the messages.
        if let instructions = Conventions.parsed(view.span["gen_ai.system_instructions"]),
           messages.first?.role != "system" {
            let text: String?
            if case .string(let s) = instructions { text = s } else { text = textOf(parts: instructions.array ?? [instructions]) }
            if let text, !text.isEmpty { messages.insert(Message(role: "system", content: text), at: 0) }
        }
        return messages
    }

    /// The prompt's messages, from the first convention that has any.
    static func conversation(_ view: AttributeView, attributes: [(String, JSON)], events: JSON?, logs: [LogRecord]) -> [Message] {
        if let list = Conventions.parsed(view.span["gen_ai.input.messages"])?.array {
            return list.compactMap { message($0) }
        }
        let openInference = flattenedMessages(attributes, prefix: "llm.input_messages", style: .openInference)
        if !openInference.isEmpty { return openInference }
        let olderGenAI = flattenedMessages(attributes, prefix: "gen_ai.prompt", style: .genAI)
        if !olderGenAI.isEmpty { return olderGenAI }
        if let input = Conventions.parsed(view.span["langfuse.observation.input"]) {
            let messages = messageList(input)
            if !messages.isEmpty { return messages }
        }
        let fromEvents = eventMessages(events)
        if !fromEvents.isEmpty { return fromEvents }
        let fromLogs = logs.compactMap { log -> Message? in
            guard let role = log.eventName.flatMap(messageEventRole), let body = log.body.flatMap({ try? JSONParser.parse($0) }) else { return nil }
            return eventMessage(body, role: role)
        }
        if !fromLogs.isEmpty { return fromLogs }
        if let prompt = Conventions.parsed(view.span["gen_ai.prompt"]) {
            let messages = messageList(prompt)
            if !messages.isEmpty { return messages }
        }
        if let value = view.span["input.value"] {
            // OpenInference's LLM spans hold the request body; the native shape the user's text.
            if let body = Conventions.parsedJSON(value), case .object = body {
                if let list = body["messages"]?.array { return list.compactMap { message($0) } }
                if let prompt = body["prompt"]?.text { return [Message(role: "user", content: prompt)] }
            }
            let text = value.text ?? value.serialized
            if !text.isEmpty { return [Message(role: "user", content: text)] }
        }
        return []
    }

    /// A message list in any JSON shape a convention uses: a list of messages, an object with
    /// `messages`, one message object, or plain text (one user message).
    static func messageList(_ value: JSON) -> [Message] {
        switch value {
        case .string(let s): return s.isEmpty ? [] : [Message(role: "user", content: s)]
        case .array(let items): return items.compactMap { message($0) }
        case .object:
            if let list = value["messages"]?.array { return list.compactMap { message($0) } }
            if value["role"] != nil { return message(value).map { [$0] } ?? [] }
            return [Message(role: "user", content: value.serialized)]
        default: return []
        }
    }

    /// One message object: OpenAI chat (`content` text or parts, `tool_calls`, `tool_call_id`),
    /// GenAI (`parts` of type `text`, `tool_call`, `tool_call_response`), or plain text (user).
    static func message(_ json: JSON, defaultRole: String = "user") -> Message? {
        if case .string(let s) = json { return Message(role: defaultRole, content: s) }
        guard case .object = json else { return nil }
        if json["role"] == nil, json["parts"] == nil, json["content"] == nil, json["tool_calls"] == nil,
           let inner = json["message"] {
            return message(inner, defaultRole: defaultRole)
        }
        let role = json["role"]?.text ?? defaultRole
        var texts: [String] = []
        var calls: [ToolCall] = []
        var callId = json["tool_call_id"]?.text ?? (role == "tool" ? json["id"]?.text : nil)
        if let parts = json["parts"]?.array {
            for part in parts {
                switch part["type"]?.string {
                case "tool_call":
                    calls.append(ToolCall(id: part["id"]?.text, name: part["name"]?.text ?? "", arguments: argumentsText(part["arguments"])))
                case "tool_call_response":
                    callId = part["id"]?.text ?? callId
                    if let text = valueText(part["response"] ?? part["result"]) { texts.append(text) }
                default:
                    if let text = textOf(parts: [part]) { texts.append(text) }
                }
            }
        } else if let content = json["content"] {
            switch content {
            case .string(let s): texts.append(s)
            case .array(let items): if let text = textOf(parts: items) { texts.append(text) }
            case .null: break
            default: texts.append(content.serialized)
            }
        }
        for call in json["tool_calls"]?.array ?? [] {
            let function = call["function"] ?? call
            calls.append(ToolCall(id: call["id"]?.text, name: function["name"]?.text ?? "", arguments: argumentsText(function["arguments"])))
        }
        return Message(role: role, content: texts.joined(separator: "\n"), toolCalls: calls, toolCallId: callId)
    }

    /// The text of typed parts (`{"type": "text", "content"|"text": …}`); other parts (images,
    /// audio, files) as a short `[type]` placeholder so the message shows they were there.
    static func textOf(parts: [JSON]) -> String? {
        var texts: [String] = []
        for part in parts {
            if case .string(let s) = part { texts.append(s); continue }
            let type = part["type"]?.string
            if type == nil || type == "text" || type == "input_text" || type == "output_text" {
                if let text = part["content"]?.string ?? part["text"]?.string { texts.append(text) }
            } else if type != "reasoning" && type != "thinking" {
                texts.append("[\(type ?? "part")]")
            }
        }
        return texts.isEmpty ? nil : texts.joined(separator: "\n")
    }

    /// Tool arguments as text: a string as it is, structured JSON compact.
    static func argumentsText(_ value: JSON?) -> String? {
        guard let value, !value.isNull else { return nil }
        if case .string(let s) = value { return s }
        return value.serialized
    }

    /// A result or body as text: a string as it is, anything else as JSON.
    static func valueText(_ value: JSON?) -> String? {
        guard let value, !value.isNull else { return nil }
        return value.text ?? value.serialized
    }

    // MARK: - flattened lists (OpenInference, older GenAI attributes)

    enum FlattenedStyle {
        /// `llm.input_messages.N.message.role|content|contents.M.message_content.text|tool_calls.K.tool_call.*|tool_call_id`.
        case openInference
        /// `gen_ai.prompt.N.role|content|tool_calls.K.name|arguments|id|tool_call_id` (OpenLLMetry).
        case genAI
    }

    /// Messages of a flattened list: one per index `N` of `prefix.N.…`, in index order.
    static func flattenedMessages(_ attributes: [(String, JSON)], prefix: String, style: FlattenedStyle) -> [Message] {
        flattened(attributes, prefix: prefix).compactMap { members -> Message? in
            let p = style == .openInference ? "message." : ""
            func value(_ key: String) -> JSON? { members.first { $0.0 == p + key }?.1 }
            var texts: [String] = []
            if let content = value("content") {
                if let text = content.text { texts.append(text) } else if let text = textOf(parts: content.array ?? []) { texts.append(text) }
            } else {
                for part in flattened(members, prefix: p + "contents") {
                    if let text = part.first(where: { $0.0 == "message_content.text" })?.1.text { texts.append(text) }
                }
            }
            let callPrefix = style == .openInference ? "tool_call." : ""
            let calls = flattened(members, prefix: p + "tool_calls").map { call -> ToolCall in
                func field(_ key: String) -> JSON? { call.first { $0.0 == callPrefix + key }?.1 }
                return ToolCall(id: field("id")?.text, name: (field("function.name") ?? field("name"))?.text ?? "",
                                arguments: argumentsText(field("function.arguments") ?? field("arguments")))
            }
            guard let role = value("role")?.text ?? (texts.isEmpty && calls.isEmpty ? nil : "user") else { return nil }
            return Message(role: role, content: texts.joined(separator: "\n"), toolCalls: calls, toolCallId: value("tool_call_id")?.text)
        }
    }

    /// The members of `prefix.N.rest` grouped by `N` in numeric order, each as `(rest, value)`.
    static func flattened(_ attributes: [(String, JSON)], prefix: String) -> [[(String, JSON)]] {
        let head = prefix + "."
        var groups: [Int: [(String, JSON)]] = [:]
        for (key, value) in attributes where key.hasPrefix(head) {
            let after = key.dropFirst(head.count)
            guard let dot = after.firstIndex(of: "."), let index = Int(after[..<dot]) else { continue }
            groups[index, default: []].append((String(after[after.index(after: dot)...]), value))
        }
        return groups.keys.sorted().compactMap { groups[$0] }
    }

    // MARK: - events and log records (older GenAI conventions)

    /// The role of a message event: `gen_ai.system.message` → `system` …; nil for other events.
    static func messageEventRole(_ name: String) -> String? {
        switch name {
        case "gen_ai.system.message": return "system"
        case "gen_ai.user.message": return "user"
        case "gen_ai.assistant.message": return "assistant"
        case "gen_ai.tool.message": return "tool"
        default: return nil
        }
    }

    /// A message event's body (`content`, `tool_calls`, `id`) as a message of `role`.
    static func eventMessage(_ body: JSON, role: String) -> Message? {
        var body = body
        if case .string(let s) = body { body = Conventions.parsedJSON(.string(s)) ?? .object([("content", .string(s))]) }
        // Span events may carry the content as a JSON string attribute.
        if case .object(var members) = body, let raw = body["content"], let parsed = Conventions.parsedJSON(raw),
           case .array = parsed, let index = members.firstIndex(where: { $0.0 == "content" }) {
            members[index].1 = parsed
            body = .object(members)
        }
        return message(body, defaultRole: role)
    }

    /// Messages from span events: one per `gen_ai.*.message` event, or the list in a
    /// `gen_ai.content.prompt` event.
    static func eventMessages(_ events: JSON?) -> [Message] {
        var messages: [Message] = []
        for event in events?.array ?? [] {
            guard let name = event["name"]?.string else { continue }
            let attributes = event["attributes"] ?? .null
            if let role = messageEventRole(name) {
                if let m = eventMessage(attributes, role: role) { messages.append(m) }
            } else if name == "gen_ai.content.prompt", let prompt = Conventions.parsed(attributes["gen_ai.prompt"]) {
                messages += messageList(prompt)
            }
        }
        return messages
    }

    // MARK: - output

    mutating func readOutput(_ view: AttributeView, attributes: [(String, JSON)], events: JSON?, logs: [LogRecord]) {
        outputMessages = Self.outputList(view, attributes: attributes, events: events, logs: logs)
        let texts = outputMessages.map(\.content).filter { !$0.isEmpty }
        output = texts.isEmpty ? nil : texts.joined(separator: "\n")
        if outputMessages.isEmpty, let value = view.span["output.value"] {
            // No message list anywhere: the output value is the answer (native, chains, agents).
            if let body = Conventions.parsedJSON(value), let messages = Self.responseMessages(body) {
                outputMessages = messages
                let texts = messages.map(\.content).filter { !$0.isEmpty }
                output = texts.isEmpty ? nil : texts.joined(separator: "\n")
            } else {
                output = value.text ?? value.serialized
            }
        }
    }

    /// The output messages, from the first convention that has any.
    static func outputList(_ view: AttributeView, attributes: [(String, JSON)], events: JSON?, logs: [LogRecord]) -> [Message] {
        if let list = Conventions.parsed(view.span["gen_ai.output.messages"])?.array {
            return list.compactMap { message($0, defaultRole: "assistant") }
        }
        let openInference = flattenedMessages(attributes, prefix: "llm.output_messages", style: .openInference)
        if !openInference.isEmpty { return openInference }
        let olderGenAI = flattenedMessages(attributes, prefix: "gen_ai.completion", style: .genAI)
        if !olderGenAI.isEmpty { return olderGenAI.map { var m = $0; if m.role == "user" { m.role = "assistant" }; return m } }
        if let value = Conventions.parsed(view.span["langfuse.observation.output"]) {
            switch value {
            case .string(let s): return [Message(role: "assistant", content: s)]
            case .object:
                if let messages = responseMessages(value) { return messages }
                if value["role"] != nil || value["content"] != nil || value["tool_calls"] != nil {
                    return message(value, defaultRole: "assistant").map { [$0] } ?? []
                }
                return [Message(role: "assistant", content: value.serialized)]
            case .array(let items):
                return items.compactMap { message($0, defaultRole: "assistant") }
            default:
                break
            }
        }
        var fromEvents: [Message] = []
        for event in events?.array ?? [] {
            let attributes = event["attributes"] ?? .null
            switch event["name"]?.string {
            case "gen_ai.choice":
                let body = attributes["message"].flatMap { Conventions.parsedJSON($0) ?? $0 } ?? attributes
                if let m = message(body, defaultRole: "assistant") { fromEvents.append(m) }
            case "gen_ai.content.completion":
                if let completion = Conventions.parsed(attributes["gen_ai.completion"]) {
                    fromEvents += messageList(completion).map { var m = $0; if m.role == "user" { m.role = "assistant" }; return m }
                }
            default:
                continue
            }
        }
        if !fromEvents.isEmpty { return fromEvents }
        let fromLogs = logs.compactMap { log -> Message? in
            guard log.eventName == "gen_ai.choice", let body = log.body.flatMap({ try? JSONParser.parse($0) }) else { return nil }
            return message(body["message"] ?? body, defaultRole: "assistant")
        }
        if !fromLogs.isEmpty { return fromLogs }
        if let completion = Conventions.parsed(view.span["gen_ai.completion"]) {
            return messageList(completion).map { var m = $0; if m.role == "user" { m.role = "assistant" }; return m }
        }
        return []
    }

    /// The messages of a response body: OpenAI chat completions (`choices[].message`), the
    /// Anthropic messages API (`content` parts with `role`), or OpenAI responses (`output`).
    static func responseMessages(_ body: JSON) -> [Message]? {
        if let choices = body["choices"]?.array {
            return choices.compactMap { choice in
                if let m = choice["message"] { return message(m, defaultRole: "assistant") }
                return choice["text"]?.string.map { Message(role: "assistant", content: $0) }
            }
        }
        if body["role"]?.string == "assistant", let parts = body["content"]?.array {
            var calls: [ToolCall] = []
            for part in parts where part["type"]?.string == "tool_use" {
                calls.append(ToolCall(id: part["id"]?.text, name: part["name"]?.text ?? "", arguments: argumentsText(part["input"])))
            }
            let text = textOf(parts: parts.filter { $0["type"]?.string != "tool_use" }) ?? ""
            return [Message(role: "assistant", content: text, toolCalls: calls)]
        }
        if let output = body["output"]?.array {
            return output.compactMap { item in
                if item["type"]?.string == "function_call" {
                    return Message(role: "assistant", content: "", toolCalls: [
                        ToolCall(id: item["call_id"]?.text, name: item["name"]?.text ?? "", arguments: argumentsText(item["arguments"])),
                    ])
                }
                return message(item, defaultRole: "assistant")
            }
        }
        return nil
    }

    // MARK: - tool spans

    mutating func readToolCall(_ view: AttributeView) {
        let a = view.span
        let name = (a["gen_ai.tool.name"] ?? a["tool.name"] ?? a["tool_call.function.name"])?.text
        let id = (a["gen_ai.tool.call.id"] ?? a["tool.id"] ?? a["tool_call.id"]
            ?? a["langfuse.observation.metadata.tool_call_id"].map(AttributePath.decodeEmbedded))?.text
        var arguments = Self.argumentsText(a["gen_ai.tool.call.arguments"] ?? a["tool_call.function.arguments"]
            ?? a["input.value"] ?? a["langfuse.observation.input"])
        // OpenInference's `tool.parameters` is usually the tool's JSON schema, not this call's
        // arguments: taken only when it is not a schema.
        if arguments == nil, let parameters = a["tool.parameters"], let text = Self.argumentsText(parameters),
           Conventions.parsed(parameters)?["properties"] == nil {
            arguments = text
        }
        if name != nil || id != nil || arguments != nil {
            toolCalls = [ToolCall(id: id, name: name ?? "", arguments: arguments)]
        }
        toolResult = Self.valueText(a["gen_ai.tool.call.result"] ?? a["output.value"] ?? a["langfuse.observation.output"])
    }

    // MARK: - retrieval and embedding spans

    mutating func readRetrieval(_ view: AttributeView) {
        let a = view.span
        if let text = a["gen_ai.retrieval.query.text"]?.text ?? a["app.retrieval.query"]?.text {
            query = text
        } else if let input = Conventions.parsed(a["langfuse.observation.input"]) {
            query = input.string ?? input["query"]?.text ?? input.serialized
        } else if let value = a["input.value"] {
            query = value.text ?? value.serialized
        }
        documents = Self.documents(view)
    }

    static func documents(_ view: AttributeView) -> [Document] {
        let a = view.span
        let flattened = flattened(view.spanAttributes, prefix: "retrieval.documents")
        if !flattened.isEmpty {
            return flattened.map { members in
                func value(_ key: String) -> JSON? { members.first { $0.0 == "document." + key }?.1 }
                return Document(id: value("id")?.text, score: value("score")?.double, content: value("content")?.text)
            }
        }
        let list = Conventions.parsed(a["gen_ai.retrieval.documents"])?.array
            ?? Conventions.parsed(a["retrieval.documents"])?.array
            ?? (a["langfuse.observation.type"]?.text == "retriever" ? Conventions.parsed(a["langfuse.observation.output"])?.array : nil)
        if let list {
            return list.map { item in
                let document = item["document"] ?? item
                return Document(id: (document["id"] ?? document["doc_id"])?.text, score: document["score"]?.double,
                                content: (document["content"] ?? document["text"] ?? document["page_content"])?.text)
            }
        }
        // The bench's shape: ids and scores as parallel arrays, best first. Only returned
        // documents have ids; scores below the threshold have none and are not documents.
        let ids = Conventions.parsed(a["app.retrieval.document_ids"])?.array
        let scores = Conventions.parsed(a["app.retrieval.scores"])?.array ?? []
        if let ids {
            return ids.enumerated().map { i, id in Document(id: id.text, score: i < scores.count ? scores[i].double : nil) }
        }
        return scores.map { Document(score: $0.double) }
    }

    static func embeddingInput(_ view: AttributeView) -> String? {
        let texts = flattened(view.spanAttributes, prefix: "embedding.embeddings").compactMap { members in
            members.first { $0.0 == "embedding.text" }?.1.text
        }
        if !texts.isEmpty { return texts.joined(separator: "\n") }
        if let input = view.span["gen_ai.embeddings.input"] ?? view.span["langfuse.observation.input"] {
            return input.text ?? input.serialized
        }
        if let value = view.span["input.value"] {
            if let body = Conventions.parsedJSON(value), let input = body["input"] {
                return input.text ?? input.array?.compactMap(\.text).joined(separator: "\n") ?? input.serialized
            }
            return value.text
        }
        return nil
    }
}
