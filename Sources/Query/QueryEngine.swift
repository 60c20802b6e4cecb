import Store

/// The rows of a query, with the columns' types and the chart it asked for.
public struct QueryResult: Sendable {
    public var rows: Rows
    public var columns: [OutputColumn]
    /// `.some(style)` when the query ended in `chart` (style nil: automatic).
    public var chart: String??
    public var compiled: CompiledQuery
}

/// Runs queries on a store: parse → check → compile → execute.
public final class QueryEngine {
    public let database: Database
    public var library: SavedQueryLibrary

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
        let rows = try database.query(compiled.sql, compiled.parameters)
        return QueryResult(rows: rows, columns: checked.columns, chart: checked.chart, compiled: compiled)
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
