import Foundation

/// Writes one replay run: its `loads` and `replay_runs` rows first, then each batch of
/// results in a transaction of its own, so a runner that fails half-way, a Ctrl-C or a crash
/// keeps every result recorded until then (docs/replay.md).
public final class ReplayWriter {
    public struct Run: Sendable {
        public var runId: String
        public var runner: String
        public var kind: String
        /// The command line that started the run.
        public var command: String
        /// The `set DIM=VALUE` values, as a JSON object.
        public var settings: String
        public var requested: Int

        public init(runId: String, runner: String, kind: String, command: String, settings: String, requested: Int) {
            self.runId = runId
            self.runner = runner
            self.kind = kind
            self.command = command
            self.settings = settings
            self.requested = requested
        }
    }

    let db: Database
    public let run: Run
    public let loadId: Int64
    let started = Date()
    private let insertSpan: Statement
    private let insertTrace: Statement
    private let shapes: AttributeShapes
    public private(set) var succeeded = 0
    public private(set) var failed = 0
    private var firstSpanRowid: Int64?
    private var lastSpanRowid: Int64?

    public init(database: Database, run: Run) throws(StoreError) {
        guard !database.isReadOnly else {
            throw StoreError(kind: .readOnly, message: "cannot record a replay run into it", path: database.path)
        }
        db = database
        self.run = run
        let now = Timestamp.iso8601(nanoseconds: Int64(started.timeIntervalSince1970 * 1e9))
        try db.execute("BEGIN IMMEDIATE")
        do {
            try db.run("""
                INSERT INTO loads (path, sha256, bytes, format, status, on_error, started_at, finished_at,
                  duration_ms, lines, spans, traces, log_records, rejected, duplicates, relops_version)
                VALUES (?, ?, 0, 'replay', 'running', 'keep', ?, '', 0, 0, 0, 0, 0, 0, 0, ?)
                """, [.text("replay:\(run.runner)"), .text(run.runId), .text(now), .text(StoreInfo.relopsVersion)])
            loadId = db.lastInsertRowID
            try db.run("""
                INSERT INTO replay_runs (run_id, load_id, runner, kind, command, settings, started_at, status, requested)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?)
                """, [.text(run.runId), .integer(loadId), .text(run.runner), .text(run.kind), .text(run.command),
                      .text(run.settings), .text(now), .integer(Int64(run.requested))])
            try db.execute("COMMIT")
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
        insertSpan = try db.prepare(SpanRecord.insertSQL(orIgnore: false))
        shapes = try AttributeShapes(database: db)
        insertTrace = try db.prepare(TraceRecord.insertSQL)
    }

    /// Records a batch of results (each its spans and its trace row) in one transaction.
    public func append(_ results: [(spans: [SpanRecord], trace: TraceRecord, ok: Bool)]) throws(StoreError) {
        guard !results.isEmpty else { return }
        try db.execute("BEGIN IMMEDIATE")
        do {
            var ok = 0, bad = 0
            for result in results {
                for span in result.spans {
                    try span.bind(to: insertSpan, resourceId: nil, loadId: loadId, shapes: shapes)
                    try insertSpan.run()
                    let rowid = db.lastInsertRowID
                    if firstSpanRowid == nil { firstSpanRowid = rowid }
                    lastSpanRowid = rowid
                }
                result.trace.bind(to: insertTrace)
                try insertTrace.run()
                if result.ok { ok += 1 } else { bad += 1 }
            }
            try updateCounts(succeeded: succeeded + ok, failed: failed + bad, status: "running")
            try db.invalidateDimensionValues()
            try db.invalidateTraceRollup()
            try db.execute("COMMIT")
            succeeded += ok
            failed += bad
        } catch {
            try? db.execute("ROLLBACK")
            try? shapes.forget()
            throw error
        }
    }

    /// Closes the run: `complete`, `partial` (some calls failed) or `interrupted`.
    public func finish(interrupted: Bool) throws(StoreError) {
        let status = interrupted ? "interrupted" : failed > 0 ? "partial" : "complete"
        try updateCounts(succeeded: succeeded, failed: failed, status: status)
    }

    private func updateCounts(succeeded: Int, failed: Int, status: String) throws(StoreError) {
        let now = Timestamp.iso8601(nanoseconds: Int64(Date().timeIntervalSince1970 * 1e9))
        let total = Int64(succeeded + failed)
        try db.run("""
            UPDATE loads SET status = ?, finished_at = ?, duration_ms = ?, lines = ?, spans = ?, traces = ?, rejected = 0,
              first_span_rowid = ?, last_span_rowid = ? WHERE load_id = ?
            """, [.text(status == "running" ? "loading" : status), .text(now), .real(Date().timeIntervalSince(started) * 1000),
                  .integer(total), .integer(total), .integer(total),
                  firstSpanRowid.map(SQLValue.integer) ?? .null, lastSpanRowid.map(SQLValue.integer) ?? .null, .integer(loadId)])
        try db.run("UPDATE replay_runs SET status = ?, finished_at = ?, succeeded = ?, failed = ? WHERE run_id = ?",
                   [.text(status), .text(now), .integer(Int64(succeeded)), .integer(Int64(failed)), .text(run.runId)])
    }
}
