import Foundation
import Testing
@testable import Ingest
import Store

/// The OTLP fixtures recorded by the real instrumentation libraries decode and map to exactly
/// the facts their README states. The expectations are read from the README's machine-readable
/// JSON block, so the README stays the one source of truth.
@Suite struct OTLPFixtureTests {
    /// ../shared/fixtures/otel, from this file's place in the package.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/fixtures/otel")

    /// The shopassist team's mappings: the version facts no convention has a name for.
    static let workspace = """
        version: 1
        mappings:
          prompt_id: [app.prompt.id, "metadata#prompt_id"]
          prompt_version: [app.prompt.version]
          prompt_hash: [app.prompt.hash, "metadata#prompt_hash", langfuse.observation.metadata.prompt_hash, langfuse.trace.metadata.prompt_hash]
          config_hash: [app.config.hash, "metadata#config_hash", langfuse.trace.metadata.config_hash]
          index_version: [app.retrieval.index_version, "metadata#index_version", langfuse.observation.metadata.index_version]
          tool_version: [app.tool.version, "metadata#tool_version", langfuse.observation.metadata.tool_version]
          release: [app.release, "metadata#release"]
          cohort: [app.cohort, "metadata#cohort", langfuse.trace.metadata.cohort]
          intent: [app.intent, "metadata#intent", langfuse.trace.metadata.intent]
        """

    /// The README's refusal pattern (case-insensitive).
    static func isRefusal(_ text: String) -> Bool {
        text.range(of: #"(can['’]t|cannot|can not|unable to) (help|assist)"#, options: [.regularExpression, .caseInsensitive]) != nil
    }

    /// The README's JSON block, one object per fixture file.
    static func expectations() throws -> [[String: Any]] {
        let readme = try String(contentsOf: fixtures.appendingPathComponent("README.md"), encoding: .utf8)
        guard let open = readme.range(of: "```json\n"),
              let close = readme.range(of: "\n```", range: open.upperBound..<readme.endIndex) else {
            throw TestFailure("README.md has no ```json block")
        }
        let block = Data(readme[open.upperBound..<close.lowerBound].utf8)
        guard let files = try JSONSerialization.jsonObject(with: block) as? [[String: Any]] else {
            throw TestFailure("the README's JSON block is not a list of objects")
        }
        return files
    }

    static let files = ["otel-genai-latest.jsonl", "otel-genai-legacy.json", "openinference-openai.jsonl", "langfuse-openai.jsonl"]

    /// One fixture, decoded and mapped.
    struct Loaded {
        var lines = 0
        var spans: [RawSpan] = []
        var mapped: [(kind: SpanKind, facts: SpanFacts)] = []
        var logs: [LogRecord] = []
    }

    static func documents(_ url: URL) throws -> [JSON] {
        let text = try String(contentsOf: url, encoding: .utf8)
        if url.pathExtension == "json" { return [try JSONParser.parse(text)] }
        return try text.split(separator: "\n").filter { !$0.allSatisfy(\.isWhitespace) }.map { try JSONParser.parse(String($0)) }
    }

    static func load(_ file: String, mapper: SpanMapper) throws -> Loaded {
        var loaded = Loaded()
        let docs = try documents(fixtures.appendingPathComponent(file))
        loaded.lines = docs.count
        for (i, doc) in docs.enumerated() {
            loaded.spans += try OTLPDecoder.decodeTraces(doc, line: Int64(i + 1))
        }
        let logsURL = fixtures.appendingPathComponent(file.replacingOccurrences(of: ".jsonl", with: "").replacingOccurrences(of: ".json", with: "") + ".logs.jsonl")
        if FileManager.default.fileExists(atPath: logsURL.path) {
            for (i, doc) in try documents(logsURL).enumerated() {
                loaded.logs += try OTLPDecoder.decodeLogs(doc, line: Int64(i + 1))
            }
        }
        var bySpan: [String: [LogRecord]] = [:]
        for log in loaded.logs {
            if let t = log.traceId, let s = log.spanId { bySpan[t + "/" + s, default: []].append(log) }
        }
        loaded.mapped = loaded.spans.map { mapper.map($0, logs: bySpan[$0.traceId + "/" + $0.spanId] ?? []) }
        return loaded
    }

    /// The README's facts, counted the README's way from the decoded and mapped spans.
    static func facts(_ loaded: Loaded) -> [String: Any] {
        var f: [String: Any] = [:]
        let rows = Array(zip(loaded.spans, loaded.mapped))
        func attr(_ span: RawSpan, _ key: String) -> JSON? { span.attributes.first { $0.0 == key }?.1 }
        func sortedSet(_ values: [String?]) -> [String] { Array(Set(values.compactMap { $0 })).sorted() }
        func count(_ predicate: (RawSpan, SpanKind, SpanFacts) -> Bool) -> Int { rows.filter { predicate($0, $1.kind, $1.facts) }.count }
        func sum(_ kind: SpanKind, _ value: (SpanFacts) -> Int64?) -> Int64 {
            rows.filter { $1.kind == kind }.compactMap { value($1.facts) }.reduce(0, +)
        }
        let isError = { (span: RawSpan) in span.status == "error" || attr(span, "langfuse.observation.level")?.string == "ERROR" }

        f["lines"] = loaded.lines
        f["spans"] = loaded.spans.count
        f["traces"] = Set(loaded.spans.map(\.traceId)).count
        f["root_spans"] = loaded.spans.filter { $0.parentSpanId == nil }.count
        f["span_classes"] = Dictionary(grouping: loaded.mapped, by: { $0.kind.rawValue }).mapValues(\.count)
        f["llm_calls"] = count { _, k, _ in k == .llm }
        f["llm_calls_failed"] = count { s, k, _ in k == .llm && s.status == "error" }
        f["embedding_calls"] = count { _, k, _ in k == .embedding }
        f["tool_spans"] = count { _, k, _ in k == .tool }
        f["tool_spans_failed"] = count { s, k, _ in k == .tool && s.status == "error" }
        f["retrieval_spans"] = count { _, k, _ in k == .retrieval }
        f["response_models"] = sortedSet(rows.filter { $1.kind == .llm && $0.status != "error" }.map { $1.facts.model })
        f["request_models"] = sortedSet(rows.filter { $1.kind == .llm }.map { attr($0.0, "gen_ai.request.model")?.string })
        f["input_tokens"] = Int(sum(.llm) { $0.inputTokens })
        f["output_tokens"] = Int(sum(.llm) { $0.outputTokens })
        f["embedding_input_tokens"] = Int(sum(.embedding) { $0.inputTokens })
        f["error_spans"] = loaded.spans.filter(isError).count
        f["error_span_names"] = sortedSet(loaded.spans.filter(isError).map(\.name))
        f["exception_event_spans"] = sortedSet(loaded.spans.filter { span in
            (span.events?.array ?? []).contains { $0["name"]?.string == "exception" }
        }.map(\.name))
        let reasons = rows.filter { $1.kind == .llm }.compactMap { $1.facts.finishReason }
        f["finish_reasons"] = Dictionary(grouping: reasons, by: { $0 }).mapValues(\.count)
        f["refusals_text"] = count { _, k, facts in k == .llm && (facts.output.map(isRefusal) ?? false) }
        f["content_filter_finishes"] = count { _, k, facts in k == .llm && facts.finishReason == "content_filter" }
        f["prompt_versions"] = sortedSet(loaded.mapped.map(\.facts.promptVersion))
        f["services"] = sortedSet(loaded.spans.map { $0.resource?.service })
        f["service_versions"] = sortedSet(loaded.spans.map { $0.resource?.serviceVersion })
        f["service_instances"] = sortedSet(loaded.spans.map { span in span.resourceAttributes.first { $0.0 == "service.instance.id" }?.1.string })
        f["environments"] = sortedSet(loaded.spans.map { $0.resource?.environment })
        f["scopes"] = sortedSet(loaded.spans.map(\.scope))
        f["log_records"] = loaded.logs.count
        return f
    }

    /// Compares two JSON-ish values (numbers, strings, lists, string-keyed maps).
    static func same(_ a: Any, _ b: Any) -> Bool {
        switch (a, b) {
        case let (x as Int, y as NSNumber): return x == y.intValue
        case let (x as NSNumber, y as Int): return x.intValue == y
        case let (x as String, y as String): return x == y
        case let (x as [String], y as [Any]): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case let (x as [String: Int], y as [String: Any]):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { same(value, $0) } ?? false }
        default: return false
        }
    }

    static let keys = ["lines", "spans", "traces", "root_spans", "span_classes", "llm_calls", "llm_calls_failed",
                       "embedding_calls", "tool_spans", "tool_spans_failed", "retrieval_spans", "response_models",
                       "request_models", "input_tokens", "output_tokens", "embedding_input_tokens", "error_spans",
                       "error_span_names", "exception_event_spans", "finish_reasons", "refusals_text",
                       "content_filter_finishes", "prompt_versions", "services", "service_versions",
                       "service_instances", "environments", "scopes", "log_records"]

    @Test(arguments: files)
    func readmeFacts(_ file: String) throws {
        let expected = try #require(try Self.expectations().first { $0["file"] as? String == file }, "\(file) is not in the README")
        let mapper = SpanMapper(config: try WorkspaceConfig.parse(Self.workspace))
        let actual = Self.facts(try Self.load(file, mapper: mapper))
        for key in Self.keys {
            let want = try #require(expected[key], "the README has no `\(key)` for \(file)")
            let got = try #require(actual[key], "the test does not count `\(key)`")
            #expect(Self.same(got, want), "\(file): `\(key)` is \(got), the README says \(want)")
        }
        let unchecked = Set(expected.keys).subtracting(Self.keys).subtracting(["file", "family", "bytes"])
        #expect(unchecked.isEmpty, "README facts the test does not check: \(unchecked.sorted())")
    }

    /// Every file's README entry is checked (a new fixture cannot be skipped silently).
    @Test func everyFileIsCovered() throws {
        let named = try Self.expectations().compactMap { $0["file"] as? String }
        #expect(named.sorted() == Self.files.sorted())
        for entry in try Self.expectations() {
            guard let file = entry["file"] as? String, let bytes = entry["bytes"] as? Int else { continue }
            let size = try FileManager.default.attributesOfItem(atPath: Self.fixtures.appendingPathComponent(file).path)[.size] as? Int
            #expect(size == bytes, "\(file) changed size: the README's facts may be stale")
        }
    }

    // MARK: - Version facts ("Where the version facts are")

    /// The deployment's facts, by release: requests 1–5 ran on the control release, 6–7 on canary.
    struct Deployment {
        var cohort: String
        var promptVersion: String
        var langfusePromptVersion: String
        var promptHash: String
        var configHash: String
    }

    static let deployments = [
        "2026.11.24.1": Deployment(cohort: "control", promptVersion: "v3", langfusePromptVersion: "3", promptHash: "9c4e1a07b2d3", configHash: "cfg-3a9d41"),
        "2026.11.26.1": Deployment(cohort: "canary", promptVersion: "v4", langfusePromptVersion: "4", promptHash: "51be0f9d6a2c", configHash: "cfg-b71e02"),
    ]

    static let toolVersions = ["order_lookup": "1.4.2", "shipping_estimate": "0.9.1"]

    /// How many spans carry each version fact, per file (README, "Where the version facts
    /// are"): release, cohort, prompt id, prompt version, prompt hash, config hash, index
    /// version, tool version. GenAI latest: `app.*` on every span, the config hash on the root;
    /// legacy: all on the root; OpenInference: `metadata` on every span, without the prompt
    /// and config facts on the two tool spans and the retriever; Langfuse: trace metadata on
    /// every observation.
    static let carriers: [String: [Int]] = [
        "otel-genai-latest.jsonl": [28, 28, 28, 28, 28, 7, 1, 2],
        "otel-genai-legacy.json": [7, 7, 7, 7, 7, 7, 1, 2],
        "openinference-openai.jsonl": [21, 21, 18, 21, 18, 18, 1, 2],
        "langfuse-openai.jsonl": [21, 21, 21, 21, 21, 21, 1, 2],
    ]

    @Test(arguments: files)
    func versionFacts(_ file: String) throws {
        let mapper = SpanMapper(config: try WorkspaceConfig.parse(Self.workspace))
        let loaded = try Self.load(file, mapper: mapper)
        let langfuse = file.hasPrefix("langfuse")
        var counts = [Int](repeating: 0, count: 8)
        for (span, (kind, facts)) in zip(loaded.spans, loaded.mapped) {
            let label = "\(file): span `\(span.name)` (\(span.spanId))"
            // The resource says which deployment served the span.
            let release = try #require(span.resource?.serviceVersion, "\(label) has no resource service.version")
            let deployment = try #require(Self.deployments[release], "\(label): unexpected release \(release)")
            #expect(facts.service == "shopassist-api", "\(label): service")
            #expect(facts.serviceVersion == release, "\(label): service version")
            #expect(facts.environment == "production", "\(label): environment")

            let toolVersion = kind == .tool ? facts.toolName.flatMap { Self.toolVersions[$0] } : nil
            let checks: [(String, String?, String?)] = [
                ("release", facts.release, release),
                ("cohort", facts.cohort, deployment.cohort),
                ("prompt id", facts.promptId, "support-answer"),
                ("prompt version", facts.promptVersion, langfuse ? deployment.langfusePromptVersion : deployment.promptVersion),
                ("prompt hash", facts.promptHash, deployment.promptHash),
                ("config hash", facts.configHash, deployment.configHash),
                ("index version", facts.indexVersion, kind == .retrieval ? "kb-20261120" : nil),
                ("tool version", facts.toolVersion, toolVersion),
            ]
            for (i, (name, value, want)) in checks.enumerated() {
                guard let value else { continue }
                counts[i] += 1
                #expect(value == want, "\(label) (\(kind)): \(name) is \(value), want \(want ?? "none")")
            }
        }
        #expect(counts == Self.carriers[file], "\(file): spans carrying release, cohort, prompt id/version/hash, config hash, index version, tool version")
    }

    /// The README's text source of an LLM call's output, read here with Foundation (a second,
    /// independent reading): GenAI latest `gen_ai.output.messages` text parts; legacy the
    /// `gen_ai.choice` log record's `message.content`; OpenInference
    /// `llm.output_messages.0.message.content`; Langfuse `content` in `langfuse.observation.output`.
    static func readmeOutput(_ file: String, _ span: RawSpan, _ logs: [LogRecord]) -> String? {
        func attr(_ key: String) -> String? { span.attributes.first { $0.0 == key }?.1.string }
        func object(_ text: String?) -> Any? {
            text.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8), options: [.fragmentsAllowed]) }
        }
        switch file {
        case "otel-genai-latest.jsonl":
            let messages = object(attr("gen_ai.output.messages")) as? [[String: Any]] ?? []
            let texts = messages.flatMap { ($0["parts"] as? [[String: Any]]) ?? [] }
                .filter { $0["type"] as? String == "text" }.compactMap { $0["content"] as? String }
            return texts.isEmpty ? nil : texts.joined(separator: "\n")
        case "otel-genai-legacy.json":
            let choice = logs.first { $0.eventName == "gen_ai.choice" && $0.spanId == span.spanId }
            return ((object(choice?.body) as? [String: Any])?["message"] as? [String: Any])?["content"] as? String
        case "openinference-openai.jsonl":
            return attr("llm.output_messages.0.message.content")
        default:
            return (object(attr("langfuse.observation.output")) as? [String: Any])?["content"] as? String
        }
    }

    /// Each LLM call's output is the README's text (not a response body), and each call's input
    /// is the user's question, the same in every file.
    @Test func llmTextIsTheMessages() throws {
        let mapper = SpanMapper(config: try WorkspaceConfig.parse(Self.workspace))
        var questions: [String: Set<String>] = [:]
        for file in Self.files {
            let loaded = try Self.load(file, mapper: mapper)
            var texts = 0
            for (span, (kind, facts)) in zip(loaded.spans, loaded.mapped) where kind == .llm {
                let want = Self.readmeOutput(file, span, loaded.logs)
                #expect(facts.output == want, "\(file): `\(span.name)` (\(span.spanId)) output \(facts.output ?? "nil"), want \(want ?? "nil")")
                if want != nil { texts += 1 }
                if let input = facts.input { questions[file, default: []].insert(input) }
            }
            // 10 calls: 2 tool calls, 1 filtered and 1 failed have no text.
            #expect(texts == 6, "\(file): \(texts) LLM outputs with text")
        }
        #expect(questions["otel-genai-latest.jsonl"]?.count == 7)
        for file in Self.files {
            #expect(questions[file] == questions["otel-genai-latest.jsonl"], "\(file): questions \(questions[file]?.sorted() ?? [])")
        }
    }

    /// Without workspace mappings the conventions' own attributes still give what they name.
    @Test(arguments: files)
    func conventionsAlone(_ file: String) throws {
        let loaded = try Self.load(file, mapper: SpanMapper())
        let llm = zip(loaded.spans, loaded.mapped).filter { $1.kind == .llm }
        #expect(llm.count == 10)
        for (span, (_, facts)) in llm where span.status != "error" {
            #expect(facts.model != nil, "\(file): `\(span.name)` has no model")
            #expect(facts.inputTokens != nil, "\(file): `\(span.name)` has no input tokens")
            #expect(facts.provider == "openai" || file.hasPrefix("langfuse"), "\(file): provider \(facts.provider ?? "nil")")
        }
        if file.hasPrefix("openinference") {
            // The request model is inside `llm.invocation_parameters`.
            #expect(Set(llm.compactMap { $1.facts.requestModel }) == ["gpt-4.1", "gpt-4o", "gpt-4o-mini"])
        }
        // Refusal text and the user's question come through on every file.
        let outputs = llm.compactMap { $1.facts.output }
        #expect(outputs.contains { $0.contains("I can't help with that") || $0.contains("can't help") }, "\(file): no refusal text")
        #expect(llm.contains { $1.facts.input?.contains("A-10442") ?? false }, "\(file): no user input")
    }
}
