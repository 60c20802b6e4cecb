import Foundation
import Query
import Store

/// A failure of `drift`, `changes` or `explain` that is not in a query expression.
public struct InvestigateError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension QueryEngine {
    /// The store column of `dimension`, a text field of `traces` (`changes … by DIM`,
    /// `drift … by DIM`); an error with a "did you mean" for any other name.
    func dimensionColumn(_ dimension: String) throws -> String {
        let (column, suggestion) = try textField(dimension)
        guard let column else {
            throw InvestigateError("`\(dimension)` is not a text field of traces" + (suggestion.map { "; did you mean `\($0)`?" } ?? ""))
        }
        return column
    }
}

/// The two slices of `between A and B`: each a `where` expression over `traces`, or a bare
/// version value (`v2`, `"gpt-4.1-2025-04-14"`), which stands for `DIM == "value"` of the
/// version dimension that holds it.
public struct SlicePairSpec: Sendable {
    public var baseline: QuerySource
    public var current: QuerySource

    public init(baseline: QuerySource, current: QuerySource) {
        self.baseline = baseline
        self.current = current
    }

    /// Reads `A and B`, resolving bare values against the store.
    public static func read(_ text: QuerySource, database: Database) throws -> SlicePairSpec {
        let (a, b) = try SlicePair.split(text, at: "and")
        return SlicePairSpec(baseline: try resolve(a, database: database), current: try resolve(b, database: database))
    }

    /// A slice that is one bare word or quoted text naming a version value becomes
    /// `dimension == "value"`; anything else is an expression as it is. `cases check … against`
    /// reads its one slice with it too.
    public static func resolve(_ slice: QuerySource, database: Database) throws -> QuerySource {
        let text = slice.text.trimmingCharacters(in: .whitespaces)
        var value = text
        if text.count >= 2, let first = text.first, first == "\"" || first == "'", text.last == first {
            value = String(text.dropFirst().dropLast())
        } else if text.isEmpty || text.contains(where: { $0.isWhitespace || "=<>!~()".contains($0) }) || isField(text) {
            return slice
        }
        // The catalog of version values answers for every dimension at once.
        let holders = try database.dimensionValues().filter { $0.value == value }.map(\.dimension)
        guard let dimension = holders.first else {
            throw InvestigateError("`\(value)` is not a value of any version dimension; write a `where` expression such as prompt_version == \"\(value)\"")
        }
        guard holders.count == 1 else {
            throw InvestigateError("`\(value)` is a value of \(holders.joined(separator: " and ")); say which: \(holders[0]) == \"\(value)\"")
        }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return QuerySource(name: slice.name, text: "\(dimension) == \"\(escaped)\"", firstLine: slice.firstLine)
    }

    /// Boolean fields a bare word may name as a whole expression (`refused`, `error`).
    static func isField(_ word: String) -> Bool {
        ["refused", "safety_flagged", "error", "retrieval_empty", "true", "false"].contains(word.lowercased())
    }
}
