import CSQLite

/// A rollup: `traces` added up per combination of key columns, with counts, sums and extremes
/// of the signals, so that `stats` over those keys reads a few thousand rows instead of every
/// trace (docs/schema.md, "The rollups"; docs/query-language.md, "How stats runs"). Two:
///
/// - `daily` (`trace_rollup`): per UTC day and combination of slice keys (every version
///   dimension, `intent`, `service`, `status`, `replay_run`), with counts, sums, minima and
///   maxima of every signal and, for the four signals percentiles are asked of most, every
///   value. ~1,500 rows for the 1M-trace corpus.
/// - `inputs` (`input_rollup`): per normalised input (`input_hash`), combination of slice keys
///   and whether the trace has an output, with sums of the signals and the smallest output:
///   what comparing versions over the same inputs reads (the benchmark's q5). ~130,000 rows.
///
/// Both are derived, like the `dimension_values` catalog: a load brings them up to date in its
/// own transaction (merging the traces it appended, or rebuilding them when it replaced some),
/// and so does a re-derivation; any other write of relops to `traces` marks them stale and the
/// next query that could use one rebuilds it (a read-only reader scans the traces instead). A
/// rollup is current only while `traces` has the largest rowid it was built from, and triggers
/// mark both stale when a script outside relops updates or deletes traces.
public struct TraceRollup: Sendable {
    public let table: String
    /// The columns of `traces` each row holds one value of (besides `day`, `has_output`).
    public let keys: [String]
    /// Whether the first key column is `day`, the UTC day's number of `start_ns`.
    public let byDay: Bool
    /// Whether the last key column is `has_output` (`output IS NOT NULL`).
    public let keepsHasOutput: Bool
    public let measures: [Measure]
    /// Whether the rows are written in the order of the first key, with an index on it: a
    /// `stats … by input_hash` over the input rollup then walks it instead of sorting the rows.
    public let indexedByFirstKey: Bool
    /// The `settings` key whose value, `LAYOUT MAXROWID`, says the rollup is current.
    let settingsKey: String
    /// Changes when the table's columns do: an older rollup is rebuilt, not read.
    let layout: Int
    /// A rollup of more rows than this is not built (`settings` then says `none`): so many
    /// combinations would save little over the scan, and the build holds every row in memory.
    public let maxRows: Int
    /// Nor one whose build would hold more than this many bytes (keys, sums, the smallest
    /// outputs, values): long distinct outputs must not make a load's memory grow with its size.
    public let maxBytes: Int

    /// The slice keys of both rollups, named as in `traces`.
    public static let sliceKeys = Database.versionDimensions + ["intent", "service", "status", "replay_run"]

    /// A signal the rollup adds up, in columns `NAME_n` (non-null values), `NAME_sum`,
    /// `NAME_min`, `NAME_max`, `NAME_values` (every value: percentiles stay exact) and
    /// `NAME_true` (the rows where it is true, for `countif`), those it keeps.
    public struct Measure: Sendable {
        public var name: String
        public var count = true
        public var sum = true
        public var min = true
        public var max = true
        public var values = false
        public var boolean = false
        /// No `NAME_n`: the column is NOT NULL, so its count is the row's `traces`.
        public var countIsTraces = false

        /// Count, sum and extremes, and every value when `values`.
        static func signal(_ name: String, values: Bool = false) -> Measure { Measure(name: name, values: values) }
        /// A 0/1 signal: count, sum, extremes and the count of true.
        static func flag(_ name: String) -> Measure { Measure(name: name, boolean: true) }
        /// Only the extremes (`start_ns`: its sum would overflow).
        static func extremes(_ name: String) -> Measure { Measure(name: name, count: false, sum: false) }
        /// The sum, the count unless the column is NOT NULL (then it is the row's `traces`),
        /// and the count of true for a 0/1 signal.
        static func sums(_ name: String, notNull: Bool, boolean: Bool = false) -> Measure {
            Measure(name: name, count: !notNull, min: false, max: false, boolean: boolean, countIsTraces: notNull)
        }

        /// Whether the rollup has the column `NAME_suffix`.
        public func holds(_ suffix: String) -> Bool {
            switch suffix {
            case "n": return count
            case "sum": return sum
            case "min": return min
            case "max": return max
            case "values": return values
            case "true": return boolean
            default: return false
            }
        }
    }

    public static let daily = TraceRollup(
        table: "trace_rollup", keys: sliceKeys, byDay: true, keepsHasOutput: false,
        measures: [
            .signal("latency_ms", values: true), .signal("cost_usd", values: true),
            .signal("input_tokens", values: true), .signal("output_tokens", values: true),
            .signal("spans"), .signal("llm_calls"), .signal("tool_calls"), .signal("tool_errors"),
            .flag("refused"), .flag("safety_flagged"), .flag("error"), .flag("retrieval_empty"),
            .signal("retrieval_top_score"), .signal("feedback"),
            // `min(ts)`, `max(ts)`: the first and last trace of a version.
            .extremes("start_ns"),
        ],
        indexedByFirstKey: false, settingsKey: "trace_rollup", layout: 3, maxRows: 20_000,
        maxBytes: 256 << 20)

    public static let inputs = TraceRollup(
        table: "input_rollup", keys: ["input_hash"] + sliceKeys, byDay: false, keepsHasOutput: true,
        measures: [
            .sums("latency_ms", notNull: true), .sums("cost_usd", notNull: true),
            .sums("input_tokens", notNull: true), .sums("output_tokens", notNull: true),
            .sums("tool_errors", notNull: true),
            .sums("refused", notNull: true, boolean: true), .sums("safety_flagged", notNull: true, boolean: true),
            .sums("error", notNull: true, boolean: true), .sums("retrieval_empty", notNull: false, boolean: true),
            .sums("retrieval_top_score", notNull: false), .sums("feedback", notNull: false),
            // The smallest output (`min(output)`, the representative one of a version's).
            Measure(name: "output", count: false, sum: false, max: false),
        ],
        indexedByFirstKey: true, settingsKey: "input_rollup", layout: 1, maxRows: 250_000,
        maxBytes: 128 << 20)

    /// Every rollup, in the order a query tries them (the smaller first).
    public static let all = [daily, inputs]

    /// SQL deleting every rollup's `settings` row: marks them all stale.
    static let markAllStaleSQL = "DELETE FROM settings WHERE key IN (" + all.map { "'\($0.settingsKey)'" }.joined(separator: ", ") + ")"

    public func measure(_ name: String) -> Measure? { measures.first { $0.name == name } }

    /// The key columns: the table's name and what the scan of `traces` reads for it.
    public var keyColumns: [(name: String, scan: String)] {
        (byDay ? [("day", Self.quote("start_ns"))] : []) + keys.map { ($0, Self.quote($0)) }
            + (keepsHasOutput ? [("has_output", "\(Self.quote("output")) IS NOT NULL")] : [])
    }

    /// The aggregates of one measure, in the order of its columns.
    static func aggregates(of m: Measure) -> [(suffix: String, kind: GroupAggregate)] {
        [("n", .count), ("sum", .sum), ("min", .min), ("max", .max), ("values", .values), ("true", .count)]
            .filter { m.holds($0.0) }
    }

    /// The table's columns: the keys, `traces`, the measures', the values blobs last (latency's
    /// first), so that reading the counts and sums of a row stays on its page instead of
    /// following the blobs' overflow pages.
    var columns: [String] {
        let all = measures.flatMap { m in Self.aggregates(of: m).map { "\(m.name)_\($0.suffix)" } }
        return keyColumns.map(\.name) + ["traces"] + all.filter { !$0.hasSuffix("_values") } + all.filter { $0.hasSuffix("_values") }
    }

    static func quote(_ name: String) -> String { "\"" + name + "\"" }

    /// How a column of two rows of the same keys adds up.
    enum MergeKind { case key, count, sum, min, max, values }

    /// Each column's `MergeKind`, in `columns` order.
    var mergeKinds: [MergeKind] {
        let byName = Dictionary(uniqueKeysWithValues: measures.flatMap { m in
            Self.aggregates(of: m).map { a -> (String, MergeKind) in
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
    /// Whether `rollup` answers for `traces` as they are now.
    public func traceRollupIsCurrent(_ rollup: TraceRollup = .daily) throws(StoreError) -> Bool {
        try traceRollupBase(rollup) != nil
    }

    /// The largest rowid of `traces` the rollup was built from, while it is current.
    public func traceRollupBase(_ rollup: TraceRollup = .daily) throws(StoreError) -> Int64? {
        let state = try traceRollupState(rollup)
        guard state.tableExists, state.setting == "\(rollup.layout) \(state.newest)" else { return nil }
        return state.newest
    }

    /// The largest rowid of `traces` when some rollup is current (a load then merges what it
    /// appends into the rollups current at that rowid), else nil.
    public func currentTraceRollupsBase() throws(StoreError) -> Int64? {
        for rollup in TraceRollup.all {
            if let base = try traceRollupBase(rollup) { return base }
        }
        return nil
    }

    /// Whether a rollup could be built (it is not marked as too large for the traces as they are).
    public func traceRollupIsWorthBuilding(_ rollup: TraceRollup = .daily) throws(StoreError) -> Bool {
        let state = try traceRollupState(rollup)
        return state.setting != "none \(state.newest)"
    }

    /// The `settings` row of the rollup, `traces`' largest rowid, and whether the table exists.
    private func traceRollupState(_ rollup: TraceRollup) throws(StoreError) -> (setting: String?, newest: Int64, tableExists: Bool) {
        let row = try query("""
            SELECT (SELECT value FROM settings WHERE key = ?), (SELECT ifnull(max(rowid), 0) FROM traces),
                   EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?)
            """, [.text(rollup.settingsKey), .text(rollup.table)]).rows.first
        return (row?[0].stringValue, row?[1].int64Value ?? 0, row?[2].int64Value == 1)
    }

    /// Records what the rollup is now: `LAYOUT MAXROWID` when built, `none MAXROWID` when not.
    private func setTraceRollupSetting(_ rollup: TraceRollup, _ value: String) throws(StoreError) {
        try run("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [.text(rollup.settingsKey), .text(value)])
    }

    /// A statement inserting one rollup row (every column, in `columns` order).
    private func prepareTraceRollupInsert(_ rollup: TraceRollup) throws(StoreError) -> Statement {
        try prepare("INSERT INTO \(rollup.table) VALUES (" + rollup.columns.map { _ in "?" }.joined(separator: ", ") + ")")
    }

    /// Marks every rollup stale (with the dimension catalog): inside every transaction of relops
    /// that writes `traces` and does not rebuild them.
    public func invalidateTraceRollup() throws(StoreError) {
        try execute(TraceRollup.markAllStaleSQL)
    }

    /// Brings every rollup up to date at the end of a load: one that was current at rowid
    /// `base` (`currentTraceRollupsBase` when the load began), with nothing but appends since
    /// (no trace updated, deleted or replaced: the triggers would have marked it stale), has
    /// only the appended traces added up and merged into the rows of their keys; the others
    /// are rebuilt from every trace, in one scan. Returns whether every rollup merged.
    @discardableResult
    public func refreshTraceRollup(appendedAfter base: Int64?, maxRows: Int? = nil) throws -> Bool {
        var stale: [TraceRollup] = [], current: [TraceRollup] = []
        var newest: Int64 = 0
        for rollup in TraceRollup.all {
            let state = try traceRollupState(rollup)
            newest = state.newest
            if let base, state.tableExists, state.setting == "\(rollup.layout) \(base)" { current.append(rollup) } else { stale.append(rollup) }
        }
        if let base, !current.isEmpty, newest != base {
            var added = current.map { _ in [[SQLValue]]() }
            let done = try addUpTraces(current, limits: current.map { (maxRows ?? $0.maxRows, $0.maxBytes) }, afterRowid: base,
                                       emit: current.indices.map { i in { added[i].append($0) } })
            for (i, rollup) in current.enumerated() {
                if try done[i] && mergeIntoTraceRollup(rollup, added[i], maxRows: maxRows ?? rollup.maxRows) {
                    try setTraceRollupSetting(rollup, "\(rollup.layout) \(newest)")
                } else {
                    stale.append(rollup)
                }
            }
        }
        if !stale.isEmpty { try rebuildRollups(stale, maxRows: maxRows, maxBytes: nil) }
        return stale.isEmpty
    }

    /// Merges rows added up from new traces into the rollup: a row of the same keys adds them
    /// (counts and sums add, extremes compare, values merge in order), another is inserted.
    /// False when that cannot be done exactly (an integer sum overflows) or the rollup would
    /// pass `maxRows`: the caller rebuilds.
    ///
    /// Each added row's row in the rollup is found through the rollup's index on its first key
    /// when it has one (the input rollup: a few look-ups per added row, not a read of its
    /// 130,000 keys); the daily rollup's few rows are read into a map.
    private func mergeIntoTraceRollup(_ rollup: TraceRollup, _ added: [[SQLValue]], maxRows: Int) throws -> Bool {
        let columns = rollup.columns
        let keyCount = rollup.keyColumns.count
        let keyList = columns.prefix(keyCount).map(TraceRollup.quote).joined(separator: ", ")
        func key(_ statement: Statement) -> BytewiseKey { BytewiseKey((1...Int32(keyCount)).map { statement.value(at: $0) }) }
        let targets: [Int64?]
        let existingCount: Int
        if rollup.indexedByFirstKey {
            let find = try prepare("SELECT rowid, \(keyList) FROM \(rollup.table) WHERE \(TraceRollup.quote(columns[0])) IS ?")
            var found: [Int64?] = []
            for row in added {
                find.reset()
                try find.bind([row[0]])
                let wanted = BytewiseKey(Array(row.prefix(keyCount)))
                var target: Int64?
                while target == nil, try find.step() {
                    if key(find) == wanted { target = find.int64(at: 0) }
                }
                found.append(target)
            }
            find.reset()
            targets = found
            existingCount = Int(try scalar("SELECT count(*) FROM \(rollup.table)").int64Value ?? 0)
        } else {
            var existing: [BytewiseKey: Int64] = [:]
            let keys = try prepare("SELECT rowid, \(keyList) FROM \(rollup.table)")
            while try keys.step() { existing[key(keys)] = keys.int64(at: 0) }
            keys.reset()
            targets = added.map { existing[BytewiseKey(Array($0.prefix(keyCount)))] }
            existingCount = existing.count
        }
        guard existingCount + targets.filter({ $0 == nil }).count <= maxRows else { return false }
        let kinds = rollup.mergeKinds
        let select = try prepare("SELECT " + columns.map(TraceRollup.quote).joined(separator: ", ") + " FROM \(rollup.table) WHERE rowid = ?")
        let update = try prepare("UPDATE \(rollup.table) SET " + columns.dropFirst(keyCount).map { "\(TraceRollup.quote($0)) = ?" }.joined(separator: ", ")
                                 + " WHERE rowid = ?")
        let insert = try prepareTraceRollupInsert(rollup)
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

    /// Builds every rollup again from one scan of the traces, inside the caller's transaction
    /// (a load's, a re-derivation's) or, when `ownTransaction`, in one of its own. Returns the
    /// daily rollup's rows, or nil when the traces have more than its `maxRows` combinations.
    /// `maxRows` and `maxBytes` replace every rollup's own limits (for tests).
    @discardableResult
    public func rebuildTraceRollup(ownTransaction: Bool = false, maxRows: Int? = nil, maxBytes: Int? = nil) throws -> Int? {
        if ownTransaction { return try transaction { try rebuildTraceRollup(maxRows: maxRows, maxBytes: maxBytes) } }
        return try rebuildRollups(TraceRollup.all, maxRows: maxRows, maxBytes: maxBytes)[0]
    }

    /// Builds one rollup again from one scan of `traces`. Returns its rows, or nil when the
    /// traces have more than `maxRows` combinations (none is kept then).
    @discardableResult
    public func rebuildRollup(_ rollup: TraceRollup, ownTransaction: Bool = false, maxRows: Int? = nil) throws -> Int? {
        if ownTransaction { return try transaction { try rebuildRollup(rollup, maxRows: maxRows) } }
        return try rebuildRollups([rollup], maxRows: maxRows, maxBytes: nil)[0]
    }

    /// Builds rollups again from one scan of `traces`, in the caller's transaction: each one's
    /// rows, or nil for one whose traces have more than `maxRows` combinations (or an integer
    /// sum that overflows; none is kept then).
    @discardableResult
    private func rebuildRollups(_ rollups: [TraceRollup], maxRows: Int?, maxBytes: Int?) throws -> [Int?] {
        let newest = try traceRollupState(rollups[0]).newest
        var inserts: [Statement] = []
        for rollup in rollups {
            try execute("DROP TABLE IF EXISTS \(rollup.table)")
            try execute("CREATE TABLE \(rollup.table) (" + rollup.columns.map(TraceRollup.quote).joined(separator: ", ") + ")")
            inserts.append(try prepareTraceRollupInsert(rollup))
        }
        var rows = rollups.map { _ in 0 }
        // The rows go in as they are made (none is held twice); past `maxRows` or on an
        // overflowing sum the table goes again.
        let done = try addUpTraces(rollups, limits: rollups.map { (maxRows ?? $0.maxRows, maxBytes ?? $0.maxBytes) }, emit: rollups.indices.map { i in { row in
            try inserts[i].bind(row)
            try inserts[i].run()
            rows[i] += 1
        } })
        var out: [Int?] = []
        for (i, rollup) in rollups.enumerated() {
            guard done[i] else {
                try execute("DROP TABLE \(rollup.table)")
                try setTraceRollupSetting(rollup, "none \(newest)")
                out.append(nil)
                continue
            }
            if rollup.indexedByFirstKey {
                let key = rollup.keyColumns[0].name
                try execute("CREATE INDEX \(rollup.table)_\(key) ON \(rollup.table)(\(TraceRollup.quote(key)))")
            }
            try setTraceRollupSetting(rollup, "\(rollup.layout) \(newest)")
            out.append(rows[i])
        }
        // Scripts that change `traces` behind relops' back make the rollups stale (inserts show
        // in the largest rowid). Dropped by a full re-derivation, whose DELETE they would slow;
        // made again here, so that a store whose triggers knew fewer rollups gets these.
        let stale = TraceRollup.markAllStaleSQL
        try dropTraceRollupTriggers()
        try execute("""
            CREATE TRIGGER trace_rollup_stale_on_update AFTER UPDATE ON traces BEGIN \(stale); END;
            CREATE TRIGGER trace_rollup_stale_on_delete AFTER DELETE ON traces BEGIN \(stale); END;
            """)
        return out
    }

    /// One scan of `traces` added up per combination of each rollup's keys, each one's rows
    /// given to its `emit` once the scan is done. For each rollup, false past its limits of
    /// rows or bytes held (before any row is emitted) or when an integer sum overflows (maybe
    /// after some); the others go on.
    ///
    /// The scan reads each column the rollups share once. Each key column is read once per row
    /// and rollup (`KeyCells`: hashed, then compared where SQLite holds it with the candidate
    /// row's key, encoded in a `KeyStore`); a key is stored only for a new row. Each measure's
    /// type is read once a row, and its aggregates add up column by column (`RollupSums`: a
    /// few bytes a row and aggregate).
    private func addUpTraces(_ rollups: [TraceRollup], limits: [(rows: Int, bytes: Int)], afterRowid: Int64? = nil,
                             emit: [([SQLValue]) throws -> Void]) throws -> [Bool] {
        var columns: [String] = []
        func column(_ sql: String) -> Int32 {
            if let i = columns.firstIndex(of: sql) { return Int32(i) }
            columns.append(sql)
            return Int32(columns.count - 1)
        }
        var builds = rollups.map { rollup -> RollupBuild in
            let keys = rollup.keyColumns.map { column($0.scan) }
            let measures = rollup.measures.map { column(TraceRollup.quote($0.name)) }
            // `NAME_true` counts `CASE WHEN NAME THEN 1 END`: SQL's truthiness, as `countif` has it.
            let truths = rollup.measures.map { $0.boolean ? column("CASE WHEN \(TraceRollup.quote($0.name)) THEN 1 END") : nil }
            return RollupBuild(rollup: rollup, keyColumns: keys, measureColumns: measures, truthColumns: truths)
        }
        let scan = try prepare("SELECT " + columns.joined(separator: ", ") + " FROM traces" + (afterRowid == nil ? "" : " WHERE rowid > ?"))
        if let afterRowid { scan.bind(afterRowid, at: 1) }
        defer { scan.reset() }
        var row = RowCells(columns: columns.count, keyColumns: Array(Set(builds.flatMap(\.keyColumns))).sorted(),
                           numberColumns: Array(Set(builds.flatMap(\.measureColumns))).sorted())
        while try scan.step() {
            row.read(scan)
            for b in builds.indices where !builds[b].failed {
                builds[b].add(scan, row, limits: limits[b])
            }
        }
        var done: [Bool] = []
        for (b, build) in builds.enumerated() {
            done.append(try !build.failed && build.emit(emit[b]))
        }
        return done
    }

    /// Drops the triggers that mark the rollups stale: before a write that replaces every trace
    /// and rebuilds the rollups in the same transaction.
    func dropTraceRollupTriggers() throws(StoreError) {
        try execute("DROP TRIGGER IF EXISTS trace_rollup_stale_on_update; DROP TRIGGER IF EXISTS trace_rollup_stale_on_delete")
    }
}

/// One rollup while a scan of `traces` adds it up: its groups' keys and aggregates, and which
/// of the scan's columns it reads.
struct RollupBuild {
    let rollup: TraceRollup
    /// The scan's column of each key.
    let keyColumns: [Int32]
    /// The scan's columns of the measures (their numbers are read once a row, `RowCells`).
    let measureColumns: [Int32]
    /// The scan column each aggregate reads, in the rollup's column order (a measure's value,
    /// or its truth for `NAME_true`).
    private let inputs: [Int32]
    private var cells: KeyCells
    private var table = GroupTable()
    private var keys = KeyStore()
    private var sums: RollupSums
    /// Set past `maxRows` groups or `maxBytes` held: the rollup is not kept.
    private(set) var failed = false

    /// `measureColumns` and `truthColumns`: the scan's column of each measure and of its truth
    /// (`CASE WHEN … THEN 1 END`, for a 0/1 signal).
    init(rollup: TraceRollup, keyColumns: [Int32], measureColumns: [Int32], truthColumns: [Int32?]) {
        self.rollup = rollup
        self.keyColumns = keyColumns
        inputs = rollup.measures.indices.flatMap { m in
            TraceRollup.aggregates(of: rollup.measures[m]).map { $0.suffix == "true" ? truthColumns[m]! : measureColumns[m] }
        }
        self.measureColumns = measureColumns
        cells = KeyCells(columns: keyColumns, day: rollup.byDay)
        sums = RollupSums(rollup.measures.flatMap { TraceRollup.aggregates(of: $0).map(\.kind) })
    }

    /// Adds the scan's current row (`row`: its columns' types and keys, read once).
    @inline(__always)
    mutating func add(_ scan: Statement, _ row: RowCells, limits: (rows: Int, bytes: Int)) {
        let hash = cells.read(row)
        let group: Int
        if let found = table.find(hash, where: { cells.equal(keys, $0) }) {
            group = found
        } else {
            guard keys.starts.count < limits.rows else {
                failed = true
                return
            }
            group = keys.starts.count
            table.insert(hash, group: group)
            cells.append(to: &keys)
            sums.addGroup()
        }
        sums.traces[group] += 1
        sums.addRow(group, scan, inputs, row)
        if keys.bytes.count + keys.starts.count * 8 + sums.heldBytes > limits.bytes { failed = true }
    }

    /// Gives every row, keys then aggregates in the table's column order (ordered by the first
    /// key when the rollup is indexed by it); false when an integer sum overflowed.
    func emit(_ emit: ([SQLValue]) throws -> Void) throws -> Bool {
        let width = rollup.keyColumns.count
        var order = Array(keys.starts.indices)
        if rollup.indexedByFirstKey {
            let first = order.map { keys.values($0, columns: 1)[0] }
            order.sort { GroupAggregateState.compare(first[$0], first[$1]) < 0 }
        }
        for g in order {
            var row = keys.values(g, columns: width)
            row.append(.integer(sums.traces[g]))
            var blobs: [SQLValue] = []
            var at = 0
            for m in rollup.measures {
                for (suffix, _) in TraceRollup.aggregates(of: m) {
                    guard let value = sums.result(at, g) else { return false }
                    if suffix == "values" { blobs.append(value) } else { row.append(value) }
                    at += 1
                }
            }
            try emit(row + blobs)
        }
        return true
    }
}

/// The aggregates of a rollup's rows while a scan adds them up, one array per aggregate over
/// the groups: a count is 8 bytes a group and a sum 17 where a `GroupAggregateState` is ~100,
/// so that the input rollup's ~130,000 rows of 20 aggregates take ~40 MB.
struct RollupSums {
    /// Where aggregate `a` keeps its state: which array, and its place in a group's part of it.
    private enum Slot { case count(Int), sum(Int), extreme(Int, least: Bool), values(Int) }
    private let slots: [Slot]
    private let widths: (counts: Int, sums: Int, extremes: Int, values: Int)
    /// The aggregates that are extremes or values (`addRow` adds them one by one).
    private let keptApart: [Int]
    /// Each group's rows (the `traces` column).
    var traces: [Int64] = []
    private var counts: [Int64] = []
    private var intSums: [Int64] = []
    private var realSums: [Double] = []
    /// Per sum: bit 0 a value was added, bit 1 one was no integer, bit 2 the integer sum overflowed.
    private var sumFlags: [UInt8] = []
    private var bests: [SQLValue] = []
    private var values: [[Double]] = []
    /// The bytes the texts and blobs of `bests` and the numbers of `values` take.
    private var heldContent = 0

    /// About what the state holds, in bytes (arrays' and strings' headers not counted).
    var heldBytes: Int {
        let perGroup = 8 + widths.counts * 8 + widths.sums * 17 + widths.extremes * MemoryLayout<SQLValue>.stride + widths.values * 8
        return traces.count * perGroup + heldContent
    }

    /// The bytes of a text or blob held apart from its `SQLValue`.
    private static func contentBytes(_ value: SQLValue) -> Int {
        switch value {
        case .text(let t): return t.utf8.count
        case .blob(let b): return b.count
        default: return 0
        }
    }

    /// The aggregates, in the rollup's column order (`count`, `sum`, `min`, `max`, `values`).
    init(_ kinds: [GroupAggregate]) {
        var w = (counts: 0, sums: 0, extremes: 0, values: 0)
        slots = kinds.map { kind -> Slot in
            switch kind {
            case .sum: w.sums += 1; return .sum(w.sums - 1)
            case .min, .max: w.extremes += 1; return .extreme(w.extremes - 1, least: kind == .min)
            case .values: w.values += 1; return .values(w.values - 1)
            default: w.counts += 1; return .count(w.counts - 1)
            }
        }
        widths = w
        let made = slots
        keptApart = made.indices.filter {
            switch made[$0] {
            case .extreme, .values: return true
            default: return false
            }
        }
    }

    mutating func addGroup() {
        traces.append(0)
        counts.append(contentsOf: repeatElement(0, count: widths.counts))
        intSums.append(contentsOf: repeatElement(0, count: widths.sums))
        realSums.append(contentsOf: repeatElement(0, count: widths.sums))
        sumFlags.append(contentsOf: repeatElement(0, count: widths.sums))
        bests.append(contentsOf: repeatElement(.null, count: widths.extremes))
        values.append(contentsOf: repeatElement([], count: widths.values))
    }

    /// Adds the current row to `group`: aggregate `a` reads the scan's column `inputs[a]` (of
    /// SQLite type `types[inputs[a]]`). Counts and sums are added through the arrays' buffers
    /// (one uniqueness check a row, not one an aggregate); extremes and values by `addApart`.
    @inline(__always)
    mutating func addRow(_ group: Int, _ statement: Statement, _ inputs: [Int32], _ row: RowCells) {
        let slots = self.slots, w = widths, types = row.types
        counts.withUnsafeMutableBufferPointer { counts in
            intSums.withUnsafeMutableBufferPointer { ints in
                realSums.withUnsafeMutableBufferPointer { reals in
                    sumFlags.withUnsafeMutableBufferPointer { flags in
                        for a in slots.indices {
                            let index = inputs[a]
                            let type = types[Int(index)]
                            guard type != SQLITE_NULL else { continue }
                            switch slots[a] {
                            case .count(let j):
                                counts[group * w.counts + j] += 1
                            case .sum(let j):
                                let at = group * w.sums + j
                                flags[at] |= 1
                                switch type {
                                case SQLITE_INTEGER:
                                    let v = row.integers[Int(index)]
                                    reals[at] += Double(v)
                                    let (total, overflow) = ints[at].addingReportingOverflow(v)
                                    ints[at] = total
                                    if overflow { flags[at] |= 4 }
                                case SQLITE_FLOAT:
                                    reals[at] += row.reals[Int(index)]
                                    flags[at] |= 2
                                default:
                                    // Text and blobs add as numbers, as in SQLite (a text that is no number adds 0).
                                    reals[at] += statement.value(at: index).doubleValue ?? 0
                                    flags[at] |= 2
                                }
                            default:
                                continue
                            }
                        }
                    }
                }
            }
        }
        for a in keptApart {
            let index = inputs[a]
            addApart(a, group, statement, index, types[Int(index)], row)
        }
    }

    /// Adds the scan's column `index` (of SQLite type `type`) to extreme or values aggregate
    /// `a` of `group`, as `GroupAggregateState.add` does (`addRow` adds counts and sums).
    @inline(__always)
    private mutating func addApart(_ a: Int, _ group: Int, _ statement: Statement, _ index: Int32, _ type: Int32, _ row: RowCells) {
        guard type != SQLITE_NULL else { return }
        switch slots[a] {
        case .count, .sum:
            return
        case .extreme(let j, let least):
            let at = group * widths.extremes + j
            // Numbers from the row's cells; text compared where SQLite holds it, a value made
            // only for a new best.
            let c = Int(index)
            switch (type, bests[at]) {
            case (SQLITE_INTEGER, .integer(let best)):
                if least ? row.integers[c] < best : row.integers[c] > best { bests[at] = .integer(row.integers[c]) }
                return
            case (SQLITE_FLOAT, .real(let best)):
                if least ? row.reals[c] < best : row.reals[c] > best { bests[at] = .real(row.reals[c]) }
                return
            case (SQLITE_INTEGER, .null):
                bests[at] = .integer(row.integers[c])
                return
            case (SQLITE_FLOAT, .null):
                bests[at] = .real(row.reals[c])
                return
            default:
                break
            }
            if case .null = bests[at] {
                bests[at] = statement.value(at: index)
                heldContent += Self.contentBytes(bests[at])
                return
            }
            let order = GroupAggregateState.compare(statement, index, type, bests[at])
            if least ? order < 0 : order > 0 {
                heldContent -= Self.contentBytes(bests[at])
                bests[at] = statement.value(at: index)
                heldContent += Self.contentBytes(bests[at])
            }
        case .values(let j):
            let c = Int(index)
            let number = type == SQLITE_INTEGER ? Double(row.integers[c]) : type == SQLITE_FLOAT ? row.reals[c]
                : GroupAggregateState.number(statement, index, type)
            if let x = number {
                values[group * widths.values + j].append(x)
                heldContent += 8
            }
        }
    }

    /// Aggregate `a` of `group` as SQL gives it; nil when an integer sum overflowed.
    func result(_ a: Int, _ group: Int) -> SQLValue? {
        switch slots[a] {
        case .count(let j):
            return .integer(counts[group * widths.counts + j])
        case .sum(let j):
            let at = group * widths.sums + j
            let flags = sumFlags[at]
            if flags & 1 == 0 { return .null }
            if flags & 2 != 0 { return .real(realSums[at]) }
            return flags & 4 != 0 ? nil : .integer(intSums[at])
        case .extreme(let j, _):
            return bests[group * widths.extremes + j]
        case .values(let j):
            let list = values[group * widths.values + j]
            return list.isEmpty ? .null : .blob(SQLFunctions.doublesBlob(list.sorted()))
        }
    }
}

/// The key columns of the current row of a scan, each read from SQLite once for every rollup
/// the scan adds up (by scan column; the others' entries are unused).
struct RowCells {
    private(set) var types: [Int32]
    private(set) var integers: [Int64]
    private(set) var reals: [Double]
    private(set) var texts: [UnsafeRawBufferPointer]
    private(set) var others: [SQLValue]
    /// The scan columns that are some rollup's key.
    private let keyColumns: [Int32]
    /// The scan columns whose numbers the rollups add up (a sum reads them from here).
    private let numberColumns: [Int32]

    init(columns: Int, keyColumns: [Int32], numberColumns: [Int32]) {
        types = Array(repeating: SQLITE_NULL, count: columns)
        integers = Array(repeating: 0, count: columns)
        reals = Array(repeating: 0, count: columns)
        texts = Array(repeating: UnsafeRawBufferPointer(start: nil, count: 0), count: columns)
        others = Array(repeating: .null, count: columns)
        self.keyColumns = keyColumns
        self.numberColumns = numberColumns.filter { !keyColumns.contains($0) }
    }

    /// Reads the current row: every column's type, the keys' values (text where SQLite holds
    /// it, valid until the row is stepped past), the other columns' numbers.
    @inline(__always)
    mutating func read(_ statement: Statement) {
        let handle = statement.handle
        for c in types.indices { types[c] = sqlite3_column_type(handle, Int32(c)) }
        for column in numberColumns {
            let c = Int(column)
            switch types[c] {
            case SQLITE_INTEGER: integers[c] = sqlite3_column_int64(handle, column)
            case SQLITE_FLOAT: reals[c] = sqlite3_column_double(handle, column)
            default: break
            }
        }
        for column in keyColumns {
            let c = Int(column)
            switch types[c] {
            case SQLITE_NULL:
                break
            case SQLITE_INTEGER:
                integers[c] = sqlite3_column_int64(handle, column)
            case SQLITE_FLOAT:
                reals[c] = sqlite3_column_double(handle, column)
                others[c] = .real(reals[c])
            case SQLITE_TEXT:
                let base = sqlite3_column_text(handle, column)
                let n = Int(sqlite3_column_bytes(handle, column))
                texts[c] = UnsafeRawBufferPointer(start: base, count: base == nil ? 0 : n)
            default:
                others[c] = statement.value(at: column)
            }
        }
    }
}

/// The key columns of the current row of a scan — as stored, or column 0 an instant read as
/// its UTC day when `day` — read once: a hash of them, then comparisons with groups' keys without
/// making values (the text stays where SQLite holds it until the row is stepped past).
struct KeyCells {
    private var types: [Int32]
    private var integers: [Int64]
    private var texts: [UnsafeRawBufferPointer]
    /// Reals and blobs (no key column of `traces` holds them unless a script wrote them).
    private var others: [SQLValue]

    /// Whether the first key is an instant read as its day's number.
    private let day: Bool
    /// The scan's column of each key.
    private let columns: [Int32]

    init(columns: [Int32], day: Bool) {
        self.day = day
        self.columns = columns
        let count = columns.count
        types = Array(repeating: SQLITE_NULL, count: count)
        integers = Array(repeating: 0, count: count)
        texts = Array(repeating: UnsafeRawBufferPointer(start: nil, count: 0), count: count)
        others = Array(repeating: .null, count: count)
    }

    /// Takes the row's key columns from `row` (read once for every rollup); returns their
    /// hash (type and value of each).
    @inline(__always)
    mutating func read(_ row: RowCells) -> UInt64 {
        var h = RowHash()
        for i in types.indices {
            let column = Int(columns[i])
            var type = row.types[column]
            if i == 0, day, type != SQLITE_NULL {
                type = SQLITE_INTEGER
                integers[0] = HashAggregation.dayNumber(ofNanoseconds: row.integers[column])
            }
            types[i] = type
            h.mix(UInt64(type))
            switch type {
            case SQLITE_NULL:
                break
            case SQLITE_INTEGER:
                if i > 0 || !day { integers[i] = row.integers[column] }
                h.mix(UInt64(bitPattern: integers[i]))
            case SQLITE_TEXT:
                texts[i] = row.texts[column]
                h.mix(bytes: texts[i])
            default:
                others[i] = row.others[column]
                h.mix(UInt64(truncatingIfNeeded: others[i].hashValue))
            }
        }
        return h.value
    }

    /// Appends the row read last to `store`, as a new group's key.
    func append(to store: inout KeyStore) {
        store.starts.append(store.bytes.count)
        for i in types.indices {
            store.bytes.append(UInt8(types[i]))
            switch types[i] {
            case SQLITE_NULL:
                break
            case SQLITE_INTEGER:
                withUnsafeBytes(of: integers[i].littleEndian) { store.bytes.append(contentsOf: $0) }
            case SQLITE_TEXT:
                withUnsafeBytes(of: UInt32(texts[i].count).littleEndian) { store.bytes.append(contentsOf: $0) }
                store.bytes.append(contentsOf: texts[i])
            default:
                switch others[i] {
                case .real(let v):
                    // 0.0 and -0.0 are one group, as in SQL.
                    withUnsafeBytes(of: (v == 0 ? 0.0 : v).bitPattern.littleEndian) { store.bytes.append(contentsOf: $0) }
                case .blob(let b):
                    withUnsafeBytes(of: UInt32(b.count).littleEndian) { store.bytes.append(contentsOf: $0) }
                    store.bytes.append(contentsOf: b)
                default:
                    break
                }
            }
        }
    }

    /// Whether the row read last has the key of `group` in `store`.
    @inline(__always)
    func equal(_ store: KeyStore, _ group: Int) -> Bool {
        store.bytes.withUnsafeBytes { all -> Bool in
            var at = store.starts[group]
            for i in types.indices {
                guard Int32(all[at]) == types[i] else { return false }
                at += 1
                switch types[i] {
                case SQLITE_NULL:
                    continue
                case SQLITE_INTEGER:
                    if Int64(littleEndian: all.loadUnaligned(fromByteOffset: at, as: Int64.self)) != integers[i] { return false }
                    at += 8
                case SQLITE_TEXT:
                    let n = Int(UInt32(littleEndian: all.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
                    at += 4
                    let bytes = texts[i]
                    if n != bytes.count || (n > 0 && memcmp(all.baseAddress! + at, bytes.baseAddress!, n) != 0) { return false }
                    at += n
                default:
                    let (value, next) = KeyStore.decodeValue(all, at, types[i])
                    if value != others[i] { return false }
                    at = next
                }
            }
            return true
        }
    }
}

/// The keys of a rollup's groups while a scan adds them up, one after another in one array of
/// bytes (each column its SQLite type, then 8 bytes or a length and the bytes): ~150 bytes a
/// group of 18 key columns where an array of `SQLValue`s takes ~500.
struct KeyStore {
    var bytes: [UInt8] = []
    /// Where each group's key starts in `bytes`.
    var starts: [Int] = []

    /// The key of `group` as values (`columns` of them).
    func values(_ group: Int, columns: Int) -> [SQLValue] {
        bytes.withUnsafeBytes { all in
            var out: [SQLValue] = []
            out.reserveCapacity(columns)
            var at = starts[group]
            for _ in 0..<columns {
                let type = Int32(all[at])
                let (value, next) = Self.decodeValue(all, at + 1, type)
                out.append(value)
                at = next
            }
            return out
        }
    }

    /// The value of SQLite type `type` encoded at `at`, and where the next column starts.
    static func decodeValue(_ all: UnsafeRawBufferPointer, _ at: Int, _ type: Int32) -> (SQLValue, Int) {
        switch type {
        case SQLITE_INTEGER:
            return (.integer(Int64(littleEndian: all.loadUnaligned(fromByteOffset: at, as: Int64.self))), at + 8)
        case SQLITE_FLOAT:
            return (.real(Double(bitPattern: UInt64(littleEndian: all.loadUnaligned(fromByteOffset: at, as: UInt64.self)))), at + 8)
        case SQLITE_TEXT, SQLITE_BLOB:
            let n = Int(UInt32(littleEndian: all.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
            let body = UnsafeRawBufferPointer(rebasing: all[(at + 4)..<(at + 4 + n)])
            let value: SQLValue = type == SQLITE_TEXT ? .text(String(decoding: body, as: UTF8.self)) : .blob(Array(body))
            return (value, at + 4 + n)
        default:
            return (.null, at)
        }
    }
}
