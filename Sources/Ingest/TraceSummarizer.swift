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
        // One pass: the root, the final answer, sums and counts.
        var root: StoredSpan?
        // The final answer: the last successful LLM span (by end time) that is not a tool-call
        // step; failing that, the last LLM call attempted (a failed answer), then any LLM span.
        var answer: StoredSpan?
        var lastAttempt: StoredSpan?
        var lastLLM: StoredSpan?
        var minStart = first.startNs, maxEnd = first.endNs
        var t = TraceRecord(traceId: first.traceId, startNs: 0, endNs: 0, latencyMs: 0, status: "unset")
        var returnedAny = false, emptyAny = false
        for span in spans {
            minStart = min(minStart, span.startNs)
            maxEnd = max(maxEnd, span.endNs)
            if span.parentSpanId == nil || !spans.contains(where: { $0.spanId == span.parentSpanId }) {
                let isTrueRoot = span.parentSpanId == nil
                if let r = root {
                    let rTrue = r.parentSpanId == nil
                    if (isTrueRoot && !rTrue) || (isTrueRoot == rTrue && span.startNs < r.startNs) { root = span }
                } else {
                    root = span
                }
            }
            switch span.kind {
            case "llm":
                t.llmCalls += 1
                t.inputTokens += span.facts.inputTokens ?? 0
                t.outputTokens += span.facts.outputTokens ?? 0
                t.costUsd += span.facts.costUsd ?? 0
                func later(_ other: StoredSpan?) -> Bool { other.map { (span.endNs, span.startNs) >= ($0.endNs, $0.startNs) } ?? true }
                if later(lastLLM) { lastLLM = span }
                if span.facts.finishReason != "tool_calls" {
                    if later(lastAttempt) { lastAttempt = span }
                    if span.status != "error", later(answer) { answer = span }
                }
            case "tool":
                t.toolCalls += 1
                if span.status == "error" { t.toolErrors += 1 }
            case "retrieval":
                if let score = span.facts.retrievalTopScore { t.retrievalTopScore = max(t.retrievalTopScore ?? score, score) }
                if let returned = span.facts.retrievalReturned {
                    returnedAny = true
                    if returned == 0 { emptyAny = true }
                }
            default:
                break
            }
            if span.facts.refused == true { t.refused = true }
            if span.facts.safetyFlagged == true { t.safetyFlagged = true }
        }
        if returnedAny { t.retrievalEmpty = emptyAny }
        let final = answer ?? lastAttempt ?? lastLLM
        t.startNs = root?.startNs ?? minStart
        t.endNs = root?.endNs ?? maxEnd
        t.latencyMs = (Double(t.endNs) - Double(t.startNs)) / 1e6
        t.status = root?.status ?? "unset"
        t.name = root?.name
        t.spans = Int64(spans.count)

        // Version dimensions: from the final answer, else the root, else the earliest span
        // carrying them (spans arrive in start order from the store, in file order from a load).
        func pick(_ get: (SpanFacts) -> String?) -> String? {
            if let f = final, let v = get(f.facts) { return v }
            if let r = root, let v = get(r.facts) { return v }
            var best: (Int64, String)?
            for span in spans { if let v = get(span.facts), best.map({ span.startNs < $0.0 }) ?? true { best = (span.startNs, v) } }
            return best?.1
        }
        t.promptId = pick { $0.promptId }
        t.promptVersion = pick { $0.promptVersion }
        t.promptHash = pick { $0.promptHash }
        t.model = pick { $0.model }
        t.provider = pick { $0.provider }
        t.configHash = pick { $0.configHash }
        t.indexVersion = pick { $0.indexVersion }
        t.toolVersion = pick { $0.toolVersion }
        t.release = pick { $0.release }
        t.environment = pick { $0.environment }
        t.cohort = pick { $0.cohort }
        t.service = pick { $0.service }
        t.serviceVersion = pick { $0.serviceVersion }
        t.intent = pick { $0.intent }
        t.userId = pick { $0.userId }
        t.sessionId = pick { $0.sessionId }
        t.input = pick { $0.input }
        t.replayOf = pick { $0.replayOf }
        t.replayRun = pick { $0.replayRun }
        t.feedback = final?.facts.feedback ?? root?.facts.feedback ?? spans.lazy.compactMap(\.facts.feedback).first
        t.finishReason = final?.facts.finishReason
        t.output = answer?.facts.output
        t.inputHash = t.input.map(InputHash.of)

        // Signals (docs/configuration.md, Signals).
        let finish = final?.facts.finishReason
        if let finish, rules.refusedFinishReasons.contains(finish) { t.refused = true }
        if !t.refused, let output = t.output, matchesRefusal(output) { t.refused = true }
        if let finish, rules.safetyFinishReasons.contains(finish) { t.safetyFlagged = true }
        let httpStatus = root?.facts.httpStatus ?? 0
        t.error = root?.status == "error" || httpStatus >= rules.errorHTTPStatus || (t.llmCalls > 0 && answer == nil)
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
        if let ascii = normalizeASCII(text) { return ascii }
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

    /// The same normalisation for pure-ASCII text (most inputs), without Unicode tables.
    static func normalizeASCII(_ text: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for b in text.utf8 {
            if b >= 0x80 { return nil }
            let lower = (b >= 0x41 && b <= 0x5A) ? b + 0x20 : b
            if (lower >= 0x61 && lower <= 0x7A) || (lower >= 0x30 && lower <= 0x39) {
                if pendingSpace && !bytes.isEmpty { bytes.append(0x20) }
                pendingSpace = false
                bytes.append(lower)
            } else {
                pendingSpace = true
            }
        }
        return String(decoding: bytes, as: UTF8.self)
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
