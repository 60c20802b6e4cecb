/// Deriving span facts and trace rows again from the stored originals — after the workspace's
/// mappings or signal rules changed, when log records arrive for stored spans, or when a
/// trace's spans came in several loads — without re-reading any file.
extension Database {
    /// Re-derives every span (or those of the traces `traceIDsSQL` selects: a subquery built by
    /// relops, never user text) and rewrites their trace rows, in one pass ordered by trace.
    /// Runs in its own transaction unless `inTransaction`; on error nothing changes.
    public func rederive(traceIDsSQL: String? = nil, inTransaction: Bool = false,
                         span derive: (StoredRawSpan, [LogRecord]) throws -> (kind: String, facts: SpanFacts),
                         trace summarize: ([StoredSpan]) throws -> TraceRecord?) throws -> (spans: Int64, traces: Int64) {
        if inTransaction {
            // The caller's commit (a load's) rebuilds the rollup.
            return try rederiveRows(traceIDsSQL: traceIDsSQL, derive, summarize)
        }
        return try transaction {
            let counts = try rederiveRows(traceIDsSQL: traceIDsSQL, derive, summarize)
            try rebuildTraceRollup()
            return counts
        }
    }

    private func rederiveRows(traceIDsSQL: String?,
                              _ derive: (StoredRawSpan, [LogRecord]) throws -> (kind: String, facts: SpanFacts),
                              _ summarize: ([StoredSpan]) throws -> TraceRecord?) throws -> (spans: Int64, traces: Int64) {
        var sql = """
            SELECT s.rowid, s.trace_id, s.span_id, s.parent_span_id, s.kind, s.name, s.status, s.attr_values, s.events,
                   r.attrs, s.scope, l.format, s.start_ns, s.end_ns, s.attr_shape
            FROM span_rows s LEFT JOIN resources r USING (resource_id) JOIN loads l USING (load_id)
            """
        if let traceIDsSQL { sql += " WHERE s.trace_id IN (\(traceIDsSQL))" }
        sql += " ORDER BY s.trace_id, s.start_ns, s.span_id"
        let select = try prepare(sql)
        let logs = try prepare("SELECT event_name, body, attrs, time_ns FROM logs WHERE trace_id = ? AND span_id = ? ORDER BY time_ns, rowid")
        let update = try prepare("UPDATE span_rows SET kind = ?, \(SpanFacts.columns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE rowid = ?")
        let insert = try prepare(TraceRecord.insertSQL)
        let objects = try AttributeObjects(database: self)
        let hasLogs = (try scalar("SELECT EXISTS (SELECT 1 FROM logs)").int64Value ?? 0) == 1
        if traceIDsSQL == nil {
            // Every trace is written again: the rollup's triggers would turn this DELETE into one
            // per row (the rollup is rebuilt, with them, before the commit).
            try dropTraceRollupTriggers()
            try execute("DELETE FROM traces")
        }
        try invalidateDimensionValues()
        try invalidateTraceRollup()
        var spans: Int64 = 0
        var traces: Int64 = 0
        var group: [StoredSpan] = []
        func flush() throws {
            guard !group.isEmpty else { return }
            if let trace = try summarize(group) {
                trace.bind(to: insert)
                try insert.run()
                traces += 1
            }
            group.removeAll(keepingCapacity: true)
        }
        while try select.step() {
            let raw = StoredRawSpan(
                rowid: select.int64(at: 0) ?? 0, traceId: select.text(at: 1) ?? "", spanId: select.text(at: 2) ?? "",
                parentSpanId: select.text(at: 3), kind: select.text(at: 4) ?? "other", name: select.text(at: 5) ?? "",
                status: select.text(at: 6) ?? "unset",
                attributes: try objects.object(shape: select.int64(at: 14), values: select.text(at: 7) ?? "{}"),
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
            spans += 1
            if let last = group.last, last.traceId != raw.traceId { try flush() }
            group.append(StoredSpan(traceId: raw.traceId, spanId: raw.spanId, parentSpanId: raw.parentSpanId, kind: kind,
                                    name: raw.name, startNs: select.int64(at: 12) ?? 0, endNs: select.int64(at: 13) ?? 0,
                                    status: raw.status, facts: facts))
        }
        try flush()
        return (spans, traces)
    }
}
