import Foundation
import Store

/// What a pinned trace's answer must do (DESIGN.md: "expectations"), as typed after `expect`
/// in `pin TRACE_ID expect …` and as written in sessions and cases:
///
/// | form | passes when the answer … |
/// | --- | --- |
/// | `not refused` / `refused` | is not a refusal / is one |
/// | `contains "text"` / `not contains "text"` | holds the text (case-insensitive) / does not |
/// | `matches "regex"` | matches the regular expression (ICU syntax, as the query language's `~`) |
/// | `equals "text"` | is exactly the text (surrounding whitespace aside) |
/// | `json` | is valid JSON |
/// | `tool NAME` | called the tool |
/// | `max_latency 4s` | took at most that long (ms, s, m) |
/// | `max_cost 0.01` | cost at most that many US dollars |
public enum Expectation: Sendable, Equatable, Hashable {
    case notRefused
    case refused
    case contains(String)
    case notContains(String)
    case matches(String)
    case equals(String)
    case validJSON
    case toolCalled(String)
    case maxLatencyMs(Double)
    case maxCostUsd(Double)

    /// The canonical text, as `pin … expect TEXT` reads it back.
    public var text: String {
        switch self {
        case .notRefused: return "not refused"
        case .refused: return "refused"
        case .contains(let s): return "contains \(Self.quoted(s))"
        case .notContains(let s): return "not contains \(Self.quoted(s))"
        case .matches(let s): return "matches \(Self.quoted(s))"
        case .equals(let s): return "equals \(Self.quoted(s))"
        case .validJSON: return "json"
        case .toolCalled(let name): return "tool \(name)"
        case .maxLatencyMs(let ms): return "max_latency \(Self.duration(ms))"
        case .maxCostUsd(let usd): return "max_cost \(Self.number(usd))"
        }
    }

    /// The expectation words `pin` accepts after `expect`, for completion and errors.
    public static let keywords = ["not", "refused", "contains", "matches", "equals", "json", "tool", "max_latency", "max_cost"]

    /// Reads one expectation from the start of `words` (already split, quotes removed);
    /// returns it and how many words it took.
    public static func read(_ words: ArraySlice<String>) throws -> (Expectation, Int) {
        guard let first = words.first?.lowercased() else {
            throw NotebookError("`expect` needs an expectation: \(keywords.joined(separator: ", "))")
        }
        let rest = words.dropFirst()
        func argument(_ what: String) throws -> String {
            guard let value = rest.first else { throw NotebookError("`\(first)` needs \(what)") }
            return value
        }
        switch first {
        case "not":
            switch rest.first?.lowercased() {
            case "refused": return (.notRefused, 2)
            case "contains":
                guard let text = rest.dropFirst().first else { throw NotebookError("`not contains` needs a text in quotes") }
                return (.notContains(text), 3)
            default: throw NotebookError("`not` goes with `refused` or `contains \"…\"`")
            }
        case "refused": return (.refused, 1)
        case "contains": return (.contains(try argument("a text in quotes")), 2)
        case "matches":
            let pattern = try argument("a regular expression in quotes")
            do { _ = try NSRegularExpression(pattern: pattern) } catch {
                throw NotebookError("`matches \"\(pattern)\"`: not a valid regular expression")
            }
            return (.matches(pattern), 2)
        case "equals": return (.equals(try argument("a text in quotes")), 2)
        case "json": return (.validJSON, 1)
        case "tool": return (.toolCalled(try argument("a tool name")), 2)
        case "max_latency":
            let text = try argument("a duration such as 4s or 800ms")
            guard let ms = Self.milliseconds(text) else { throw NotebookError("`max_latency` takes a duration such as 4s or 800ms, not `\(text)`") }
            return (.maxLatencyMs(ms), 2)
        case "max_cost":
            let text = try argument("an amount in US dollars such as 0.01")
            guard let usd = Double(text), usd.isFinite, usd >= 0 else { throw NotebookError("`max_cost` takes an amount in US dollars such as 0.01, not `\(text)`") }
            return (.maxCostUsd(usd), 2)
        default:
            let hint = Suggest.closest(to: first, in: keywords).map { "; did you mean `\($0)`?" } ?? ""
            throw NotebookError("unknown expectation `\(first)`\(hint) (expectations: \(keywords.joined(separator: ", ")))")
        }
    }

    /// Reads a whole expectation text (`contains "refund"`), as sessions and cases store it.
    public static func parse(_ text: String) throws -> Expectation {
        guard let words = QuotedWords.split(text, quotes: ["\""], escapes: true) else {
            throw NotebookError("unterminated quote in `\(text)`")
        }
        let (expectation, used) = try read(words[...])
        guard used == words.count else { throw NotebookError("`\(text)`: unexpected `\(words[used])` after the expectation") }
        return expectation
    }

    /// `800ms`, `4s`, `1.5s`, `2m` in milliseconds.
    static func milliseconds(_ text: String) -> Double? {
        for (unit, factor) in [("ms", 1.0), ("s", 1000.0), ("m", 60_000.0)] where text.hasSuffix(unit) {
            guard let x = Double(text.dropLast(unit.count)), x.isFinite, x >= 0 else { return nil }
            return x * factor
        }
        return nil
    }

    /// Below a second in ms (`800ms`), else in seconds (`4s`, `5.2s`).
    static func duration(_ ms: Double) -> String {
        ms < 1000 ? "\(number(ms))ms" : "\(number(ms / 1000))s"
    }

    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }

    static func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

/// A failure of a session, pin or case command, or of a session file.
public struct NotebookError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
