/// Deriving span facts and trace rows again from the stored originals (after the workspace's
/// mapping or signal rules changed), without re-reading any file.
extension Database {
    /// Re-derives every span (or only those of the traces selected by `traceIDsSQL`, a
    /// subquery built by relops, never user text), then rebuilds their trace rows.
    /// One transaction: on error nothing changes.
    public func rederive(traceIDsSQL: String? = nil, inTransaction: Bool = false,
                         span derive: (StoredRawSpan, [LogRecord]) throws -> (kind: String, facts: SpanFacts),
                         trace summarize: ([StoredSpan]) throws -> TraceRecord?) throws -> (spans: Int64, traces: Int64) {
        if inTransaction {
            return try rederiveRows(traceIDsSQL: traceIDsSQL, derive, summarize)
        }
        return try transaction { try rederiveRows(traceIDsSQL: traceIDsSQL, derive, summarize) }
    }

    private func rederiveRows(traceIDsSQL: String?,
                              _ derive: (StoredRawSpan, [LogRecord]) throws -> (kind: String, facts: SpanFacts),
                              _ summarize: ([StoredSpan]) throws -> TraceRecord?) throws -> (spans: Int64, traces: Int64) {
        do {
            var sql = """
                SELECT s.rowid, s.trace_id, s.span_id, s.parent_span_id, s.kind, s.name, s.status, s.attrs, s.events,
                       r.attrs, s.scope, l.format
                FROM spans s LEFT JOIN resources r USING (resource_id) JOIN loads l USING (load_id)
                """
            if let traceIDsSQL { sql += " WHERE s.trace_id IN (\(traceIDsSQL))" }
            let select = try prepare(sql)
            let logs = try prepare("SELECT event_name, body, attrs, time_ns FROM logs WHERE trace_id = ? AND span_id = ? ORDER BY time_ns, rowid")
            let update = try prepare("UPDATE spans SET kind = ?, \(SpanFacts.columns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE rowid = ?")
            let hasLogs = (try scalar("SELECT EXISTS (SELECT 1 FROM logs)").int64Value ?? 0) == 1
            var count: Int64 = 0
            while try select.step() {
                let raw = StoredRawSpan(
                    rowid: select.int64(at: 0) ?? 0, traceId: select.text(at: 1) ?? "", spanId: select.text(at: 2) ?? "",
                    parentSpanId: select.text(at: 3), kind: select.text(at: 4) ?? "other", name: select.text(at: 5) ?? "",
                    status: select.text(at: 6) ?? "unset", attributes: select.text(at: 7) ?? "{}",
                    events: select.text(at: 8), resourceAttributes: select.text(at: 9), scope: select.text(at: 10),
                    format: select.text(at: 11) ?? "")
                var records: [LogRecord] = []
                if hasLogs {
                    logs.reset()
                    logs.bind(raw.traceId, at: 1)
                    logs.bind(raw.spanId, at: 2)
                    while try logs.step() {
                        records.append(LogRecord(traceId: raw.traceId, spanId: raw.spanId, timeNs: logs.int64(at: 3),
                                                 eventName: logs.text(at: 0), severity: nil, body: logs.text(at: 1),
                                                 attributes: logs.text(at: 2) ?? "{}", resource: nil, line: 0))
                    }
                }
                let (kind, facts) = try derive(raw, records)
                update.bind(kind, at: 1)
                facts.bind(to: update, from: 2)
                update.bind(raw.rowid, at: Int32(2 + SpanFacts.columns.count))
                try update.run()
                count += 1
            }
            if traceIDsSQL == nil { try execute("DELETE FROM traces") }
            let traces = try TraceSummaries.rebuild(self, onlyLoad: nil, traceFilter: traceIDsSQL, summarize)
            return (count, traces)
        }
    }
}
