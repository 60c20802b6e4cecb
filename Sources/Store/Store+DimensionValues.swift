/// The catalog of version values: every value of every version dimension with its traffic and
/// first and last time seen (table `dimension_values`, docs/schema.md). It answers `versions`,
/// which dimension a bare value in `between v1 and v2` belongs to, and completion, without
/// scanning `traces` each time.
///
/// It is derived: each write of relops to `traces` (a load, a replay batch, a re-derivation)
/// marks it stale in the same transaction, and the next reader rebuilds it from one scan and
/// stores it when the store is writable (a read-only reader computes it for itself).
extension Database {
    public struct DimensionValue: Sendable, Equatable {
        public var dimension: String
        public var value: String
        public var traces: Int64
        public var firstNs: Int64
        public var lastNs: Int64

        public init(dimension: String, value: String, traces: Int64, firstNs: Int64, lastNs: Int64) {
            self.dimension = dimension
            self.value = value
            self.traces = traces
            self.firstNs = firstNs
            self.lastNs = lastNs
        }
    }

    static let catalogKey = "dimension_values"
    /// The number of traces, stored with the catalog: `count(*)` reads a whole index (~0.15 s
    /// of page reads on 1M traces), too slow for the start-up banner.
    static let traceCountKey = "trace_count"

    /// The number of traces when the catalog is current (nil when stale: the caller counts).
    public func catalogTraceCount() throws(StoreError) -> Int64? {
        let row = try query("""
            SELECT (SELECT value FROM settings WHERE key = ?), (SELECT value FROM settings WHERE key = ?)
            """, [.text(Self.catalogKey), .text(Self.traceCountKey)]).rows.first
        guard row?[0].stringValue == "current", let count = row?[1].stringValue.flatMap({ Int64($0) }) else { return nil }
        return count
    }

    /// Every value of every version dimension, in `versionDimensions` order, then by first
    /// seen and value.
    public func dimensionValues() throws(StoreError) -> [DimensionValue] {
        let current = try scalar("SELECT value FROM settings WHERE key = ?", [.text(Self.catalogKey)])
        let values: [DimensionValue]
        if current.stringValue == "current" {
            values = try query("SELECT dimension, value, traces, first_ns, last_ns FROM dimension_values").rows.map {
                DimensionValue(dimension: $0[0].stringValue ?? "", value: $0[1].stringValue ?? "", traces: $0[2].int64Value ?? 0,
                               firstNs: $0[3].int64Value ?? 0, lastNs: $0[4].int64Value ?? 0)
            }
        } else {
            let scan = try scanDimensionValues()
            values = scan.values
            if !isReadOnly { try? storeDimensionValues(values, traces: scan.traces) }
        }
        let order = Dictionary(uniqueKeysWithValues: Self.versionDimensions.enumerated().map { ($1, $0) })
        return values.sorted { a, b in
            if a.dimension != b.dimension { return (order[a.dimension] ?? 0) < (order[b.dimension] ?? 0) }
            if a.firstNs != b.firstNs { return a.firstNs < b.firstNs }
            return a.value.utf8.lexicographicallyPrecedes(b.value.utf8)
        }
    }

    /// Marks the catalog stale: called inside every transaction that writes `traces`.
    public func invalidateDimensionValues() throws(StoreError) {
        try run("DELETE FROM settings WHERE key = ?", [.text(Self.catalogKey)])
    }

    /// One scan of `traces`, adding up each dimension's values in memory.
    private func scanDimensionValues() throws(StoreError) -> (values: [DimensionValue], traces: Int64) {
        let dimensions = Self.versionDimensions
        let select = try prepare("SELECT start_ns, \(dimensions.map { "\"\($0)\"" }.joined(separator: ", ")) FROM traces")
        var found = Array(repeating: [String: (traces: Int64, first: Int64, last: Int64)](), count: dimensions.count)
        var traces: Int64 = 0
        while try select.step() {
            traces += 1
            let ns = select.int64(at: 0) ?? 0
            for i in dimensions.indices {
                guard let value = select.text(at: Int32(i + 1)) else { continue }
                if let old = found[i][value] {
                    found[i][value] = (old.traces + 1, min(old.first, ns), max(old.last, ns))
                } else {
                    found[i][value] = (1, ns, ns)
                }
            }
        }
        let values = dimensions.indices.flatMap { i in
            found[i].map { DimensionValue(dimension: dimensions[i], value: $0.key, traces: $0.value.traces,
                                          firstNs: $0.value.first, lastNs: $0.value.last) }
        }
        return (values, traces)
    }

    private func storeDimensionValues(_ values: [DimensionValue], traces: Int64) throws(StoreError) {
        try execute("BEGIN IMMEDIATE")
        do {
            try execute("DELETE FROM dimension_values")
            let insert = try prepare("INSERT INTO dimension_values (dimension, value, traces, first_ns, last_ns) VALUES (?, ?, ?, ?, ?)")
            for v in values {
                try insert.bind([.text(v.dimension), .text(v.value), .integer(v.traces), .integer(v.firstNs), .integer(v.lastNs)])
                try insert.run()
            }
            try run("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [.text(Self.traceCountKey), .text(String(traces))])
            try run("INSERT OR REPLACE INTO settings (key, value) VALUES (?, 'current')", [.text(Self.catalogKey)])
            try execute("COMMIT")
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}
