/// Everything that can go wrong in the store, with SQLite's code and message and the failing SQL.
///
/// User-facing text is made in one place (`description`), so the shell can print it as a
/// one-line error and tests can compare it.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// The file exists but is not a SQLite database (or is corrupt).
        case notADatabase
        /// The store was written by a newer relops (schema version from the future).
        case newerSchema(found: Int, supported: Int)
        /// The store or its folder cannot be written.
        case readOnly
        /// A query was interrupted (Ctrl-C).
        case interrupted
        /// A constraint failed (e.g. a duplicate id).
        case constraint
        /// Any other SQLite error.
        case sqlite
    }

    public let kind: Kind
    public let code: Int32
    public let message: String
    public let sql: String?
    public let path: String?

    public init(kind: Kind, code: Int32 = 0, message: String, sql: String? = nil, path: String? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.sql = sql
        self.path = path
    }

    public var description: String {
        var text = ""
        if let path { text += "\(path): " }
        switch kind {
        case .notADatabase:
            text += "not a relops store (not a SQLite database, or corrupt): \(message)"
        case .newerSchema(let found, let supported):
            text += "store schema version \(found) is newer than this relops supports (\(supported)); upgrade relops"
        case .readOnly:
            text += "store is read-only: \(message)"
        case .interrupted:
            text += "interrupted"
        case .constraint, .sqlite:
            text += message
        }
        return text
    }
}
