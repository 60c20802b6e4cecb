/// Rebuilds rows of `traces` from the canonical columns of `spans`.
///
/// Spans of one trace may arrive in any order and across files, so a trace row is always
/// derived from all of its stored spans, after they are in.
enum TraceSummaries {
    static let spanColumns = ["trace_id", "span_id", "parent_span_id", "kind", "name", "start_ns", "end_ns", "status"]
        + SpanFacts.columns

    /// - Parameter onlyLoad: rebuild only the traces that this load touched; nil for all.
    static func rebuild(_ db: Database, onlyLoad: Int64?, traceFilter: String? = nil,
                        _ summarize: ([StoredSpan]) throws -> TraceRecord?) throws -> Int64 {
        var sql = "SELECT \(spanColumns.joined(separator: ", ")) FROM spans"
        var parameters: [SQLValue] = []
        if let onlyLoad {
            sql += " WHERE trace_id IN (SELECT trace_id FROM spans WHERE load_id = ?)"
            parameters.append(.integer(onlyLoad))
        } else if let traceFilter {
            sql += " WHERE trace_id IN (\(traceFilter))"
        }
        sql += " ORDER BY trace_id, start_ns, span_id"
        let select = try db.prepare(sql)
        try select.bind(parameters)
        let insert = try db.prepare(TraceRecord.insertSQL)
        var group: [StoredSpan] = []
        var written: Int64 = 0
        func flush() throws {
            guard !group.isEmpty else { return }
            if let trace = try summarize(group) {
                trace.bind(to: insert)
                try insert.run()
                written += 1
            }
            group.removeAll(keepingCapacity: true)
        }
        while try select.step() {
            let span = StoredSpan(
                traceId: select.text(at: 0) ?? "", spanId: select.text(at: 1) ?? "",
                parentSpanId: select.text(at: 2), kind: select.text(at: 3) ?? "other",
                name: select.text(at: 4) ?? "", startNs: select.int64(at: 5) ?? 0, endNs: select.int64(at: 6) ?? 0,
                status: select.text(at: 7) ?? "unset", facts: SpanFacts(reading: select, from: 8))
            if let last = group.last, last.traceId != span.traceId { try flush() }
            group.append(span)
        }
        try flush()
        return written
    }
}
