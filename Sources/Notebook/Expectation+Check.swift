import Foundation

extension Expectation {
    /// An answer to check: the output and the facts the expectations speak of.
    public struct Answer: Sendable, Equatable {
        public var output: String?
        public var refused: Bool?
        public var latencyMs: Double?
        public var costUsd: Double?
        public var tools: [String]

        public init(output: String?, refused: Bool?, latencyMs: Double?, costUsd: Double?, tools: [String]) {
            self.output = output
            self.refused = refused
            self.latencyMs = latencyMs
            self.costUsd = costUsd
            self.tools = tools
        }
    }

    /// An expectation's result on an answer: passed, failed with what was seen, or unknown when
    /// the answer lacks the fact (no output, no latency …).
    public struct Outcome: Sendable, Equatable {
        public enum Status: String, Sendable { case pass, fail, unknown }
        public var expectation: Expectation
        public var status: Status
        /// What was seen, for a failure or an unknown: `refused`, `latency 5.2s`, `no output` …
        public var seen: String?
    }

    public func check(_ answer: Answer) -> Outcome {
        func outcome(_ passed: Bool?, _ seen: @autoclosure () -> String) -> Outcome {
            guard let passed else { return Outcome(expectation: self, status: .unknown, seen: seen()) }
            return Outcome(expectation: self, status: passed ? .pass : .fail, seen: passed ? nil : seen())
        }
        let output = answer.output
        switch self {
        case .notRefused: return outcome(answer.refused.map { !$0 }, answer.refused == nil ? "refusal unknown" : "refused")
        case .refused: return outcome(answer.refused, answer.refused == nil ? "refusal unknown" : "answered")
        case .contains(let text):
            return outcome(output.map { $0.range(of: text, options: .caseInsensitive) != nil }, output == nil ? "no output" : "output without \(Self.quoted(text))")
        case .notContains(let text):
            return outcome(output.map { $0.range(of: text, options: .caseInsensitive) == nil }, output == nil ? "no output" : "output with \(Self.quoted(text))")
        case .matches(let pattern):
            let regex = try? NSRegularExpression(pattern: pattern)
            return outcome(output.flatMap { o in regex.map { $0.firstMatch(in: o, range: NSRange(o.startIndex..., in: o)) != nil } },
                           output == nil ? "no output" : "no match")
        case .equals(let text):
            return outcome(output.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) == text.trimmingCharacters(in: .whitespacesAndNewlines) },
                           output == nil ? "no output" : "a different output")
        case .validJSON:
            return outcome(output.map { (try? JSONSerialization.jsonObject(with: Data($0.utf8), options: [.fragmentsAllowed])) != nil },
                           output == nil ? "no output" : "not JSON")
        case .toolCalled(let name):
            return outcome(answer.tools.contains(name), answer.tools.isEmpty ? "no tool called" : "called \(answer.tools.joined(separator: ", "))")
        case .maxLatencyMs(let limit):
            return outcome(answer.latencyMs.map { $0 <= limit }, answer.latencyMs.map { "latency \(Self.duration($0.rounded()))" } ?? "latency unknown")
        case .maxCostUsd(let limit):
            return outcome(answer.costUsd.map { $0 <= limit }, answer.costUsd.map { "cost $\(Self.number($0))" } ?? "cost unknown")
        }
    }
}
