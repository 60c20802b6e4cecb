import Ingest
import Query
import Store

/// What a command returns: a typed value that renderers turn into text, CSV, JSON …
/// (DESIGN.md principle 4). The shell, `-c`, `-f` and piped scripts all print through here.
public enum CommandResult: Sendable {
    /// Rows with column names (sources, versions, queries).
    case table(Rows)
    /// A query's rows (and the chart it asked for).
    case query(QueryResult)
    /// What `load` did, file by file.
    case loads([LoadReport])
    /// A short confirmation or message.
    case message(String)
    /// Nothing to print (settings commands).
    case none
}
