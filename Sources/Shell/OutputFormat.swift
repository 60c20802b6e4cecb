/// Output modes (`--format`, `.mode`). `line` is sqlite3's: one `name = value` a line, a blank
/// line between rows.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, csv, json, jsonl, markdown, line

    /// Modes for people to read: `.limit` cuts them, and they say so in a footer. The others
    /// are for programs, which get every row.
    var isDisplay: Bool {
        switch self {
        case .table, .markdown, .line: return true
        case .csv, .json, .jsonl: return false
        }
    }
}
