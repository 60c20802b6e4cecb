import Store

/// `between EXPR and EXPR` (drift, explain) and `EXPR against EXPR` (gate): two `where`
/// expressions joined by a keyword that a `where` expression may hold itself (`and`).
///
/// The text is split at each top-level occurrence of the keyword (outside parentheses and
/// quotes); the split whose two sides both parse is the answer. When several do —
/// `a == 1 and b == 2 and c == 3` — the slices are ambiguous and the error says to put each in
/// parentheses.
public enum SlicePair {
    /// The text of the slices without a trailing `by DIM`, and DIM (`drift … by DIM`). `by`
    /// counts only at the top level — not inside parentheses or a string, so `intent == "by"`
    /// is a slice — and must be followed by exactly one name.
    public static func dimension(_ source: QuerySource, after keyword: String = "by") throws -> (slices: QuerySource, dimension: String?) {
        let tokens = try Lexer(source).tokens()
        if let i = firstTopLevel(keyword, in: tokens) {
            let token = tokens[i]
            let name = tokens[i + 1]
            let dimension: String
            switch name.kind {
            case .identifier(let s), .quotedIdentifier(let s): dimension = s
            case .end: throw QueryError(source, token.range, "`\(keyword)` needs a dimension", hint: "e.g. … \(keyword) model")
            default: throw QueryError(source, name.range, "expected a dimension after `\(keyword)`, found \(name.description)")
            }
            let after = tokens[i + 2]
            guard case .end = after.kind else {
                throw QueryError(source, after.range, "expected the end after `\(keyword) \(dimension)`, found \(after.description)",
                                 hint: "`\(keyword) DIM` comes last, after both slices")
            }
            return (before(token, in: source), dimension)
        }
        return (source, nil)
    }

    /// A `where` expression followed by options (`sample 20 where intent == "refund" by model
    /// seed 7`): the expression's text before the first top-level option keyword, and the text
    /// from that keyword on (nil when there is none). Inside parentheses or a string, the
    /// keywords belong to the expression.
    public static func options(after source: QuerySource, keywords: [String]) throws -> (expression: QuerySource, options: String?) {
        let tokens = try Lexer(source).tokens()
        var depth = 0
        for token in tokens {
            if token.isSymbol(.leftParen) { depth += 1 }
            if token.isSymbol(.rightParen) { depth -= 1 }
            if depth == 0, keywords.contains(where: { token.isKeyword($0) }) {
                let tail = String(decoding: Array(source.text.utf8)[token.range.lowerBound...], as: UTF8.self)
                return (before(token, in: source), tail)
            }
        }
        return (source, nil)
    }

    /// The index of the first `keyword` outside parentheses (strings are tokens of their own).
    static func firstTopLevel(_ keyword: String, in tokens: [Token]) -> Int? {
        var depth = 0
        for (i, token) in tokens.enumerated() {
            if token.isSymbol(.leftParen) { depth += 1 }
            if token.isSymbol(.rightParen) { depth -= 1 }
            if depth == 0, token.isKeyword(keyword) { return i }
        }
        return nil
    }

    /// The source's text before `token`, naming the same place.
    static func before(_ token: Token, in source: QuerySource) -> QuerySource {
        let text = String(decoding: Array(source.text.utf8)[0..<token.range.lowerBound], as: UTF8.self)
        return QuerySource(name: source.name, text: text, firstLine: source.firstLine)
    }

    /// A dimension named after the slices: a text field of `traces`, or a span attribute.
    public enum Dimension: Sendable, Equatable {
        case field(String)
        /// `attr."key"`
        case attribute(String)
    }

    /// The text of the slices without a trailing `KEYWORD DIM, …` (`explain … with user_id,
    /// attr."app.locale"`), and the dimensions: field names or `attr."key"`. The keyword counts
    /// only at the top level, as in `dimension(_:after:)`.
    public static func dimensions(_ source: QuerySource, after keyword: String) throws -> (slices: QuerySource, dimensions: [Dimension]) {
        let tokens = try Lexer(source).tokens()
        if let i = firstTopLevel(keyword, in: tokens) {
            var parser = Parser(source: source, tokens: Array(tokens[(i + 1)...]))
            var found: [Dimension] = []
            repeat {
                let e = try parser.expression()
                switch e.kind {
                case .column(let name): found.append(.field(name))
                case .attribute(let key): found.append(.attribute(key))
                default:
                    throw QueryError(source, e.range, "expected a field or `attr.\"key\"` after `\(keyword)`",
                                     hint: "e.g. … \(keyword) user_id, attr.\"app.locale\"")
                }
            } while parser.accept(.comma)
            try parser.expectEnd("`,` and another dimension, or the end")
            return (before(tokens[i], in: source), found)
        }
        return (source, [])
    }

    /// The two slices' texts, as `QuerySource`s naming the same place, each with its own text.
    public static func split(_ source: QuerySource, at keyword: String) throws -> (QuerySource, QuerySource) {
        let tokens = try Lexer(source).tokens()
        var depth = 0
        var candidates: [Token] = []
        for token in tokens {
            if token.isSymbol(.leftParen) { depth += 1 }
            if token.isSymbol(.rightParen) { depth -= 1 }
            if depth == 0, token.isKeyword(keyword) { candidates.append(token) }
        }
        let bytes = Array(source.text.utf8)
        func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        var valid: [(QuerySource, QuerySource)] = []
        var firstError: QueryError?
        for token in candidates {
            let left = QuerySource(name: source.name, text: text(0..<token.range.lowerBound), firstLine: source.firstLine)
            let right = QuerySource(name: source.name, text: text(token.range.upperBound..<bytes.count), firstLine: source.firstLine)
            do {
                _ = try Parser.parseExpression(left)
                _ = try Parser.parseExpression(right)
                valid.append((left, right))
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        switch valid.count {
        case 1:
            return valid[0]
        case 0:
            guard let last = candidates.last else {
                // `gate` names the candidate first (`v2 against v1`); `between` the baseline.
                let (first, second) = keyword == "against" ? ("v2", "v1") : ("v1", "v2")
                throw QueryError(source, bytes.count..<bytes.count, "expected `\(keyword)` and a second slice",
                                 hint: "e.g. prompt_version == \"\(first)\" \(keyword) prompt_version == \"\(second)\"")
            }
            throw firstError ?? QueryError(source, last.range, "cannot read two slices around `\(keyword)`")
        default:
            throw QueryError(source, candidates[1].range, "`\(keyword)` could separate the slices in more than one place",
                             hint: "put each slice in parentheses: (A) \(keyword) (B)")
        }
    }
}
