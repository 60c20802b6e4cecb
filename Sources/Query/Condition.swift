import Store

/// A `where` expression given to a command rather than typed in a pipeline (`diff … where`,
/// `replay where …`, and later `drift … between`), compiled to a SQL condition over a source.
public struct Condition: Sendable, Equatable {
    /// A SQL boolean expression over the source's table, with `?1` … placeholders.
    public var sql: String
    public var parameters: [SQLValue]

    /// Every row.
    public static let all = Condition(sql: "1", parameters: [])
}

extension QueryEngine {
    /// Checks `expression` (the text after `where`) against `source` and compiles it. Errors
    /// point into the expression's own text, as for a typed query.
    public func condition(_ expression: QuerySource, on sourceName: String = "traces") throws -> Condition {
        try conditions([expression], on: sourceName)[0]
    }

    /// Several expressions for one statement: each condition's SQL uses placeholders of one
    /// shared list of values, which every returned `Condition` carries whole.
    public func conditions(_ expressions: [QuerySource], on sourceName: String = "traces") throws -> [Condition] {
        let catalog = try Catalog.load(from: database)
        var checked: [CheckedQuery] = []
        for expression in expressions {
            let parsed = try Parser.parseExpression(expression)
            let query = Query(parameters: [], pipeline: Pipeline(
                source: SourceReference(name: sourceName, arguments: [], range: parsed.range.lowerBound..<parsed.range.lowerBound),
                stages: [Stage(kind: .where(parsed), range: parsed.range)]))
            checked.append(try Checker.check(query, source: expression, catalog: catalog, library: nil))
        }
        let (sqls, parameters) = SQLCompiler.conditions(checked)
        return sqls.map { Condition(sql: $0, parameters: parameters) }
    }

    /// The column of `traces` that stores `field` (a text field of the language, e.g. a
    /// version dimension), or nil with the closest name for a "did you mean".
    public func textField(_ field: String, of sourceName: String = "traces") throws -> (column: String?, suggestion: String?) {
        let catalog = try Catalog.load(from: database)
        guard let source = catalog.source(sourceName) else { return (nil, nil) }
        let texts = source.columns.filter { $0.type == .text && !["trace_id", "input", "output", "input_hash", "name", "status"].contains($0.name) }
        if let column = texts.first(where: { $0.name == field }) { return (column.storeColumn, nil) }
        return (nil, Suggest.closest(to: field, in: texts.map(\.name)))
    }
}

/// The one scan `diff` makes: every trace under either of two values of a dimension that has
/// an input fingerprint and passes the condition, as numbers only — the input and output
/// texts are read as 64-bit fingerprints (`relops_fingerprint`), so a million rows move no
/// text. Columns, in order: see `Column`.
public enum PairScan {
    public enum Column: Int32, Sendable {
        case input = 0, isB, rowid, startNs, output, latencyMs, inputTokens, outputTokens, costUsd
        case refused, safetyFlagged, error, toolErrors, retrievalEmpty, retrievalTopScore
    }

    /// `dimension`: the store column (from `QueryEngine.textField`). The condition's values
    /// come first (`?1` …), then A and B, then the rowid range when the scan is split.
    public static func compile(dimension: String, a: String, b: String, condition: Condition,
                               rowids: ClosedRange<Int64>? = nil) -> CompiledQuery {
        let k = condition.parameters.count
        let dim = SQLCompiler.quote(dimension)
        let sql = """
            SELECT relops_fingerprint(input_hash), \(dim) = ?\(k + 2), rowid, start_ns, relops_fingerprint(output),
              latency_ms, input_tokens, output_tokens, cost_usd, refused, safety_flagged, error, tool_errors,
              retrieval_empty, retrieval_top_score
            FROM traces WHERE \(dim) IN (?\(k + 1), ?\(k + 2)) AND input_hash IS NOT NULL AND (\(condition.sql))
            """ + (rowids == nil ? "" : " AND rowid BETWEEN ?\(k + 3) AND ?\(k + 4)")
        let range = rowids.map { [SQLValue.integer($0.lowerBound), .integer($0.upperBound)] } ?? []
        return CompiledQuery(sql: sql, parameters: condition.parameters + [.text(a), .text(b)] + range)
    }
}

/// The traces `replay where …` re-runs: production traces (not replays) with an input that
/// pass the condition, newest first, with their input fingerprint (one replay per input).
public enum ReplaySelection {
    public static func compile(condition: Condition) -> CompiledQuery {
        CompiledQuery(sql: """
            SELECT trace_id, input_hash FROM traces
            WHERE replay_of IS NULL AND input_hash IS NOT NULL AND (\(condition.sql))
            ORDER BY start_ns DESC, trace_id
            """, parameters: condition.parameters)
    }
}

/// The scans of `sample` (docs/review.md): the candidates of a review sample, as numbers and one
/// short text, and the lines shown for each drawn trace.
public enum ReviewScan {
    /// The rowid of every trace that passes the condition and, with `stratum` (a store column
    /// from `QueryEngine.textField`), its value. Traces are drawn from these in Swift: an
    /// `ORDER BY random()` would sort the whole table. Reading only the rowid and a version
    /// column lets SQLite answer from the covering index `traces_slices` when it can.
    public static func candidates(_ condition: Condition, stratum: String?) -> CompiledQuery {
        CompiledQuery(sql: """
            SELECT rowid, \(stratum.map(SQLCompiler.quote) ?? "NULL") FROM traces WHERE (\(condition.sql))
            """, parameters: condition.parameters)
    }

    /// A drawn trace as `sample` lists it. Columns: trace_id, ts, intent, input.
    public static let details = "SELECT trace_id, ts, intent, input FROM traces WHERE rowid = ?"
}

/// The trace `cases check` evaluates a case on: the newest trace (latest start, then the
/// highest id) of the case's input that passes the condition. Columns: trace_id, ts.
public enum NewestTraceOfInput {
    public static func compile(inputHash: String, condition: Condition) -> CompiledQuery {
        let k = condition.parameters.count
        return CompiledQuery(sql: """
            SELECT trace_id, ts FROM traces
            WHERE input_hash = ?\(k + 1) AND (\(condition.sql))
            ORDER BY start_ns DESC, trace_id DESC LIMIT 1
            """, parameters: condition.parameters + [.text(inputHash)])
    }
}
