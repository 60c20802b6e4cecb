import Foundation
import Ingest
import Store
import Testing

/// `SpanContent` reads the same conversation from each convention's attributes, events and log
/// records: checked on known spans of every fixture recorded by the real libraries, and on
/// hand-written spans for the shapes the fixtures do not have.
@Suite struct SpanContentTests {
    typealias Message = SpanContent.Message
    typealias ToolCall = SpanContent.ToolCall
    typealias Document = SpanContent.Document

    static let goldSystem = "You are ShopAssist, the support assistant of an online shop. Answer in at most three sentences, cite the order number when you use one, and never invent policies. Customer tier: gold."
    static let standardSystem = "You are ShopAssist, the support assistant of an online shop. Answer in at most three sentences, cite the order number when you use one, and never invent policies. Customer tier: standard."
    static let orderQuestion = "Where is my order A-10442? It was due yesterday."
    static let orderAnswer = "Your order A-10442 is on its way with DHL and should arrive on 28 November. Sorry for the delay!"
    /// The tool's result as the app wrote it into the next prompt (Python's `json.dumps` spacing).
    static let orderResult = #"{"order_id": "A-10442", "status": "in_transit", "carrier": "DHL", "eta": "2026-11-28"}"#
    static let shoesQuestion = "How long do I have to return shoes?"
    static let shoesQuery = "how long do I have to return shoes"
    static let shoesAnswer = "You can return unworn shoes within 30 days of delivery; the refund reaches your original payment method within 5 business days."

    /// The content of one stored span, read from its row as `show` and replay read it.
    static func content(_ db: Database, trace: String, span: String) throws -> SpanContent {
        let row = try #require(try db.traceSpans(id: trace).first { $0.spanId == span }, "span \(span) of \(trace)")
        let logs = try db.traceLogs(id: trace).filter { $0.spanId == span }
        return SpanContent.extract(attributesJSON: row.attributes, eventsJSON: row.events, logs: logs,
                                   kind: SpanKind(rawValue: row.kind))
    }

    // MARK: - OpenTelemetry GenAI, current conventions

    @Test func genAILatestMessagesPartsToolCallsAndResponses() throws {
        let db = try ShowFixtures.store("otel-genai-latest.jsonl")
        let trace = "bfd1b4c9326b40d5657d08ccef809fc9"
        let call = ToolCall(id: "call_rgHWmaaVWvMUg6MGUlIP7suq", name: "order_lookup", arguments: #"{"order_id":"A-10442"}"#)

        let step = try Self.content(db, trace: trace, span: "a2514fd74db652a5")
        #expect(step.messages == [Message(role: "system", content: Self.goldSystem), Message(role: "user", content: Self.orderQuestion)])
        #expect(step.output == nil)
        #expect(step.outputMessages == [Message(role: "assistant", content: "", toolCalls: [call])])
        #expect(step.toolCalls == [call])

        let answer = try Self.content(db, trace: trace, span: "93480a9b6a95f40a")
        #expect(answer.messages == [
            Message(role: "system", content: Self.goldSystem),
            Message(role: "user", content: Self.orderQuestion),
            Message(role: "assistant", content: "", toolCalls: [call]),
            Message(role: "tool", content: Self.orderResult, toolCallId: "call_rgHWmaaVWvMUg6MGUlIP7suq"),
        ])
        #expect(answer.output == Self.orderAnswer)
        #expect(answer.toolCalls.isEmpty)
        #expect(answer.promptMessages == answer.messages)

        let tool = try Self.content(db, trace: trace, span: "d3e13ba8bb97d157")
        #expect(tool.toolCalls == [call])
        #expect(tool.toolResult == #"{"order_id":"A-10442","status":"in_transit","carrier":"DHL","eta":"2026-11-28"}"#)
        #expect(tool.messages.isEmpty && tool.output == nil)

        let retrieval = try Self.content(db, trace: "ac33bcc06711669e7cec6ebb092df3d0", span: "4251c9449537bd5d")
        #expect(retrieval.query == Self.shoesQuery)
        #expect(retrieval.documents == [Document(id: "doc-3303", score: 0.8421), Document(id: "doc-0121", score: 0.7719),
                                        Document(id: "doc-2270", score: 0.6034)])

        // A filtered answer: one assistant message with nothing in it, and no output.
        let filtered = try Self.content(db, trace: "5b1248a757f4605968a8bcf56b670c9c", span: "30bce2d4ea37f3e3")
        #expect(filtered.outputMessages == [Message(role: "assistant", content: "")])
        #expect(filtered.output == nil)
        #expect(filtered.messages.last == Message(role: "user", content: "Your courier is a [expletive] and I will find where he lives."))

        // Spans without content (the HTTP root, the agent) have none.
        #expect(try Self.content(db, trace: trace, span: "f59bddef762a6192").isEmpty)
    }

    // MARK: - OpenTelemetry GenAI, older conventions (content in log records)

    @Test func genAILegacyMessagesComeFromTheLogRecords() throws {
        let db = try ShowFixtures.store("otel-genai-legacy.json")
        let trace = "a8b92ed248c7d552af6a512fbcdc8b9c"
        let call = ToolCall(id: "call_ljDWoczwpNBh2IwDuwo5T8Hp", name: "order_lookup", arguments: #"{"order_id": "A-10442"}"#)

        let step = try Self.content(db, trace: trace, span: "bf7854745c92b6f9")
        #expect(step.messages == [Message(role: "system", content: Self.goldSystem), Message(role: "user", content: Self.orderQuestion)])
        #expect(step.outputMessages == [Message(role: "assistant", content: "", toolCalls: [call])])
        #expect(step.output == nil)

        let answer = try Self.content(db, trace: trace, span: "00f24cdc675a8f4c")
        #expect(answer.messages == [
            Message(role: "system", content: Self.goldSystem),
            Message(role: "user", content: Self.orderQuestion),
            Message(role: "assistant", content: "", toolCalls: [call]),
            Message(role: "tool", content: Self.orderResult, toolCallId: "call_ljDWoczwpNBh2IwDuwo5T8Hp"),
        ])
        #expect(answer.output == Self.orderAnswer)

        // The span itself has only the call id (TraceTree fills the rest from its neighbours).
        let tool = try Self.content(db, trace: trace, span: "d0ad2dab9f1c0c06")
        #expect(tool.toolCalls == [ToolCall(id: "call_ljDWoczwpNBh2IwDuwo5T8Hp", name: "order_lookup")])
        #expect(tool.toolResult == nil)

        // The app's own retrieval attributes: ids and scores side by side.
        let retrieval = try Self.content(db, trace: "be60b7434160f40f7886f708fb1e96b5", span: "71d929a4b697c56c")
        #expect(retrieval.documents == [Document(id: "doc-3303", score: 0.8421), Document(id: "doc-0121", score: 0.7719),
                                        Document(id: "doc-2270", score: 0.6034)])

        let filtered = try Self.content(db, trace: "96680539fdaa155cfea7f7ad64b64703", span: "fe396a3c597e008b")
        #expect(filtered.messages == [Message(role: "system", content: Self.standardSystem),
                                      Message(role: "user", content: "Your courier is a [expletive] and I will find where he lives.")])
        #expect(filtered.outputMessages == [Message(role: "assistant", content: "")])
        #expect(filtered.output == nil)
    }

    // MARK: - OpenInference

    @Test func openInferenceFlattenedMessagesToolsAndDocuments() throws {
        let db = try ShowFixtures.store("openinference-openai.jsonl")
        let trace = "2821ba8318c533f02b84ab7d71bf2f4c"
        let call = ToolCall(id: "call_2Ah0wmECDtfIVDvWimjjNCgd", name: "order_lookup", arguments: #"{"order_id": "A-10442"}"#)

        let step = try Self.content(db, trace: trace, span: "644e051285fc748c")
        #expect(step.messages == [Message(role: "system", content: Self.goldSystem), Message(role: "user", content: Self.orderQuestion)])
        #expect(step.outputMessages == [Message(role: "assistant", content: "", toolCalls: [call])])
        // The response body in `output.value` is not an answer.
        #expect(step.output == nil)

        let answer = try Self.content(db, trace: trace, span: "8bf4fc603d097659")
        #expect(answer.messages == [
            Message(role: "system", content: Self.goldSystem),
            Message(role: "user", content: Self.orderQuestion),
            Message(role: "assistant", content: "", toolCalls: [call]),
            Message(role: "tool", content: Self.orderResult, toolCallId: "call_2Ah0wmECDtfIVDvWimjjNCgd"),
        ])
        #expect(answer.output == Self.orderAnswer)

        // `tool.parameters` is the tool's schema here; the arguments are `input.value`.
        let tool = try Self.content(db, trace: trace, span: "b6612493c8098b6c")
        #expect(tool.toolCalls == [call])
        #expect(tool.toolResult == Self.orderResult)

        let chain = try Self.content(db, trace: trace, span: "97587a9ecd4c400e")
        #expect(chain.messages == [Message(role: "user", content: Self.orderQuestion)])
        #expect(chain.output == Self.orderAnswer)

        let retrieval = try Self.content(db, trace: "84319da56bcfff10ace14213ceb051f7", span: "77a1ba04edeac250")
        #expect(retrieval.query == Self.shoesQuery)
        #expect(retrieval.documents == [
            Document(id: "doc-3303", score: 0.8421, content: "Returns: unworn shoes can be returned within 30 days of delivery."),
            Document(id: "doc-0121", score: 0.7719, content: "Refunds are issued to the original payment method within 5 business days."),
            Document(id: "doc-2270", score: 0.6034, content: "Sale items are final sale unless faulty."),
        ])
        let embedding = try Self.content(db, trace: "84319da56bcfff10ace14213ceb051f7", span: "57220b3f5c80825b")
        #expect(embedding.query == Self.shoesQuery)

        // The failed call: its prompt, and no output.
        let failed = try Self.content(db, trace: "0f4abba35690682d219523f47c147e43", span: "9bf268598b09a6f1")
        #expect(failed.messages == [Message(role: "system", content: Self.goldSystem),
                                    Message(role: "user", content: "Why was I charged twice for invoice INV-88213?")])
        #expect(failed.output == nil && failed.outputMessages.isEmpty)
    }

    // MARK: - Langfuse

    @Test func langfuseObservationInputAndOutput() throws {
        let db = try ShowFixtures.store("langfuse-openai.jsonl")
        let trace = "7bc0fe086e4015c9a0996e67ad9bfe96"
        let call = ToolCall(id: "call_wpruGlX9Vjm4CabybfBA5oAB", name: "order_lookup", arguments: #"{"order_id": "A-10442"}"#)

        let step = try Self.content(db, trace: trace, span: "9a7df067cc6b0206")
        #expect(step.messages == [Message(role: "system", content: Self.goldSystem), Message(role: "user", content: Self.orderQuestion)])
        #expect(step.outputMessages == [Message(role: "assistant", content: "", toolCalls: [call])])
        #expect(step.output == nil)

        let answer = try Self.content(db, trace: trace, span: "8a4a92d084facdaa")
        #expect(answer.messages == [
            Message(role: "system", content: Self.goldSystem),
            Message(role: "user", content: Self.orderQuestion),
            Message(role: "assistant", content: "", toolCalls: [call]),
            Message(role: "tool", content: Self.orderResult, toolCallId: "call_wpruGlX9Vjm4CabybfBA5oAB"),
        ])
        #expect(answer.output == Self.orderAnswer)

        // The tool observation names no tool: its span name does (TraceTree fills it in).
        let tool = try Self.content(db, trace: trace, span: "341e39a2ba91c941")
        #expect(tool.toolCalls == [ToolCall(id: "call_wpruGlX9Vjm4CabybfBA5oAB", name: "", arguments: #"{"order_id": "A-10442"}"#)])
        #expect(tool.toolResult == Self.orderResult)

        let agent = try Self.content(db, trace: trace, span: "58c2edc86885550f")
        #expect(agent.messages == [Message(role: "user", content: Self.orderQuestion)])
        #expect(agent.output == Self.orderAnswer)

        let retrieval = try Self.content(db, trace: "2c1f0841ea03fabcaa1f7bf434dd3a3c", span: "fde1446c4d9241b1")
        #expect(retrieval.query == Self.shoesQuery)
        #expect(retrieval.documents.map(\.id) == ["doc-3303", "doc-0121", "doc-2270"])
        #expect(retrieval.documents.first == Document(id: "doc-3303", score: 0.8421,
                                                      content: "Returns: unworn shoes can be returned within 30 days of delivery."))

        let answerWithContext = try Self.content(db, trace: "2c1f0841ea03fabcaa1f7bf434dd3a3c", span: "b9d6369c2c7f7486")
        #expect(answerWithContext.messages.map(\.role) == ["system", "user"])
        #expect(answerWithContext.messages.first?.content.hasSuffix("Sale items are final sale unless faulty.") == true)
        #expect(answerWithContext.output == Self.shoesAnswer)
    }

    // MARK: - every fixture: the final answer's content agrees with the trace row

    @Test(arguments: ["otel-genai-latest.jsonl", "otel-genai-legacy.json", "openinference-openai.jsonl", "langfuse-openai.jsonl"])
    func theFinalAnswersPromptEndsWithTheTracesInput(file: String) throws {
        let db = try ShowFixtures.store(file)
        for row in try db.query("SELECT trace_id, input, output FROM traces").rows {
            let trace = try #require(row[0].stringValue)
            let spans = try db.traceSpans(id: trace).filter { $0.kind == "llm" }
            let logs = try db.traceLogs(id: trace)
            let contents = spans.map { span in
                SpanContent.extract(attributesJSON: span.attributes, eventsJSON: span.events,
                                    logs: logs.filter { $0.spanId == span.spanId }, kind: .llm)
            }
            // Every LLM call's prompt has the user's question as its last user message.
            for content in contents {
                #expect(content.promptMessages.last { $0.role == "user" }?.content == row[1].stringValue, "\(file) \(trace)")
                #expect(content.promptMessages.first?.role == "system", "\(file) \(trace)")
            }
            if let output = row[2].stringValue {
                #expect(contents.contains { $0.output == output }, "\(file) \(trace)")
            }
        }
    }

    // MARK: - shapes the fixtures do not have

    static func attributes(_ json: String) throws -> [(String, JSON)] {
        try #require(try JSONParser.parse(json).object)
    }

    @Test func systemInstructionsComeFirst() throws {
        let attrs = try Self.attributes(#"""
            {"gen_ai.operation.name": "chat",
             "gen_ai.system_instructions": "[{\"type\":\"text\",\"content\":\"Be brief.\"}]",
             "gen_ai.input.messages": "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"hi\"},{\"type\":\"uri\",\"uri\":\"https://x/y.png\"}]}]",
             "gen_ai.output.messages": "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"reasoning\",\"content\":\"hmm\"},{\"type\":\"text\",\"content\":\"hello\"}]}]"}
            """#)
        let content = SpanContent.extract(attributes: attrs)
        #expect(content.messages == [Message(role: "system", content: "Be brief."), Message(role: "user", content: "hi\n[uri]")])
        #expect(content.output == "hello")
        #expect(SpanContent.promptMessages(attributes: attrs) == content.messages)
    }

    @Test func olderIndexedPromptAndCompletionAttributes() throws {
        let attrs = try Self.attributes(#"""
            {"gen_ai.system": "openai", "gen_ai.prompt.name": "support", "gen_ai.operation.name": "chat",
             "gen_ai.prompt.0.role": "system", "gen_ai.prompt.0.content": "Be kind.",
             "gen_ai.prompt.1.role": "user", "gen_ai.prompt.1.content": "refund?",
             "gen_ai.prompt.10.role": "user", "gen_ai.prompt.10.content": "later",
             "gen_ai.completion.0.role": "assistant",
             "gen_ai.completion.0.tool_calls.0.id": "c1", "gen_ai.completion.0.tool_calls.0.name": "refund_check",
             "gen_ai.completion.0.tool_calls.0.arguments": "{\"order\":1}"}
            """#)
        let content = SpanContent.extract(attributes: attrs)
        // Indexes in numeric order (10 after 1), `gen_ai.prompt.name` is not a message.
        #expect(content.messages == [Message(role: "system", content: "Be kind."), Message(role: "user", content: "refund?"),
                                     Message(role: "user", content: "later")])
        #expect(content.toolCalls == [ToolCall(id: "c1", name: "refund_check", arguments: #"{"order":1}"#)])
        #expect(content.output == nil)
    }

    @Test func messageEventsOnTheSpan() throws {
        let events = try JSONParser.parse(#"""
            [{"name": "gen_ai.system.message", "attributes": {"content": "Be kind."}},
             {"name": "gen_ai.user.message", "attributes": {"content": "refund?"}},
             {"name": "gen_ai.choice", "attributes": {"message": "{\"role\":\"assistant\",\"content\":\"Yes.\"}", "finish_reason": "stop"}}]
            """#)
        let content = SpanContent.extract(attributes: [("gen_ai.operation.name", .string("chat"))], events: events)
        #expect(content.messages == [Message(role: "system", content: "Be kind."), Message(role: "user", content: "refund?")])
        #expect(content.output == "Yes.")
    }

    @Test func nativeShapeInputAndOutputValues() throws {
        let llm = try Self.attributes(#"{"gen_ai.request.model": "gpt-4o", "input.value": "is it compatible?", "output.value": "Yes."}"#)
        let content = SpanContent.extract(attributes: llm, kind: .llm)
        #expect(content.promptMessages == [Message(role: "user", content: "is it compatible?")])
        #expect(content.output == "Yes.")
        // A content-filtered answer in the bench's shape: an empty output.
        let filtered = SpanContent.extract(attributes: try Self.attributes(#"{"input.value": "q", "output.value": ""}"#), kind: .llm)
        #expect(filtered.output == "")

        let retrieval = SpanContent.extract(attributes: try Self.attributes(
            #"{"app.retrieval.index": "kb", "app.retrieval.scores": [0.5, 0.4, 0.1], "app.retrieval.document_ids": ["d1", "d2"]}"#))
        #expect(retrieval.documents == [Document(id: "d1", score: 0.5), Document(id: "d2", score: 0.4)])
        let empty = SpanContent.extract(attributes: try Self.attributes(
            #"{"app.retrieval.index": "kb", "app.retrieval.scores": [0.2, 0.1], "app.retrieval.document_ids": []}"#))
        #expect(empty.documents.isEmpty)

        let tool = SpanContent.extract(attributes: try Self.attributes(
            #"{"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "t", "gen_ai.tool.call.arguments": {"a": [1, 2]}, "gen_ai.tool.call.result": {"ok": true}}"#))
        #expect(tool.toolCalls == [ToolCall(name: "t", arguments: #"{"a":[1,2]}"#)])
        #expect(tool.toolResult == #"{"ok":true}"#)
    }

    @Test func responseBodiesInOutputValue() throws {
        let anthropic = try Self.attributes(#"""
            {"openinference.span.kind": "LLM", "input.value": "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"weather?\"}]}]}",
             "output.value": "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Checking.\"},{\"type\":\"tool_use\",\"id\":\"tu1\",\"name\":\"weather\",\"input\":{\"city\":\"Oslo\"}}]}"}
            """#)
        let content = SpanContent.extract(attributes: anthropic)
        #expect(content.messages == [Message(role: "user", content: "weather?")])
        #expect(content.outputMessages == [Message(role: "assistant", content: "Checking.",
                                                   toolCalls: [ToolCall(id: "tu1", name: "weather", arguments: #"{"city":"Oslo"}"#)])])
        #expect(content.output == "Checking.")
    }

    @Test func unparsableStoredTextIsNoContent() {
        let content = SpanContent.extract(attributesJSON: "{not json", eventsJSON: "[", kind: .llm)
        #expect(content.isEmpty)
    }
}
