/// A query after the checker: every name resolved against the catalog, every expression
/// typed, parameters replaced by their values. The compiler turns it into SQL; nothing here
/// is SQL.
public struct CheckedQuery: Sendable {
    public var source: CatalogSource
    var stages: [CheckedStage]
    /// The result's columns, in order.
    public var columns: [OutputColumn]
    /// A final `chart` stage's style (`bar`, `spark`; nil: automatic), if the query ends in one.
    public var chart: String??
}

public struct OutputColumn: Sendable, Equatable {
    public var name: String
    public var type: ValueType
}

struct NamedExpression: Sendable {
    var name: String
    var expression: TypedExpression
}

enum CheckedStage: Sendable {
    case filter(TypedExpression)
    /// The new column list, in order (`select`, `extend` and `distinct` all end in one).
    case project([NamedExpression], distinct: Bool)
    case aggregate(groups: [NamedExpression], aggregates: [NamedExpression])
    case sort([(TypedExpression, descending: Bool)])
    case limit(Int64)
}

enum TypedLiteral: Sendable, Equatable {
    case null, bool(Bool), integer(Int64), real(Double), text(String)
    /// Unix nanoseconds.
    case time(Int64)
    /// Nanoseconds.
    case duration(Int64)
}

/// Scalar functions (docs/query-language.md lists each with an example).
enum ScalarFunction: String, Sendable, CaseIterable {
    case lower, upper, length, trim, substr, replace, strcat, startswith, endswith, coalesce, iff
    case round, abs, floor, ceil, sqrt, ln, exp, pow
    case tostring, tonumber, toint
    case bin, date, hour, dayofweek
    case millis
}

/// Aggregate functions for `stats`.
enum AggregateFunction: String, Sendable, CaseIterable {
    case count, countif, sum, sumif, avg, avgif, min, minif, max, maxif
    case p50, p90, p95, p99, median, percentile, rate, dcount, stddev, stddev_pop
}

indirect enum TypedExpression: Sendable {
    /// A column of the relation the stage reads.
    case column(String, ValueType)
    case attribute(String)
    case literal(TypedLiteral, ValueType)
    case not(TypedExpression)
    case negate(TypedExpression, ValueType)
    case binary(BinaryOperator, TypedExpression, TypedExpression, ValueType)
    case scalar(ScalarFunction, [TypedExpression], ValueType)
    case aggregate(AggregateFunction, [TypedExpression], ValueType)
    case inList(TypedExpression, [TypedExpression], negated: Bool)
    case between(TypedExpression, TypedExpression, TypedExpression, negated: Bool)
    case isNull(TypedExpression, negated: Bool)
    /// `last D`: `time` within D of the newest trace's start.
    case last(TypedExpression, Int64)

    var type: ValueType {
        switch self {
        case .column(_, let t), .literal(_, let t), .negate(_, let t), .binary(_, _, _, let t),
             .scalar(_, _, let t), .aggregate(_, _, let t):
            return t
        case .attribute: return .any
        case .not, .inList, .between, .isNull, .last: return .bool
        }
    }

    var containsAggregate: Bool {
        switch self {
        case .aggregate: return true
        case .column, .attribute, .literal, .last: return false
        case .not(let e), .negate(let e, _), .isNull(let e, _): return e.containsAggregate
        case .binary(_, let a, let b, _): return a.containsAggregate || b.containsAggregate
        case .scalar(_, let args, _): return args.contains { $0.containsAggregate }
        case .inList(let e, let items, _): return e.containsAggregate || items.contains { $0.containsAggregate }
        case .between(let a, let b, let c, _): return a.containsAggregate || b.containsAggregate || c.containsAggregate
        }
    }
}
