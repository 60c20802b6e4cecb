/// A problem with an input file, located by file and line (and byte column where known).
///
/// Rendered as one line: `traces.jsonl:12: missing "span_id"`.
public struct IngestError: Error, CustomStringConvertible, Sendable, Equatable {
    public var path: String
    public var line: Int64?
    public var column: Int?
    public var message: String

    public init(path: String, line: Int64? = nil, column: Int? = nil, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var location = path
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        return "\(location): \(message)"
    }
}

/// Why one record (line or document) could not be decoded; the loader adds file and line.
public struct RecordError: Error, Sendable, Equatable {
    public var message: String
    /// Byte offset within the record, if the problem has a position.
    public var offset: Int?

    public init(_ message: String, offset: Int? = nil) {
        self.message = message
        self.offset = offset
    }
}
