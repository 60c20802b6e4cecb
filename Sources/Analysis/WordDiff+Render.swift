extension WordDiff {
    /// The diff as one text: git's `--word-diff=plain` markers `[-removed-]{+added+}` without
    /// colour; with colour, removals in red and additions in green, as `git diff --color-words`.
    public func render(color: Bool) -> String {
        Self.render(segments, color: color)
    }

    /// Renders segments as `render(color:)` does.
    ///
    /// Colour is closed and reopened around each line break, so a pager or a terminal that
    /// redraws one line at a time never shows colour bleeding into unchanged text.
    public static func render(_ segments: [Segment], color: Bool) -> String {
        var out = ""
        for segment in segments {
            switch segment {
            case .same(let text):
                out += text
            case .removed(let text):
                out += color ? colored(text, code: "31") : "[-" + text + "-]"
            case .added(let text):
                out += color ? colored(text, code: "32") : "{+" + text + "+}"
            }
        }
        return out
    }

    private static func colored(_ text: String, code: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "\u{1B}[" + code + "m" + $0 + "\u{1B}[0m" }
            .joined(separator: "\n")
    }
}
