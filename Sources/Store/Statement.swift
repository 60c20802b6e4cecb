import CSQLite

/// A prepared statement. Values are always bound, never spliced into SQL text.
public final class Statement {
    unowned let database: Database
    let handle: OpaquePointer
    public let sql: String

    init(database: Database, handle: OpaquePointer, sql: String) {
        self.database = database
        self.handle = handle
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    nonisolated(unsafe) static let emptyCString: UnsafePointer<CChar> = {
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
        p.initialize(to: 0)
        return UnsafePointer(p)
    }()

    public func bind(_ values: [SQLValue]) throws(StoreError) {
        for (i, value) in values.enumerated() {
            try bind(value, at: Int32(i + 1))
        }
    }

    public func bind(_ value: SQLValue, at index: Int32) throws(StoreError) {
        let rc: Int32
        switch value {
        case .null: rc = sqlite3_bind_null(handle, index)
        case .integer(let i): rc = sqlite3_bind_int64(handle, index, i)
        case .real(let d): rc = sqlite3_bind_double(handle, index, d)
        case .text(let s): rc = sqlite3_bind_text(handle, index, s, -1, relops_sqlite_transient())
        case .blob(let b):
            rc = b.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), relops_sqlite_transient()) }
        }
        try check(rc)
    }

    @inline(__always) public func bindNull(at index: Int32) {
        sqlite3_bind_null(handle, index)
    }

    @inline(__always) public func bind(_ value: Int64?, at index: Int32) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    @inline(__always) public func bind(_ value: Double?, at index: Int32) {
        if let value, value.isFinite { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    @inline(__always) public func bind(_ value: String?, at index: Int32) {
        guard var value else { sqlite3_bind_null(handle, index); return }
        value.withUTF8 { utf8 in
            bindText(UnsafeRawBufferPointer(utf8), at: index)
        }
    }

    /// Binds UTF-8 bytes (copied by SQLite) without making a Swift String first.
    @inline(__always) public func bindText(_ bytes: UnsafeRawBufferPointer, at index: Int32) {
        // SQLite wants a non-null pointer for an empty (not NULL) text.
        let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self) ?? Statement.emptyCString
        sqlite3_bind_text(handle, index, base, Int32(bytes.count), relops_sqlite_transient())
    }

    /// Steps once; `true` when a row is available.
    @discardableResult
    public func step() throws(StoreError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            throw database.error(code: rc, message: String(cString: sqlite3_errmsg(database.handle)), sql: sql)
        }
    }

    /// Steps a statement without results to the end, then resets it for the next bindings.
    public func run() throws(StoreError) {
        defer { sqlite3_reset(handle) }
        while try step() {}
    }

    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    public var columnCount: Int32 { sqlite3_column_count(handle) }

    /// The largest parameter index the statement uses (`?N`).
    public var parameterCount: Int32 { sqlite3_bind_parameter_count(handle) }

    /// The index of the named parameter `name` (with its prefix: `:lo`); nil when absent.
    public func parameterIndex(_ name: String) -> Int32? {
        let i = sqlite3_bind_parameter_index(handle, name)
        return i > 0 ? i : nil
    }

    public var columnNames: [String] {
        (0..<columnCount).map { String(cString: sqlite3_column_name(handle, $0)) }
    }

    public func value(at index: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, index))
        case SQLITE_TEXT: return .text(text(at: index) ?? "")
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, index))
            guard count > 0, let base = sqlite3_column_blob(handle, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: base, count: count)))
        default: return .null
        }
    }

    public func text(at index: Int32) -> String? {
        guard let cString = sqlite3_column_text(handle, index) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: cString, count: count), as: UTF8.self)
    }

    public func int64(at index: Int32) -> Int64? {
        sqlite3_column_type(handle, index) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, index)
    }

    public func double(at index: Int32) -> Double? {
        sqlite3_column_type(handle, index) == SQLITE_NULL ? nil : sqlite3_column_double(handle, index)
    }

    public func row() -> [SQLValue] {
        (0..<columnCount).map { value(at: $0) }
    }

    private func check(_ rc: Int32) throws(StoreError) {
        if rc != SQLITE_OK {
            throw database.error(code: rc, message: String(cString: sqlite3_errmsg(database.handle)), sql: sql)
        }
    }
}
