import Foundation
import Testing
@testable import Demo

/// A written corpus, parsed back with Foundation's own JSON reader (independent of relops' parser).
private struct WrittenCorpus {
    var truth: DemoTruth
    var bytes: Data
    var spans: [[String: Any]]

    /// Spans grouped by trace id, in file order.
    var traces: [String: [[String: Any]]] {
        Dictionary(grouping: spans) { $0["trace_id"] as? String ?? "" }
    }

    static func write(traces: Int = 4000, seed: UInt64 = 2026) throws -> WrittenCorpus {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("relops-demo-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let truth = try DemoCorpus.write(to: path, traces: traces, seed: seed)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        var spans: [[String: Any]] = []
        for line in bytes.split(separator: UInt8(ascii: "\n")) {
            let object = try JSONSerialization.jsonObject(with: Data(line))
            let span = try #require(object as? [String: Any], "every line is a JSON object")
            spans.append(span)
        }
        return WrittenCorpus(truth: truth, bytes: bytes, spans: spans)
    }
}

/// The number kinds JSONSerialization reports, so that `true` is not taken for `1`.
private enum JSONKind: Equatable {
    case string, int, double, bool, array, null, object
}

private func kind(of value: Any) -> JSONKind {
    if value is NSNull { return .null }
    if value is String { return .string }
    if value is [Any] { return .array }
    if value is [String: Any] { return .object }
    if let number = value as? NSNumber {
        switch String(cString: number.objCType) {
        case "c", "B": return .bool
        case "d", "f": return .double
        default: return .int
        }
    }
    return .object
}

private func isNumber(_ value: Any?) -> Bool {
    guard let value else { return false }
    return [.int, .double].contains(kind(of: value))
}

private func matches(_ text: String, _ pattern: String) -> Bool {
    guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { return false }
    return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
}

private let refusalPattern = #"(can['’]t|cannot|can not|unable to) (help|assist)"#

/// The final answer of a trace: its `support-answer` llm span with status ok (bench README).
private func finalAnswer(_ spans: [[String: Any]]) -> [String: Any]? {
    spans.first { span in
        let attributes = span["attributes"] as? [String: Any] ?? [:]
        return span["kind"] as? String == "llm" && span["status"] as? String == "ok"
            && attributes["app.prompt.id"] as? String == "support-answer"
    }
}

/// The refusal rule of the demo's relops.yaml, applied to a final answer.
private func isRefused(_ answer: [String: Any]) -> Bool {
    let attributes = answer["attributes"] as? [String: Any] ?? [:]
    let reasons = attributes["gen_ai.response.finish_reasons"] as? [String] ?? []
    let output = attributes["output.value"] as? String ?? ""
    return reasons.contains("content_filter") || matches(output, refusalPattern)
}

private func root(_ spans: [[String: Any]]) -> [String: Any]? {
    spans.first { $0["kind"] as? String == "root" }
}

private func attribute(_ span: [String: Any]?, _ key: String) -> Any? {
    (span?["attributes"] as? [String: Any])?[key]
}

@Suite("DemoCorpus")
struct DemoCorpusTests {
    @Test func sameSeedGivesTheSameBytesAndAnotherSeedDoesNot() throws {
        let a = try WrittenCorpus.write(traces: 600, seed: 7)
        let b = try WrittenCorpus.write(traces: 600, seed: 7)
        let c = try WrittenCorpus.write(traces: 600, seed: 8)
        #expect(a.bytes == b.bytes)
        #expect(a.truth == b.truth.with(path: a.truth.path))
        #expect(a.bytes != c.bytes)
    }

    @Test func countsMatchTheTruth() throws {
        let corpus = try WrittenCorpus.write()
        #expect(corpus.truth.traceCount == 4000)
        #expect(corpus.traces.count == 4000)
        #expect(corpus.truth.spanCount == corpus.spans.count)
        var byKind: [String: Int] = [:]
        for span in corpus.spans { byKind[span["kind"] as? String ?? "?", default: 0] += 1 }
        #expect(byKind == corpus.truth.spanCountsByKind)
        #expect(byKind["root"] == 4000)
        #expect(corpus.truth.windowStart == "2026-11-15T00:00:00Z")
        #expect(corpus.truth.windowEnd == "2026-11-29T00:00:00Z")
    }

    @Test func everyLineHasTheNativeShape() throws {
        let corpus = try WrittenCorpus.write(traces: 1500)
        let hex32 = #"^[0-9a-f]{32}$"#, hex16 = #"^[0-9a-f]{16}$"#
        let time = #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$"#
        let required: [String: [String: JSONKind]] = [
            "root": ["service.name": .string, "service.version": .string, "app.release": .string,
                     "deployment.environment.name": .string, "app.cohort": .string, "app.intent": .string,
                     "app.config.hash": .string, "user.id": .string, "session.id": .string,
                     "http.request.method": .string, "http.route": .string, "http.response.status_code": .int],
            "retrieval": ["app.retrieval.index": .string, "app.retrieval.index_version": .string, "app.retrieval.top_k": .int,
                          "app.retrieval.scores": .array, "app.retrieval.returned": .int, "app.retrieval.document_ids": .array],
            "tool": ["gen_ai.operation.name": .string, "gen_ai.tool.name": .string, "app.tool.version": .string],
            "llm": ["gen_ai.operation.name": .string, "gen_ai.provider.name": .string, "gen_ai.request.model": .string,
                    "app.prompt.id": .string, "app.prompt.version": .string, "app.prompt.hash": .string, "input.value": .string],
        ]
        let answered: [String: JSONKind] = [
            "gen_ai.response.model": .string, "output.value": .string, "gen_ai.response.finish_reasons": .array,
            "gen_ai.usage.input_tokens": .int, "gen_ai.usage.output_tokens": .int, "app.cost_usd": .double,
            "app.safety.flagged": .bool,
        ]
        for span in corpus.spans {
            let kindName = try #require(span["kind"] as? String)
            try #require(required[kindName] != nil, "unknown kind \(kindName)")
            #expect(matches(span["trace_id"] as? String ?? "", hex32))
            #expect(matches(span["span_id"] as? String ?? "", hex16))
            if kindName == "root" {
                #expect(span["parent_span_id"] is NSNull)
            } else {
                #expect(matches(span["parent_span_id"] as? String ?? "", hex16))
            }
            #expect(!(span["name"] as? String ?? "").isEmpty)
            let start = span["start_time"] as? String ?? "", end = span["end_time"] as? String ?? ""
            #expect(matches(start, time) && matches(end, time) && start <= end)
            let status = span["status"] as? String
            #expect(status == "ok" || status == "error")
            #expect((span["status_message"] is String) == (status == "error"))
            let attributes = try #require(span["attributes"] as? [String: Any])
            var expected = required[kindName] ?? [:]
            if kindName == "llm" && status == "ok" { expected.merge(answered) { a, _ in a } }
            for (key, type) in expected {
                let value = try #require(attributes[key], "\(kindName) span lacks \(key)")
                #expect(kind(of: value) == type, "\(kindName).\(key) should be \(type)")
            }
            for value in attributes.values {
                #expect([.string, .int, .double, .bool, .array].contains(kind(of: value)), "attributes are flat")
            }
            switch kindName {
            case "llm":
                #expect(attributes["gen_ai.operation.name"] as? String == "chat")
                if status == "error" { #expect(attributes["error.type"] is String) }
            case "tool":
                #expect(attributes["gen_ai.operation.name"] as? String == "execute_tool")
                if status == "error" { #expect(attributes["error.type"] is String) }
            case "retrieval":
                let scores = attributes["app.retrieval.scores"] as? [Any] ?? []
                #expect(scores.allSatisfy(isNumber))
                let values = scores.compactMap { ($0 as? NSNumber)?.doubleValue }
                #expect(values == values.sorted(by: >), "scores are best first")
                #expect((attributes["app.retrieval.document_ids"] as? [String])?.count == attributes["app.retrieval.returned"] as? Int)
            default:
                #expect(attributes["service.name"] as? String == "shopassist-api")
                let feedback = attributes["app.feedback.score"]
                #expect(feedback == nil || [1, -1].contains(feedback as? Int))
            }
        }
    }

    @Test func eachTraceIsOneTreeInsideItsRoot() throws {
        let corpus = try WrittenCorpus.write(traces: 1500)
        var seenTraces = Set<String>()
        var currentTrace = ""
        for span in corpus.spans {
            // Spans of a trace are consecutive: a trace id never comes back after another one.
            let id = span["trace_id"] as? String ?? ""
            if id != currentTrace {
                #expect(!seenTraces.contains(id), "trace \(id) is split")
                seenTraces.insert(id)
                currentTrace = id
            }
        }
        for spans in corpus.traces.values {
            let roots = spans.filter { $0["parent_span_id"] is NSNull }
            try #require(roots.count == 1, "exactly one root")
            let theRoot = try #require(roots.first)
            #expect(theRoot["kind"] as? String == "root")
            #expect(spans.last?["kind"] as? String == "root", "the root is written last")
            let ids = Set(spans.compactMap { $0["span_id"] as? String })
            #expect(ids.count == spans.count, "span ids are unique within a trace")
            let parents = Dictionary(uniqueKeysWithValues: spans.compactMap { span -> (String, String?)? in
                guard let id = span["span_id"] as? String else { return nil }
                return (id, span["parent_span_id"] as? String)
            })
            let rootStart = theRoot["start_time"] as? String ?? "", rootEnd = theRoot["end_time"] as? String ?? ""
            for span in spans where !(span["parent_span_id"] is NSNull) {
                // Every span reaches the root by parent links, without a cycle.
                var at = span["span_id"] as? String
                var steps = 0
                while let current = at, let parent = parents[current] ?? nil, steps <= spans.count {
                    #expect(ids.contains(parent), "parent \(parent) is in the trace")
                    at = parent
                    steps += 1
                }
                #expect(at == theRoot["span_id"] as? String)
                let start = span["start_time"] as? String ?? "", end = span["end_time"] as? String ?? ""
                #expect(rootStart <= start && end <= rootEnd, "children lie within the root")
            }
            #expect(spans.filter { finalAnswer([$0]) != nil }.count <= 1, "at most one final answer")
            #expect(rootStart >= corpus.truth.windowStart && rootStart < corpus.truth.windowEnd)
        }
        let rootStarts = corpus.spans.filter { $0["kind"] as? String == "root" }.compactMap { $0["start_time"] as? String }
        #expect(rootStarts == rootStarts.sorted(), "traces follow each other by start time")
    }

    @Test func theIncidentIsInTheData() throws {
        let corpus = try WrittenCorpus.write()
        var refund: [String: (n: Int, hits: Int)] = [:]
        var elsewhere = (n: 0, hits: 0)
        for spans in corpus.traces.values {
            guard let answer = finalAnswer(spans) else { continue }
            let intent = attribute(root(spans), "app.intent") as? String
            let version = attribute(answer, "app.prompt.version") as? String ?? "?"
            let refused = isRefused(answer)
            if intent == "refund" {
                refund[version, default: (0, 0)].n += 1
                if refused { refund[version, default: (0, 0)].hits += 1 }
            } else {
                elsewhere.n += 1
                if refused { elsewhere.hits += 1 }
            }
        }
        let incident = corpus.truth.incident
        #expect(incident.dimension == "prompt_version" && incident.value == "v2" && incident.previousValue == "v1")
        #expect(incident.intent == "refund" && incident.signal == "refused")
        #expect(incident.onset == "2026-11-20T10:00:00Z")
        let v1 = try #require(refund["v1"]), v2 = try #require(refund["v2"])
        #expect(DemoTruth.Rate(n: v1.n, hits: v1.hits) == incident.previous)
        #expect(DemoTruth.Rate(n: v2.n, hits: v2.hits) == incident.affected)
        #expect(incident.affected.rate >= 5 * incident.previous.rate)
        #expect(incident.affected.rate > 0.12 && incident.previous.rate < 0.05)
        #expect(v1.n > 100 && v2.n > 100, "both sides have enough refund answers to compare")
        let baseline = Double(elsewhere.hits) / Double(elsewhere.n)
        #expect(baseline > 0.002 && baseline < 0.025, "other intents keep a ~1% baseline (got \(baseline))")
    }

    @Test func theIncidentNeedsPromptV2() throws {
        // Every refund refusal beyond the baseline is on v2: per cohort, v1 answers stay low.
        let corpus = try WrittenCorpus.write()
        var firstRefundRefusalOnV2: String?
        for spans in corpus.traces.values {
            guard let answer = finalAnswer(spans), attribute(root(spans), "app.intent") as? String == "refund",
                  isRefused(answer), attribute(answer, "app.prompt.version") as? String == "v2" else { continue }
            let start = root(spans)?["start_time"] as? String ?? ""
            if firstRefundRefusalOnV2.map({ start < $0 }) ?? true { firstRefundRefusalOnV2 = start }
        }
        let first = try #require(firstRefundRefusalOnV2)
        let prompt = try #require(corpus.truth.rollouts.first { $0.dimension == "prompt_version" })
        #expect(first >= prompt.staging)
    }

    @Test func theRolloutsAppear() throws {
        let corpus = try WrittenCorpus.write()
        var promptVersions = Set<String>(), models = Set<String>(), indexes = Set<String>(), tools = Set<String>()
        var firstV2: [String: String] = [:]
        var environments: [String: Int] = [:], cohorts: [String: Int] = [:]
        for spans in corpus.traces.values {
            let theRoot = root(spans)
            let environment = attribute(theRoot, "deployment.environment.name") as? String ?? "?"
            let cohort = attribute(theRoot, "app.cohort") as? String ?? "?"
            environments[environment, default: 0] += 1
            cohorts[cohort, default: 0] += 1
            for span in spans {
                if let version = attribute(span, "app.prompt.version") as? String { promptVersions.insert(version) }
                if let model = attribute(span, "gen_ai.response.model") as? String { models.insert(model) }
                if let index = attribute(span, "app.retrieval.index_version") as? String { indexes.insert(index) }
                if attribute(span, "gen_ai.tool.name") as? String == "order_lookup",
                   let version = attribute(span, "app.tool.version") as? String { tools.insert(version) }
            }
            if environment == "production", spans.contains(where: { attribute($0, "app.prompt.version") as? String == "v2" }) {
                let start = theRoot?["start_time"] as? String ?? ""
                if firstV2[cohort].map({ start < $0 }) ?? true { firstV2[cohort] = start }
            }
        }
        #expect(promptVersions == ["v1", "v2"])
        #expect(models == ["gpt-4o-2024-08-06", "gpt-4.1-2025-04-14"])
        #expect(indexes.count == 2)
        #expect(tools == ["1.4.2", "2.0.0"])
        let canary = try #require(firstV2["canary"]), control = try #require(firstV2["control"])
        #expect(canary < control, "the canary sees prompt v2 before everyone else")
        #expect(canary >= corpus.truth.incident.onset && control >= corpus.truth.incident.fullRollout)
        #expect(Set(environments.keys) == ["production", "staging"])
        #expect(Double(environments["staging"] ?? 0) / 4000 < 0.04)
        #expect(Set(cohorts.keys) == ["canary", "control"])
        let canaryShare = Double(cohorts["canary"] ?? 0) / 4000
        #expect(canaryShare > 0.02 && canaryShare < 0.2, "canary is a small cohort (got \(canaryShare))")
    }

    @Test func workspaceConfigMapsTheTeamsAttributes() {
        let config = DemoCorpus.workspaceConfig
        for line in ["version: 1", "prompt_version: [app.prompt.version]", "retrieval_top_score: [\"app.retrieval.scores#0\"]",
                     "finish_reasons: [content_filter]", "patterns: [\"\(refusalPattern)\"]"] {
            #expect(config.contains(line), "relops.yaml has \(line)")
        }
    }

    @Test func theTourIsShortAndHintsWithoutTelling() {
        let lines = DemoCorpus.tour.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count < 25)
        let steps = lines.filter { matches(String($0), #"^\d+\. "#) }
        #expect((6...8).contains(steps.count))
        #expect(steps.contains { $0.hasSuffix(". versions prompt_version") })
        #expect(DemoCorpus.tour.contains("refund questions are refused more often since a rollout"))
        #expect(!DemoCorpus.tour.contains("v2"), "the tour does not name the culprit")
    }

    @Test func noTracesIsAnError() {
        #expect(throws: DemoError.self) { try DemoCorpus.write(to: "/tmp/never-written.jsonl", traces: 0) }
        #expect(throws: DemoError.self) { try DemoCorpus.write(to: "/nonexistent-dir/x/demo.jsonl", traces: 5) }
    }
}

private extension DemoTruth {
    func with(path: String) -> DemoTruth {
        var copy = self
        copy.path = path
        return copy
    }
}
