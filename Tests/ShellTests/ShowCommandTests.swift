import Foundation
import Testing

/// `show` through the real binary: the tree and waterfall in text, the JSON document, the
/// `attributes` option, and the errors for prefixes that name no trace or several.
@Suite struct ShowCommandTests {
    let fixture = RelopsBinary.fixturesDir.appendingPathComponent("otel-genai-latest.jsonl").path

    /// A store holding the fixture's 7 traces.
    func loadedStore(_ name: String = #function) throws -> String {
        let db = RelopsBinary.temporaryDirectory(name).appendingPathComponent("t.db").path
        let load = try RelopsBinary.run(["--db", db, "-c", "load \(fixture)"])
        #expect(load.status == 0, "\(load.stderr)")
        return db
    }

    /// Terminal columns a line takes (block and box characters are one column each).
    static func columns(_ line: Substring) -> Int { line.count }

    @Test func textShowsTheTreeWaterfallAndContent() throws {
        let db = try loadedStore()
        let run = try RelopsBinary.run(["--db", db, "-c", "show bfd1b4c9"])
        #expect(run.status == 0, "\(run.stderr)")
        let out = run.stdout
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.hasPrefix("trace bfd1b4c9326b40d5657d08ccef809fc9 · POST /v1/chat · ") == true, "\(out)")
        #expect(out.contains("\ninput     Where is my order A-10442? It was due yesterday.\n"))
        #expect(out.contains("\nsignals   refused no · safety_flagged no · error no · tool_errors 0\n"))
        // One line per span, drawn as a tree, in start order.
        let spanLines = lines.filter { $0.hasPrefix("root ") || $0.contains("─ ") }
        #expect(spanLines.map { $0.split(separator: " ").prefix(3).joined(separator: " ") } == [
            "root POST /v1/chat",
            "└─ agent invoke_agent",
            "├─ llm chat",
            "├─ tool execute_tool",
            "└─ llm chat",
        ], "\(out)")
        // The root's bar spans the whole timeline; a child's starts later and is shorter.
        let rootBar = try #require(spanLines.first?.split(separator: " ").last)
        #expect(rootBar.allSatisfy { "█▏▎▍▌▋▊▉".contains($0) } && rootBar.count > 30, "\(rootBar)")
        let tool = try #require(spanLines.first { $0.contains("execute_tool order_lookup") })
        let toolBarStart = try #require(tool.firstIndex(where: { "█▏▎▍▌▋▊▉".contains($0) }))
        let rootBarStart = try #require(spanLines[0].firstIndex(where: { "█▏▎▍▌▋▊▉".contains($0) }))
        #expect(tool.distance(from: tool.startIndex, to: toolBarStart) > spanLines[0].distance(from: spanLines[0].startIndex, to: rootBarStart) + 5)
        // The details under the spans.
        #expect(out.contains("│     calls: → order_lookup({\"order_id\":\"A-10442\"}) [call_rgHWmaaVWvMUg6MGUlIP7suq]"), "\(out)")
        #expect(out.contains("│     arguments: {\"order_id\":\"A-10442\"}"))
        #expect(out.contains("│     result: {\"order_id\":\"A-10442\",\"status\":\"in_transit\",\"carrier\":\"DHL\",\"eta\":\"2026-11-28\"}"))
        #expect(out.contains("      final answer · model gpt-4o-2024-08-06 (asked gpt-4o) · openai · tokens 701 → 34"))
        #expect(out.contains("      output: Your order A-10442 is on its way with DHL and should arrive on 28 November."))
        #expect(out.contains("      user: Where is my order A-10442? It was due yesterday."))
        // Long prompts are wrapped, never wider than the 100 columns a pipe gets.
        for line in lines { #expect(Self.columns(line) <= 100, "too wide: \(line)") }
        // No colour into a pipe.
        #expect(!out.contains("\u{1B}["))
    }

    @Test func failuresAndFilteredAnswersAreMarked() throws {
        let db = try loadedStore()
        let timeout = try RelopsBinary.run(["--db", db, "-c", "show 1d5cda79"])
        #expect(timeout.status == 0, "\(timeout.stderr)")
        let failedTool = try #require(timeout.stdout.split(separator: "\n").first { $0.contains("tool execute_tool shipping_estimate") })
        #expect(failedTool.contains(" ✗ "), "\(failedTool)")
        #expect(timeout.stdout.contains("│     error TimeoutError: shipping_estimate 0.9.1: upstream did not answer within 2.0 s"))
        #expect(timeout.stdout.contains("signals   refused no · safety_flagged no · error no · tool_errors 1"))

        let filtered = try RelopsBinary.run(["--db", db, "-c", "show 5b1248a7"])
        #expect(filtered.stdout.contains("signals   refused yes"), "\(filtered.stdout)")
        #expect(filtered.stdout.contains("finish content_filter"))
        #expect(filtered.stdout.contains("output: (none)"))
    }

    @Test func jsonHasTheSummaryAndEverySpanWithContentAndAttributes() throws {
        let db = try loadedStore()
        let run = try RelopsBinary.run(["--db", db, "--format", "json", "-c", "show BFD1B4C9"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix(#"{"command":"show","trace":{"trace_id":"bfd1b4c9326b40d5657d08ccef809fc9","ts":"#), "\(run.stdout.prefix(200))")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let trace = try #require(doc["trace"] as? [String: Any])
        #expect(trace["input"] as? String == "Where is my order A-10442? It was due yesterday.")
        #expect(trace["tool_calls"] as? Int == 1)
        #expect(trace["refused"] as? Int == 0)
        let resources = try #require(doc["resources"] as? [[String: Any]])
        #expect(resources.count == 1)
        #expect(resources.first?["service.name"] as? String == "shopassist-api")
        let spans = try #require(doc["spans"] as? [[String: Any]])
        #expect(spans.map { $0["kind"] as? String ?? "" } == ["root", "agent", "llm", "tool", "llm"])
        #expect(spans.map { $0["depth"] as? Int ?? -1 } == [0, 1, 2, 2, 2])
        #expect(spans.map { $0["final_answer"] as? Bool ?? false } == [false, false, false, false, true])
        #expect(spans.map { $0["parent_span_id"] as? String } == [nil, "f59bddef762a6192", "2a22c54db1eeba53", "2a22c54db1eeba53", "2a22c54db1eeba53"])
        let offsets = spans.map { $0["start_offset_ms"] as? Double ?? -1 }
        #expect(offsets[0] == 0)
        #expect(offsets[2] < offsets[3] && offsets[3] < offsets[4])
        let root = spans[0]
        #expect(abs((root["duration_ms"] as? Double ?? 0) - (trace["latency_ms"] as? Double ?? -1)) < 0.001)

        let tool = spans[3]
        let toolContent = try #require(tool["content"] as? [String: Any])
        let calls = try #require(toolContent["tool_calls"] as? [[String: Any]])
        #expect(calls.first?["name"] as? String == "order_lookup")
        #expect(calls.first?["id"] as? String == "call_rgHWmaaVWvMUg6MGUlIP7suq")
        #expect(calls.first?["arguments"] as? String == #"{"order_id":"A-10442"}"#)
        #expect(toolContent["tool_result"] as? String == #"{"order_id":"A-10442","status":"in_transit","carrier":"DHL","eta":"2026-11-28"}"#)
        #expect((tool["attributes"] as? [String: Any])?["gen_ai.tool.name"] as? String == "order_lookup")
        #expect((tool["facts"] as? [String: Any])?["tool_name"] as? String == "order_lookup")

        let answer = spans[4]
        #expect(answer["model"] as? String == "gpt-4o-2024-08-06")
        #expect(answer["input_tokens"] as? Int == 701)
        let messages = try #require((answer["content"] as? [String: Any])?["messages"] as? [[String: Any]])
        #expect(messages.map { $0["role"] as? String ?? "" } == ["system", "user", "assistant", "tool"])
        #expect(messages[3]["tool_call_id"] as? String == "call_rgHWmaaVWvMUg6MGUlIP7suq")
        #expect((answer["content"] as? [String: Any])?["output"] as? String
                == "Your order A-10442 is on its way with DHL and should arrive on 28 November. Sorry for the delay!")
        // Attributes are always in JSON, with or without `attributes`.
        #expect((answer["attributes"] as? [String: Any])?["gen_ai.request.model"] as? String == "gpt-4o")
    }

    @Test func attributesListsEverySpansAttributesSortedAndTheResource() throws {
        let db = try loadedStore()
        let plain = try RelopsBinary.run(["--db", db, "-c", "show bfd1b4c9"])
        #expect(!plain.stdout.contains("gen_ai.tool.call.arguments ="))
        let run = try RelopsBinary.run(["--db", db, "-c", "show bfd1b4c9 attributes"])
        #expect(run.status == 0, "\(run.stderr)")
        let out = run.stdout
        #expect(out.contains("\nresource\n  deployment.environment.name = production\n"), "\(out)")
        #expect(out.contains("  service.name = shopassist-api\n"))
        #expect(out.contains("│       gen_ai.tool.call.arguments = {\"order_id\":\"A-10442\"}\n"))
        // Sorted keys under each span.
        let afterTool = try #require(out.components(separatedBy: "tool execute_tool order_lookup").dropFirst().first)
        let toolBlock = try #require(afterTool.components(separatedBy: "└─ llm").first)
        let toolKeys = toolBlock.split(separator: "\n").compactMap { line -> String? in
            guard let eq = line.range(of: " = ") else { return nil }
            return line[..<eq.lowerBound].trimmingCharacters(in: CharacterSet(charactersIn: " │"))
        }
        #expect(toolKeys.count == 13, "\(toolKeys)")
        #expect(toolKeys.contains("gen_ai.tool.call.id"))
        #expect(toolKeys == toolKeys.sorted(), "\(toolKeys)")
    }

    @Test func prefixErrorsExitTwoWithTheCandidates() throws {
        let dir = RelopsBinary.temporaryDirectory()
        let db = dir.appendingPathComponent("t.db").path
        let file = dir.appendingPathComponent("two.jsonl")
        var text = ""
        for (i, id) in ["abcd0000000000000000000000000001", "abcd0000000000000000000000000002"].enumerated() {
            text += #"{"trace_id":"\#(id)","span_id":"00000000000000a1","kind":"root","name":"r","start_time":"2026-11-03T00:00:0\#(i)Z","end_time":"2026-11-03T00:00:0\#(i).5Z","status":"ok","attributes":{"input.value":"q\#(i)"}}"# + "\n"
        }
        try Data(text.utf8).write(to: file)
        #expect(try RelopsBinary.run(["--db", db, "-c", "load \(file.path)"]).status == 0)

        let ambiguous = try RelopsBinary.run(["--db", db, "-c", "show abcd"])
        #expect(ambiguous.status == 2)
        #expect(ambiguous.stdout.isEmpty)
        #expect(ambiguous.stderr == """
            error: `abcd` matches 2 traces; give more characters of the id:
              abcd0000000000000000000000000001  2026-11-03T00:00:00.000000Z
              abcd0000000000000000000000000002  2026-11-03T00:00:01.000000Z

            """, "\(ambiguous.stderr)")

        let unique = try RelopsBinary.run(["--db", db, "-c", "show ABCD0000000000000000000000000002"])
        #expect(unique.status == 0)
        #expect(unique.stdout.hasPrefix("trace abcd0000000000000000000000000002 · r · 2026-11-03T00:00:01.000000Z · 500 ms · ok\n"), "\(unique.stdout)")

        let none = try RelopsBinary.run(["--db", db, "-c", "show ffff"])
        #expect(none.status == 2)
        #expect(none.stderr == "error: no trace id starts with `ffff`\n")

        let short = try RelopsBinary.run(["--db", db, "-c", "show abc"])
        #expect(short.status == 2)
        #expect(short.stderr == "error: `abc` is too short: give at least 4 characters of the trace id\n")

        let missing = try RelopsBinary.run(["--db", db, "-c", "show"])
        #expect(missing.status == 2)
        #expect(missing.stderr.hasSuffix("\nUsage: show TRACE_ID [attributes]\n"), "\(missing.stderr)")

        let extra = try RelopsBinary.run(["--db", db, "-c", "show abcd0000000000000000000000000001 everything"])
        #expect(extra.status == 2)
        #expect(extra.stderr == "error: unexpected `everything`\nUsage: show TRACE_ID [attributes]\n")
    }
}
