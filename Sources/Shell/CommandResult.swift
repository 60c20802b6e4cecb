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
    /// A domain report that renders itself: a trace tree (`show`), a replay comparison, a diff …
    case document(any ResultDocument)
    /// A short confirmation or message.
    case message(String)
    /// Nothing to print (settings commands).
    case none
}

/// How a document is drawn on a terminal.
public struct TextStyle: Sendable {
    /// ANSI colours allowed (a terminal, and no `--no-color` / `NO_COLOR`).
    public var color: Bool
    /// Terminal columns, if known.
    public var width: Int?

    public init(color: Bool = false, width: Int? = nil) {
        self.color = color
        self.width = width
    }

    /// `text` in an ANSI style (`1` bold, `2` dim, `31` red, `32` green, `33` yellow, `36` cyan …) when colour is on.
    public func paint(_ text: String, _ code: String) -> String {
        color && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

/// A command's typed result with its own renderings (DESIGN.md principle 4): text for the
/// terminal (`table`, `line` and `csv` modes), Markdown, and one JSON document whose keys
/// docs/ lists for each command (`json` and `jsonl` modes).
public protocol ResultDocument: Sendable {
    func text(_ style: TextStyle) -> String
    func json() -> JSON
    /// Markdown; by default the text in a fenced block.
    func markdown() -> String
    /// A check that did not hold (`cases check` with a failing case): the command succeeded,
    /// but the shell exits with status 1, as a HOLD does. By default false.
    var failedCheck: Bool { get }
}

extension ResultDocument {
    public var failedCheck: Bool { false }

    public func markdown() -> String {
        "```\n" + text(TextStyle()) + "```\n"
    }
}
