import Foundation
import Testing
@testable import Store

@Suite struct SchemaTests {
    func temporaryPath(_ name: String = #function) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relops-store-\(getpid())-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("store.db").path
    }

    @Test func aNewStoreHasTheDocumentedTablesAndVersion() throws {
        let db = try Database(path: temporaryPath())
        #expect(try db.scalar("PRAGMA user_version").int64Value == Int64(Schema.version))
        #expect(try db.scalar("PRAGMA journal_mode") == .text("wal"))
        let tables = try db.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").rows.compactMap { $0[0].stringValue }
        for name in ["attr_shape_keys", "attr_shapes", "dimension_values", "loads", "logs", "rejects", "replay_runs", "resources",
                     "review_samples", "scores", "settings", "span_rows", "traces"] {
            #expect(tables.contains(name), "table \(name)")
        }
        let views = try db.query("SELECT name FROM sqlite_master WHERE type = 'view'").rows.compactMap { $0[0].stringValue }
        #expect(views == ["spans"])
        // The fixed trace columns of DESIGN.md's vocabulary.
        let columns = Set(try db.query("SELECT name FROM pragma_table_info('traces')").rows.compactMap { $0[0].stringValue })
        for column in ["trace_id", "ts", "latency_ms", "model", "prompt_id", "prompt_version", "prompt_hash", "provider",
                       "config_hash", "index_version", "tool_version", "release", "environment", "cohort", "service_version",
                       "intent", "input", "output", "input_hash", "input_tokens", "output_tokens", "cost_usd", "refused",
                       "safety_flagged", "tool_errors", "error", "retrieval_top_score", "retrieval_empty", "feedback"] {
            #expect(columns.contains(column), "traces.\(column)")
        }
    }

    @Test func reopeningKeepsDataAndMigratesNothing() throws {
        let path = temporaryPath()
        do {
            let db = try Database(path: path)
            try db.run("INSERT INTO settings (key, value) VALUES ('k', 'v')")
        }
        let again = try Database(path: path)
        #expect(try again.scalar("SELECT value FROM settings WHERE key = 'k'") == .text("v"))
    }

    /// A version-1 store, made by migration 1 alone as relops 0.1 made it, opens as the current
    /// version with its rows intact: `traces_slices` (2), the replay columns and `replay_runs` (3).
    @Test func aVersionOneStoreMigratesForward() throws {
        let path = temporaryPath()
        do {
            let v1 = try Database(path: path, migrate: false)
            try v1.execute(Schema.migrations[0])
            for index in Schema.bulkIndexes where index.name != "traces_slices" { try v1.execute(Self.beforeVersion6(index.sql)) }
            try v1.execute("PRAGMA user_version = 1")
            try v1.run("INSERT INTO settings (key, value) VALUES ('kept', 'yes')")
            try v1.run("""
                INSERT INTO traces (trace_id, ts, start_ns, end_ns, latency_ms, status, input_tokens, output_tokens, cost_usd,
                  spans, llm_calls, tool_calls, tool_errors, refused, safety_flagged, error)
                VALUES ('t1', '2026-11-01T00:00:00Z', 0, 1000000, 1, 'ok', 1, 2, 0.5, 1, 1, 0, 0, 0, 0, 0)
                """)
        }
        let db = try Database(path: path)
        #expect(try db.scalar("PRAGMA user_version") == .integer(Int64(Schema.version)))
        #expect(try db.scalar("SELECT count(*) FROM sqlite_master WHERE name IN ('traces_slices', 'replay_runs', 'traces_replay_of')") == .integer(3))
        #expect(try db.scalar("SELECT count(*) FROM sqlite_master WHERE name IN ('review_samples', 'scores', 'scores_latest', 'review_samples_drawn')") == .integer(4))
        #expect(try db.scalar("SELECT value FROM settings WHERE key = 'kept'") == .text("yes"))
        #expect(try db.scalar("SELECT output_tokens FROM traces WHERE trace_id = 't1' AND replay_of IS NULL") == .integer(2))
        for table in ["span_rows", "traces"] {
            let columns = try db.query("SELECT name FROM pragma_table_info(?)", [.text(table)]).rows.compactMap { $0[0].stringValue }
            #expect(columns.contains("replay_of") && columns.contains("replay_run"), "\(table)")
        }
        // The spans view keeps the columns of schema 5 in their order, how attrs is stored after them.
        let view = try db.query("SELECT name FROM pragma_table_info('spans')").rows.compactMap { $0[0].stringValue }
        #expect(view.suffix(10) == ["attrs", "events", "scope", "resource_id", "load_id", "line", "replay_of", "replay_run",
                                    "attr_shape", "attr_values"])
        // An older store opened read-only is not upgraded, and says so.
        try db.execute("PRAGMA user_version = 2")
        #expect {
            _ = try Database(path: path, readOnly: true)
        } throws: { error in
            (error as? StoreError)?.kind == .readOnly
        }
    }

    /// A version-4 store gains the review tables (5); its rows and its current
    /// `dimension_values` catalog are left as they were, and review writes keep the catalog current.
    @Test func aVersionFourStoreGainsTheReviewTables() throws {
        let path = temporaryPath()
        do {
            let v4 = try Database(path: path, migrate: false)
            for migration in Schema.migrations.prefix(4) { try v4.execute(migration) }
            for index in Schema.bulkIndexes { try v4.execute(Self.beforeVersion6(index.sql)) }
            try v4.execute("PRAGMA user_version = 4")
            try v4.run("INSERT INTO settings (key, value) VALUES ('dimension_values', 'current')")
        }
        let db = try Database(path: path)
        #expect(try db.scalar("PRAGMA user_version") == .integer(Int64(Schema.version)))
        let columns = try db.query("SELECT name FROM pragma_table_info('scores') ORDER BY cid").rows.compactMap { $0[0].stringValue }
        #expect(columns == ["trace_id", "criterion", "value", "label", "reviewer", "scored_at", "note"])
        let sampleColumns = try db.query("SELECT name FROM pragma_table_info('review_samples') ORDER BY cid").rows.compactMap { $0[0].stringValue }
        #expect(sampleColumns == ["sample_id", "trace_id", "drawn_at", "stratum", "seed", "rotation_days"])
        try db.recordSample(id: "20261123-1", drawnAt: "2026-11-23T00:00:00.000000Z", seed: 1, rotationDays: 28,
                            traces: [Database.DrawnTrace(traceId: "t1", stratum: nil)])
        try db.recordScores(traceId: "t1", [Database.GivenScore(criterion: "tone", score: .number(2))], reviewer: "dana",
                            scoredAt: "2026-11-23T00:00:00.000000Z", note: nil)
        #expect(try db.scalar("SELECT value FROM settings WHERE key = 'dimension_values'") == .text("current"))
        #expect(try db.nextSampleID(day: "20261123") == "20261123-2")
        #expect(try db.nextSampleID(day: "20261124") == "20261124-1")
        // The same trace twice in one sample is refused, and the transaction leaves nothing.
        #expect(throws: StoreError.self) {
            try db.recordSample(id: "20261123-2", drawnAt: "x", seed: 1, rotationDays: 0,
                                traces: [Database.DrawnTrace(traceId: "t2", stratum: nil), Database.DrawnTrace(traceId: "t2", stratum: nil)])
        }
        #expect(try db.scalar("SELECT count(*) FROM review_samples") == .integer(1))
    }

    /// The bulk indexes as stores before schema 6 had them (the span table was `spans`).
    static func beforeVersion6(_ sql: String) -> String {
        sql.replacingOccurrences(of: " ON span_rows(", with: " ON spans(")
    }

    @Test func aNewerStoreIsRefused() throws {
        let path = temporaryPath()
        do {
            let db = try Database(path: path)
            try db.execute("PRAGMA user_version = \(Schema.version + 1)")
        }
        #expect {
            _ = try Database(path: path)
        } throws: { error in
            (error as? StoreError)?.kind == .newerSchema(found: Schema.version + 1, supported: Schema.version)
        }
    }

    @Test func someoneElsesSQLiteFileIsRefusedAndUntouched() throws {
        let path = temporaryPath()
        do {
            let db = try Database(path: path, migrate: false)
            try db.execute("CREATE TABLE customers (id INTEGER)")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect {
            _ = try Database(path: path)
        } throws: { error in
            (error as? StoreError)?.kind == .notADatabase
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func timestampsRoundTrip() {
        let cases: [(String, Int64?)] = [
            ("2026-11-01T00:01:16.046847Z", 1_793_491_276_046_847_000),
            ("2026-11-01", 1_793_491_200_000_000_000),
            ("2026-11-01T02:01:16+02:00", 1_793_491_276_000_000_000),
            ("2026-11-01 00:01:16Z", 1_793_491_276_000_000_000),
            ("1970-01-01T00:00:00Z", 0),
            ("2026-13-01", nil), ("yesterday", nil), ("2026-11-01T00:01", 1_793_491_260_000_000_000), ("2026-11-01T", nil),
        ]
        for (text, expected) in cases {
            #expect(Timestamp.parse(text) == expected, "\(text)")
        }
        #expect(Timestamp.iso8601(nanoseconds: 1_793_491_276_046_847_000) == "2026-11-01T00:01:16.046847Z")
        #expect(Timestamp.iso8601(nanoseconds: -1_000) == "1969-12-31T23:59:59.999999Z")
    }
}

@Suite struct TimestampRangeTests {
    @Test func outOfRangeYearsAreNotTimestamps() {
        #expect(Timestamp.parse("0001-01-01T00:00:00Z") == nil)
        #expect(Timestamp.parse("9999-12-31T23:59:59Z") == nil)
        #expect(Timestamp.parse("1700-01-01T00:00:00Z") != nil)
        // Printing any Int64 does not trap.
        #expect(Timestamp.iso8601(nanoseconds: .min).hasPrefix("1677-"))
        #expect(Timestamp.iso8601(nanoseconds: .max).hasPrefix("2262-"))
    }
}
