/// The text a query came from: typed at the prompt, given with `-c`, or a saved query file.
public struct QuerySource: Sendable, Equatable {
    /// `query` for typed text, else the file's path.
    public var name: String
    public var text: String
    /// The line of `name` the text starts on (a statement in the middle of a script).
    public var firstLine: Int

    public init(name: String = "query", text: String, firstLine: Int = 1) {
        self.name = name
        self.text = text
        self.firstLine = firstLine
    }

    /// A source named by a location such as `script.relops:12`: the file and its line.
    public init(location: String?, text: String) {
        if let location, let colon = location.lastIndex(of: ":"), let line = Int(location[location.index(after: colon)...]) {
            self.init(name: String(location[..<colon]), text: text, firstLine: line)
        } else {
            self.init(name: location ?? "query", text: text)
        }
    }
}

/// A mistake in a query: where it is (a byte range of its source), what is wrong, what was
/// expected, and a hint such as "did you mean `latency_ms`?". Line, column and the caret
/// are computed only when the error is rendered.
public struct QueryError: Error, Sendable, Equatable, CustomStringConvertible {
    public var source: QuerySource
    public var range: Range<Int>
    public var message: String
    public var hint: String?

    init(_ source: QuerySource, _ range: Range<Int>, _ message: String, hint: String? = nil) {
        self.source = source
        self.range = range
        self.message = message
        self.hint = hint
    }

    /// 1-based line and column (in characters) of the error's start.
    public var location: (line: Int, column: Int) {
        let bytes = Array(source.text.utf8)
        let start = min(range.lowerBound, bytes.count)
        var line = 1
        var lineStart = 0
        for i in 0..<start where bytes[i] == 10 {
            line += 1
            lineStart = i + 1
        }
        let column = String(decoding: bytes[lineStart..<start], as: UTF8.self).count + 1
        return (line + source.firstLine - 1, column)
    }

    /// The message, then the source line with a caret under the offending text:
    ///
    ///     error: unknown field `latncy_ms`
    ///      --> query:1:16
    ///       |
    ///     1 | traces | where latncy_ms > 100
    ///       |                ^^^^^^^^^
    ///       = did you mean `latency_ms`?
    public var rendered: String {
        let bytes = Array(source.text.utf8)
        let (line, column) = location
        let start = min(range.lowerBound, bytes.count)
        var lineStart = start
        while lineStart > 0, bytes[lineStart - 1] != 10 { lineStart -= 1 }
        var lineEnd = start
        while lineEnd < bytes.count, bytes[lineEnd] != 10 { lineEnd += 1 }
        let lineText = String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self)
            .replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\r", with: "")
        let end = min(max(range.upperBound, start), lineEnd)
        let width = max(1, String(decoding: bytes[start..<end], as: UTF8.self).count)
        let number = String(line)
        let gutter = String(repeating: " ", count: number.count)
        var out = "error: \(message)\n"
        out += "\(gutter)--> \(source.name):\(line):\(column)\n"
        out += "\(gutter) |\n"
        out += "\(number) | \(lineText)\n"
        out += "\(gutter) | " + String(repeating: " ", count: column - 1) + String(repeating: "^", count: width) + "\n"
        if let hint { out += "\(gutter) = \(hint)\n" }
        return out
    }

    public var description: String { rendered }
}
