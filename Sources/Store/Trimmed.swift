extension StringProtocol {
    /// The text without leading and trailing whitespace and newlines (`Character.isWhitespace`).
    /// Foundation's `trimmingCharacters(in:)` goes through `NSString` on Linux: a bridge and a
    /// copy per call, on the path of every command the shell runs.
    public func trimmed() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = lastIndex(where: { !$0.isWhitespace })!
        return String(self[first...last])
    }

    /// The text without trailing whitespace and newlines (what `\s+$` removes).
    public func trimmedTrailing() -> String {
        guard let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[...last])
    }
}
