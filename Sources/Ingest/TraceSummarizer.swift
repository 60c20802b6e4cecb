import Foundation
import Store

/// Summarises a trace's spans into its `traces` row and derives its signals
/// (DESIGN.md, Vocabulary and Signals; the rules are documented in docs/signals.md).
public struct TraceSummarizer: @unchecked Sendable {
    public let rules: SignalRules
    private let patterns: [NSRegularExpression]

    public init(rules: SignalRules = SignalRules()) {
        self.rules = rules
        patterns = rules.refusalPatterns.compactMap { try? NSRegularExpression(pattern: $0, options: [.caseInsensitive]) }
    }

    public func summarize(_ spans: [StoredSpan]) -> TraceRecord? {
        guard let first = spans.first else { return nil }
        let ids = Set(spans.map(\.spanId))
        // The root: a span without a parent in this trace (the earliest, if several).
        let root = spans.filter { $0.parentSpanId == nil || !ids.contains($0.parentSpanId ?? "") }
            .min { ($0.parentSpanId == nil ? 0 : 1, $0.startNs) < ($1.parentSpanId == nil ? 0 : 1, $1.startNs) }
        let start = root?.startNs ?? spans.map(\.startNs).min() ?? first.startNs
        let end = root?.endNs ?? spans.map(\.endNs).max() ?? first.endNs
        var t = TraceRecord(traceId: first.traceId, startNs: start, endNs: end,
                            latencyMs: Double(end - start) / 1e6, status: root?.status ?? "unset")
        t.name = root?.name
        let llm = spans.filter { $0.kind == "llm" }
        // The final answer: the last successful LLM span (by end time), else the last LLM span.
        let answer = llm.filter { $0.status != "error" }.max { ($0.endNs, $0.startNs) < ($1.endNs, $1.startNs) }
            ?? llm.max { ($0.endNs, $0.startNs) < ($1.endNs, $1.startNs) }
        // Version dimensions: from the final answer, else the root, else the first span carrying them.
        let byStart = spans.sorted { $0.startNs < $1.startNs }
        let order = [answer, root].compactMap { $0 } + byStart
        func pick<T>(_ key: KeyPath<SpanFacts, T?>) -> T? {
            for span in order { if let v = span.facts[keyPath: key] { return v } }
            return nil
        }
        t.promptId = pick(\.promptId)
        t.promptVersion = pick(\.promptVersion)
        t.promptHash = pick(\.promptHash)
        t.model = answer?.facts.model ?? pick(\.model)
        t.provider = pick(\.provider)
        t.configHash = pick(\.configHash)
        t.indexVersion = pick(\.indexVersion)
        t.toolVersion = pick(\.toolVersion)
        t.release = pick(\.release)
        t.environment = pick(\.environment)
        t.cohort = pick(\.cohort)
        t.service = pick(\.service)
        t.serviceVersion = pick(\.serviceVersion)
        t.intent = pick(\.intent)
        t.userId = pick(\.userId)
        t.sessionId = pick(\.sessionId)
        t.finishReason = answer?.facts.finishReason
        t.input = answer?.facts.input ?? root?.facts.input ?? byStart.lazy.compactMap(\.facts.input).first
        t.output = answer?.facts.output
        t.inputHash = t.input.map(InputHash.of)
        t.spans = Int64(spans.count)
        t.llmCalls = Int64(llm.count)
        for span in llm {
            t.inputTokens += span.facts.inputTokens ?? 0
            t.outputTokens += span.facts.outputTokens ?? 0
            t.costUsd += span.facts.costUsd ?? 0
        }
        let tools = spans.filter { $0.kind == "tool" }
        t.toolCalls = Int64(tools.count)
        t.toolErrors = Int64(tools.filter { $0.status == "error" }.count)
        let retrievals = spans.filter { $0.kind == "retrieval" }
        if !retrievals.isEmpty {
            t.retrievalTopScore = retrievals.compactMap(\.facts.retrievalTopScore).max()
            let returned = retrievals.compactMap(\.facts.retrievalReturned)
            t.retrievalEmpty = returned.isEmpty ? nil : returned.contains(0)
        }
        t.feedback = pick(\.feedback)

        // Signals.
        let finish = answer?.facts.finishReason
        t.refused = spans.contains { $0.facts.refused == true }
            || (finish.map(rules.refusedFinishReasons.contains) ?? false)
            || (t.output.map(matchesRefusal) ?? false)
        t.safetyFlagged = spans.contains { $0.facts.safetyFlagged == true }
            || (finish.map(rules.safetyFinishReasons.contains) ?? false)
        let httpStatus = root?.facts.httpStatus ?? 0
        t.error = root?.status == "error" || httpStatus >= rules.errorHTTPStatus || (!llm.isEmpty && answer?.status == "error")
        return t
    }

    func matchesRefusal(_ text: String) -> Bool {
        let range = NSRange(text.startIndex..., in: text)
        return patterns.contains { $0.firstMatch(in: text, range: range) != nil }
    }
}

/// The input fingerprint: the same request under every version (DESIGN.md, Vocabulary).
///
/// Normalisation: Unicode compatibility folding, lower case, curly quotes as straight,
/// every run of characters that are not letters or digits as one space, trimmed. So
/// "Where is my order?" and "where is my order" hash alike. The hash is FNV-1a 64 of the
/// normalised UTF-8, as 16 hex digits.
public enum InputHash {
    public static func normalize(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.lowercased().decomposedStringWithCompatibilityMapping.unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                if scalar.properties.generalCategory == .nonspacingMark { continue }
                if pendingSpace && !out.isEmpty { out.append(" ") }
                pendingSpace = false
                out.unicodeScalars.append(scalar)
            } else if scalar.properties.generalCategory == .nonspacingMark {
                continue
            } else {
                pendingSpace = true
            }
        }
        return out
    }

    public static func of(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in normalize(text).utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
