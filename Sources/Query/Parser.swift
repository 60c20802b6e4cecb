import Store

/// Recursive-descent parser: tokens → `Query`. Knows the language's grammar
/// (docs/query-language.md) and nothing of SQL or of the store's columns.
public struct Parser {
    let source: QuerySource
    var tokens: [Token]
    var index = 0

    /// Words that cannot name a column.
    static let reserved: Set<String> = ["and", "or", "not", "in", "between", "is", "as", "by", "asc", "desc",
                                        "contains", "true", "false", "null"]

    public static func parse(_ source: QuerySource) throws(QueryError) -> Query {
        var parser = Parser(source: source, tokens: try Lexer(source).tokens())
        return try parser.query()
    }

    /// Parses one expression alone (a `where` expression given to `drift`, `gate` …).
    public static func parseExpression(_ source: QuerySource) throws(QueryError) -> Expression {
        var parser = Parser(source: source, tokens: try Lexer(source).tokens())
        let e = try parser.expression()
        try parser.expectEnd("the end of the expression")
        return e
    }

    init(source: QuerySource, tokens: [Token]) {
        self.source = source
        self.tokens = tokens
    }

    var current: Token { tokens[index] }
    var next: Token { tokens[min(index + 1, tokens.count - 1)] }

    mutating func advance() -> Token {
        let t = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return t
    }

    func error(_ expected: String, at token: Token? = nil, hint: String? = nil) -> QueryError {
        let t = token ?? current
        return QueryError(source, t.range, "expected \(expected), found \(t.description)", hint: hint)
    }

    mutating func accept(_ symbol: Token.Symbol) -> Bool {
        if current.isSymbol(symbol) { _ = advance(); return true }
        return false
    }

    mutating func acceptKeyword(_ word: String) -> Bool {
        if current.isKeyword(word) { _ = advance(); return true }
        return false
    }

    mutating func expect(_ symbol: Token.Symbol, _ what: String? = nil) throws(QueryError) -> Token {
        guard current.isSymbol(symbol) else { throw error(what ?? "`\(symbol.rawValue)`") }
        return advance()
    }

    mutating func expectEnd(_ what: String) throws(QueryError) {
        guard current.kind == .end else { throw error(what) }
    }

    // MARK: - query and pipeline

    mutating func query() throws(QueryError) -> Query {
        var parameters: [ParameterDeclaration] = []
        while current.isKeyword("param"), next.identifier != nil {
            let start = advance().range.lowerBound
            let nameToken = advance()
            guard let name = nameToken.identifier else { throw error("a parameter name", at: nameToken) }
            var value: Expression?
            if accept(.assign) { value = try expression() }
            if parameters.contains(where: { $0.name == name }) {
                throw QueryError(source, nameToken.range, "parameter `\(name)` is declared twice")
            }
            parameters.append(ParameterDeclaration(name: name, defaultValue: value, range: start..<(value?.range.upperBound ?? nameToken.range.upperBound)))
        }
        let pipeline = try self.pipeline()
        return Query(parameters: parameters, pipeline: pipeline)
    }

    mutating func pipeline() throws(QueryError) -> Pipeline {
        let source = try sourceReference()
        var stages: [Stage] = []
        while accept(.pipe) {
            stages.append(try stage())
        }
        guard current.kind == .end else {
            if stages.isEmpty, source.arguments.isEmpty, current.identifier.map({ Stage.names.contains($0.lowercased()) }) == true {
                throw error("`|` before the stage", hint: "stages are joined by `|`: `\(source.name) | \(current.identifier ?? "")` …")
            }
            throw error("`|` or the end of the query")
        }
        return Pipeline(source: source, stages: stages)
    }

    /// A source name; a saved query's name may contain `-` (`refusals-by-version`).
    mutating func sourceReference() throws(QueryError) -> SourceReference {
        guard let first = current.identifier else {
            throw error("a source (`traces`, `spans`, `llm`, `tools`, `retrievals`, `loads`, `rejects` or a saved query)")
        }
        var name = first
        var range = advance().range
        while current.isSymbol(.minus), current.range.lowerBound == range.upperBound,
              let part = next.identifier, next.range.lowerBound == current.range.upperBound {
            _ = advance()
            name += "-" + part
            range = range.lowerBound..<advance().range.upperBound
        }
        var arguments: [SourceReference.Argument] = []
        if accept(.leftParen) {
            if !current.isSymbol(.rightParen) {
                repeat {
                    let nameToken = current
                    guard let argName = nameToken.identifier else { throw error("a parameter name") }
                    _ = advance()
                    _ = try expect(.assign, "`=` after the parameter name")
                    let value = try expression()
                    arguments.append(.init(name: argName, value: value, range: nameToken.range.lowerBound..<value.range.upperBound))
                } while accept(.comma)
            }
            range = range.lowerBound..<(try expect(.rightParen, "`,` or `)`")).range.upperBound
        }
        return SourceReference(name: name, arguments: arguments, range: range)
    }

    mutating func stage() throws(QueryError) -> Stage {
        let keyword = current
        guard let word = keyword.identifier?.lowercased() else { throw error("a stage (\(Stage.names.joined(separator: ", ")))") }
        _ = advance()
        let kind: Stage.Kind
        switch word {
        case "where", "filter":
            kind = .where(try expression())
        case "select", "project":
            kind = .select(try projections(named: false))
        case "extend":
            kind = .extend(try projections(named: true))
        case "stats", "summarize":
            var aggregates: [Projection] = []
            if !current.isKeyword("by") { aggregates = try projections(named: false) }
            var by: [Projection] = []
            if acceptKeyword("by") { by = try projections(named: false) }
            if aggregates.isEmpty { throw error("an aggregate such as `count()`", at: keyword) }
            kind = .stats(aggregates: aggregates, by: by)
        case "sort", "order":
            _ = acceptKeyword("by")
            kind = .sort(try sortKeys())
        case "top":
            let n = try count()
            guard acceptKeyword("by") else { throw error("`by` and the sort key (e.g. `top 10 by latency_ms`)") }
            kind = .top(count: n, by: try sortKeys())
        case "limit", "take", "head":
            kind = .limit(try count())
        case "distinct":
            kind = .distinct(try projections(named: false))
        case "chart":
            var style: String?
            if let s = current.identifier { style = s; _ = advance() }
            kind = .chart(style)
        default:
            let hint = Suggest.closest(to: word, in: Stage.names).map { "did you mean `\($0)`?" }
            throw QueryError(source, keyword.range, "unknown stage `\(keyword.identifier ?? word)`",
                             hint: hint ?? "stages: \(Stage.names.joined(separator: ", "))")
        }
        return Stage(kind: kind, range: keyword.range)
    }

    mutating func count() throws(QueryError) -> RowCount {
        if case .parameter(let name) = current.kind {
            return .parameter(name, advance().range)
        }
        guard case .integer(let n) = current.kind, n >= 0 else { throw error("a row count (a whole number)") }
        _ = advance()
        return .literal(n)
    }

    mutating func projections(named: Bool) throws(QueryError) -> [Projection] {
        var out: [Projection] = []
        repeat {
            var projection: Projection
            if current.identifier != nil || { if case .quotedIdentifier = current.kind { return true }; return false }(),
               next.isSymbol(.assign) {
                let nameToken = advance()
                _ = advance()
                let name: String
                switch nameToken.kind {
                case .identifier(let s), .quotedIdentifier(let s): name = s
                default: name = ""
                }
                projection = Projection(expression: try expression(), alias: name, aliasRange: nameToken.range)
            } else {
                let e = try expression()
                projection = Projection(expression: e, alias: nil, aliasRange: nil)
                if acceptKeyword("as") {
                    let nameToken = advance()
                    switch nameToken.kind {
                    case .identifier(let s) where !Self.reserved.contains(s.lowercased()):
                        projection.alias = s
                    case .quotedIdentifier(let s):
                        projection.alias = s
                    default:
                        throw error("a column name after `as`", at: nameToken)
                    }
                    projection.aliasRange = nameToken.range
                }
            }
            if named, projection.alias == nil {
                if case .column = projection.expression.kind {} else {
                    throw QueryError(source, projection.expression.range, "a new column needs a name",
                                     hint: "write `name = expression`")
                }
            }
            out.append(projection)
        } while accept(.comma)
        return out
    }

    mutating func sortKeys() throws(QueryError) -> [SortKey] {
        var keys: [SortKey] = []
        repeat {
            let e = try expression()
            var descending: Bool?
            if acceptKeyword("desc") { descending = true } else if acceptKeyword("asc") { descending = false }
            keys.append(SortKey(expression: e, descending: descending))
        } while accept(.comma)
        return keys
    }

    // MARK: - expressions, loosest binding first

    public mutating func expression() throws(QueryError) -> Expression {
        try or()
    }

    mutating func or() throws(QueryError) -> Expression {
        var left = try and()
        while acceptKeyword("or") {
            let right = try and()
            left = Expression(.binary(.or, left, right), left.range.lowerBound..<right.range.upperBound)
        }
        return left
    }

    mutating func and() throws(QueryError) -> Expression {
        var left = try not()
        while acceptKeyword("and") {
            let right = try not()
            left = Expression(.binary(.and, left, right), left.range.lowerBound..<right.range.upperBound)
        }
        return left
    }

    mutating func not() throws(QueryError) -> Expression {
        if current.isKeyword("not") {
            let start = advance().range.lowerBound
            let operand = try not()
            return Expression(.unary(.not, operand), start..<operand.range.upperBound)
        }
        return try comparison()
    }

    static let comparisons: [Token.Symbol: BinaryOperator] = [
        .equal: .equal, .assign: .equal, .notEqual: .notEqual, .less: .less, .lessEqual: .lessEqual,
        .greater: .greater, .greaterEqual: .greaterEqual, .match: .match, .notMatch: .notMatch,
    ]

    mutating func comparison() throws(QueryError) -> Expression {
        let left = try additive()
        let start = left.range.lowerBound
        if case .symbol(let s) = current.kind, let op = Self.comparisons[s] {
            _ = advance()
            let right = try additive()
            return Expression(.binary(op, left, right), start..<right.range.upperBound)
        }
        var negated = false
        if current.isKeyword("not"), next.isKeyword("in") || next.isKeyword("between") || next.isKeyword("contains") {
            _ = advance()
            negated = true
        }
        if acceptKeyword("contains") {
            let right = try additive()
            return Expression(.binary(negated ? .notContains : .contains, left, right), start..<right.range.upperBound)
        }
        if acceptKeyword("in") {
            _ = try expect(.leftParen, "`(` and a list of values")
            var items: [Expression] = []
            if !current.isSymbol(.rightParen) {
                repeat { items.append(try expression()) } while accept(.comma)
            }
            let close = try expect(.rightParen, "`,` or `)`")
            if items.isEmpty { throw QueryError(source, close.range, "`in` needs at least one value") }
            return Expression(.inList(left, items, negated: negated), start..<close.range.upperBound)
        }
        if acceptKeyword("between") {
            let low = try additive()
            guard acceptKeyword("and") else { throw error("`and` (`x between low and high`)") }
            let high = try additive()
            return Expression(.between(left, low, high, negated: negated), start..<high.range.upperBound)
        }
        if current.isKeyword("is") {
            _ = advance()
            let isNot = acceptKeyword("not")
            guard current.isKeyword("null") else { throw error("`null` (`x is null`, `x is not null`)") }
            let end = advance().range.upperBound
            return Expression(.isNull(left, negated: isNot), start..<end)
        }
        return left
    }

    mutating func additive() throws(QueryError) -> Expression {
        var left = try multiplicative()
        while true {
            let op: BinaryOperator
            if current.isSymbol(.plus) { op = .add } else if current.isSymbol(.minus) { op = .subtract } else { return left }
            _ = advance()
            let right = try multiplicative()
            left = Expression(.binary(op, left, right), left.range.lowerBound..<right.range.upperBound)
        }
    }

    mutating func multiplicative() throws(QueryError) -> Expression {
        var left = try unary()
        while true {
            let op: BinaryOperator
            if current.isSymbol(.star) { op = .multiply } else if current.isSymbol(.slash) { op = .divide }
            else if current.isSymbol(.percent) { op = .remainder } else { return left }
            _ = advance()
            let right = try unary()
            left = Expression(.binary(op, left, right), left.range.lowerBound..<right.range.upperBound)
        }
    }

    mutating func unary() throws(QueryError) -> Expression {
        if current.isSymbol(.minus) {
            let start = advance().range.lowerBound
            let operand = try unary()
            // Fold negative literals so that `-5` is a literal (and `-9223372036854775808` fits).
            switch operand.kind {
            case .literal(.integer(let v)): return Expression(.literal(.integer(0 &- v)), start..<operand.range.upperBound)
            case .literal(.real(let v)): return Expression(.literal(.real(-v)), start..<operand.range.upperBound)
            case .literal(.duration(let v)): return Expression(.literal(.duration(0 &- v)), start..<operand.range.upperBound)
            default: return Expression(.unary(.negate, operand), start..<operand.range.upperBound)
            }
        }
        if current.isSymbol(.plus) { _ = advance(); return try unary() }
        return try primary()
    }

    mutating func primary() throws(QueryError) -> Expression {
        let token = current
        switch token.kind {
        case .string(let s): _ = advance(); return Expression(.literal(.string(s)), token.range)
        case .integer(let v): _ = advance(); return Expression(.literal(.integer(v)), token.range)
        case .real(let v): _ = advance(); return Expression(.literal(.real(v)), token.range)
        case .duration(let v): _ = advance(); return Expression(.literal(.duration(v)), token.range)
        case .parameter(let name): _ = advance(); return Expression(.parameter(name), token.range)
        case .quotedIdentifier(let name): _ = advance(); return Expression(.column(name), token.range)
        case .symbol(.leftParen):
            _ = advance()
            var inner = try expression()
            let close = try expect(.rightParen, "`)`")
            inner.range = token.range.lowerBound..<close.range.upperBound
            return inner
        case .identifier(let word):
            let lower = word.lowercased()
            switch lower {
            case "true", "false":
                _ = advance()
                return Expression(.literal(.bool(lower == "true")), token.range)
            case "null":
                _ = advance()
                return Expression(.literal(.null), token.range)
            default: break
            }
            if lower == "last", case .duration(let ns) = next.kind {
                _ = advance()
                let d = advance()
                guard ns > 0 else { throw QueryError(source, d.range, "`last` needs a positive duration") }
                return Expression(.last(ns), token.range.lowerBound..<d.range.upperBound)
            }
            if Self.reserved.contains(lower) { throw error("an expression") }
            _ = advance()
            if lower == "attr", current.isSymbol(.dot) {
                _ = advance()
                return try attribute(start: token.range.lowerBound)
            }
            if accept(.leftParen) {
                var arguments: [Expression] = []
                if current.isSymbol(.star), next.isSymbol(.rightParen) {
                    _ = advance() // count(*)
                } else if !current.isSymbol(.rightParen) {
                    repeat { arguments.append(try expression()) } while accept(.comma)
                }
                let close = try expect(.rightParen, "`,` or `)`")
                return Expression(.call(lower, arguments), token.range.lowerBound..<close.range.upperBound)
            }
            return Expression(.column(word), token.range)
        default:
            throw error("an expression")
        }
    }

    /// After `attr.`: a quoted key (`attr."gen_ai.request.model"`) or dotted words (`attr.app.intent`).
    mutating func attribute(start: Int) throws(QueryError) -> Expression {
        let token = current
        if case .string(let key) = token.kind {
            _ = advance()
            guard !key.isEmpty else { throw QueryError(source, token.range, "empty attribute key") }
            return Expression(.attribute(key), start..<token.range.upperBound)
        }
        guard var key = token.identifier else {
            throw error("an attribute key", hint: "quote keys: attr.\"gen_ai.request.model\"")
        }
        var end = advance().range.upperBound
        while current.isSymbol(.dot), current.range.lowerBound == end, let part = next.identifier {
            _ = advance()
            key += "." + part
            end = advance().range.upperBound
        }
        return Expression(.attribute(key), start..<end)
    }
}
