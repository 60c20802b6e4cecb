/// A lexical token of the query language. Ranges are byte offsets into the query text; line,
/// column and the caret are computed only when an error is rendered.
struct Token: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case identifier(String)
        /// `` `a name` ``: an identifier that may hold any character.
        case quotedIdentifier(String)
        case string(String)
        case integer(Int64)
        case real(Double)
        /// `90s`, `30m`, `7d`, `250ms`: nanoseconds.
        case duration(Int64)
        /// `$name`: a parameter of a saved query.
        case parameter(String)
        case symbol(Symbol)
        case end
    }

    enum Symbol: String, Sendable, CaseIterable {
        case pipe = "|", comma = ",", leftParen = "(", rightParen = ")", dot = "."
        case equal = "==", assign = "=", notEqual = "!=", less = "<", lessEqual = "<="
        case greater = ">", greaterEqual = ">=", match = "~", notMatch = "!~"
        case plus = "+", minus = "-", star = "*", slash = "/", percent = "%"
    }

    var kind: Kind
    var range: Range<Int>

    /// How the token is named in "expected …, found …".
    var description: String {
        switch kind {
        case .identifier(let s): return "`\(s)`"
        case .quotedIdentifier(let s): return "`\(s)`"
        case .string: return "a string"
        case .integer, .real: return "a number"
        case .duration: return "a duration"
        case .parameter(let s): return "`$\(s)`"
        case .symbol(let s): return "`\(s.rawValue)`"
        case .end: return "the end of the query"
        }
    }

    /// The identifier's text, if this is a (bare) identifier.
    var identifier: String? {
        if case .identifier(let s) = kind { return s }
        return nil
    }

    func isKeyword(_ word: String) -> Bool {
        if case .identifier(let s) = kind { return s.lowercased() == word }
        return false
    }

    func isSymbol(_ symbol: Symbol) -> Bool {
        kind == .symbol(symbol)
    }
}
