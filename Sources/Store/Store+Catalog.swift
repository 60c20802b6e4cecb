/// Read-side questions about what is loaded: `sources`, `versions`, the banner.
extension Database {
    /// The version dimensions of DESIGN.md, in the order `versions` lists them.
    public static let versionDimensions = [
        "prompt_id", "prompt_version", "prompt_hash", "model", "provider", "config_hash", "index_version",
        "tool_version", "release", "environment", "cohort", "service_version",
    ]

    /// Every load, oldest first.
    public func sources() throws(StoreError) -> Rows {
        try query("""
            SELECT load_id, path, format, status, lines, spans, traces, log_records, rejected, duplicates,
                   bytes, sha256, started_at AS loaded_at, round(duration_ms) AS duration_ms
            FROM loads ORDER BY load_id
            """)
    }

    /// Every value seen of one version dimension (or of all), with traffic and first/last seen.
    public func versions(of dimension: String?) throws(StoreError) -> Rows {
        let dimensions: [String]
        if let dimension {
            guard Self.versionDimensions.contains(dimension) else {
                throw StoreError(kind: .sqlite, message: "unknown version dimension `\(dimension)`")
            }
            dimensions = [dimension]
        } else {
            dimensions = Self.versionDimensions
        }
        let total = max(1, try scalar("SELECT count(*) FROM traces").int64Value ?? 1)
        var result = Rows(columns: ["dimension", "value", "traces", "share", "first_seen", "last_seen"], rows: [])
        for v in try dimensionValues() where dimensions.contains(v.dimension) {
            result.rows.append([
                .text(v.dimension), .text(v.value), .integer(v.traces),
                .real((Double(v.traces) / Double(total) * 10000).rounded() / 10000),
                .text(Timestamp.iso8601(nanoseconds: v.firstNs)), .text(Timestamp.iso8601(nanoseconds: v.lastNs)),
            ])
        }
        return result
    }

    /// Trace count, time range and number of loads: the shell's banner.
    public func overview() throws(StoreError) -> (traces: Int64, spans: Int64, first: String?, last: String?, loads: Int64) {
        let t = try query("SELECT count(*), min(start_ns), max(start_ns) FROM traces").rows[0]
        let spans = try scalar("SELECT count(*) FROM spans").int64Value ?? 0
        let loads = try scalar("SELECT count(*) FROM loads").int64Value ?? 0
        return (t[0].int64Value ?? 0, spans, t[1].int64Value.map(Timestamp.iso8601), t[2].int64Value.map(Timestamp.iso8601), loads)
    }

    /// The first and last trace start (Unix ns); nil for an empty store. `report` ends its
    /// period at the newest trace's day.
    public func traceTimeRange() throws(StoreError) -> (first: Int64, last: Int64)? {
        let row = try query("SELECT min(start_ns), max(start_ns) FROM traces").rows[0]
        guard let first = row[0].int64Value, let last = row[1].int64Value else { return nil }
        return (first, last)
    }

    /// Every attribute key of the stored spans, sorted: the keys of the attribute shapes, and
    /// those of a sample of the spans kept whole (written before schema 6, or with keys the
    /// shapes do not take): the first 2,000 and the newest 2,000 rows.
    public func attributeKeys() throws(StoreError) -> [String] {
        try query("""
            SELECT key FROM attr_shape_keys
            UNION
            SELECT j.key FROM (
                SELECT attr_values FROM (SELECT attr_values, attr_shape FROM span_rows WHERE rowid <= 2000) WHERE attr_shape IS NULL
                UNION ALL
                SELECT attr_values FROM (SELECT attr_values, attr_shape FROM span_rows ORDER BY rowid DESC LIMIT 2000) WHERE attr_shape IS NULL
            ) s, json_each(s.attr_values) j
            ORDER BY 1
            """).rows.compactMap { $0.first?.stringValue }
    }

    /// The load of a file with this digest, if one is already in the store.
    public func load(withDigest sha256: String) throws(StoreError) -> Int64? {
        try scalar("SELECT load_id FROM loads WHERE sha256 = ? ORDER BY load_id LIMIT 1", [.text(sha256)]).int64Value
    }
}

extension Database {
    /// Tables and views with their columns (`schema`).
    public func schemaColumns(table: String?) throws(StoreError) -> Rows {
        var result = Rows(columns: ["table", "column", "type"], rows: [])
        let tables = try query("""
            SELECT name FROM sqlite_master WHERE type IN ('table','view') AND name NOT LIKE 'sqlite_%'
            AND (?1 IS NULL OR name = ?1) ORDER BY name
            """, [table.map(SQLValue.text) ?? .null])
        if let table, tables.rows.isEmpty {
            throw StoreError(kind: .sqlite, message: "no table or view named `\(table)`")
        }
        for row in tables.rows {
            guard let name = row[0].stringValue else { continue }
            let columns = try query("SELECT name, type FROM pragma_table_info(?)", [.text(name)])
            for column in columns.rows { result.rows.append([.text(name), column[0], column[1]]) }
        }
        return result
    }
}
