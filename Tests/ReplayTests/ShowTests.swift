import Foundation
import Ingest
import Replay
@testable import Store
import Testing

/// Stores for the `show` tests: the shared OTLP fixtures, and native traces a test writes.
enum ShowFixtures {
    /// ../shared/fixtures/otel, from this file's place in the package.
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/fixtures/otel")

    static func temporaryDirectory(_ name: String) -> URL {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("relops-show-\(getpid())-\(safe)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A fresh store holding one fixture file (and its companion log file, if any).
    static func store(_ file: String) throws -> Database {
        let db = try Database(path: temporaryDirectory(file).appendingPathComponent("t.db").path)
        _ = try Loader(database: db).load(directory.appendingPathComponent(file).path)
        return db
    }

    /// A fresh store holding `lines` written as a native JSON-lines file.
    static func nativeStore(_ lines: [String], name: String = #function) throws -> Database {
        let dir = temporaryDirectory(name)
        let file = dir.appendingPathComponent("traces.jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
        let db = try Database(path: dir.appendingPathComponent("t.db").path)
        _ = try Loader(database: db).load(file.path)
        return db
    }

    /// One native span line; times in milliseconds after 2026-11-03T00:00:00Z.
    static func span(_ trace: String, _ id: String, parent: String?, kind: String, name: String, startMs: Int, endMs: Int,
                     status: String = "ok", attributes: String = "{}") -> String {
        func time(_ ms: Int) -> String {
            String(format: "2026-11-03T00:00:%02d.%03dZ", ms / 1000, ms % 1000)
        }
        let parentJSON = parent.map { "\"\($0)\"" } ?? "null"
        return #"{"trace_id":"\#(trace)","span_id":"\#(id)","parent_span_id":\#(parentJSON),"kind":"\#(kind)","name":"\#(name)","start_time":"\#(time(startMs))","end_time":"\#(time(endMs))","status":"\#(status)","attributes":\#(attributes)}"#
    }
}

/// `TraceTree`: the tree's shape and timing, the final answer, linking tool calls across spans,
/// and resolving a trace id prefix like git.
@Suite struct ShowTests {
    static let trace = "7f3c0d9e2b1a48c6a5e4d3c2b1a09f8e"

    /// One request with a retrieval, a tool-calling LLM step and its tool, the answer, an orphan
    /// whose parent was never loaded, and two spans whose parents point at each other. Lines are
    /// written out of order, as exporters write them.
    static let nativeTrace: [String] = [
        ShowFixtures.span(trace, "00000000000000d1", parent: "00000000000000a1", kind: "llm", name: "chat answer",
                          startMs: 600, endMs: 900,
                          attributes: #"{"gen_ai.request.model":"gpt-4o","gen_ai.response.model":"gpt-4o-2024-08-06","gen_ai.response.finish_reasons":["stop"],"llm.prompt_template.version":"v2","input.value":"where is my parcel?","output.value":"It arrives tomorrow."}"#),
        ShowFixtures.span(trace, "00000000000000c1", parent: "00000000000000b1", kind: "tool", name: "execute_tool order_lookup",
                          startMs: 150, endMs: 250, status: "error",
                          attributes: #"{"gen_ai.tool.name":"order_lookup","gen_ai.tool.call.id":"call_1","gen_ai.tool.call.arguments":{"order_id":"A-1"},"error.type":"TimeoutError"}"#),
        ShowFixtures.span(trace, "00000000000000b1", parent: "00000000000000a1", kind: "llm", name: "chat router",
                          startMs: 100, endMs: 500,
                          attributes: #"{"gen_ai.response.model":"gpt-4o-mini","gen_ai.response.finish_reasons":["tool_calls"],"input.value":"where is my parcel?"}"#),
        ShowFixtures.span(trace, "00000000000000e1", parent: "ffffffffffffffff", kind: "other", name: "lost child",
                          startMs: 50, endMs: 60),
        ShowFixtures.span(trace, "0000000000000001", parent: "0000000000000002", kind: "other", name: "loop one",
                          startMs: 700, endMs: 710),
        ShowFixtures.span(trace, "0000000000000002", parent: "0000000000000001", kind: "other", name: "loop two",
                          startMs: 705, endMs: 708),
        ShowFixtures.span(trace, "00000000000000f1", parent: "00000000000000a1", kind: "retrieval", name: "retrieve kb",
                          startMs: 10, endMs: 60,
                          attributes: #"{"app.retrieval.index":"kb","app.retrieval.scores":[0.91,0.62,0.2],"app.retrieval.document_ids":["doc-1","doc-2"]}"#),
        ShowFixtures.span(trace, "00000000000000a1", parent: nil, kind: "root", name: "POST /v1/chat", startMs: 0, endMs: 1000,
                          attributes: #"{"service.name":"shop","app.release":"r1"}"#),
    ]

    @Test func theTreeOrdersChildrenByStartAndAttachesOrphansUnderTheRoot() throws {
        let db = try ShowFixtures.nativeStore(Self.nativeTrace)
        let tree = try TraceTree.load(database: db, idPrefix: "7f3c0d9e")
        #expect(tree.traceId == Self.trace)
        #expect(tree.hasSummaryRow)
        let shape = tree.spans.map { "\($0.depth) \($0.name)\($0.isOrphan ? " (orphan)" : "")" }
        #expect(shape == [
            "0 POST /v1/chat",
            "1 retrieve kb",
            "1 lost child (orphan)",
            "1 chat router",
            "2 execute_tool order_lookup",
            "1 chat answer",
            "1 loop one (orphan)",
            "2 loop two",
        ])
        #expect(tree.spans.map(\.startOffsetMs) == [0, 10, 50, 100, 150, 600, 700, 705])
        #expect(tree.spans.map(\.durationMs) == [1000, 50, 10, 400, 100, 300, 10, 3])
        #expect(tree.startNs == tree.summary.startNs)
        #expect(tree.endNs - tree.startNs == 1_000_000_000)
    }

    @Test func eachNodeCarriesItsFactsContentAndTheFinalAnswerMark() throws {
        let db = try ShowFixtures.nativeStore(Self.nativeTrace)
        let tree = try TraceTree.load(database: db, idPrefix: Self.trace)
        func node(_ name: String) throws -> TraceTree.Node {
            try #require(tree.spans.first { $0.name == name })
        }
        // The router asked for a tool: not the final answer; the answer call is.
        #expect(tree.finalAnswer?.name == "chat answer")
        #expect(try node("chat router").isFinalAnswer == false)
        let answer = try node("chat answer")
        #expect(answer.model == "gpt-4o-2024-08-06")
        #expect(answer.requestModel == "gpt-4o")
        #expect(answer.finishReason == "stop")
        #expect(answer.versions.map { "\($0.name)=\($0.value)" } == ["prompt_version=v2"])
        #expect(answer.content.promptMessages == [SpanContent.Message(role: "user", content: "where is my parcel?")])
        #expect(answer.content.output == "It arrives tomorrow.")

        let tool = try node("execute_tool order_lookup")
        #expect(tool.status == "error")
        #expect(tool.errorType == "TimeoutError")
        #expect(tool.content.toolCalls == [SpanContent.ToolCall(id: "call_1", name: "order_lookup", arguments: #"{"order_id":"A-1"}"#)])

        let retrieval = try node("retrieve kb")
        #expect(retrieval.content.documents == [SpanContent.Document(id: "doc-1", score: 0.91), SpanContent.Document(id: "doc-2", score: 0.62)])

        let root = try node("POST /v1/chat")
        #expect(root.attributes.map(\.0) == ["service.name", "app.release"])
        // `app.release` is not a convention's attribute: without a workspace mapping it is no version.
        #expect(root.versions.isEmpty)
        #expect(root.facts.service == "shop")
        #expect(try node("lost child").parentSpanId == "ffffffffffffffff")
    }

    @Test func legacyToolSpansGetArgumentsAndResultsFromTheCallsAroundThem() throws {
        let db = try ShowFixtures.store("otel-genai-legacy.json")
        let tree = try TraceTree.load(database: db, idPrefix: "A8B92ED2")
        #expect(tree.spans.map(\.kind) == ["root", "llm", "tool", "llm"])
        #expect(tree.spans.map(\.depth) == [0, 1, 1, 1])
        let tool = tree.spans[2]
        // The legacy instrumentation records neither on the tool span: both come from the log
        // records of the calls before and after it, matched by call id.
        #expect(tool.content.toolCalls == [SpanContent.ToolCall(id: "call_ljDWoczwpNBh2IwDuwo5T8Hp", name: "order_lookup",
                                                                 arguments: #"{"order_id": "A-10442"}"#)])
        #expect(tool.content.toolResult == #"{"order_id": "A-10442", "status": "in_transit", "carrier": "DHL", "eta": "2026-11-28"}"#)
        #expect(tree.finalAnswer?.spanId == "00f24cdc675a8f4c")
        #expect(tree.finalAnswer?.logs.map { $0.eventName ?? "" } == [
            "gen_ai.system.message", "gen_ai.user.message", "gen_ai.assistant.message", "gen_ai.tool.message", "gen_ai.choice",
        ])
        #expect(tree.resources.count == 1)
        #expect(tree.spans.allSatisfy { $0.resourceIndex == 0 })
        // The failed tool's result is not filled from the next prompt: it has none.
        let failed = try TraceTree.load(database: db, idPrefix: "fd3f515e").spans.first { $0.kind == "tool" }
        #expect(failed?.status == "error")
        #expect(failed?.content.toolResult == nil)
        #expect(failed?.content.toolCalls.first?.arguments == #"{"postcode": "10115", "sku": "GR-58"}"#)
    }

    @Test func everyFixtureTraceLoadsAsOneTreeWithEachSpanOnce() throws {
        for file in ["otel-genai-latest.jsonl", "otel-genai-legacy.json", "openinference-openai.jsonl", "langfuse-openai.jsonl"] {
            let db = try ShowFixtures.store(file)
            let ids = try db.query("SELECT trace_id, spans FROM traces ORDER BY trace_id").rows
            #expect(ids.count == 7, "\(file)")
            for row in ids {
                let id = try #require(row[0].stringValue)
                let tree = try TraceTree.load(database: db, idPrefix: String(id.prefix(8)))
                #expect(Int64(tree.spans.count) == row[1].int64Value, "\(file) \(id)")
                #expect(Set(tree.spans.map(\.spanId)).count == tree.spans.count)
                #expect(tree.spans.first?.depth == 0)
                #expect(tree.spans.filter { $0.depth == 0 }.count == 1, "\(file) \(id): one root")
                #expect(!tree.spans.contains { $0.isOrphan })
                // Children start no earlier than their parent, and siblings in start order.
                for (i, node) in tree.spans.enumerated() where node.depth > 0 {
                    // Walking back: deeper spans are the previous sibling's subtree; the first span
                    // at this depth is that sibling; the first one shallower is the parent.
                    var j = i - 1
                    while j >= 0, tree.spans[j].depth > node.depth { j -= 1 }
                    if j >= 0, tree.spans[j].depth == node.depth {
                        #expect(tree.spans[j].startOffsetMs <= node.startOffsetMs)
                        while j >= 0, tree.spans[j].depth >= node.depth { j -= 1 }
                    }
                    let parent = try #require(j >= 0 ? tree.spans[j] : nil)
                    #expect(parent.depth == node.depth - 1)
                    #expect(parent.spanId == node.parentSpanId)
                    #expect(parent.startOffsetMs <= node.startOffsetMs)
                }
                #expect(tree.finalAnswer != nil)
                #expect(tree.finalAnswer?.content.output == tree.summary.text("output"), "\(file) \(id)")
            }
        }
    }

    // MARK: - id prefixes

    static func prefixStore(_ name: String = #function) throws -> Database {
        let ids = ["abcd0000000000000000000000000001", "abcd0000000000000000000000000002", "abce0000000000000000000000000003",
                   "12340000000000000000000000000004"] + (1...7).map { String(format: "beef%028x", $0) }
        return try ShowFixtures.nativeStore(ids.enumerated().map { i, id in
            ShowFixtures.span(id, "00000000000000a1", parent: nil, kind: "root", name: "r", startMs: i * 10, endMs: i * 10 + 5)
        } + [ShowFixtures.span("t1", "00000000000000a1", parent: nil, kind: "root", name: "short", startMs: 0, endMs: 1)], name: name)
    }

    @Test(arguments: [
        ("abce", "abce0000000000000000000000000003"),
        ("ABCE00", "abce0000000000000000000000000003"),
        ("abcd0000000000000000000000000002", "abcd0000000000000000000000000002"),
        (" 1234 ", "12340000000000000000000000000004"),
        ("T1", "t1"),
    ])
    func aUniquePrefixNamesItsTrace(prefix: String, id: String) throws {
        let db = try Self.prefixStore()
        #expect(try db.resolveTraceID(prefix: prefix) == .unique(id))
        #expect(try TraceTree.resolve(database: db, idPrefix: prefix) == id)
    }

    @Test func anAmbiguousPrefixListsCandidatesWithTheirTimes() throws {
        let db = try Self.prefixStore()
        guard case .ambiguous(let count, let candidates) = try db.resolveTraceID(prefix: "abcd") else {
            Issue.record("abcd should be ambiguous")
            return
        }
        #expect(count == 2)
        #expect(candidates == [
            TraceCandidate(traceId: "abcd0000000000000000000000000001", ts: "2026-11-03T00:00:00.000000Z"),
            TraceCandidate(traceId: "abcd0000000000000000000000000002", ts: "2026-11-03T00:00:00.010000Z"),
        ])
        let error = try #require(throws: TraceLookupError.self) { try TraceTree.load(database: db, idPrefix: "ABCD") }
        #expect(error.description == """
            `ABCD` matches 2 traces; give more characters of the id:
              abcd0000000000000000000000000001  2026-11-03T00:00:00.000000Z
              abcd0000000000000000000000000002  2026-11-03T00:00:00.010000Z
            """)

        // Seven matches: five listed, and how many more.
        let many = try #require(throws: TraceLookupError.self) { try TraceTree.resolve(database: db, idPrefix: "beef") }
        #expect(many.reason == .ambiguous(count: 7, candidates: (1...5).map {
            TraceCandidate(traceId: String(format: "beef%028x", $0), ts: "2026-11-03T00:00:00.\(String(format: "%02d", 3 + $0))0000Z")
        }))
        #expect(many.description.hasSuffix("\n  … and 2 more"))
    }

    @Test func noMatchAndTooShortAreErrors() throws {
        let db = try Self.prefixStore()
        #expect(try db.resolveTraceID(prefix: "ffff") == .none)
        #expect(throws: TraceLookupError(prefix: "ffff", reason: .notFound)) { try TraceTree.resolve(database: db, idPrefix: "ffff") }
        #expect(TraceLookupError(prefix: "ffff", reason: .notFound).description == "no trace id starts with `ffff`")
        #expect(TraceLookupError(prefix: "zzzz", reason: .notFound).description
                == "no trace id starts with `zzzz` (trace ids are hex digits)")
        guard case .malformed(let why) = try db.resolveTraceID(prefix: "abc") else {
            Issue.record("a 3-character prefix should be refused")
            return
        }
        #expect(why == "`abc` is too short: give at least 4 characters of the trace id")
        guard case .malformed = try db.resolveTraceID(prefix: "  ") else {
            Issue.record("an empty prefix should be refused")
            return
        }
        // The next prefix up is not a match: the range's upper bound is exclusive.
        #expect(try db.resolveTraceID(prefix: "abcf") == .none)
    }

    @Test func thePrefixLookupIsAnIndexRange() throws {
        let db = try Self.prefixStore()
        #expect(Database.upperBound(ofPrefix: "4bfa") == "4bfb")
        #expect(Database.upperBound(ofPrefix: "abc9") == "abc:")
        let plan = try db.query("EXPLAIN QUERY PLAN " + Database.traceIDRangeSQL, [.text("abcd"), .text("abce"), .integer(5)])
        let detail = plan.rows.compactMap { $0.last?.stringValue }.joined(separator: "\n")
        #expect(detail.contains("USING INDEX traces_id (trace_id>? AND trace_id<?)") || detail.contains("USING COVERING INDEX traces_id"),
                "\(detail)")
        let spans = try db.query("EXPLAIN QUERY PLAN " + Database.spanTraceIDRangeSQL, [.text("abcd"), .text("abce"), .integer(5)])
        let spansPlan = spans.rows.compactMap { $0.last?.stringValue }.joined(separator: "\n")
        #expect(spansPlan.contains("spans_ids"), "\(spansPlan)")
    }

    @Test func aTraceWithoutASummaryRowIsShownFromItsSpans() throws {
        let db = try ShowFixtures.nativeStore(Self.nativeTrace)
        try db.execute("DELETE FROM traces")
        let tree = try TraceTree.load(database: db, idPrefix: "7f3c")
        #expect(!tree.hasSummaryRow)
        #expect(tree.summary.latencyMs == 1000)
        #expect(tree.summary.ts == "2026-11-03T00:00:00.000000Z")
        #expect(tree.spans.count == 8)
    }
}
