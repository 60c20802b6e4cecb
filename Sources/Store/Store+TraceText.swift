/// A trace's identity and texts, for examples shown beside numbers (`diff`, `replay`).
public struct TraceText: Sendable, Equatable {
    public var rowid: Int64
    public var traceId: String
    public var ts: String
    public var input: String?
    public var output: String?
}

extension Database {
    /// The id, time and texts of the traces with these rowids.
    public func traceTexts(rowids: [Int64]) throws(StoreError) -> [Int64: TraceText] {
        var found: [Int64: TraceText] = [:]
        guard !rowids.isEmpty else { return found }
        let statement = try prepare("SELECT rowid, trace_id, ts, input, output FROM traces WHERE rowid = ?")
        for id in Set(rowids) {
            statement.reset()
            statement.bind(id, at: 1)
            if try statement.step(), let traceId = statement.text(at: 1) {
                found[id] = TraceText(rowid: id, traceId: traceId, ts: statement.text(at: 2) ?? "",
                                      input: statement.text(at: 3), output: statement.text(at: 4))
            }
        }
        return found
    }
}

extension Database {
    /// Every trace with this input fingerprint, oldest first (through `traces_input_hash`).
    public func traces(withInputHash hash: String, limit: Int = 10_000) throws(StoreError) -> [TraceRow] {
        let statement = try prepare("SELECT * FROM traces WHERE input_hash = ? ORDER BY start_ns, trace_id LIMIT ?")
        try statement.bind([.text(hash), .integer(Int64(limit))])
        let names = statement.columnNames
        var rows: [TraceRow] = []
        while try statement.step() {
            rows.append(TraceRow(columns: names.enumerated().map { ($1, statement.value(at: Int32($0))) }))
        }
        return rows
    }
}
