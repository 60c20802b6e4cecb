import Testing
@testable import Ingest
import Store

/// Message content in the older GenAI span-event forms.
@Suite struct ConventionEventsTests {
    func span(events: JSON) -> RawSpan {
        RawSpan(traceId: "ab", spanId: "01", parentSpanId: "00", name: "chat gpt-4o", startNs: 0, endNs: 1, status: "ok",
                statusMessage: nil, attributes: [("gen_ai.operation.name", .string("chat")), ("gen_ai.response.model", .string("gpt-4o"))],
                events: events, line: 1)
    }

    @Test func contentPromptAndCompletionEvents() {
        let events = JSON.array([
            .object([("name", .string("gen_ai.content.prompt")),
                     ("attributes", .object([("gen_ai.prompt", .string(#"[{"role":"system","content":"be nice"},{"role":"user","content":"Where is my order?"}]"#))]))]),
            .object([("name", .string("gen_ai.content.completion")),
                     ("attributes", .object([("gen_ai.completion", .string(#"[{"role":"assistant","content":"On its way."}]"#))]))]),
        ])
        let (kind, facts) = SpanMapper().map(span(events: events))
        #expect(kind == .llm)
        #expect(facts.input == "Where is my order?")
        #expect(facts.output == "On its way.")
    }

    @Test func userMessageAndChoiceEvents() {
        let events = JSON.array([
            .object([("name", .string("gen_ai.user.message")), ("attributes", .object([("content", .string("Do you ship to Ireland?"))]))]),
            .object([("name", .string("gen_ai.choice")),
                     ("attributes", .object([("index", .integer(0)), ("message", .string(#"{"role":"assistant","content":"We do."}"#))]))]),
        ])
        let (_, facts) = SpanMapper().map(span(events: events))
        #expect(facts.input == "Do you ship to Ireland?")
        #expect(facts.output == "We do.")
    }
}
