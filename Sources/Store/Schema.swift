/// The store's schema and its forward migrations.
///
/// The schema is a public interface (docs/schema.md): scripts outside relops read `spans`,
/// `traces`, `loads` and `rejects` with the sqlite3 CLI. Each migration moves the store from
/// version N-1 to N inside one transaction; `PRAGMA user_version` holds N.
public enum Schema {
    public static let version = 6

    /// Migration N is at index N-1.
    static let migrations: [String] = [
        // 1: spans, traces, loads, rejects, resources, logs, settings.
        """
        CREATE TABLE settings (
            key   TEXT PRIMARY KEY,
            value TEXT
        );
        CREATE TABLE loads (
            load_id      INTEGER PRIMARY KEY,
            path         TEXT NOT NULL,
            sha256       TEXT NOT NULL,
            bytes        INTEGER NOT NULL,
            format       TEXT NOT NULL,
            status       TEXT NOT NULL,
            on_error     TEXT NOT NULL,
            started_at   TEXT NOT NULL,
            finished_at  TEXT NOT NULL,
            duration_ms  REAL NOT NULL,
            lines        INTEGER NOT NULL,
            spans        INTEGER NOT NULL,
            traces       INTEGER NOT NULL,
            log_records  INTEGER NOT NULL,
            rejected     INTEGER NOT NULL,
            duplicates   INTEGER NOT NULL,
            first_span_rowid INTEGER,
            last_span_rowid  INTEGER,
            relops_version TEXT NOT NULL
        );
        CREATE INDEX loads_sha256 ON loads(sha256);
        CREATE TABLE rejects (
            load_id  INTEGER NOT NULL REFERENCES loads(load_id),
            line     INTEGER NOT NULL,
            reason   TEXT NOT NULL,
            raw      TEXT
        );
        CREATE TABLE resources (
            resource_id     INTEGER PRIMARY KEY,
            digest          TEXT NOT NULL UNIQUE,
            service         TEXT,
            service_version TEXT,
            environment     TEXT,
            attrs           TEXT NOT NULL,
            schema_url      TEXT
        );
        CREATE TABLE spans (
            trace_id        TEXT NOT NULL,
            span_id         TEXT NOT NULL,
            parent_span_id  TEXT,
            kind            TEXT NOT NULL,
            name            TEXT NOT NULL,
            start_ns        INTEGER NOT NULL,
            end_ns          INTEGER NOT NULL,
            duration_ms     REAL NOT NULL,
            status          TEXT NOT NULL,
            status_message  TEXT,
            operation       TEXT,
            provider        TEXT,
            request_model   TEXT,
            model           TEXT,
            input_tokens    INTEGER,
            output_tokens   INTEGER,
            cost_usd        REAL,
            finish_reason   TEXT,
            prompt_id       TEXT,
            prompt_version  TEXT,
            prompt_hash     TEXT,
            config_hash     TEXT,
            index_version   TEXT,
            tool_name       TEXT,
            tool_version    TEXT,
            release         TEXT,
            environment     TEXT,
            cohort          TEXT,
            service         TEXT,
            service_version TEXT,
            intent          TEXT,
            user_id         TEXT,
            session_id      TEXT,
            error_type      TEXT,
            retrieval_top_score REAL,
            retrieval_returned  INTEGER,
            safety_flagged  INTEGER,
            feedback        REAL,
            refused         INTEGER,
            http_status     INTEGER,
            attrs           TEXT NOT NULL,
            events          TEXT,
            scope           TEXT,
            resource_id     INTEGER REFERENCES resources(resource_id),
            load_id         INTEGER NOT NULL REFERENCES loads(load_id),
            line            INTEGER NOT NULL
        );
        CREATE TABLE logs (
            trace_id     TEXT,
            span_id      TEXT,
            time_ns      INTEGER,
            event_name   TEXT,
            severity     TEXT,
            body         TEXT,
            attrs        TEXT NOT NULL,
            resource_id  INTEGER REFERENCES resources(resource_id),
            load_id      INTEGER NOT NULL REFERENCES loads(load_id),
            line         INTEGER NOT NULL
        );
        CREATE TABLE traces (
            trace_id        TEXT NOT NULL,
            ts              TEXT NOT NULL,
            start_ns        INTEGER NOT NULL,
            end_ns          INTEGER NOT NULL,
            latency_ms      REAL NOT NULL,
            name            TEXT,
            status          TEXT NOT NULL,
            prompt_id       TEXT,
            prompt_version  TEXT,
            prompt_hash     TEXT,
            model           TEXT,
            provider        TEXT,
            config_hash     TEXT,
            index_version   TEXT,
            tool_version    TEXT,
            release         TEXT,
            environment     TEXT,
            cohort          TEXT,
            service         TEXT,
            service_version TEXT,
            intent          TEXT,
            user_id         TEXT,
            session_id      TEXT,
            finish_reason   TEXT,
            input           TEXT,
            output          TEXT,
            input_hash      TEXT,
            input_tokens    INTEGER NOT NULL,
            output_tokens   INTEGER NOT NULL,
            cost_usd        REAL NOT NULL,
            spans           INTEGER NOT NULL,
            llm_calls       INTEGER NOT NULL,
            tool_calls      INTEGER NOT NULL,
            tool_errors     INTEGER NOT NULL,
            refused         INTEGER NOT NULL,
            safety_flagged  INTEGER NOT NULL,
            error           INTEGER NOT NULL,
            retrieval_top_score REAL,
            retrieval_empty INTEGER,
            feedback        REAL
        );
        """,
        // 2: a covering index for slicing signals by version over time. Queries that read only
        // its columns scan it (~80 bytes a trace) instead of the rows with their texts.
        """
        CREATE INDEX IF NOT EXISTS traces_slices
            ON traces(prompt_version, start_ns, model, intent, cohort, latency_ms, refused, error);
        """,
        // 3: replays. A replayed request is a trace like any other (so queries and `diff` treat
        // it alike), linked to the trace it re-ran (`replay_of`) and to its run (`replay_run`).
        """
        ALTER TABLE spans ADD COLUMN replay_of TEXT;
        ALTER TABLE spans ADD COLUMN replay_run TEXT;
        ALTER TABLE traces ADD COLUMN replay_of TEXT;
        ALTER TABLE traces ADD COLUMN replay_run TEXT;
        CREATE INDEX IF NOT EXISTS traces_replay_of ON traces(replay_of) WHERE replay_of IS NOT NULL;
        CREATE TABLE replay_runs (
            run_id       TEXT PRIMARY KEY,
            load_id      INTEGER NOT NULL REFERENCES loads(load_id),
            runner       TEXT NOT NULL,
            kind         TEXT NOT NULL,
            command      TEXT NOT NULL,
            settings     TEXT NOT NULL,
            started_at   TEXT NOT NULL,
            finished_at  TEXT,
            status       TEXT NOT NULL,
            requested    INTEGER NOT NULL,
            succeeded    INTEGER NOT NULL DEFAULT 0,
            failed       INTEGER NOT NULL DEFAULT 0
        );
        """,
        // 4: the catalog of version values (`versions`, bare values in `between`, completion),
        // derived from `traces`: every write of relops to `traces` empties it, and the next
        // reader rebuilds it in one scan. `settings` key `dimension_values` marks it current.
        """
        CREATE TABLE dimension_values (
            dimension TEXT NOT NULL,
            value     TEXT NOT NULL,
            traces    INTEGER NOT NULL,
            first_ns  INTEGER NOT NULL,
            last_ns   INTEGER NOT NULL,
            PRIMARY KEY (dimension, value)
        ) WITHOUT ROWID;
        """,
        // 5: the weekly human review (docs/review.md). `review_samples` holds every trace a
        // `sample` drew (rotation reads it); `scores` a row per score given — a re-score adds a
        // row, and the latest by `scored_at` is the trace's score for the criterion.
        """
        CREATE TABLE review_samples (
            sample_id     TEXT NOT NULL,
            trace_id      TEXT NOT NULL,
            drawn_at      TEXT NOT NULL,
            stratum       TEXT,
            seed          INTEGER NOT NULL,
            rotation_days INTEGER NOT NULL,
            PRIMARY KEY (sample_id, trace_id)
        );
        CREATE INDEX review_samples_drawn ON review_samples(drawn_at, trace_id);
        CREATE TABLE scores (
            trace_id   TEXT NOT NULL,
            criterion  TEXT NOT NULL,
            value      REAL,
            label      TEXT,
            reviewer   TEXT NOT NULL,
            scored_at  TEXT NOT NULL,
            note       TEXT
        );
        CREATE INDEX scores_latest ON scores(trace_id, criterion, scored_at);
        """,
        // 6: span attributes as shapes (AttributeShapes): the rows move to `span_rows`, whose
        // `attr_values` holds a JSON array of the values and `attr_shape` the key list's id;
        // `spans` becomes a view with the same columns as before, `attrs` put together again.
        // Rows written before keep their whole object in `attr_values` (a null shape).
        """
        ALTER TABLE spans RENAME TO span_rows;
        ALTER TABLE span_rows RENAME COLUMN attrs TO attr_values;
        ALTER TABLE span_rows ADD COLUMN attr_shape INTEGER;
        CREATE TABLE attr_shapes (
            shape_id INTEGER PRIMARY KEY,
            keys     TEXT NOT NULL UNIQUE
        );
        CREATE TABLE attr_shape_keys (
            shape_id INTEGER NOT NULL,
            position INTEGER NOT NULL,
            key      TEXT NOT NULL,
            PRIMARY KEY (shape_id, position)
        ) WITHOUT ROWID;
        CREATE INDEX attr_shape_keys_key ON attr_shape_keys(shape_id, key);
        \(spansView)
        """,
    ]

    /// A span's attribute object from the `span_rows` row `alias`: its shape's keys in their
    /// order with its values, or the object kept whole. `->` keeps each value's text as it was
    /// stored; the subquery's ORDER BY keeps the keys' order (SQLite 3.40 has no ORDER BY
    /// inside an aggregate), and `json` marks its values as JSON again.
    static func attributesSQL(_ alias: String) -> String {
        """
        CASE WHEN \(alias).attr_shape IS NULL THEN \(alias).attr_values ELSE \
        (SELECT json_group_object(key, json(value)) FROM (SELECT k.key, \(alias).attr_values -> ('$[' || k.position || ']') AS value \
        FROM attr_shape_keys AS k WHERE k.shape_id = \(alias).attr_shape ORDER BY k.position)) END
        """
    }

    /// One attribute's value (as `json_extract` gives it) of the row `row` of `spans` or
    /// `span_rows`, without putting the object together: the key's position in the row's
    /// shape, found by the `attr_shape_keys_key` index, picks the value. `path` and `key` are
    /// SQL expressions (bound parameters): the key as a JSON path (`$."key"`) and as text.
    public static func attributeSQL(row: String, path: String, key: String) -> String {
        """
        CASE WHEN \(row)."attr_shape" IS NULL THEN json_extract(\(row)."attr_values", \(path)) \
        ELSE json_extract(\(row)."attr_values", (SELECT '$[' || k.position || ']' FROM attr_shape_keys AS k \
        WHERE k.shape_id = \(row)."attr_shape" AND k.key = \(key))) END
        """
    }

    /// `spans` over `span_rows`: the columns of schema 5 in their order, `attrs` made from the
    /// shape's keys and the values (`->` keeps each value's text as it was stored).
    static let spansView = """
        CREATE VIEW spans AS SELECT
          s.trace_id, s.span_id, s.parent_span_id, s.kind, s.name, s.start_ns, s.end_ns,
          s.duration_ms, s.status, s.status_message, s.operation, s.provider, s.request_model,
          s.model, s.input_tokens, s.output_tokens, s.cost_usd, s.finish_reason, s.prompt_id,
          s.prompt_version, s.prompt_hash, s.config_hash, s.index_version, s.tool_name,
          s.tool_version, s.release, s.environment, s.cohort, s.service, s.service_version,
          s.intent, s.user_id, s.session_id, s.error_type, s.retrieval_top_score,
          s.retrieval_returned, s.safety_flagged, s.feedback, s.refused, s.http_status,
          \(attributesSQL("s")) AS attrs,
          s.events, s.scope, s.resource_id, s.load_id, s.line, s.replay_of, s.replay_run,
          s.attr_shape, s.attr_values
        FROM span_rows AS s;
        """

    /// Indexes that a bulk load may drop and rebuild (building them after the rows is far
    /// faster than maintaining them row by row).
    public static let bulkIndexes: [(name: String, sql: String)] = [
        ("spans_ids", "CREATE UNIQUE INDEX IF NOT EXISTS spans_ids ON span_rows(trace_id, span_id)"),
        ("traces_id", "CREATE UNIQUE INDEX IF NOT EXISTS traces_id ON traces(trace_id)"),
        ("traces_ts", "CREATE INDEX IF NOT EXISTS traces_ts ON traces(start_ns)"),
        ("traces_input_hash", "CREATE INDEX IF NOT EXISTS traces_input_hash ON traces(input_hash)"),
        ("logs_ids", "CREATE INDEX IF NOT EXISTS logs_ids ON logs(trace_id, span_id)"),
        ("traces_slices", "CREATE INDEX IF NOT EXISTS traces_slices ON traces(prompt_version, start_ns, model, intent, cohort, latency_ms, refused, error)"),
    ]

    /// Refuses a store from a newer relops, or someone else's SQLite file (tables but no
    /// relops schema version), before anything is written to it.
    static func checkOwnership(_ db: Database) throws(StoreError) {
        let current = Int(try db.scalar("PRAGMA user_version").int64Value ?? 0)
        if current > version {
            throw StoreError(kind: .newerSchema(found: current, supported: version), message: "")
        }
        if current == 0 {
            let tables = try db.scalar("SELECT count(*) FROM sqlite_master").int64Value ?? 0
            if tables > 0 {
                throw StoreError(kind: .notADatabase, message: "a SQLite file without a relops schema")
            }
        }
    }

    static func migrate(_ db: Database, readOnly: Bool) throws(StoreError) {
        let current = Int(try db.scalar("PRAGMA user_version").int64Value ?? 0)
        guard current < version else { return }
        if readOnly {
            throw StoreError(kind: .readOnly, message: "the store needs a schema upgrade (\(current) → \(version)) and is opened read-only")
        }
        for target in (current + 1)...version {
            try db.execute("BEGIN IMMEDIATE")
            do {
                try db.execute(migrations[target - 1])
                // A new store gets the bulk indexes with its last migration (they name the
                // tables as the current schema has them).
                if current == 0 && target == version {
                    for index in bulkIndexes { try db.execute(index.sql) }
                }
                try db.execute("PRAGMA user_version = \(target)")
                try db.execute("COMMIT")
            } catch {
                try? db.execute("ROLLBACK")
                throw error
            }
        }
    }
}
