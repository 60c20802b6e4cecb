import CSQLite

/// The trace rollup: `traces` added up per UTC day and combination of slice keys (every version
/// dimension, `intent`, `service`, `status`, `replay_run`), with counts, sums, minima and maxima
/// of every signal and, for the four signals percentiles are asked of most, every value
/// (docs/schema.md, "The trace rollup"). On the 1M-trace corpus that is ~1,500 rows in place
/// of 1,000,000, and `stats` over slice keys and days reads it instead of the traces
/// (docs/query-language.md, "How stats runs").
///
/// It is derived, like the `dimension_values` catalog: a load brings it up to date in its own
/// transaction (merging the traces it appended, or rebuilding it when it replaced some), and so
/// does a re-derivation; any other write of relops to `traces` marks it stale and the next
/// query that could use it rebuilds it (a read-only reader scans the traces instead). It is
/// current only while `traces` has the largest rowid it was built from, and triggers mark it
/// stale when a script outside relops updates or deletes traces.
public enum TraceRollup {
    public static let table = "trace_rollup"
    /// The columns each row is a combination of (besides `day`), named as in `traces`.
    public static let keys = Database.versionDimensions + ["intent", "service", "status", "replay_run"]

    /// A signal the rollup adds up: `NAME_n` (non-null values), `NAME_sum`, `NAME_min`,
    /// `NAME_max`, `NAME_values` when `values` (every value: percentiles stay exact) and
    /// `NAME_true` for a 0/1 signal (the rows where it is true, for `countif`).
    public struct Measure: Sendable {
        public var name: String
        public var values = false
        public var boolean = false
        /// Only `NAME_min` and `NAME_max` (`start_ns`: its sum would overflow).
        public var extremesOnly = false
    }

    public static let measures: [Measure] = [
        Measure(name: "latency_ms", values: true), Measure(name: "cost_usd", values: true),
        Measure(name: "input_tokens", values: true), Measure(name: "output_tokens", values: true),
        Measure(name: "spans"), Measure(name: "llm_calls"), Measure(name: "tool_calls"), Measure(name: "tool_errors"),
        Measure(name: "refused", boolean: true), Measure(name: "safety_flagged", boolean: true),
        Measure(name: "error", boolean: true), Measure(name: "retrieval_empty", boolean: true),
        Measure(name: "retrieval_top_score"), Measure(name: "feedback"),
        // `min(ts)`, `max(ts)`: the first and last trace of a version.
        Measure(name: "start_ns", extremesOnly: true),
    ]

    public static func measure(_ name: String) -> Measure? { measures.first { $0.name == name } }

    /// The settings key whose value, `LAYOUT MAXROWID`, says the rollup is current.
    static let settingsKey = "trace_rollup"
    /// Changes when the table's columns do: an older rollup is rebuilt, not read.
    static let layout = 3
    /// A rollup of more rows than this is not built (`settings` then says `none`): so many
    /// combinations would save little over the scan, and the build holds every row's state
    /// (~6 KB) in memory.
    public static let maxRows = 20_000

    /// The aggregates of one measure, in the order of its columns.
    static func aggregates(of m: Measure) -> [(suffix: String, kind: GroupAggregate)] {
        if m.extremesOnly { return [("min", .min), ("max", .max)] }
        return [("n", .count), ("sum", .sum), ("min", .min), ("max", .max)]
            + (m.values ? [("values", .values)] : []) + (m.boolean ? [("true", .count)] : [])
    }

    /// The table's columns: the values blobs last (latency's first), so that reading the
    /// counts and sums of a row stays on its page instead of following the blobs' overflow pages.
    static var columns: [String] {
        let all = measures.flatMap { m in aggregates(of: m).map { "\(m.name)_\($0.suffix)" } }
        return ["day"] + keys + ["traces"] + all.filter { !$0.hasSuffix("_values") } + all.filter { $0.hasSuffix("_values") }
    }

    static func quote(_ name: String) -> String { "\"" + name + "\"" }

    /// How a column of two rows of the same day and keys adds up.
    enum MergeKind { case key, count, sum, min, max, values }

    /// Each column's `MergeKind`, in `columns` order.
    static var mergeKinds: [MergeKind] {
        let byName = Dictionary(uniqueKeysWithValues: measures.flatMap { m in
            aggregates(of: m).map { a -> (String, MergeKind) in
                let kind: MergeKind
                switch a.kind {
                case .sum: kind = .sum
                case .min: kind = .min
                case .max: kind = .max
                case .values: kind = .values
                default: kind = .count
                }
                return ("\(m.name)_\(a.suffix)", kind)
            }
        })
        return columns.map { byName[$0] ?? ($0 == "traces" ? .count : .key) }
    }

    /// Two rows' values of one column added up as SQL would over their traces; nil when an
    /// integer sum overflows.
    static func merge(_ a: SQLValue, _ b: SQLValue, _ kind: MergeKind) -> SQLValue? {
        if case .null = a { return b }
        if case .null = b { return a }
        switch kind {
        case .key:
            return a
        case .count, .sum:
            if case .integer(let x) = a, case .integer(let y) = b {
                let (total, overflow) = x.addingReportingOverflow(y)
                return overflow ? nil : .integer(total)
            }
            return .real((a.doubleValue ?? 0) + (b.doubleValue ?? 0))
        case .min:
            return GroupAggregateState.compare(b, a) < 0 ? b : a
        case .max:
            return GroupAggregateState.compare(b, a) > 0 ? b : a
        case .values:
            guard case .blob(let x) = a, case .blob(let y) = b else { return nil }
            var values: [Double] = []
            x.withUnsafeBytes { SQLFunctions.appendDoubles(of: $0, to: &values) }
            y.withUnsafeBytes { SQLFunctions.appendDoubles(of: $0, to: &values) }
            values.sort()
            return .blob(SQLFunctions.doublesBlob(values))
        }
    }
}

extension Database {
    /// Whether the rollup answers for `traces` as they are now.
    public func traceRollupIsCurrent() throws(StoreError) -> Bool {
        try traceRollupBase() != nil
    }

    /// The largest rowid of `traces` the rollup was built from, while it is current.
    public func traceRollupBase() throws(StoreError) -> Int64? {
        let state = try traceRollupState()
        guard state.tableExists, state.setting == "\(TraceRollup.layout) \(state.newest)" else { return nil }
        return state.newest
    }

    /// Whether a rollup could be built (it is not marked as too large for the traces as they are).
    public func traceRollupIsWorthBuilding() throws(StoreError) -> Bool {
        let state = try traceRollupState()
        return state.setting != "none \(state.newest)"
    }

    /// The `settings` row of the rollup, `traces`' largest rowid, and whether the table exists.
    private func traceRollupState() throws(StoreError) -> (setting: String?, newest: Int64, tableExists: Bool) {
        let row = try query("""
            SELECT (SELECT value FROM settings WHERE key = ?), (SELECT ifnull(max(rowid), 0) FROM traces),
                   EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?)
            """, [.text(TraceRollup.settingsKey), .text(TraceRollup.table)]).rows.first
        return (row?[0].stringValue, row?[1].int64Value ?? 0, row?[2].int64Value == 1)
    }

    /// Records what the rollup is now: `LAYOUT MAXROWID` when built, `none MAXROWID` when not.
    private func setTraceRollupSetting(_ value: String) throws(StoreError) {
        try run("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [.text(TraceRollup.settingsKey), .text(value)])
    }

    /// A statement inserting one rollup row (every column, in `TraceRollup.columns` order).
    private func prepareTraceRollupInsert() throws(StoreError) -> Statement {
        try prepare("INSERT INTO \(TraceRollup.table) VALUES (" + TraceRollup.columns.map { _ in "?" }.joined(separator: ", ") + ")")
    }

    /// Marks the rollup stale (with the dimension catalog): inside every transaction of relops
    /// that writes `traces` and does not rebuild it.
    public func invalidateTraceRollup() throws(StoreError) {
        try run("DELETE FROM settings WHERE key = ?", [.text(TraceRollup.settingsKey)])
    }

    /// Brings the rollup up to date at the end of a load: when it was current at rowid `base`
    /// and nothing but appends happened since (no trace updated, deleted or replaced: the
    /// triggers would have marked it stale), only the appended traces are added up and merged
    /// into the rows of their day and keys; otherwise it is rebuilt from every trace.
    /// Returns whether it merged (false: rebuilt).
    @discardableResult
    public func refreshTraceRollup(appendedAfter base: Int64?, maxRows: Int = TraceRollup.maxRows) throws -> Bool {
        let state = try traceRollupState()
        guard let base, state.tableExists, state.setting == "\(TraceRollup.layout) \(base)" else {
            try rebuildTraceRollup(maxRows: maxRows)
            return false
        }
        guard state.newest != base else { return true }
        guard let added = try addUpTraces(maxRows: maxRows, afterRowid: base), try mergeIntoTraceRollup(added, maxRows: maxRows) else {
            try rebuildTraceRollup(maxRows: maxRows)
            return false
        }
        try setTraceRollupSetting("\(TraceRollup.layout) \(state.newest)")
        return true
    }

    /// Merges rows added up from new traces into the rollup: a row of the same day and keys
    /// adds them (counts and sums add, extremes compare, values merge in order), another is
    /// inserted. False when that cannot be done exactly (an integer sum overflows) or the
    /// rollup would pass `maxRows`: the caller rebuilds.
    private func mergeIntoTraceRollup(_ added: [[SQLValue]], maxRows: Int) throws -> Bool {
        let columns = TraceRollup.columns
        let keyCount = 1 + TraceRollup.keys.count
        var existing: [BytewiseKey: Int64] = [:]
        let keys = try prepare("SELECT rowid, " + columns.prefix(keyCount).map(TraceRollup.quote).joined(separator: ", ") + " FROM \(TraceRollup.table)")
        while try keys.step() {
            existing[BytewiseKey((1...Int32(keyCount)).map { keys.value(at: $0) })] = keys.int64(at: 0)
        }
        keys.reset()
        let targets = added.map { existing[BytewiseKey(Array($0.prefix(keyCount)))] }
        guard existing.count + targets.filter({ $0 == nil }).count <= maxRows else { return false }
        let kinds = TraceRollup.mergeKinds
        let select = try prepare("SELECT " + columns.map(TraceRollup.quote).joined(separator: ", ") + " FROM \(TraceRollup.table) WHERE rowid = ?")
        let update = try prepare("UPDATE \(TraceRollup.table) SET " + columns.dropFirst(keyCount).map { "\(TraceRollup.quote($0)) = ?" }.joined(separator: ", ")
                                 + " WHERE rowid = ?")
        let insert = try prepareTraceRollupInsert()
        for (row, target) in zip(added, targets) {
            guard let rowid = target else {
                try insert.bind(row)
                try insert.run()
                continue
            }
            select.reset()
            try select.bind([.integer(rowid)])
            guard try select.step() else { return false }
            var merged: [SQLValue] = []
            for i in keyCount..<columns.count {
                guard let value = TraceRollup.merge(select.value(at: Int32(i)), row[i], kinds[i]) else { return false }
                merged.append(value)
            }
            select.reset()
            try update.bind(merged + [.integer(rowid)])
            try update.run()
        }
        return true
    }

    /// Builds the rollup again from one scan of `traces`, inside the caller's transaction (a
    /// load's, a re-derivation's) or, when `ownTransaction`, in one of its own. Returns its rows,
    /// or nil when the traces have more than `maxRows` combinations (none is kept then).
    @discardableResult
    public func rebuildTraceRollup(ownTransaction: Bool = false, maxRows: Int = TraceRollup.maxRows) throws -> Int? {
        if ownTransaction { return try transaction { try rebuildTraceRollup(maxRows: maxRows) } }
        let newest = try traceRollupState().newest
        let groups = try addUpTraces(maxRows: maxRows)
        try execute("DROP TABLE IF EXISTS \(TraceRollup.table)")
        guard let groups else {
            try setTraceRollupSetting("none \(newest)")
            return nil
        }
        try execute("CREATE TABLE \(TraceRollup.table) (" + TraceRollup.columns.map(TraceRollup.quote).joined(separator: ", ") + ")")
        let insert = try prepareTraceRollupInsert()
        for row in groups {
            try insert.bind(row)
            try insert.run()
        }
        // Scripts that change `traces` behind relops' back make the rollup stale (inserts show
        // in the largest rowid). Dropped by a full re-derivation, whose DELETE they would slow.
        try execute("""
            CREATE TRIGGER IF NOT EXISTS trace_rollup_stale_on_update AFTER UPDATE ON traces
            BEGIN DELETE FROM settings WHERE key = '\(TraceRollup.settingsKey)'; END;
            CREATE TRIGGER IF NOT EXISTS trace_rollup_stale_on_delete AFTER DELETE ON traces
            BEGIN DELETE FROM settings WHERE key = '\(TraceRollup.settingsKey)'; END;
            """)
        try setTraceRollupSetting("\(TraceRollup.layout) \(newest)")
        return groups.count
    }

    /// One scan of `traces` added up per day and combination of keys, as the rollup's rows; nil
    /// past `maxRows` combinations or when an integer sum overflows.
    ///
    /// Each key column is read once per row (`KeyCells`: hashed, then compared where SQLite
    /// holds it with the candidate row's key); a key's values are made only for a new row. Each
    /// measure's type is read once for its four or five aggregates.
    private func addUpTraces(maxRows: Int, afterRowid: Int64? = nil) throws(StoreError) -> [[SQLValue]]? {
        let keys = TraceRollup.keys, measures = TraceRollup.measures
        var columns = ["start_ns"] + keys.map(TraceRollup.quote) + measures.map { TraceRollup.quote($0.name) }
        let firstMeasure = Int32(1 + keys.count)
        // `NAME_true` counts `CASE WHEN NAME THEN 1 END`: SQL's truthiness, as `countif` has it.
        var truthColumn: [Int32?] = []
        for m in measures {
            truthColumn.append(m.boolean ? Int32(columns.count) : nil)
            if m.boolean { columns.append("CASE WHEN \(TraceRollup.quote(m.name)) THEN 1 END") }
        }
        // Per measure: the aggregates of its value, then (`true` comes last) its truth's count.
        let kinds = measures.map { TraceRollup.aggregates(of: $0).filter { $0.suffix != "true" }.map(\.kind) }
        let width = 1 + measures.reduce(0) { $0 + TraceRollup.aggregates(of: $1).count }
        let scan = try prepare("SELECT " + columns.joined(separator: ", ") + " FROM traces" + (afterRowid == nil ? "" : " WHERE rowid > ?"))
        if let afterRowid { scan.bind(afterRowid, at: 1) }
        defer { scan.reset() }
        var cells = KeyCells(count: 1 + keys.count)
        var table = GroupTable()
        var rows: [[SQLValue]] = []
        var states: [GroupAggregateState] = []
        while try scan.step() {
            let hash = cells.read(scan)
            let group: Int
            if let found = table.find(hash, where: { cells.equal(rows[$0]) }) {
                group = found
            } else {
                guard rows.count < maxRows else { return nil }
                group = rows.count
                table.insert(hash, group: group)
                rows.append([HashAggregation.day(scan, 0)] + (1...Int32(keys.count)).map { scan.value(at: $0) })
                states.append(contentsOf: repeatElement(GroupAggregateState(), count: width))
            }
            var at = group * width
            states[at].count += 1
            at += 1
            for (m, measureKinds) in kinds.enumerated() {
                let index = firstMeasure + Int32(m)
                let type = sqlite3_column_type(scan.handle, index)
                for kind in measureKinds {
                    states[at].add(kind, scan, index, type)
                    at += 1
                }
                if let truth = truthColumn[m] {
                    states[at].add(.count, scan, truth, sqlite3_column_type(scan.handle, truth))
                    at += 1
                }
            }
        }
        var out: [[SQLValue]] = []
        out.reserveCapacity(rows.count)
        for (g, key) in rows.enumerated() {
            var row = key
            var at = g * width
            row.append(.integer(states[at].count))
            at += 1
            var blobs: [SQLValue] = []
            for m in measures {
                for (suffix, kind) in TraceRollup.aggregates(of: m) {
                    guard let value = states[at].result(kind) else { return nil }
                    if suffix == "values" { blobs.append(value) } else { row.append(value) }
                    at += 1
                }
            }
            out.append(row + blobs)
        }
        return out
    }

    /// Drops the triggers that mark the rollup stale: before a write that replaces every trace
    /// and rebuilds the rollup in the same transaction.
    func dropTraceRollupTriggers() throws(StoreError) {
        try execute("DROP TRIGGER IF EXISTS trace_rollup_stale_on_update; DROP TRIGGER IF EXISTS trace_rollup_stale_on_delete")
    }
}

/// The key columns of the current row of a scan — column 0 an instant read as its UTC day,
/// the rest as stored — read once: a hash of them, then comparisons with groups' keys without
/// making values (the text stays where SQLite holds it until the row is stepped past).
struct KeyCells {
    private var types: [Int32]
    private var integers: [Int64]
    private var texts: [UnsafeRawBufferPointer]
    /// Reals and blobs (no key column of `traces` holds them unless a script wrote them).
    private var others: [SQLValue]

    init(count: Int) {
        types = Array(repeating: SQLITE_NULL, count: count)
        integers = Array(repeating: 0, count: count)
        texts = Array(repeating: UnsafeRawBufferPointer(start: nil, count: 0), count: count)
        others = Array(repeating: .null, count: count)
    }

    /// Reads the row's key columns; returns their hash (type and value of each).
    @inline(__always)
    mutating func read(_ statement: Statement) -> UInt64 {
        let handle = statement.handle
        var h = RowHash()
        for i in types.indices {
            let column = Int32(i)
            var type = sqlite3_column_type(handle, column)
            if i == 0, type != SQLITE_NULL {
                type = SQLITE_INTEGER
                integers[0] = HashAggregation.dayNumber(ofNanoseconds: sqlite3_column_int64(handle, column))
            }
            types[i] = type
            h.mix(UInt64(type))
            switch type {
            case SQLITE_NULL:
                break
            case SQLITE_INTEGER:
                if i > 0 { integers[i] = sqlite3_column_int64(handle, column) }
                h.mix(UInt64(bitPattern: integers[i]))
            case SQLITE_TEXT:
                let base = sqlite3_column_text(handle, column)
                let n = Int(sqlite3_column_bytes(handle, column))
                texts[i] = UnsafeRawBufferPointer(start: base, count: base == nil ? 0 : n)
                h.mix(bytes: texts[i])
            default:
                others[i] = statement.value(at: column)
                h.mix(UInt64(truncatingIfNeeded: others[i].hashValue))
            }
        }
        return h.value
    }

    /// Whether the row read last has `key` (day number first, then the columns' values).
    @inline(__always)
    func equal(_ key: [SQLValue]) -> Bool {
        for i in types.indices {
            switch (types[i], key[i]) {
            case (SQLITE_NULL, .null): continue
            case (SQLITE_INTEGER, .integer(let v)): if integers[i] != v { return false }
            case (SQLITE_TEXT, .text(let v)):
                let bytes = texts[i]
                let same = v.utf8.withContiguousStorageIfAvailable { utf8 in
                    utf8.count == bytes.count && (bytes.isEmpty || memcmp(utf8.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
                } ?? (Array(v.utf8) == Array(bytes))
                if !same { return false }
            case (SQLITE_NULL, _), (SQLITE_INTEGER, _), (SQLITE_TEXT, _): return false
            default: if others[i] != key[i] { return false }
            }
        }
        return true
    }
}
