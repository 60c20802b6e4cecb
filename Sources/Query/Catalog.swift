import Store

/// The type of a value in the query language. SQLite stores fewer types; the checker keeps
/// these so that `ts >= "2026-11-20"` compares instants, `/` divides as real numbers and
/// `where tool_errors` is caught before it runs.
public enum ValueType: String, Sendable, Equatable {
    case text, integer, real, bool
    /// An instant, held as Unix nanoseconds and shown as RFC 3339 text.
    case time
    /// A length of time, held as nanoseconds and shown as milliseconds.
    case duration
    /// An original attribute's value: text, number, bool or JSON, known only per row.
    case any
    /// The `null` literal.
    case null

    var isNumeric: Bool { self == .integer || self == .real || self == .any || self == .null }
    var isTextual: Bool { self == .text || self == .any || self == .null }
    var isBoolean: Bool { self == .bool || self == .any || self == .null }

    /// How the type is named in messages.
    var phrase: String {
        switch self {
        case .text: return "text"
        case .integer, .real: return "a number"
        case .bool: return "true/false"
        case .time: return "a time"
        case .duration: return "a duration"
        case .any: return "an attribute value"
        case .null: return "null"
        }
    }
}

/// A column a source offers: its name in the language, its type, and the store column that
/// holds it (`ts` is held as `start_ns`).
public struct CatalogColumn: Sendable, Equatable {
    public var name: String
    public var type: ValueType
    public var storeColumn: String
}

/// A source of rows: a store table, or a typed view of one (`llm` is the spans of kind `llm`).
public struct CatalogSource: Sendable, Equatable {
    public var name: String
    public var table: String
    /// `kind` value the view keeps, if it is a view of `spans`.
    public var spanKind: String?
    public var columns: [CatalogColumn]
    /// The source has an `attrs` JSON column that `attr."key"` reads.
    public var hasAttributes: Bool
    public var summary: String

    func column(_ name: String) -> CatalogColumn? { columns.first { $0.name == name } }
}

/// The sources and columns of a store, read from the store itself so that the checker follows
/// the schema (docs/schema.md) as it grows.
public struct Catalog: Sendable {
    public var sources: [CatalogSource]

    public func source(_ name: String) -> CatalogSource? { sources.first { $0.name == name } }

    /// Columns that hold 0/1 signals.
    static let booleanColumns: Set<String> = ["refused", "safety_flagged", "error", "retrieval_empty"]

    public static func load(from database: Database) throws(StoreError) -> Catalog {
        func columns(_ table: String) throws(StoreError) -> [CatalogColumn] {
            let info = try database.query("SELECT name, type FROM pragma_table_info(?) ORDER BY cid", [.text(table)])
            var out: [CatalogColumn] = []
            for row in info.rows {
                guard let name = row[0].stringValue else { continue }
                let declared = (row[1].stringValue ?? "").uppercased()
                var type: ValueType = declared.contains("INT") ? .integer : declared.contains("REAL") ? .real : .text
                if booleanColumns.contains(name), table != "loads" { type = .bool }
                out.append(CatalogColumn(name: name, type: type, storeColumn: name))
            }
            return out
        }
        /// `ts` (and `end_ts`) as instants over the nanosecond columns, in place of the text `ts`.
        func withTimes(_ cols: [CatalogColumn]) -> [CatalogColumn] {
            var out = cols.filter { $0.name != "ts" }
            let times = [CatalogColumn(name: "ts", type: .time, storeColumn: "start_ns"),
                         CatalogColumn(name: "end_ts", type: .time, storeColumn: "end_ns")]
            let position = (out.firstIndex { $0.name == "trace_id" }).map { $0 + 1 } ?? 0
            if cols.contains(where: { $0.name == "start_ns" }) { out.insert(contentsOf: times, at: min(position, out.count)) }
            return out
        }
        // The view's `attr_shape` and `attr_values` are how `attrs` is stored, not fields.
        let spanColumns = withTimes(try columns("spans")).filter { $0.name != "attr_shape" && $0.name != "attr_values" }
        var sources = [
            CatalogSource(name: "traces", table: "traces", spanKind: nil, columns: withTimes(try columns("traces")),
                          hasAttributes: false, summary: "one row per user request (trace)"),
            CatalogSource(name: "spans", table: "spans", spanKind: nil, columns: spanColumns,
                          hasAttributes: true, summary: "every span, with its original attributes"),
        ]
        for (name, kind, summary) in [("llm", "llm", "spans of kind llm: model calls"),
                                      ("tools", "tool", "spans of kind tool: tool calls"),
                                      ("retrievals", "retrieval", "spans of kind retrieval"),
                                      ("embeddings", "embedding", "spans of kind embedding")] {
            sources.append(CatalogSource(name: name, table: "spans", spanKind: kind, columns: spanColumns,
                                         hasAttributes: true, summary: summary))
        }
        sources.append(CatalogSource(name: "loads", table: "loads", spanKind: nil, columns: try columns("loads"),
                                     hasAttributes: false, summary: "every loaded file"))
        sources.append(CatalogSource(name: "rejects", table: "rejects", spanKind: nil, columns: try columns("rejects"),
                                     hasAttributes: false, summary: "lines loads skipped"))
        sources.append(CatalogSource(name: "replays", table: "replay_runs", spanKind: nil, columns: try columns("replay_runs"),
                                     hasAttributes: false, summary: "replay runs: runner, settings, status, counts"))
        sources.append(CatalogSource(name: "scores", table: "scores", spanKind: nil, columns: try columns("scores"),
                                     hasAttributes: false, summary: "review scores: one row per criterion scored, history kept"))
        sources.append(CatalogSource(name: "samples", table: "review_samples", spanKind: nil, columns: try columns("review_samples"),
                                     hasAttributes: false, summary: "traces drawn for review by `sample`"))
        // The shell's session keeps its pins in a temporary table (`pins`).
        let pins = try columns("pins")
        if !pins.isEmpty {
            sources.append(CatalogSource(name: "pins", table: "pins", spanKind: nil, columns: pins.map {
                $0.name == "failing" || $0.name == "refused" ? CatalogColumn(name: $0.name, type: $0.name == "refused" ? .bool : .integer, storeColumn: $0.name) : $0
            }, hasAttributes: false, summary: "the session's pins (the shell's current session)"))
        }
        return Catalog(sources: sources)
    }
}
