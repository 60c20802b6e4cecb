/// Splitting a command line or an expectation into words: whitespace separates them, and a
/// quoted stretch (any of `quotes`) is part of one word, quotes removed. With `escapes`, a
/// backslash inside quotes takes the next character as it is (`"say \"hi\""`).
public enum QuotedWords {
    /// The words; nil when a quote is never closed.
    public static func split(_ text: String, quotes: Set<Character> = ["\"", "'"], escapes: Bool = false) -> [String]? {
        var words: [String] = [], current = ""
        var quote: Character?
        var inWord = false, escaped = false
        for c in text {
            if let q = quote {
                if escaped { current.append(c); escaped = false }
                else if escapes && c == "\\" { escaped = true }
                else if c == q { quote = nil }
                else { current.append(c) }
            } else if quotes.contains(c) {
                quote = c
                inWord = true
            } else if c.isWhitespace {
                if inWord { words.append(current); current = ""; inWord = false }
            } else {
                current.append(c)
                inWord = true
            }
        }
        if quote != nil { return nil }
        if inWord { words.append(current) }
        return words
    }
}
