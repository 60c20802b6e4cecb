import Foundation
import Ingest
import Query
import Store

/// Builds replay requests from stored traces: the prompt as the final answer's LLM span
/// recorded it (SpanContent), its model and parameters, and the trace's versions with the
/// `set` values applied (docs/replay.md).
public enum ReplayTargets {
    /// Dimensions `set DIM=VALUE` accepts: `model` (the model asked for) and every dimension a
    /// replay carries.
    public static let settable: [String] = ["model"] + ReplayRecorder.carried.sorted()

    /// Request parameters read from the stored call (GenAI names), sent again unless the
    /// runner's own `parameters` say otherwise.
    static let parameterKeys = ["temperature", "max_tokens", "top_p", "frequency_penalty", "presence_penalty", "seed"]

    /// Checks `set` values: known dimensions only.
    public static func validate(_ settings: [String: String]) throws {
        for key in settings.keys.sorted() where !settable.contains(key) {
            let hint = Suggest.closest(to: key, in: settable).map { "; did you mean `\($0)`?" } ?? ""
            throw ReplayError("cannot set `\(key)`\(hint) (settable: \(settable.joined(separator: ", ")))")
        }
    }

    /// The request re-running one trace (its whole id). The model: `set model=…`, else
    /// `runnerModel` (the runner's `model`), else the one the trace asked for.
    public static func target(database: Database, traceId: String, settings: [String: String],
                              runnerModel: String? = nil) throws -> ReplayTarget {
        guard let row = try database.traceRow(id: traceId) else {
            throw ReplayError("trace \(traceId) has spans but no summary row, so it cannot be replayed")
        }
        guard let input = row.text("input") else {
            throw ReplayError("trace \(traceId) has no input to replay")
        }
        let tree = TraceTree(traceId: traceId, row: row, spans: try database.traceSpans(id: traceId), logs: try database.traceLogs(id: traceId))
        let answer = tree.finalAnswer
        var messages = answer?.content.promptMessages.map(Self.chatMessage) ?? []
        var parameters: [String: JSONScalar] = [:]
        for (key, value) in answer?.attributes ?? [] where key.hasPrefix("gen_ai.request.") {
            let name = String(key.dropFirst("gen_ai.request.".count))
            guard parameterKeys.contains(name) else { continue }
            switch value {
            case .integer(let i): parameters[name] = .number(Double(i))
            case .double(let d): parameters[name] = .number(d)
            case .string(let s): parameters[name] = .string(s)
            case .bool(let b): parameters[name] = .bool(b)
            default: break
            }
        }
        if !messages.contains(where: { $0.role == "user" }) { messages.append(ChatMessage(role: "user", content: input)) }
        var versions: [String: String] = [:]
        for dimension in ReplayRecorder.carried {
            if let value = row.text(dimension) { versions[dimension] = value }
        }
        // A replay is its own cohort unless told otherwise, so it never mixes with production traffic.
        versions["cohort"] = "replay"
        var replaced: [String: String] = [:]
        for (key, value) in settings {
            if let old = key == "model" ? row.text("model") : versions[key] { replaced[key] = old }
            if key != "model" { versions[key] = value }
        }
        let model = settings["model"] ?? runnerModel ?? answer?.requestModel ?? row.text("model")
        return ReplayTarget(traceId: traceId, request: ReplayRequest(
            traceId: traceId, inputHash: row.text("input_hash"), input: input, messages: messages, model: model,
            parameters: parameters, versions: versions),
            originalOutput: row.text("output"), originalRefused: row.flag("refused") ?? false, replaced: replaced)
    }

    /// A stored message as a plain chat message. Runners take text messages, so a tool-calling
    /// step is sent as text: the model's calls as `[tool call NAME(ARGUMENTS)]`, a tool's result
    /// as a user message `[tool result] …` (docs/replay.md).
    public static func chatMessage(_ m: SpanContent.Message) -> ChatMessage {
        var text = m.content
        for call in m.toolCalls {
            text += (text.isEmpty ? "" : "\n") + "[tool call \(call.name)(\(call.arguments ?? ""))]"
        }
        if m.role == "tool" { return ChatMessage(role: "user", content: "[tool result] " + text) }
        return ChatMessage(role: m.role, content: text)
    }

    /// The traces `replay where …` re-runs: one per distinct input (its latest trace), newest
    /// first, at most `limit`.
    public static func select(database: Database, queries: QueryEngine, condition: QuerySource, limit: Int,
                              settings: [String: String], runnerModel: String? = nil) throws -> [ReplayTarget] {
        let selection = ReplaySelection.compile(condition: try queries.condition(condition))
        let statement = try database.prepare(selection.sql)
        try statement.bind(selection.parameters)
        var seen = Set<String>()
        var ids: [String] = []
        while ids.count < limit, try statement.step() {
            guard let id = statement.text(at: 0), let hash = statement.text(at: 1), seen.insert(hash).inserted else { continue }
            ids.append(id)
        }
        return try ids.map { try target(database: database, traceId: $0, settings: settings, runnerModel: runnerModel) }
    }
}
