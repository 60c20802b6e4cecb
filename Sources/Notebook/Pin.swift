import Foundation
import Replay
import Store

/// A trace marked as evidence in a session (`pin TRACE_ID [expect …] [note "…"]`): what was
/// asked, what came back, under which versions, and what the answer should have done. Cases
/// are made from pins (`cases export`), one per distinct input.
public struct Pin: Sendable, Equatable {
    public var traceId: String
    /// When it was pinned (RFC 3339, UTC).
    public var pinnedAt: String
    public var note: String?
    public var expectations: [Expectation]
    /// The trace's start time (RFC 3339).
    public var ts: String?
    public var intent: String?
    public var input: String?
    public var inputHash: String?
    /// The prompt as it was sent to the final answer's model (system, history, user).
    public var messages: [ChatMessage]
    /// The model the final answer asked for.
    public var model: String?
    /// The observed answer.
    public var output: String?
    /// Every version dimension of the trace that had a value.
    public var versions: [String: String]
    public var observed: Observation

    /// What the pinned trace did: the facts the expectations are checked against.
    public struct Observation: Sendable, Equatable {
        public var refused: Bool?
        public var error: Bool?
        public var latencyMs: Double?
        public var costUsd: Double?
        /// Tools called, in call order.
        public var tools: [String]

        public init(refused: Bool? = nil, error: Bool? = nil, latencyMs: Double? = nil, costUsd: Double? = nil, tools: [String] = []) {
            self.refused = refused
            self.error = error
            self.latencyMs = latencyMs
            self.costUsd = costUsd
            self.tools = tools
        }
    }

    public init(traceId: String, pinnedAt: String, note: String? = nil, expectations: [Expectation] = [], ts: String? = nil,
                intent: String? = nil, input: String? = nil, inputHash: String? = nil, messages: [ChatMessage] = [],
                model: String? = nil, output: String? = nil, versions: [String: String] = [:], observed: Observation = Observation()) {
        self.traceId = traceId
        self.pinnedAt = pinnedAt
        self.note = note
        self.expectations = expectations
        self.ts = ts
        self.intent = intent
        self.input = input
        self.inputHash = inputHash
        self.messages = messages
        self.model = model
        self.output = output
        self.versions = versions
        self.observed = observed
    }

    /// The pin of a stored trace (any unique prefix of its id): its row, its final answer's
    /// prompt and the tools it called.
    public static func make(database: Database, idPrefix: String, expectations: [Expectation], note: String?,
                            at now: Date = Date()) throws -> Pin {
        let tree = try TraceTree.load(database: database, idPrefix: idPrefix)
        guard tree.hasSummaryRow else { throw NotebookError("trace \(tree.traceId) has spans but no summary row, so it cannot be pinned") }
        let row = tree.summary
        var versions: [String: String] = [:]
        for dimension in Database.versionDimensions {
            if let value = row.text(dimension) { versions[dimension] = value }
        }
        let answer = tree.finalAnswer
        var messages = answer?.content.promptMessages.map(ReplayTargets.chatMessage) ?? []
        if let input = row.text("input"), !messages.contains(where: { $0.role == "user" }) {
            messages.append(ChatMessage(role: "user", content: input))
        }
        let tools = tree.spans.filter { $0.kind == "tool" }.compactMap { $0.facts.toolName ?? ($0.name.isEmpty ? nil : $0.name) }
        return Pin(traceId: tree.traceId, pinnedAt: Timestamp.iso8601(nanoseconds: Int64(now.timeIntervalSince1970 * 1e9)),
                   note: note, expectations: expectations, ts: row.text("ts"), intent: row.text("intent"),
                   input: row.text("input"), inputHash: row.text("input_hash"), messages: messages,
                   model: answer?.requestModel ?? row.text("model"), output: row.text("output"), versions: versions,
                   observed: Observation(refused: row.flag("refused"), error: row.flag("error"), latencyMs: row["latency_ms"].doubleValue,
                                         costUsd: row["cost_usd"].doubleValue, tools: tools))
    }

    /// The versions a summary of the pin shows (prompt, model, index, tool), those it has.
    public var mainVersions: [(dimension: String, value: String)] {
        ["prompt_version", "model", "index_version", "tool_version"].compactMap { d in versions[d].map { (d, $0) } }
    }

    /// Each expectation checked against what the pinned trace did.
    public var checks: [Expectation.Outcome] {
        expectations.map { $0.check(Expectation.Answer(output: output, refused: observed.refused, latencyMs: observed.latencyMs,
                                                       costUsd: observed.costUsd, tools: observed.tools)) }
    }
}
