import Store

/// The rows of a query, with the columns' types and the chart it asked for.
public struct QueryResult: Sendable {
    public var rows: Rows
    public var columns: [OutputColumn]
    /// `.some(style)` when the query ended in `chart` (style nil: automatic).
    public var chart: String??
    public var compiled: CompiledQuery
    /// Whether the first `stats` ran as a hash aggregation (`compiled` still holds the GROUP BY
    /// form, which `sql QUERY` shows).
    public var hashAggregated = false
    /// Whether the first `stats` read the trace rollup instead of the traces (likewise).
    public var rolledUp = false
}

/// Runs queries on a store: parse → check → compile → execute.
public final class QueryEngine {
    public let database: Database
    public var library: SavedQueryLibrary

    /// How `stats` runs: SQL's GROUP BY, a hash aggregation in Swift, over the trace rollup, or
    /// the best of them (docs/query-language.md, "How stats runs"). `sql` and `hash` never read
    /// the rollup.
    public enum Aggregation: String, Sendable { case automatic, sql, hash, rollup }
    /// `RELOPS_AGGREGATION=sql|hash|rollup` overrides the choice (to compare them; the default
    /// is `automatic`).
    public var aggregation = Environment.value("RELOPS_AGGREGATION").flatMap(Aggregation.init(rawValue:)) ?? .automatic

    /// More groups than this and a hash aggregation hands over to SQL: with that many groups,
    /// SQLite's sort is the better plan and the memory is bounded.
    public var maxHashGroups = 100_000
    /// How many rowid ranges a hash aggregation over `traces` scans at once (nil: one per core
    /// on a store of more than 200,000 traces, `Database.inTraceRanges`).
    public var hashParts: Int?

    public init(database: Database, library: SavedQueryLibrary) {
        self.database = database
        self.library = library
    }

    /// Parses, checks and compiles without running.
    public func compile(_ source: QuerySource) throws -> (CheckedQuery, CompiledQuery) {
        let query = try Parser.parse(source)
        let catalog = try Catalog.load(from: database)
        let checked = try Checker.check(query, source: source, catalog: catalog, library: library)
        return (checked, SQLCompiler.compile(checked))
    }

    public func run(_ source: QuerySource) throws -> QueryResult {
        let (checked, compiled) = try compile(source)
        if aggregation == .automatic || aggregation == .rollup {
            // The first rollup that holds what the query reads and answers for the traces.
            for rollup in TraceRollup.all {
                guard let rolled = SQLCompiler.compileRolledUp(checked, over: rollup), try rollupReady(rollup) else { continue }
                // Grouped, the rollup's rows are added up by a hash (`rolled.hash`); else in SQL.
                if let rows = try rolled.hash == nil ? database.query(rolled.sql, rolled.parameters) : runHashed(rolled) {
                    return QueryResult(rows: rows, columns: checked.columns, chart: checked.chart, compiled: compiled, rolledUp: true)
                }
            }
        }
        if aggregation != .sql && aggregation != .rollup, let hashed = SQLCompiler.compileHashed(checked),
           try aggregation == .hash || hashBeatsGrouping(checked), let rows = try runHashed(hashed) {
            return QueryResult(rows: rows, columns: checked.columns, chart: checked.chart, compiled: compiled, hashAggregated: true)
        }
        let rows = try database.query(compiled.sql, compiled.parameters)
        return QueryResult(rows: rows, columns: checked.columns, chart: checked.chart, compiled: compiled)
    }

    /// The rollup the query's first `stats` would read, if one can answer it (`sql` says so).
    public func rollupRead(by checked: CheckedQuery) -> TraceRollup? {
        TraceRollup.all.first { SQLCompiler.compileRolledUp(checked, over: $0) != nil }
    }

    /// Whether `rollup` answers for the traces as they are: it is current, or this
    /// connection could rebuild it (a writable store whose traces have few enough combinations).
    /// A rebuild that fails (another writer holds the store) leaves the traces to the scan.
    func rollupReady(_ rollup: TraceRollup) throws -> Bool {
        if try database.traceRollupIsCurrent(rollup) { return true }
        if database.isReadOnly { return false }
        guard try database.traceRollupIsWorthBuilding(rollup) else { return false }
        // Nil both when the rebuild failed and when the traces have too many combinations.
        return (try? database.rebuildRollup(rollup, ownTransaction: true)) != nil
    }

    /// Whether SQLite's grouping would cost more than a scan and a hash: it sorts the rows
    /// (`USE TEMP B-TREE FOR GROUP BY`: the groups are in no index's order) or walks a whole
    /// index that does not cover the query. Grouping along a covering index streams and beats
    /// a hash; a `SEARCH` reads few rows either way. The plan asked for is the query's up to
    /// its first `stats`: later stages have plans of their own.
    func hashBeatsGrouping(_ checked: CheckedQuery) throws -> Bool {
        var first = checked
        guard let end = checked.stages.firstIndex(where: { if case .aggregate = $0 { return true } else { return false } }) else { return false }
        first.stages = Array(checked.stages[...end])
        let compiled = SQLCompiler.compile(first)
        let plan = try database.query("EXPLAIN QUERY PLAN " + compiled.sql, compiled.parameters)
        return plan.rows.contains { row in
            row.contains { value in
                guard let step = value.stringValue else { return false }
                // A sort of every row, or a walk of a whole index that is not covering: a row
                // look-up per entry, in the index's order (random in the table) — a sequential
                // scan and a hash beat both (q5 of the query benchmark: 3.4 s → 1.6 s).
                return step.contains("TEMP B-TREE FOR GROUP BY") || (step.hasPrefix("SCAN ") && step.contains(" USING INDEX "))
            }
        }
    }

    /// Runs a hashed query: the scan, the groups into a temporary table, the rest of the query
    /// over it. Nil when the aggregation hands over to SQL (too many groups, an overflow).
    func runHashed(_ compiled: CompiledQuery) throws -> Rows? {
        guard let plan = compiled.hash else { return nil }
        let maxGroups = maxHashGroups
        // A scan of `traces` runs in rowid ranges, one per core on a large store, each on its
        // own read-only connection; the parts' groups merge.
        var parts = try database.inTraceRanges(parts: plan.rangedScanSQL == nil ? 1 : hashParts) { db, range -> HashAggregation.Partial? in
            let scan = try db.prepare(range == nil ? plan.scanSQL : plan.rangedScanSQL!)
            try scan.bind(Array(compiled.parameters.prefix(Int(scan.parameterCount))))
            if let range, let low = scan.parameterIndex(HashPlan.rangeParameters.low), let high = scan.parameterIndex(HashPlan.rangeParameters.high) {
                scan.bind(range.lowerBound, at: low)
                scan.bind(range.upperBound, at: high)
            }
            return try HashAggregation.accumulate(scan, groupColumns: plan.groupColumns, aggregates: plan.aggregates, inputs: plan.inputs,
                                                  dayKeys: plan.dayKeys, maxGroups: maxGroups)
        }
        guard parts.allSatisfy({ $0 != nil }) else { return nil }
        var found = parts.map { $0! }
        parts = []
        guard var merged = HashAggregation.merged(&found, aggregates: plan.aggregates, maxGroups: maxGroups),
              let groups = merged.rows(plan.aggregates) else { return nil }
        let table = "temp." + SQLCompiler.quote(HashPlan.table)
        let columns = (0..<plan.groupColumns).map { "g\($0)" } + plan.aggregates.indices.map { "a\($0)" }
        try database.execute("DROP TABLE IF EXISTS \(table)")
        try database.execute("CREATE TEMP TABLE \(SQLCompiler.quote(HashPlan.table)) (\(columns.map(SQLCompiler.quote).joined(separator: ", ")))")
        defer { try? database.execute("DROP TABLE IF EXISTS \(table)") }
        try database.execute("SAVEPOINT relops_hash")
        do {
            let insert = try database.prepare("INSERT INTO \(table) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))")
            for row in groups {
                try insert.bind(row)
                try insert.run()
            }
            try database.execute("RELEASE relops_hash")
        } catch {
            try? database.execute("ROLLBACK TO relops_hash")
            try? database.execute("RELEASE relops_hash")
            throw error
        }
        let rest = try database.prepare(compiled.sql)
        try rest.bind(Array(compiled.parameters.prefix(Int(rest.parameterCount))))
        var rows: [[SQLValue]] = []
        while try rest.step() { rows.append(rest.row()) }
        return Rows(columns: rest.columnNames, rows: rows)
    }

    /// Whether a shell line is a query rather than a command: it starts with a source's name,
    /// or with a saved query's name, or holds a pipe.
    public func isQuery(_ line: String) -> Bool {
        let word = String(line.drop { $0 == " " || $0 == "\t" }.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" })
        if ["traces", "spans", "llm", "tools", "retrievals", "embeddings", "loads", "replays", "scores", "samples"].contains(word) { return true }
        // Sources that are also commands (`rejects`, `pins`) are queries once a stage follows.
        if word == "rejects" || word == "pins" { return line.contains("|") }
        return library.path(of: word) != nil
    }
}
