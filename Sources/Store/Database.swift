import CSQLite
import Foundation

/// One connection to a relops store (a SQLite file).
///
/// Only this module talks to SQLite. The connection is not thread-safe; the loader owns one
/// connection on its writer thread, the shell owns another.
public final class Database: @unchecked Sendable {
    let handle: OpaquePointer
    public let path: String
    /// Opened read-only (asked for, or the file cannot be written).
    public private(set) var isReadOnly = false

    /// Opens (and creates, unless `readOnly`) the store at `path`, checking that it is SQLite
    /// and migrating its schema forward.
    public init(path: String, readOnly: Bool = false, migrate: Bool = true) throws(StoreError) {
        self.path = path
        var db: OpaquePointer?
        let flags = readOnly
            ? SQLITE_OPEN_READONLY
            : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw StoreError(kind: rc == SQLITE_CANTOPEN && FileManager.default.fileExists(atPath: path) ? .readOnly : .sqlite,
                             code: rc, message: message, path: path)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, 5_000)
        SQLFunctions.register(on: db)
        do {
            // Reading the schema is the first real I/O: it is where a non-SQLite file shows.
            _ = try scalar("SELECT count(*) FROM sqlite_master")
            // A file the process may not write opens read-only: reading works, a load says why not.
            let readOnly = readOnly || sqlite3_db_readonly(db, "main") == 1
            self.isReadOnly = readOnly
            if migrate {
                // Check whose file this is before changing anything in it (WAL mode rewrites the header).
                try Schema.checkOwnership(self)
                if !readOnly {
                    // Larger pages suit long rows (attributes, texts): fewer overflow pages, a
                    // smaller file. Only takes effect before the first table is created.
                    try execute("PRAGMA page_size=8192")
                    try execute("PRAGMA journal_mode=WAL")
                }
                try execute("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON")
                try Schema.migrate(self, readOnly: readOnly)
            }
        } catch {
            sqlite3_close_v2(db)
            throw error.withPath(path)
        }
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Another connection to the same store, read-only, for a scan on another thread.
    public func reader() throws(StoreError) -> Database {
        try Database(path: path, readOnly: true, migrate: false)
    }

    /// Runs one or more statements without results.
    public func execute(_ sql: String) throws(StoreError) {
        var errmsg: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errmsg)
        if rc != SQLITE_OK {
            let message = errmsg.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(errmsg)
            throw error(code: rc, message: message, sql: sql)
        }
    }

    public func prepare(_ sql: String) throws(StoreError) -> Statement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            throw error(code: rc, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
        }
        return Statement(database: self, handle: stmt, sql: sql)
    }

    /// Runs a query with bound parameters and returns every row.
    public func query(_ sql: String, _ parameters: [SQLValue] = []) throws(StoreError) -> Rows {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        var rows: [[SQLValue]] = []
        while try statement.step() {
            rows.append(statement.row())
        }
        return Rows(columns: statement.columnNames, rows: rows)
    }

    /// The first column of the first row, or `.null`.
    public func scalar(_ sql: String, _ parameters: [SQLValue] = []) throws(StoreError) -> SQLValue {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        return try statement.step() ? statement.value(at: 0) : .null
    }

    public func run(_ sql: String, _ parameters: [SQLValue] = []) throws(StoreError) {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        while try statement.step() {}
    }

    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    public var changes: Int { Int(sqlite3_changes(handle)) }
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Asks a running statement to stop at its next opportunity (safe from another thread).
    public func interrupt() { sqlite3_interrupt(handle) }

    func error(code: Int32, message: String, sql: String?) -> StoreError {
        let primary = code & 0xFF
        let kind: StoreError.Kind
        switch primary {
        case SQLITE_NOTADB, SQLITE_CORRUPT: kind = .notADatabase
        case SQLITE_READONLY: kind = .readOnly
        case SQLITE_INTERRUPT: kind = .interrupted
        case SQLITE_CONSTRAINT: kind = .constraint
        default: kind = .sqlite
        }
        return StoreError(kind: kind, code: code, message: message, sql: sql)
    }
}

/// A fully read result: column names and rows of values.
public struct Rows: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[SQLValue]]
    public init(columns: [String], rows: [[SQLValue]]) {
        self.columns = columns
        self.rows = rows
    }
}

extension StoreError {
    func withPath(_ path: String) -> StoreError {
        StoreError(kind: kind, code: code, message: message, sql: sql, path: self.path ?? path)
    }
}

extension Error {
    func withPath(_ path: String) -> StoreError {
        if let error = self as? StoreError { return error.withPath(path) }
        return StoreError(kind: .sqlite, message: "\(self)", path: path)
    }
}
