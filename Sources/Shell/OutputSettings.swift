/// What the display settings are: `.mode`, `.headers`, `.x`, `.limit`, `.pager` and `.timer`.
/// The shell keeps one; the renderer and the console read it, so a setting means the same
/// thing wherever it is applied.
public struct OutputSettings: Sendable, Equatable {
    public var format: OutputFormat = .table
    /// Column names in `table` and `csv` (markdown needs its header row to be a table; `line`,
    /// expanded display and JSON name every value anyway).
    public var headers = true
    /// psql's `\x`: in `table` mode each row becomes a block of `name │ value` lines.
    public var expanded = false
    /// At most this many rows in the display modes (`table`, `markdown`, `line`); nil: all.
    public var limit: Int?
    /// Long results on a terminal go through the pager (the interactive shell only).
    public var pager = false
    /// Print how long each command took, on stderr.
    public var timer = false

    /// The interactive shell's row limit: enough to see what a query returns, without
    /// drawing a million-row table by accident. Scripts and `-c` have none.
    public static let interactiveLimit = 1000

    public init(format: OutputFormat = .table) {
        self.format = format
    }

    /// The settings as `.show` prints them, names right-aligned as sqlite3's `.show` does.
    func described(output: String) -> String {
        let items: [(String, String)] = [
            ("mode", format.rawValue),
            ("headers", headers ? "on" : "off"),
            ("expanded", expanded ? "on" : "off"),
            ("limit", limit.map { "\($0) rows" } ?? "none"),
            ("output", output),
            ("pager", pager ? "on" : "off"),
            ("timer", timer ? "on" : "off"),
        ]
        let width = items.map(\.0.count).max() ?? 0
        return items.map { String(repeating: " ", count: width - $0.0.count) + $0.0 + ": " + $0.1 }.joined(separator: "\n")
    }
}
