import Store

/// SQL for a checked query, with its values bound (`?1`, `?2` …), never pasted in. The one
/// place in relops that writes query SQL: a second engine would be a second compiler.
///
/// Stages fold into one SELECT while they can (a `where` after `extend` filters the same rows;
/// `sort` and `limit` close it) and nest it as a subquery when they cannot (a `where` after
/// `stats`, a second `stats`, anything after `limit` or `distinct`).
public struct CompiledQuery: Sendable, Equatable {
    public var sql: String
    public var parameters: [SQLValue]
    /// Set when the first `stats` runs as a hash aggregation: `sql` then reads its groups from
    /// the temporary table the plan fills (QueryEngine runs both).
    public var hash: HashPlan?

    public init(sql: String, parameters: [SQLValue], hash: HashPlan? = nil) {
        self.sql = sql
        self.parameters = parameters
        self.hash = hash
    }
}

/// The first `stats` of a query as a scan whose rows Swift adds up per group
/// (`HashAggregation`): the scan's columns are the group keys, then one column per aggregate;
/// the groups go to `table` (temporary), which the rest of the query reads as `g0 … a0 …`.
/// The scan's columns are the group keys, then each distinct aggregate input once.
public struct HashPlan: Sendable, Equatable {
    public var scanSQL: String
    public var groupColumns: Int
    public var aggregates: [GroupAggregate]
    /// The scan column each aggregate reads (-1: none, for `count()`).
    public var inputs: [Int]
    /// Key columns the scan reads as instants and the hash groups by their UTC day's number.
    public var dayKeys: [Int] = []
    /// The scan of one rowid range of `traces` (`:relops_lo` to `:relops_hi`), when it reads
    /// that table: parts of it run on every core and their groups merge.
    public var rangedScanSQL: String?
    public static let table = "relops_hash_groups"
    public static let rangeParameters = (low: ":relops_lo", high: ":relops_hi")
}

struct SQLCompiler {
    private var parameters: [SQLValue] = []
    private var subqueries = 0
    /// Compile the first `stats` as a hash aggregation, when its groups allow.
    private var hashing = false
    private var hashPlan: HashPlan?
    /// While a hashed `stats` is compiled: its aggregate calls, as (kind, scan column SQL).
    private var hashCalls: [(kind: GroupAggregate, sql: String)]?
    /// Compile the first `stats` over this rollup, when the query allows; `rolledUp` once it did.
    private var rollup: TraceRollup?
    private var rolledUp = false
    /// While a `stats` over the rollup is compiled: an aggregate it cannot answer was met.
    private var rollupFailed = false

    /// Group keys a hash aggregation groups exactly as SQLite does: one storage class per
    /// column (a real or an attribute could hold 1 and 1.0, equal in SQL, not in a hash).
    static let hashableGroupTypes: Set<ValueType> = [.text, .integer, .bool, .time, .duration]

    /// One SELECT being built: its columns as SQL over `from`.
    private struct Block {
        var from: String
        var columns: [(name: String, sql: String, type: ValueType)]
        var filters: [String] = []
        var groups: [String]?
        var order: [String] = []
        var limit: Int64?
        var distinct = false
        /// The rows are in a defined order (stats orders by its groups unless sorted).
        var implicitOrder: [String] = []
        /// The row of `spans` whose attributes `attr."key"` reads by its shape (the block reads
        /// the view itself, not a subquery): nil elsewhere.
        var shapedRow: String?

        func column(_ name: String) -> (name: String, sql: String, type: ValueType)? {
            columns.first { $0.name == name }
        }
    }

    static func compile(_ query: CheckedQuery) -> CompiledQuery {
        var compiler = SQLCompiler()
        return compiler.compile(query)
    }

    /// The query with its first `stats` as a hash aggregation; nil when that `stats` cannot
    /// run as one (no groups, or a group that is real or an attribute).
    static func compileHashed(_ query: CheckedQuery) -> CompiledQuery? {
        var compiler = SQLCompiler()
        compiler.hashing = true
        let compiled = compiler.compile(query)
        return compiled.hash == nil ? nil : compiled
    }

    /// The query with its first `stats` over `rollup` (`TraceRollup`) instead of the traces;
    /// nil when the query cannot read it: the source is not `traces`, a stage before `stats` is
    /// not a `where` over the rollup's keys, or a group or aggregate is one it does not hold
    /// (docs/query-language.md, "How stats runs").
    static func compileRolledUp(_ query: CheckedQuery, over rollup: TraceRollup) -> CompiledQuery? {
        guard rollupStage(query, rollup) != nil else { return nil }
        var compiler = SQLCompiler()
        compiler.rollup = rollup
        let compiled = compiler.compile(query)
        return compiler.rolledUp ? compiled : nil
    }

    /// The index of the `stats` the rollup could answer: the first stage after `where`s that
    /// read only its keys, of a query on `traces`.
    private static func rollupStage(_ query: CheckedQuery, _ rollup: TraceRollup) -> Int? {
        guard query.source.name == "traces", query.source.table == "traces", query.source.spanKind == nil else { return nil }
        for (i, stage) in query.stages.enumerated() {
            switch stage {
            case .filter(let e): if !rollupKeysOnly(e, rollup) { return nil }
            case .aggregate(let groups, _): return groups.allSatisfy({ rollupKeysOnly($0.expression, rollup) }) ? i : nil
            default: return nil
            }
        }
        return nil
    }

    /// Whether `e` reads only what each row of `rollup` holds one value of: its keys; for the
    /// daily rollup the time as its day (`date(ts)`, `bin(ts, D)` with D whole days, `ts >= D`
    /// and `ts < D` for D a UTC midnight); for the input rollup whether `output is null`.
    private static func rollupKeysOnly(_ e: TypedExpression, _ rollup: TraceRollup) -> Bool {
        func keysOnly(_ e: TypedExpression) -> Bool { rollupKeysOnly(e, rollup) }
        switch e {
        case .column(let name, _): return rollup.keys.contains(name)
        case .literal: return true
        case .attribute, .last, .aggregate: return false
        case .scalar(.date, let args, _) where args.count == 1:
            if rollup.byDay, case .column("ts", _) = args[0] { return true }
            return keysOnly(args[0])
        case .scalar(.bin, let args, _) where args.count == 2:
            if rollup.byDay, case .column("ts", _) = args[0], case .literal(.duration(let d), _) = args[1] {
                return d > 0 && d % HashAggregation.nanosecondsPerDay == 0
            }
            return args.allSatisfy(keysOnly)
        case .scalar(_, let args, _): return args.allSatisfy(keysOnly)
        case .isNull(.column("output", _), _) where rollup.keepsHasOutput: return true
        case .not(let a), .negate(let a, _), .isNull(let a, _): return keysOnly(a)
        case .binary(let op, let a, let b, _):
            if rollup.byDay, let exact = dayAlignedComparison(op, a, b) { return exact }
            return keysOnly(a) && keysOnly(b)
        case .inList(let a, let items, _): return keysOnly(a) && items.allSatisfy(keysOnly)
        case .between(let a, let b, let c, _): return keysOnly(a) && keysOnly(b) && keysOnly(c)
        }
    }

    /// For a comparison of `ts` with an instant: whether it has one value for a whole UTC day
    /// (`ts >= D` and `ts < D` for D a midnight: every trace of a day is on the same side), so
    /// that the rollup's rows answer it exactly; nil when it does not compare `ts` itself.
    private static func dayAlignedComparison(_ op: BinaryOperator, _ a: TypedExpression, _ b: TypedExpression) -> Bool? {
        func midnight(_ e: TypedExpression) -> Bool {
            if case .literal(.time(let ns), _) = e { return ns % HashAggregation.nanosecondsPerDay == 0 }
            return false
        }
        func isTime(_ e: TypedExpression) -> Bool {
            if case .column("ts", _) = e { return true }
            return false
        }
        // (The checker takes an instant only on the right of `ts`.)
        guard isTime(a) else { return nil }
        return (op == .greaterEqual || op == .less) && midnight(b)
    }

    /// The block reading a rollup: keys by their names; in the daily rollup `ts` as the start
    /// of the row's day (only `date(ts)`, `bin(ts, whole days)` and comparisons with a midnight
    /// read it: `rollupKeysOnly`), in the input rollup `output` as '' or NULL (only `output is
    /// null` reads it).
    private static func rollupBlock(_ rollup: TraceRollup) -> Block {
        var columns: [(name: String, sql: String, type: ValueType)] = rollup.keys.map { ($0, quote($0), .text) }
        if rollup.byDay { columns.append(("ts", "(\"day\" * \(HashAggregation.nanosecondsPerDay))", .time)) }
        if rollup.keepsHasOutput { columns.append(("output", "CASE WHEN \"has_output\" THEN '' END", .text)) }
        return Block(from: quote(rollup.table), columns: columns)
    }

    mutating func compile(_ query: CheckedQuery) -> CompiledQuery {
        let source = query.source
        var block = Self.sourceBlock(source)
        if let kind = source.spanKind {
            block.filters.append("\"kind\" = \(bind(.text(kind)))")
        }
        let rollupAt = rollup.flatMap { Self.rollupStage(query, $0) }
        for (index, stage) in query.stages.enumerated() {
            if index == rollupAt, case .aggregate(let groups, let aggregates) = stage {
                var filters: [TypedExpression] = []
                for case .filter(let e) in query.stages[..<index] { filters.append(e) }
                if let rollup, let rolled = rolledUp(rollup, filters, groups, aggregates) {
                    block = rolled
                    rolledUp = true
                    continue
                }
            }
            switch stage {
            case .filter(let e):
                if block.groups != nil || block.limit != nil || block.distinct { block = wrap(block) }
                block.filters.append(sql(e, block))
            case .project(let columns, let distinct):
                if block.distinct || (distinct && (block.groups != nil || block.limit != nil)) { block = wrap(block) }
                let new = columns.map { ($0.name, sql($0.expression, block), $0.expression.type) }
                block.columns = new
                if distinct {
                    block.distinct = true
                    block.order = []
                    block.implicitOrder = []
                }
            case .aggregate(let groups, let aggregates):
                if block.groups != nil || block.limit != nil || block.distinct { block = wrap(block) }
                if hashing, hashPlan == nil, !groups.isEmpty,
                   groups.allSatisfy({ Self.hashableGroupTypes.contains($0.expression.type) }) {
                    block = hashed(block, groups, aggregates)
                    continue
                }
                let groupSQL = groups.map { sql($0.expression, block) }
                let aggregateSQL = aggregates.map { sql($0.expression, block) }
                block.columns = zip(groups, groupSQL).map { ($0.name, $1, $0.expression.type) }
                    + zip(aggregates, aggregateSQL).map { ($0.name, $1, $0.expression.type) }
                block.groups = groupSQL
                block.order = []
                block.implicitOrder = groupSQL
            case .sort(let keys):
                if block.limit != nil || block.distinct { block = wrap(block) }
                block.order = keys.map { key, descending in
                    sql(key, block) + (descending ? " DESC" : " ASC") + " NULLS LAST"
                }
            case .limit(let n):
                block.limit = min(block.limit ?? n, n)
            }
        }
        // Time and duration columns are shown as RFC 3339 text and milliseconds.
        let select = block.columns.map { column -> String in
            let value: String
            switch column.type {
            case .time: value = "relops_time(\(column.sql))"
            case .duration: value = "(\(column.sql) / 1e6)"
            default: value = column.sql
            }
            return value + " AS " + Self.quote(column.name)
        }
        return CompiledQuery(sql: render(block, select: select), parameters: parameters, hash: hashPlan)
    }

    /// A `stats` as a hash aggregation: the plan's scan reads the group keys and each
    /// aggregate's input from `block`; the returned block reads the groups from the table.
    private mutating func hashed(_ block: Block, _ groups: [NamedExpression], _ aggregates: [NamedExpression]) -> Block {
        let keys = groups.indices.map { Self.quote("g\($0)") }
        // `date(ts)` groups by the day's number: the scan reads the instant and the hash divides
        // it (no text per row, no arithmetic in SQL); the day's text is made once per group.
        var groupSQL: [String] = [], keyColumns: [String] = [], days: [Int] = []
        for (i, (group, key)) in zip(groups, keys).enumerated() {
            if case .scalar(.date, let args, _) = group.expression, args.count == 1 {
                groupSQL.append(sql(args[0], block))
                keyColumns.append("relops_date(\(key) * \(HashAggregation.nanosecondsPerDay))")
                days.append(i)
            } else {
                groupSQL.append(sql(group.expression, block))
                keyColumns.append(key)
            }
        }
        hashCalls = []
        let aggregateSQL = aggregates.map { sql($0.expression, block) }
        let calls = hashCalls ?? []
        hashCalls = nil
        var scan = Block(from: block.from, columns: [])
        scan.filters = block.filters
        // Each distinct input is read once (`avg(x)` and `p95(x)` share a column); `count()`
        // reads none.
        var inputs: [String] = []
        let columns = calls.map { call -> Int in
            if call.kind == .countRows { return -1 }
            if let i = inputs.firstIndex(of: call.sql) { return groups.count + i }
            inputs.append(call.sql)
            return groups.count + inputs.count - 1
        }
        hashPlan = HashPlan(scanSQL: render(scan, select: groupSQL + inputs), groupColumns: groups.count,
                            aggregates: calls.map(\.kind), inputs: columns, dayKeys: days)
        if scan.from == Self.quote("traces") {
            var ranged = scan
            ranged.filters.append("(\"traces\".rowid BETWEEN \(HashPlan.rangeParameters.low) AND \(HashPlan.rangeParameters.high))")
            let rangedSQL = render(ranged, select: groupSQL + inputs)
            hashPlan?.rangedScanSQL = rangedSQL
        }
        var grouped = Block(from: "temp." + Self.quote(HashPlan.table),
                            columns: zip(groups, keyColumns).map { ($0.name, $1, $0.expression.type) }
                                + zip(aggregates, aggregateSQL).map { ($0.name, $1, $0.expression.type) })
        // As GROUP BY would: the groups come out ordered by their keys.
        grouped.implicitOrder = keys
        return grouped
    }

    /// A `stats` over the rollup: the filters and groups over its rows, each aggregate from
    /// the sums, counts, extremes or values the rows hold. Nil when an aggregate is not one of
    /// those (the parameters bound meanwhile are the ones the traces' form binds too).
    private mutating func rolledUp(_ rollup: TraceRollup, _ filters: [TypedExpression], _ groups: [NamedExpression],
                                   _ aggregates: [NamedExpression]) -> Block? {
        var block = Self.rollupBlock(rollup)
        block.filters = filters.map { sql($0, block) }
        rollupFailed = false
        // Grouped, the daily rollup's rows are added up by a hash aggregation: SQL's GROUP BY
        // would sort them with their blobs of values (32 MB for a million traces, spilled to
        // disk). The input rollup's have no blobs, and a hash's cost per group (~4 µs, for
        // ~80,000 groups by input) is more than SQLite's sort of its rows.
        if rollup.measures.contains(where: \.values), !groups.isEmpty,
           groups.allSatisfy({ Self.hashableGroupTypes.contains($0.expression.type) }) {
            let grouped = hashed(block, groups, aggregates)
            if rollupFailed {
                hashPlan = nil
                return nil
            }
            return grouped
        }
        let groupSQL = groups.map { sql($0.expression, block) }
        let aggregateSQL = aggregates.map { sql($0.expression, block) }
        guard !rollupFailed else { return nil }
        block.columns = zip(groups, groupSQL).map { ($0.name, $1, $0.expression.type) }
            + zip(aggregates, aggregateSQL).map { ($0.name, $1, $0.expression.type) }
        block.groups = groupSQL
        block.implicitOrder = groupSQL
        return block
    }

    /// An aggregate call over rollup rows, as the rows hold it: `count()` sums their traces,
    /// `avg` divides a sum of sums by a sum of counts, a percentile selects from every value, a
    /// condition over the keys (`countif`, `sumif` …) picks the rows it holds for. Sets
    /// `rollupFailed` (and returns a placeholder) for anything else.
    private mutating func rollupAggregate(_ rollup: TraceRollup, _ f: AggregateFunction, _ args: [TypedExpression], _ block: Block) -> String {
        func column(_ suffix: String) -> String? {
            guard case .column(let field, _) = args.first else { return nil }
            // `ts` is held as `start_ns`, whose extremes the daily rollup keeps.
            let name = field == "ts" ? "start_ns" : field
            guard let measure = rollup.measure(name) else { return nil }
            if suffix == "n", measure.countIsTraces { return Self.quote("traces") }
            return measure.holds(suffix) ? Self.quote("\(name)_\(suffix)") : nil
        }
        func key() -> String? {
            guard case .column(let name, _) = args.first, rollup.keys.contains(name) else { return nil }
            return Self.quote(name)
        }
        // The rows a condition over the keys holds for (nil: it reads more than the keys).
        func when(_ condition: TypedExpression) -> ((String) -> String)? {
            guard Self.rollupKeysOnly(condition, rollup) else { return nil }
            let c = sql(condition, block)
            return { "CASE WHEN \(c) THEN \($0) END" }
        }
        // Each over the rollup's rows in SQL, or as the hash aggregation's call.
        let hashing = hashCalls != nil
        func sum(_ x: String) -> String { hashing ? hashCall(.sum, x) : "sum(\(x))" }
        func extreme(_ kind: GroupAggregate, _ x: String) -> String { hashing ? hashCall(kind, x) : "\(kind == .min ? "min" : "max")(\(x))" }
        func quantile(_ q: Double) -> String? {
            column("values").map { hashing ? hashCall(.percentileOfValues(q), $0) : "relops_percentile_of_values(\($0), \(bind(.real(q))))" }
        }
        func average(_ pick: (String) -> String = { $0 }) -> String? {
            guard let total = column("sum"), let n = column("n") else { return nil }
            return "(\(sum(pick(total))) * 1.0 / \(sum(pick(n))))"
        }
        let out: String?
        switch f {
        case .count:
            if args.isEmpty { out = "coalesce(\(sum("\"traces\"")), 0)" }
            else if let n = column("n") { out = "coalesce(\(sum(n)), 0)" }
            else if let k = key() { out = "coalesce(\(sum("CASE WHEN \(k) IS NOT NULL THEN \"traces\" END")), 0)" }
            else { out = nil }
        case .countif:
            if let truth = column("true") { out = "coalesce(\(sum(truth)), 0)" }
            else if let pick = when(args[0]) { out = "coalesce(\(sum(pick("\"traces\""))), 0)" }
            else { out = nil }
        case .dcount: out = key().map { hashing ? hashCall(.countDistinct, $0) : "count(DISTINCT \($0))" }
        case .sum: out = column("sum").map { sum($0) }
        case .avg: out = average()
        case .rate:
            if let mean = average() { out = mean }
            else if Self.rollupKeysOnly(args[0], rollup) {
                // The mean of a condition over the keys: its value once per trace of a row.
                let e = sql(args[0], block)
                out = "(\(sum("(\(e)) * \"traces\"")) * 1.0 / \(sum("CASE WHEN (\(e)) IS NOT NULL THEN \"traces\" END")))"
            } else { out = nil }
        case .min: out = (column("min") ?? key()).map { extreme(.min, $0) }
        case .max: out = (column("max") ?? key()).map { extreme(.max, $0) }
        case .sumif: out = when(args[1]).flatMap { pick in column("sum").map { sum(pick($0)) } }
        case .avgif: out = when(args[1]).flatMap { average($0) }
        case .minif: out = when(args[1]).flatMap { pick in (column("min") ?? key()).map { extreme(.min, pick($0)) } }
        case .maxif: out = when(args[1]).flatMap { pick in (column("max") ?? key()).map { extreme(.max, pick($0)) } }
        case .p50, .median: out = quantile(0.5)
        case .p90: out = quantile(0.9)
        case .p95: out = quantile(0.95)
        case .p99: out = quantile(0.99)
        case .percentile:
            if case .literal(.real(let v), _) = args[1] { out = quantile(v) }
            else if case .literal(.integer(let v), _) = args[1] { out = quantile(Double(v)) }
            else { out = nil }
        case .stddev, .stddev_pop: out = nil
        }
        guard let out else {
            rollupFailed = true
            return "NULL"
        }
        return out
    }

    /// Records an aggregate call of a hashed `stats`; returns the table column that holds it.
    private mutating func hashCall(_ kind: GroupAggregate, _ sql: String) -> String {
        var calls = hashCalls ?? []
        let index = calls.firstIndex { $0.kind == kind && $0.sql == sql } ?? {
            calls.append((kind, sql))
            return calls.count - 1
        }()
        hashCalls = calls
        return Self.quote("a\(index)")
    }

    /// A checked `traces | where EXPR` as a SQL condition over the source's table (for commands
    /// that take a `where` expression: `diff`, `replay where`, `drift` …), values bound `?1` ….
    static func condition(_ query: CheckedQuery) -> CompiledQuery {
        let (sqls, parameters) = conditions([query])
        return CompiledQuery(sql: sqls[0], parameters: parameters)
    }

    /// Several conditions for one statement (two slices of `drift`): their values share one
    /// list of placeholders.
    static func conditions(_ queries: [CheckedQuery]) -> (sqls: [String], parameters: [SQLValue]) {
        var compiler = SQLCompiler()
        var sqls: [String] = []
        for query in queries {
            let source = query.source
            let block = sourceBlock(source)
            var filters: [String] = []
            if let kind = source.spanKind { filters.append("\"kind\" = \(compiler.bind(.text(kind)))") }
            for case .filter(let e) in query.stages { filters.append(compiler.sql(e, block)) }
            sqls.append(filters.isEmpty ? "1" : filters.joined(separator: " AND "))
        }
        return (sqls, compiler.parameters)
    }

    /// The block reading a source as it is stored.
    private static func sourceBlock(_ source: CatalogSource) -> Block {
        var block = Block(from: quote(source.table), columns: source.columns.map { ($0.name, quote($0.storeColumn), $0.type) })
        if source.hasAttributes && source.table == "spans" { block.shapedRow = quote(source.table) }
        return block
    }

    /// Closes `block` and makes it the FROM of a new one whose columns are its output names.
    private mutating func wrap(_ block: Block) -> Block {
        subqueries += 1
        let alias = "q\(subqueries)"
        let inner = render(block, select: block.columns.map { "\($0.sql) AS \(Self.quote($0.name))" })
        var outer = Block(from: "(\(inner)) AS \(alias)", columns: block.columns.map { ($0.name, Self.quote($0.name), $0.type) })
        // A grouped block's rows come ordered by their groups: keep that order outside. (An
        // explicit order is kept by SQLite through a subquery that is only filtered or projected.)
        if let groups = block.groups, block.order.isEmpty {
            outer.implicitOrder = block.columns.filter { groups.contains($0.sql) }.map { Self.quote($0.name) }
        }
        return outer
    }

    private func render(_ block: Block, select: [String]) -> String {
        var sql = "SELECT " + (block.distinct ? "DISTINCT " : "") + select.joined(separator: ", ")
        sql += " FROM " + block.from
        if !block.filters.isEmpty { sql += " WHERE " + block.filters.joined(separator: " AND ") }
        if let groups = block.groups, !groups.isEmpty { sql += " GROUP BY " + groups.joined(separator: ", ") }
        let order = block.order.isEmpty ? block.implicitOrder : block.order
        if !order.isEmpty { sql += " ORDER BY " + order.joined(separator: ", ") }
        if let limit = block.limit { sql += " LIMIT \(limit)" }
        return sql
    }

    private mutating func bind(_ value: SQLValue) -> String {
        if let i = parameters.firstIndex(of: value) { return "?\(i + 1)" }
        parameters.append(value)
        return "?\(parameters.count)"
    }

    static func quote(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: - expressions

    private mutating func sql(_ e: TypedExpression, _ block: Block) -> String {
        switch e {
        case .column(let name, _):
            return block.column(name)?.sql ?? Self.quote(name)
        case .attribute(let key):
            let attrs = block.column("attrs")?.sql ?? "\"attrs\""
            let path = bind(.text("$.\"" + key.replacingOccurrences(of: "\"", with: "\\\"") + "\""))
            if let row = block.shapedRow, attrs == "\"attrs\"" {
                return Schema.attributeSQL(row: row, path: path, key: bind(.text(key)))
            }
            return "json_extract(\(attrs), \(path))"
        case .literal(let value, _):
            return literal(value)
        case .not(let a):
            return "(NOT \(sql(a, block)))"
        case .negate(let a, _):
            return "(-\(sql(a, block)))"
        case .binary(let op, let a, let b, _):
            return binary(op, a, b, block)
        case .inList(let a, let items, let negated):
            return "(\(sql(a, block)) \(negated ? "NOT IN" : "IN") (\(items.map { sql($0, block) }.joined(separator: ", "))))"
        case .between(let a, let lo, let hi, let negated):
            return "(\(sql(a, block)) \(negated ? "NOT BETWEEN" : "BETWEEN") \(sql(lo, block)) AND \(sql(hi, block)))"
        case .isNull(let a, let negated):
            return "(\(sql(a, block)) \(negated ? "IS NOT NULL" : "IS NULL"))"
        case .last(let ts, let ns):
            return "(\(sql(ts, block)) >= (SELECT max(\"start_ns\") FROM \"traces\") - \(bind(.integer(ns))))"
        case .scalar(let f, let args, _):
            return scalar(f, args, block)
        case .aggregate(let f, let args, _):
            return aggregate(f, args, block)
        }
    }

    private mutating func literal(_ value: TypedLiteral) -> String {
        switch value {
        case .null: return "NULL"
        case .bool(let b): return b ? "1" : "0"
        case .integer(let i): return bind(.integer(i))
        case .real(let d): return bind(.real(d))
        case .text(let s): return bind(.text(s))
        case .time(let ns), .duration(let ns): return bind(.integer(ns))
        }
    }

    private mutating func binary(_ op: BinaryOperator, _ a: TypedExpression, _ b: TypedExpression, _ block: Block) -> String {
        let l = sql(a, block)
        switch op {
        case .contains, .notContains:
            let pattern: String
            if case .literal(.text(let s), _) = b {
                if s.contains(where: { $0 == "%" || $0 == "_" || $0 == "\\" }) {
                    let escaped = s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                        .replacingOccurrences(of: "_", with: "\\_")
                    pattern = "\(l) LIKE \(bind(.text("%" + escaped + "%"))) ESCAPE '\\'"
                } else {
                    // No wildcard to escape: a plain LIKE, which SQLite runs faster than one with ESCAPE.
                    pattern = "\(l) LIKE \(bind(.text("%" + s + "%")))"
                }
            } else {
                pattern = "instr(lower(\(l)), lower(\(sql(b, block)))) > 0"
            }
            return op == .contains ? "(\(pattern))" : "(NOT (\(pattern)))"
        case .match: return "(\(l) REGEXP \(sql(b, block)))"
        case .notMatch: return "(NOT (\(l) REGEXP \(sql(b, block))))"
        case .divide: return "(\(l) * 1.0 / \(sql(b, block)))"
        case .equal: return "(\(l) = \(sql(b, block)))"
        case .and: return "(\(l) AND \(sql(b, block)))"
        case .or: return "(\(l) OR \(sql(b, block)))"
        default: return "(\(l) \(op.rawValue) \(sql(b, block)))"
        }
    }

    private mutating func scalar(_ f: ScalarFunction, _ args: [TypedExpression], _ block: Block) -> String {
        var a: [String] = []
        for arg in args { a.append(sql(arg, block)) }
        switch f {
        case .lower, .upper, .trim, .length, .substr, .replace, .abs, .floor, .ceil, .sqrt, .ln, .exp, .pow:
            return "\(f.rawValue)(\(a.joined(separator: ", ")))"
        case .round:
            return "round(\(a.joined(separator: ", ")))"
        case .strcat:
            return "(" + a.map { "ifnull(\($0), '')" }.joined(separator: " || ") + ")"
        case .startswith:
            return "(substr(\(a[0]), 1, length(\(a[1]))) = \(a[1]))"
        case .endswith:
            return "(length(\(a[1])) = 0 OR substr(\(a[0]), -length(\(a[1]))) = \(a[1]))"
        case .coalesce:
            return a.count == 1 ? a[0] : "coalesce(\(a.joined(separator: ", ")))"
        case .iff:
            return "(CASE WHEN \(a[0]) THEN \(a[1]) ELSE \(a[2]) END)"
        case .tostring:
            switch args[0].type {
            case .time: return "relops_time(\(a[0]))"
            case .duration: return "CAST(\(a[0]) / 1e6 AS TEXT)"
            default: return "CAST(\(a[0]) AS TEXT)"
            }
        case .tonumber:
            return "CAST(\(a[0]) AS REAL)"
        case .toint:
            return "CAST(\(a[0]) AS INTEGER)"
        case .bin:
            if args[0].type == .time || args[0].type == .integer {
                return "((\(a[0]) / \(a[1])) * \(a[1]))"
            }
            return "(floor(\(a[0]) * 1.0 / \(a[1])) * \(a[1]))"
        case .date:
            return "relops_date(\(a[0]))"
        case .hour:
            return "((\(a[0]) / 3600000000000) % 24)"
        case .dayofweek:
            return "((\(a[0]) / 86400000000000 + 4) % 7)"
        case .millis:
            return "(\(a[0]) / 1e6)"
        }
    }

    private mutating func aggregate(_ f: AggregateFunction, _ args: [TypedExpression], _ block: Block) -> String {
        if let rollup, block.from == Self.quote(rollup.table) { return rollupAggregate(rollup, f, args, block) }
        var a: [String] = []
        for arg in args { a.append(sql(arg, block)) }
        if hashCalls != nil { return hashAggregate(f, args, a) }
        switch f {
        case .count: return a.isEmpty ? "count(*)" : "count(\(a[0]))"
        case .countif: return "count(CASE WHEN \(a[0]) THEN 1 END)"
        case .dcount: return "count(DISTINCT \(a[0]))"
        case .sum, .avg, .min, .max: return "\(f.rawValue)(\(a[0]))"
        case .sumif: return "sum(CASE WHEN \(a[1]) THEN \(a[0]) END)"
        case .avgif: return "avg(CASE WHEN \(a[1]) THEN \(a[0]) END)"
        case .minif: return "min(CASE WHEN \(a[1]) THEN \(a[0]) END)"
        case .maxif: return "max(CASE WHEN \(a[1]) THEN \(a[0]) END)"
        case .p50, .median: return "relops_percentile(\(a[0]), \(bind(.real(0.5))))"
        case .p90: return "relops_percentile(\(a[0]), \(bind(.real(0.9))))"
        case .p95: return "relops_percentile(\(a[0]), \(bind(.real(0.95))))"
        case .p99: return "relops_percentile(\(a[0]), \(bind(.real(0.99))))"
        case .percentile:
            var q = 0.5
            if case .literal(.real(let v), _) = args[1] { q = v } else if case .literal(.integer(let v), _) = args[1] { q = Double(v) }
            return "relops_percentile(\(a[0]), \(bind(.real(q))))"
        case .rate: return "avg(\(a[0]))"
        case .stddev: return "relops_stddev(\(a[0]))"
        case .stddev_pop: return "relops_stddev_pop(\(a[0]))"
        }
    }

    /// An aggregate call of a hashed `stats`: the scan column is what SQLite's aggregate would
    /// read (`countif(c)` reads `CASE WHEN c THEN 1 END`), so conditions keep SQL's truthiness.
    private mutating func hashAggregate(_ f: AggregateFunction, _ args: [TypedExpression], _ a: [String]) -> String {
        func when(_ value: String) -> String { "CASE WHEN \(a[1]) THEN \(value) END" }
        switch f {
        case .count: return a.isEmpty ? hashCall(.countRows, "1") : hashCall(.count, a[0])
        case .countif: return hashCall(.count, "CASE WHEN \(a[0]) THEN 1 END")
        case .dcount: return hashCall(.countDistinct, a[0])
        case .sum: return hashCall(.sum, a[0])
        case .avg, .rate: return hashCall(.avg, a[0])
        case .min: return hashCall(.min, a[0])
        case .max: return hashCall(.max, a[0])
        case .sumif: return hashCall(.sum, when(a[0]))
        case .avgif: return hashCall(.avg, when(a[0]))
        case .minif: return hashCall(.min, when(a[0]))
        case .maxif: return hashCall(.max, when(a[0]))
        case .p50, .median: return hashCall(.percentile(0.5), a[0])
        case .p90: return hashCall(.percentile(0.9), a[0])
        case .p95: return hashCall(.percentile(0.95), a[0])
        case .p99: return hashCall(.percentile(0.99), a[0])
        case .percentile:
            var q = 0.5
            if case .literal(.real(let v), _) = args[1] { q = v } else if case .literal(.integer(let v), _) = args[1] { q = Double(v) }
            return hashCall(.percentile(q), a[0])
        case .stddev: return hashCall(.stddev(ddof: 1), a[0])
        case .stddev_pop: return hashCall(.stddev(ddof: 0), a[0])
        }
    }
}
