import Foundation
import Yams

/// Rules that derive the boolean signals of a trace (DESIGN.md, Signals), from `relops.yaml`'s
/// `signals` section or the defaults below (docs/signals.md).
public struct SignalRules: Sendable, Equatable {
    /// A final answer with one of these finish reasons is a refusal.
    public var refusedFinishReasons: [String] = ["content_filter"]
    /// Case-insensitive regular expressions; a final output matching any is a refusal.
    public var refusalPatterns: [String] = [#"(can['’]t|cannot|can not|unable to) (help|assist)"#]
    /// Finish reasons that count as a safety flag (besides the `safety_flagged` fact).
    public var safetyFinishReasons: [String] = []
    /// A trace whose root span has this HTTP status or higher is an error.
    public var errorHTTPStatus: Int64 = 500

    public init() {}

    public static func == (a: SignalRules, b: SignalRules) -> Bool {
        a.refusedFinishReasons == b.refusedFinishReasons 
            && a.refusalPatterns == b.refusalPatterns && a.safetyFinishReasons == b.safetyFinishReasons
            && a.errorHTTPStatus == b.errorHTTPStatus
    }

    init(node: Node, path: String) throws {
        guard let top = node.mapping else {
            throw ConfigError(path: path, line: node.mark.map { $0.line }, message: "`signals` must be a mapping")
        }
        for (keyNode, value) in top {
            let key = keyNode.string ?? ""
            let line = keyNode.mark.map { $0.line }
            guard let section = value.mapping else {
                throw ConfigError(path: path, line: line, message: "`signals.\(key)` must be a mapping")
            }
            for (ruleNode, ruleValue) in section {
                let rule = ruleNode.string ?? ""
                let ruleLine = ruleNode.mark.map { $0.line }
                let items = (ruleValue.sequence.map(Array.init) ?? [ruleValue])
                let texts = try items.map { item -> String in
                    guard let s = item.string else {
                        throw ConfigError(path: path, line: item.mark.map { $0.line } ?? ruleLine, message: "`signals.\(key).\(rule)` expects text values")
                    }
                    return s
                }
                switch (key, rule) {
                case ("refused", "finish_reasons"): refusedFinishReasons = texts
                case ("refused", "patterns"):
                    for pattern in texts {
                        do {
                            _ = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
                        } catch {
                            throw ConfigError(path: path, line: ruleLine, message: "`signals.refused.patterns`: not a valid regular expression: \(pattern)")
                        }
                    }
                    refusalPatterns = texts
                case ("safety_flagged", "finish_reasons"): safetyFinishReasons = texts
                case ("error", "http_status_at_least"):
                    guard texts.count == 1, let status = Int64(texts[0]) else {
                        throw ConfigError(path: path, line: ruleLine, message: "`signals.error.http_status_at_least` expects a number")
                    }
                    errorHTTPStatus = status
                default:
                    throw ConfigError(path: path, line: ruleLine, message: "unknown rule `signals.\(key).\(rule)` (see docs/configuration.md)")
                }
            }
        }
    }
}
