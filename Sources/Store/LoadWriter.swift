import CSQLite
import Foundation

/// Writes one load (one file) into the store as a single transaction.
///
/// The load is all-or-nothing: rows go in under `BEGIN IMMEDIATE` and only `commit` makes
/// them visible, so an error, a Ctrl-C or a SIGKILL half-way leaves the store as it was.
/// Into an empty store, the span indexes are dropped and rebuilt after the rows (a sorted
/// build is several times faster than maintaining a B-tree of random ids row by row).
public final class LoadWriter {
    public struct Source: Sendable {
        public var path: String
        public var sha256: String
        public var bytes: Int64
        public var format: String
        public var skipBadLines: Bool
        public init(path: String, sha256: String, bytes: Int64, format: String, skipBadLines: Bool) {
            self.path = path
            self.sha256 = sha256
            self.bytes = bytes
            self.format = format
            self.skipBadLines = skipBadLines
        }
    }

    /// What a finished load added.
    public struct Summary: Sendable, Equatable {
        public var loadId: Int64
        public var lines: Int64
        public var spans: Int64
        public var traces: Int64
        public var logRecords: Int64
        public var rejected: Int64
        public var duplicates: Int64
        public var durationMs: Double
    }

    /// A span id seen twice in the same file: a user error unless bad lines are skipped.
    public struct DuplicateSpan: Error, Sendable {
        public var traceId: String
        public var spanId: String
        public var firstLine: Int64
        public var line: Int64
    }

    let db: Database
    let source: Source
    public let loadId: Int64
    let bulk: Bool
    let started = Date()
    private let insertSpan: Statement
    private let insertLog: Statement
    private let insertReject: Statement
    private let findSpan: Statement
    private let insertTrace: Statement
    private let traceElsewhere: Statement
    private let markRebuild: Statement
    private let shapes: AttributeShapes
    private var firstSpanRowid: Int64?
    private var lastSpanRowid: Int64?
    private var resourceIds: [String: Int64] = [:]
    private var finished = false
    /// `traces`' largest rowid when the load began, if a rollup was current (`refreshTraceRollup`).
    private var rollupBase: Int64?
    public private(set) var spans: Int64 = 0
    public private(set) var logRecords: Int64 = 0
    public private(set) var rejected: Int64 = 0
    public private(set) var duplicates: Int64 = 0

    /// Longest raw line kept in `rejects.raw`.
    public static let rejectRawLimit = 4096

    public init(database: Database, source: Source) throws(StoreError) {
        db = database
        self.source = source
        // Into an empty store, a rollback journal costs nothing (pages appended to the file are
        // not journaled) while WAL would write every page twice; a kill still rolls back.
        bulk = (try db.scalar("SELECT NOT EXISTS (SELECT 1 FROM span_rows) AND NOT EXISTS (SELECT 1 FROM traces)").int64Value ?? 0) == 1
        if bulk {
            try db.execute("PRAGMA journal_mode = DELETE")
        }
        try db.execute("BEGIN IMMEDIATE")
        do {
            if bulk {
                for index in Schema.bulkIndexes {
                    try db.execute("DROP INDEX IF EXISTS \(index.name)")
                }
                // The indexes are built at the end by sorting every key: SQLite's sorter may use
                // a helper thread per core (measured: spans_ids over 3.6M spans 9.5 → 7.0 s).
                try db.execute("PRAGMA cache_size = -32768; PRAGMA threads = \(min(4, ProcessInfo.processInfo.activeProcessorCount))")
            }
            try db.run("""
                INSERT INTO loads (path, sha256, bytes, format, status, on_error, started_at, finished_at,
                  duration_ms, lines, spans, traces, log_records, rejected, duplicates, relops_version)
                VALUES (?, ?, ?, ?, 'loading', ?, ?, '', 0, 0, 0, 0, 0, 0, 0, ?)
                """, [.text(source.path), .text(source.sha256), .integer(source.bytes), .text(source.format),
                      .text(source.skipBadLines ? "skip" : "abort"),
                      .text(Timestamp.iso8601(nanoseconds: Int64(started.timeIntervalSince1970 * 1e9))),
                      .text(StoreInfo.relopsVersion)])
            loadId = db.lastInsertRowID
            // A current rollup takes only the appended traces at the commit; a trace this load
            // replaces fires the rollup's delete trigger (with recursive triggers on), so the
            // commit rebuilds it instead.
            rollupBase = bulk ? nil : try db.currentTraceRollupsBase()
            if rollupBase != nil { try db.execute("PRAGMA recursive_triggers = ON") }
            insertSpan = try db.prepare(SpanRecord.insertSQL(orIgnore: !bulk))
            shapes = try AttributeShapes(database: db)
            insertLog = try db.prepare("""
                INSERT INTO logs (trace_id, span_id, time_ns, event_name, severity, body, attrs, resource_id, load_id, line)
                VALUES (?,?,?,?,?,?,?,?,?,?)
                """)
            insertReject = try db.prepare("INSERT INTO rejects (load_id, line, reason, raw) VALUES (?,?,?,?)")
            findSpan = try db.prepare("SELECT load_id, line FROM span_rows WHERE trace_id = ? AND span_id = ?")
            insertTrace = try db.prepare(bulk ? TraceRecord.insertSQL.replacingOccurrences(of: "INSERT OR REPLACE", with: "INSERT")
                                              : TraceRecord.insertSQL)
            traceElsewhere = try db.prepare("SELECT EXISTS (SELECT 1 FROM span_rows WHERE trace_id = ? AND load_id <> ?)")
            try db.execute("CREATE TEMP TABLE IF NOT EXISTS rebuild_traces (trace_id TEXT PRIMARY KEY); DELETE FROM rebuild_traces")
            markRebuild = try db.prepare("INSERT OR IGNORE INTO rebuild_traces (trace_id) VALUES (?)")
        } catch {
            try? db.execute("ROLLBACK")
            if bulk { try? db.execute("PRAGMA journal_mode = WAL") }
            throw error
        }
    }

    deinit {
        rollback()
    }

    /// Adds a span. Throws `DuplicateSpan` when this file already held the same span id
    /// (spans already in the store from earlier loads are skipped and counted as duplicates).
    public func insert(_ span: SpanRecord) throws {
        try span.bind(to: insertSpan, resourceId: try resourceId(span.resource), loadId: loadId, shapes: shapes)
        try insertSpan.run()
        if !bulk && db.changes == 0 {
            findSpan.reset()
            findSpan.bind(span.traceId, at: 1)
            findSpan.bind(span.spanId, at: 2)
            if try findSpan.step(), findSpan.int64(at: 0) == loadId {
                let first = findSpan.int64(at: 1) ?? 0
                findSpan.reset()
                throw DuplicateSpan(traceId: span.traceId, spanId: span.spanId, firstLine: first, line: span.line)
            }
            findSpan.reset()
            duplicates += 1
            return
        }
        let rowid = db.lastInsertRowID
        if firstSpanRowid == nil { firstSpanRowid = rowid }
        lastSpanRowid = rowid
        spans += 1
    }

    /// Adds a trace row summarised from this file's spans. A trace that also has spans from
    /// other loads is rebuilt from all its stored spans at the end instead.
    public func insert(_ trace: TraceRecord) throws {
        if !bulk {
            traceElsewhere.reset()
            traceElsewhere.bind(trace.traceId, at: 1)
            traceElsewhere.bind(loadId, at: 2)
            if try traceElsewhere.step(), traceElsewhere.int64(at: 0) == 1 {
                traceElsewhere.reset()
                try markForRebuild(trace.traceId)
                return
            }
            traceElsewhere.reset()
        }
        trace.bind(to: insertTrace)
        try insertTrace.run()
    }

    /// Marks a trace to be summarised again from all its stored spans at the end (its spans
    /// came in several loads, or out of order). `inserted`: its row was already written.
    public func markForRebuild(_ traceId: String) throws {
        markRebuild.bind(traceId, at: 1)
        try markRebuild.run()
    }

    public func insert(_ log: LogRecord) throws {
        let s = insertLog
        s.bind(log.traceId, at: 1)
        s.bind(log.spanId, at: 2)
        s.bind(log.timeNs, at: 3)
        s.bind(log.eventName, at: 4)
        s.bind(log.severity, at: 5)
        s.bind(log.body, at: 6)
        s.bind(log.attributes, at: 7)
        s.bind(try resourceId(log.resource), at: 8)
        s.bind(loadId, at: 9)
        s.bind(log.line, at: 10)
        try s.run()
        logRecords += 1
    }

    /// Records a line that could not be loaded (only when bad lines are skipped).
    public func reject(line: Int64, reason: String, raw: String?) throws {
        let s = insertReject
        s.bind(loadId, at: 1)
        s.bind(line, at: 2)
        s.bind(reason, at: 3)
        s.bind(raw.map { Self.cut($0, to: Self.rejectRawLimit) }, at: 4)
        try s.run()
        rejected += 1
    }

    static func cut(_ text: String, to limit: Int) -> String {
        if text.utf8.count <= limit { return text }
        var end = text.utf8.index(text.utf8.startIndex, offsetBy: limit)
        while end > text.startIndex && !text.unicodeScalars.indices.contains(end) { end = text.utf8.index(before: end) }
        return String(text[..<end]) + "…"
    }

    private func resourceId(_ resource: ResourceRecord?) throws(StoreError) -> Int64? {
        guard let resource else { return nil }
        if let id = resourceIds[resource.digest] { return id }
        try db.run("""
            INSERT INTO resources (digest, service, service_version, environment, attrs, schema_url)
            VALUES (?,?,?,?,?,?) ON CONFLICT(digest) DO NOTHING
            """, [.text(resource.digest), resource.service.sqlValue, resource.serviceVersion.sqlValue,
                  resource.environment.sqlValue, .text(resource.attributes), resource.schemaURL.sqlValue])
        let id = try db.scalar("SELECT resource_id FROM resources WHERE digest = ?", [.text(resource.digest)]).int64Value ?? 0
        resourceIds[resource.digest] = id
        return id
    }

    /// Rebuilds the indexes of a bulk load, finding duplicate span ids within the file.
    /// With `skipBadLines`, later copies are removed and recorded as rejects; otherwise the
    /// first duplicate is thrown.
    public func finishSpans() throws {
        guard bulk else { return }
        while let failure = buildSpanIndexes() {
            let dups = try db.query("""
                SELECT trace_id, span_id, min(line), max(line), min(rowid) FROM span_rows
                GROUP BY trace_id, span_id HAVING count(*) > 1 ORDER BY min(line) LIMIT 1000
                """)
            guard let first = dups.rows.first else { throw failure }
            if !source.skipBadLines {
                throw DuplicateSpan(traceId: first[0].stringValue ?? "", spanId: first[1].stringValue ?? "",
                                    firstLine: first[2].int64Value ?? 0, line: first[3].int64Value ?? 0)
            }
            for row in dups.rows {
                let later = try db.query("SELECT rowid, line FROM span_rows WHERE trace_id = ? AND span_id = ? AND rowid <> ?",
                                         [row[0], row[1], row[4]])
                for copy in later.rows {
                    try reject(line: copy[1].int64Value ?? 0,
                               reason: "duplicate span id \(row[1].stringValue ?? "") in trace \(row[0].stringValue ?? "") (first at line \(row[2].int64Value ?? 0))",
                               raw: nil)
                    try db.run("DELETE FROM span_rows WHERE rowid = ?", [copy[0]])
                    spans -= 1
                    // Its trace was summarised with the copy: summarise it again.
                    if let traceId = row[0].stringValue { try markForRebuild(traceId) }
                }
            }
        }
    }

    /// Creates the span indexes; returns the error if a unique index found duplicates.
    private func buildSpanIndexes() -> StoreError? {
        for index in Schema.bulkIndexes {
            do {
                try db.execute(index.sql)
            } catch {
                return error
            }
        }
        return nil
    }

    /// SQL selecting the traces marked for rebuild (for `Database.rederive`).
    public static let rebuildSelection = "SELECT trace_id FROM temp.rebuild_traces"

    /// How many traces are marked for rebuild.
    public func tracesToRebuild() throws(StoreError) -> Int64 {
        try db.scalar("SELECT count(*) FROM temp.rebuild_traces").int64Value ?? 0
    }

    /// The rowids of this load's spans (they are appended, so they form one range).
    public var spanRowids: ClosedRange<Int64>? {
        guard let first = firstSpanRowid, let last = lastSpanRowid else { return nil }
        return first...last
    }

    /// Writes the load's row and commits.
    /// - Parameter traces: how many traces the load touched (written or rebuilt).
    public func commit(lines: Int64, traces: Int64) throws -> Summary {
        let durationMs = Date().timeIntervalSince(started) * 1000
        try db.run("""
            UPDATE loads SET status = ?, finished_at = ?, duration_ms = ?, lines = ?, spans = ?, traces = ?,
              log_records = ?, rejected = ?, duplicates = ?, first_span_rowid = ?, last_span_rowid = ? WHERE load_id = ?
            """, [.text(rejected > 0 ? "partial" : "complete"),
                  .text(Timestamp.iso8601(nanoseconds: Int64(Date().timeIntervalSince1970 * 1e9))),
                  .real(durationMs), .integer(lines), .integer(spans), .integer(traces), .integer(logRecords),
                  .integer(rejected), .integer(duplicates), firstSpanRowid.map(SQLValue.integer) ?? .null,
                  lastSpanRowid.map(SQLValue.integer) ?? .null, .integer(loadId)])
        try db.invalidateDimensionValues()
        // The parse's buffers and the index sorts' are freed by now: their pages go back before
        // the rollups are built, so that the load's peak is the larger of the two, not the sum.
        relops_release_free_memory()
        try db.refreshTraceRollup(appendedAfter: rollupBase)
        if rollupBase != nil { try db.execute("PRAGMA recursive_triggers = OFF") }
        if bulk {
            // Sampled statistics for the spans' indexes; whole ones for the traces': sampled,
            // `traces_slices` looked selective on `prompt_version` (1,001 rows a value where a
            // million traces have two), and filters on versions walked it instead of the table.
            try db.execute("PRAGMA analysis_limit = 1000; ANALYZE; PRAGMA analysis_limit = 0; ANALYZE traces")
        }
        try db.execute("COMMIT")
        finished = true
        if bulk { try? db.execute("PRAGMA cache_size = -2000; PRAGMA threads = 0; PRAGMA journal_mode = WAL") }
        return Summary(loadId: loadId, lines: lines, spans: spans, traces: traces, logRecords: logRecords,
                       rejected: rejected, duplicates: duplicates, durationMs: durationMs)
    }

    /// Abandons the load: nothing of it stays.
    public func rollback() {
        guard !finished else { return }
        try? db.execute("ROLLBACK")
        if rollupBase != nil { try? db.execute("PRAGMA recursive_triggers = OFF") }
        finished = true
        if bulk { try? db.execute("PRAGMA cache_size = -2000; PRAGMA threads = 0; PRAGMA journal_mode = WAL") }
    }
}
