/// The syntax tree of a query, as written: the parser builds it and knows no SQL; the checker
/// resolves its names and types; the compiler turns the checked tree into SQL.

/// `param NAME [= VALUE]` lines, then `source | stage | …`.
public struct Query: Sendable, Equatable {
    public var parameters: [ParameterDeclaration]
    public var pipeline: Pipeline
}

/// A saved query's parameter, with its default value if it has one.
public struct ParameterDeclaration: Sendable, Equatable {
    public var name: String
    public var defaultValue: Expression?
    public var range: Range<Int>
}

public struct Pipeline: Sendable, Equatable {
    public var source: SourceReference
    public var stages: [Stage]
}

/// `traces`, `spans`, `llm` … or a saved query's name, with `(name = value, …)` arguments.
public struct SourceReference: Sendable, Equatable {
    public var name: String
    public var arguments: [Argument]
    public var range: Range<Int>

    public struct Argument: Sendable, Equatable {
        public var name: String
        public var value: Expression
        public var range: Range<Int>
    }
}

public struct Stage: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case `where`(Expression)
        case select([Projection])
        case extend([Projection])
        case stats(aggregates: [Projection], by: [Projection])
        case sort([SortKey])
        case top(count: RowCount, by: [SortKey])
        case limit(RowCount)
        case distinct([Projection])
        case chart(String?)
    }

    public var kind: Kind
    /// The stage keyword's range.
    public var range: Range<Int>

    public var name: String {
        switch kind {
        case .where: return "where"
        case .select: return "select"
        case .extend: return "extend"
        case .stats: return "stats"
        case .sort: return "sort"
        case .top: return "top"
        case .limit: return "limit"
        case .distinct: return "distinct"
        case .chart: return "chart"
        }
    }

    public static let names = ["where", "select", "extend", "stats", "sort", "top", "limit", "distinct", "chart"]
}

/// The N of `limit N` and `top N by`: a whole number, or a saved query's parameter.
public enum RowCount: Sendable, Equatable {
    case literal(Int64)
    case parameter(String, Range<Int>)
}

/// `expr [as name]` (or `name = expr` in `extend` and `stats`).
public struct Projection: Sendable, Equatable {
    public var expression: Expression
    public var alias: String?
    public var aliasRange: Range<Int>?
}

public struct SortKey: Sendable, Equatable {
    public var expression: Expression
    /// nil: the stage's default (`sort`: ascending; `top`: descending).
    public var descending: Bool?
}

public indirect enum ExpressionKind: Sendable, Equatable {
    case column(String)
    /// `attr."gen_ai.request.model"`: an original attribute of a span.
    case attribute(String)
    case literal(Literal)
    case parameter(String)
    case unary(UnaryOperator, Expression)
    case binary(BinaryOperator, Expression, Expression)
    case call(String, [Expression])
    case inList(Expression, [Expression], negated: Bool)
    case between(Expression, Expression, Expression, negated: Bool)
    case isNull(Expression, negated: Bool)
    /// `last 24h`: the window ending at the newest trace.
    case last(Int64)
}

public struct Expression: Sendable, Equatable {
    public var kind: ExpressionKind
    public var range: Range<Int>

    public init(_ kind: ExpressionKind, _ range: Range<Int>) {
        self.kind = kind
        self.range = range
    }
}

public enum Literal: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case real(Double)
    case string(String)
    /// Nanoseconds.
    case duration(Int64)
}

public enum UnaryOperator: String, Sendable {
    case not, negate = "-"
}

public enum BinaryOperator: String, Sendable {
    case or, and
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case match = "~", notMatch = "!~", contains, notContains = "!contains"
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
}
