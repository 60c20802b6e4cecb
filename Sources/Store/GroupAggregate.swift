import CSQLite
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// One aggregate of a hash aggregation, computed in Swift the way SQLite computes it — the
/// executor's alternative to `GROUP BY` when SQLite would sort every row by an expression first
/// (docs/query-language.md, "How stats runs").
///
/// Each kind reads one column of the scan, already shaped by SQL as SQLite's aggregate would
/// see it (`countif(c)` reads `CASE WHEN c THEN 1 END`), so the conditions keep SQLite's
/// truthiness and the arguments its types.
public enum GroupAggregate: Sendable, Equatable {
    /// `count(*)`: every row.
    case countRows
    /// `count(x)`: the non-null values.
    case count
    /// `count(DISTINCT x)`.
    case countDistinct
    /// `sum(x)`: an integer while every value is one (nil on overflow: the caller falls back
    /// to SQL, which reports it), else a real; NULL without values.
    case sum
    case avg
    case min
    case max
    /// `relops_percentile(x, q)`.
    case percentile(Double)
    /// `relops_stddev` (ddof 1) and `relops_stddev_pop` (ddof 0).
    case stddev(ddof: Int64)
    /// Every number, as a blob of little-endian doubles in ascending order (NULL without any):
    /// what the trace rollup keeps so that a percentile over its rows is exact.
    case values
    /// `relops_percentile_of_values(blob, q)`: the percentile over the doubles of every row's
    /// blob (the trace rollup's `*_values`).
    case percentileOfValues(Double)
}

/// The running state of one aggregate of one group. One struct for every kind keeps the states
/// of a group in one flat array; each kind uses its own fields.
public struct GroupAggregateState: Sendable {
    var count: Int64 = 0
    var intSum: Int64 = 0
    var realSum = 0.0
    var allIntegers = true
    var overflowed = false
    var mean = 0.0
    var m2 = 0.0
    var values: [Double] = []
    var best: SQLValue = .null
    var distinct: Set<SQLValue> = []

    /// Adds the scan's column `index` of the current row.
    @inline(__always)
    public mutating func add(_ kind: GroupAggregate, _ statement: Statement, _ index: Int32) {
        // `count()` reads no column (its index is -1).
        if kind == .countRows {
            count += 1
            return
        }
        add(kind, statement, index, sqlite3_column_type(statement.handle, index))
    }

    /// Adds the scan's column `index`, whose SQLite type the caller read (several aggregates of
    /// one column read it once).
    @inline(__always)
    mutating func add(_ kind: GroupAggregate, _ statement: Statement, _ index: Int32, _ type: Int32) {
        let handle = statement.handle
        switch kind {
        case .countRows:
            count += 1
        case .count:
            if type != SQLITE_NULL { count += 1 }
        case .countDistinct:
            if type != SQLITE_NULL { distinct.insert(statement.value(at: index)) }
        case .sum, .avg:
            switch type {
            case SQLITE_INTEGER:
                let v = sqlite3_column_int64(handle, index)
                count += 1
                realSum += Double(v)
                if allIntegers {
                    let (sum, overflow) = intSum.addingReportingOverflow(v)
                    intSum = sum
                    if overflow { overflowed = true }
                }
            case SQLITE_FLOAT:
                count += 1
                realSum += sqlite3_column_double(handle, index)
                allIntegers = false
            case SQLITE_NULL:
                break
            default:
                // Text and blobs add as numbers, as in SQLite (a text that is no number adds 0).
                count += 1
                let v = statement.value(at: index).doubleValue ?? 0
                realSum += v
                allIntegers = false
            }
        case .min, .max:
            guard type != SQLITE_NULL else { return }
            if case .null = best {
                best = statement.value(at: index)
                return
            }
            // Compared where SQLite holds it: a value is made only for a new best.
            let order = Self.compare(statement, index, type, best)
            if kind == .min ? order < 0 : order > 0 { best = statement.value(at: index) }
        case .percentile, .values:
            if let x = Self.number(statement, index, type) { values.append(x) }
        case .percentileOfValues:
            guard type == SQLITE_BLOB, let base = sqlite3_column_blob(handle, index) else { return }
            SQLFunctions.appendDoubles(of: UnsafeRawBufferPointer(start: base, count: Int(sqlite3_column_bytes(handle, index))), to: &values)
        case .stddev:
            guard let x = Self.number(statement, index, type) else { return }
            count += 1
            let delta = x - mean
            mean += delta / Double(count)
            m2 += delta * (x - mean)
        }
    }

    /// Adds the state of the same aggregate over other rows (another part of a scan): the
    /// result is the one of all the rows, up to the order in which reals were added.
    mutating func merge(_ other: GroupAggregateState, _ kind: GroupAggregate) {
        switch kind {
        case .countRows, .count:
            count += other.count
        case .countDistinct:
            distinct.formUnion(other.distinct)
        case .sum, .avg:
            count += other.count
            realSum += other.realSum
            if allIntegers && other.allIntegers {
                let (sum, overflow) = intSum.addingReportingOverflow(other.intSum)
                intSum = sum
                overflowed = overflowed || other.overflowed || overflow
            }
            allIntegers = allIntegers && other.allIntegers
        case .min, .max:
            if case .null = other.best { return }
            if case .null = best {
                best = other.best
                return
            }
            let order = Self.compare(other.best, best)
            if kind == .min ? order < 0 : order > 0 { best = other.best }
        case .percentile, .values, .percentileOfValues:
            values += other.values
        case .stddev:
            // Chan, Golub and LeVeque's pairwise update of the mean and the sum of squares.
            guard other.count > 0 else { return }
            guard count > 0 else {
                (count, mean, m2) = (other.count, other.mean, other.m2)
                return
            }
            let n = count + other.count
            let delta = other.mean - mean
            mean += delta * Double(other.count) / Double(n)
            m2 += other.m2 + delta * delta * Double(count) * Double(other.count) / Double(n)
            count = n
        }
    }

    /// The aggregate's value; nil when SQL must compute it instead (an integer sum overflowed).
    public mutating func result(_ kind: GroupAggregate) -> SQLValue? {
        switch kind {
        case .countRows, .count:
            return .integer(count)
        case .countDistinct:
            return .integer(Int64(distinct.count))
        case .sum:
            guard count > 0 else { return .null }
            if allIntegers { return overflowed ? nil : .integer(intSum) }
            return .real(realSum)
        case .avg:
            return count > 0 ? .real(realSum / Double(count)) : .null
        case .min, .max:
            return best
        case .percentile(let q), .percentileOfValues(let q):
            return SQLFunctions.Percentile.quantile(of: &values, q: q).map(SQLValue.real) ?? .null
        case .stddev(let ddof):
            guard count > ddof, count > 0 else { return .null }
            return .real((m2 / Double(count - ddof)).squareRoot())
        case .values:
            guard !values.isEmpty else { return .null }
            values.sort()
            return .blob(SQLFunctions.doublesBlob(values))
        }
    }

    /// `sqlite3_value_numeric_type`'s reading: numbers, and text that reads as one.
    @inline(__always)
    static func number(_ statement: Statement, _ index: Int32, _ type: Int32) -> Double? {
        switch type {
        case SQLITE_INTEGER: return Double(sqlite3_column_int64(statement.handle, index))
        case SQLITE_FLOAT: return sqlite3_column_double(statement.handle, index)
        case SQLITE_TEXT: return statement.text(at: index).flatMap { Double($0.trimmed()) }
        default: return nil
        }
    }

    /// `compare` of the scan's column `index` (not NULL, of SQLite type `type`) with `value`,
    /// reading the column in place for integers, reals and text.
    @inline(__always)
    static func compare(_ statement: Statement, _ index: Int32, _ type: Int32, _ value: SQLValue) -> Int {
        let handle = statement.handle
        switch (type, value) {
        case (SQLITE_INTEGER, .integer(let y)):
            let x = sqlite3_column_int64(handle, index)
            return x < y ? -1 : x > y ? 1 : 0
        case (SQLITE_FLOAT, .real(let y)):
            let x = sqlite3_column_double(handle, index)
            return x < y ? -1 : x > y ? 1 : 0
        case (SQLITE_TEXT, .text(var y)):
            let n = Int(sqlite3_column_bytes(handle, index))
            guard let bytes = sqlite3_column_text(handle, index) else { return compare(statement.value(at: index), value) }
            return y.withUTF8 { utf8 -> Int in
                let common = min(n, utf8.count)
                let order = common == 0 ? 0 : Int(memcmp(bytes, utf8.baseAddress!, common))
                if order != 0 { return order < 0 ? -1 : 1 }
                return n < utf8.count ? -1 : n > utf8.count ? 1 : 0
            }
        default:
            return compare(statement.value(at: index), value)
        }
    }

    /// SQLite's order of values (BINARY collation): NULL < numbers < text < blob; numbers by
    /// value, text and blobs by bytes.
    public static func compare(_ a: SQLValue, _ b: SQLValue) -> Int {
        func rank(_ v: SQLValue) -> Int {
            switch v {
            case .null: return 0
            case .integer, .real: return 1
            case .text: return 2
            case .blob: return 3
            }
        }
        let (ra, rb) = (rank(a), rank(b))
        if ra != rb { return ra < rb ? -1 : 1 }
        switch (a, b) {
        case (.integer(let x), .integer(let y)): return x < y ? -1 : x > y ? 1 : 0
        case (.text(var x), .text(var y)):
            // By their UTF-8 bytes, as SQLite's BINARY collation (one memcmp, not two walks).
            return x.withUTF8 { a in
                y.withUTF8 { b in
                    let common = min(a.count, b.count)
                    let order = common == 0 ? 0 : Int(memcmp(a.baseAddress!, b.baseAddress!, common))
                    if order != 0 { return order < 0 ? -1 : 1 }
                    return a.count < b.count ? -1 : a.count > b.count ? 1 : 0
                }
            }
        case (.blob(let x), .blob(let y)):
            return x.lexicographicallyPrecedes(y) ? -1 : y.lexicographicallyPrecedes(x) ? 1 : 0
        default:
            let (x, y) = (a.doubleValue ?? 0, b.doubleValue ?? 0)
            return x < y ? -1 : x > y ? 1 : 0
        }
    }
}

/// A hash aggregation over one scan: rows of `groupColumns` key columns then one column per
/// aggregate, added up per distinct key in Swift.
public enum HashAggregation {
    /// The groups, keys then aggregate values, in first-seen order; nil when SQL must do it
    /// instead: more than `maxGroups` groups (a sort is then the better plan) or an integer sum
    /// that overflowed.
    public static let nanosecondsPerDay: Int64 = 86_400_000_000_000

    /// `inputs` names the column each aggregate reads (nil: the column after the keys in order);
    /// `dayKeys` the key columns read as instants (nanoseconds) and grouped by their UTC day's
    /// number (floor division: days before 1970 too).
    public static func run(_ statement: Statement, groupColumns: Int, aggregates: [GroupAggregate], inputs: [Int]? = nil,
                           dayKeys: [Int] = [], maxGroups: Int) throws(StoreError) -> [[SQLValue]]? {
        guard var partial = try accumulate(statement, groupColumns: groupColumns, aggregates: aggregates, inputs: inputs, dayKeys: dayKeys,
                                           maxGroups: maxGroups) else { return nil }
        return partial.rows(aggregates)
    }

    /// The groups of one scan (or one part of it), still as running states: parts merge
    /// (`merged`) before their values are taken (`Partial.rows`).
    public struct Partial: Sendable {
        public var keys: [[SQLValue]]
        var states: [GroupAggregateState]

        /// The groups, keys then aggregate values; nil when an integer sum overflowed. (Taking
        /// the values leaves the states spent: mutating, so that they are not copied first.)
        public mutating func rows(_ aggregates: [GroupAggregate]) -> [[SQLValue]]? {
            let width = aggregates.count
            var rows: [[SQLValue]] = []
            rows.reserveCapacity(keys.count)
            for (g, key) in keys.enumerated() {
                var row = key
                for (i, kind) in aggregates.enumerated() {
                    guard let value = states[g * width + i].result(kind) else { return nil }
                    row.append(value)
                }
                rows.append(row)
            }
            return rows
        }
    }

    /// The parts' groups as one (first seen in part order); nil past `maxGroups`. Keys match
    /// as `sameKey` matches them: by storage class and bytes (not Swift's String equality,
    /// which would join canonically equivalent texts SQL keeps apart).
    /// The parts are taken (left empty): the first one's states grow in place, not copied.
    public static func merged(_ parts: inout [Partial], aggregates: [GroupAggregate], maxGroups: Int) -> Partial? {
        guard !parts.isEmpty else { return nil }
        var result = parts[0]
        parts[0] = Partial(keys: [], states: [])
        let width = aggregates.count
        var index: [BytewiseKey: Int] = [:]
        for (g, key) in result.keys.enumerated() { index[BytewiseKey(key)] = g }
        for part in parts.dropFirst() {
            for (g, key) in part.keys.enumerated() {
                let target: Int
                if let found = index[BytewiseKey(key)] {
                    target = found
                    for (i, kind) in aggregates.enumerated() {
                        result.states[target * width + i].merge(part.states[g * width + i], kind)
                    }
                } else {
                    guard result.keys.count < maxGroups else { return nil }
                    target = result.keys.count
                    index[BytewiseKey(key)] = target
                    result.keys.append(key)
                    result.states.append(contentsOf: part.states[(g * width)..<((g + 1) * width)])
                }
            }
        }
        return result
    }

    /// The groups of one scan as running states; nil past `maxGroups`.
    public static func accumulate(_ statement: Statement, groupColumns: Int, aggregates: [GroupAggregate], inputs: [Int]? = nil,
                                  dayKeys: [Int] = [], maxGroups: Int) throws(StoreError) -> Partial? {
        let columns = (inputs ?? aggregates.indices.map { groupColumns + $0 }).map(Int32.init)
        var isDay = [Bool](repeating: false, count: groupColumns)
        for i in dayKeys { isDay[i] = true }
        var table = GroupTable()
        var keys: [[SQLValue]] = []
        var states: [GroupAggregateState] = []
        var current = -1
        let width = aggregates.count
        while try statement.step() {
            // Rows often come in key order (an index): compare with the last key before hashing.
            if current < 0 || !sameKey(statement, keys[current], groupColumns, isDay) {
                // The row's key is hashed and compared where SQLite holds it; a key is made
                // only for a new group.
                let hash = rowHash(statement, groupColumns, isDay)
                if let found = table.find(hash, where: { sameKey(statement, keys[$0], groupColumns, isDay) }) {
                    current = found
                } else {
                    guard keys.count < maxGroups else { return nil }
                    current = keys.count
                    table.insert(hash, group: current)
                    keys.append((0..<groupColumns).map { isDay[$0] ? day(statement, Int32($0)) : statement.value(at: Int32($0)) })
                    states.append(contentsOf: repeatElement(GroupAggregateState(), count: width))
                }
            }
            let base = current * width
            for (i, kind) in aggregates.enumerated() {
                states[base + i].add(kind, statement, columns[i])
            }
        }
        return Partial(keys: keys, states: states)
    }

    /// A hash of the current row's key columns as `sameKey` compares them: type and value
    /// (day keys by their day's number).
    @inline(__always)
    static func rowHash(_ statement: Statement, _ count: Int, _ isDay: [Bool]) -> UInt64 {
        let handle = statement.handle
        var h = RowHash()
        for i in 0..<count {
            let column = Int32(i)
            let type = sqlite3_column_type(handle, column)
            if isDay[i] {
                // `day` reads any stored type as an instant.
                h.mix(type == SQLITE_NULL ? 0 : 1)
                if type != SQLITE_NULL { h.mix(UInt64(bitPattern: dayNumber(ofNanoseconds: sqlite3_column_int64(handle, column)))) }
                continue
            }
            h.mix(UInt64(type))
            switch type {
            case SQLITE_NULL:
                break
            case SQLITE_INTEGER:
                h.mix(UInt64(bitPattern: sqlite3_column_int64(handle, column)))
            case SQLITE_FLOAT:
                h.mix(sqlite3_column_double(handle, column).bitPattern)
            default:
                let n = Int(sqlite3_column_bytes(handle, column))
                h.mix(bytes: UnsafeRawBufferPointer(start: n > 0 ? sqlite3_column_blob(handle, column) : nil, count: n))
            }
        }
        return h.value
    }

    /// The UTC day's number of the instant in `column` (NULL stays NULL).
    @inline(__always)
    static func day(_ statement: Statement, _ column: Int32) -> SQLValue {
        guard sqlite3_column_type(statement.handle, column) != SQLITE_NULL else { return .null }
        return .integer(dayNumber(ofNanoseconds: sqlite3_column_int64(statement.handle, column)))
    }

    /// The UTC day's number of an instant: days since 1970-01-01, floor division.
    public static func dayNumber(ofNanoseconds ns: Int64) -> Int64 {
        let (q, r) = ns.quotientAndRemainder(dividingBy: nanosecondsPerDay)
        return r < 0 ? q - 1 : q
    }

    /// Whether the current row's key columns equal `key`, without building values.
    @inline(__always)
    static func sameKey(_ statement: Statement, _ key: [SQLValue], _ count: Int, _ isDay: [Bool]) -> Bool {
        let handle = statement.handle
        for i in 0..<count {
            let column = Int32(i)
            if isDay[i] {
                if day(statement, column) != key[i] { return false }
                continue
            }
            switch (sqlite3_column_type(handle, column), key[i]) {
            case (SQLITE_NULL, .null): continue
            case (SQLITE_INTEGER, .integer(let v)): if sqlite3_column_int64(handle, column) != v { return false }
            case (SQLITE_FLOAT, .real(let v)): if sqlite3_column_double(handle, column) != v { return false }
            case (SQLITE_TEXT, .text(var v)):
                guard let bytes = sqlite3_column_text(handle, column) else { return false }
                let n = Int(sqlite3_column_bytes(handle, column))
                let equal = v.withUTF8 { utf8 in utf8.count == n && (n == 0 || memcmp(utf8.baseAddress!, bytes, n) == 0) }
                if !equal { return false }
            case (SQLITE_BLOB, .blob(let v)):
                let n = Int(sqlite3_column_bytes(handle, column))
                guard v.count == n else { return false }
                if n > 0 {
                    guard let bytes = sqlite3_column_blob(handle, column) else { return false }
                    if !v.withUnsafeBytes({ memcmp($0.baseAddress!, bytes, n) == 0 }) { return false }
                }
            default: return false
            }
        }
        return true
    }
}

/// The hash of a row's key as `rowHash` and the rollup's `KeyCells` make it: values mixed in
/// one at a time, bytes eight at a time.
struct RowHash {
    private(set) var value: UInt64 = 0x9E37_79B9_7F4A_7C15

    @inline(__always)
    mutating func mix(_ x: UInt64) {
        value = (value ^ x) &* 0xBF58_476D_1CE4_E5B9
        value ^= value >> 31
    }

    /// The length, then the bytes (none when `bytes` has no base address).
    @inline(__always)
    mutating func mix(bytes: UnsafeRawBufferPointer) {
        mix(UInt64(bytes.count))
        guard bytes.baseAddress != nil else { return }
        var offset = 0
        while offset + 8 <= bytes.count {
            mix(bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        var tail: UInt64 = 0
        while offset < bytes.count {
            tail = tail << 8 | UInt64(bytes[offset])
            offset += 1
        }
        mix(tail)
    }
}

/// A group's key as a dictionary key: equal when every value has the same storage class and
/// the same bytes (texts by their UTF-8, as SQLite compares them).
struct BytewiseKey: Hashable {
    let values: [SQLValue]
    init(_ values: [SQLValue]) { self.values = values }

    static func == (a: BytewiseKey, b: BytewiseKey) -> Bool {
        guard a.values.count == b.values.count else { return false }
        for (x, y) in zip(a.values, b.values) {
            switch (x, y) {
            case (.null, .null): continue
            case (.integer(let p), .integer(let q)): if p != q { return false }
            case (.real(let p), .real(let q)): if p.bitPattern != q.bitPattern && p != q { return false }
            case (.text(let p), .text(let q)): if !p.utf8.elementsEqual(q.utf8) { return false }
            case (.blob(let p), .blob(let q)): if p != q { return false }
            default: return false
            }
        }
        return true
    }

    func hash(into hasher: inout Hasher) {
        for value in values {
            switch value {
            case .null: hasher.combine(0)
            case .integer(let v): hasher.combine(1); hasher.combine(v)
            case .real(let v): hasher.combine(2); hasher.combine(v == 0 ? 0 : v.bitPattern)
            case .text(let v): hasher.combine(3); hasher.combine(v.utf8.count); for b in v.utf8 { hasher.combine(b) }
            case .blob(let v): hasher.combine(4); hasher.combine(v)
            }
        }
    }
}

/// Open addressing from a key's hash to its group: the groups' own keys decide equality.
struct GroupTable {
    private var slots: [Int32] = Array(repeating: 0, count: 64)
    private var hashes: [UInt64] = []

    /// The group whose hash is `hash` and for which `matches` holds, if any.
    @inline(__always)
    func find(_ hash: UInt64, where matches: (Int) -> Bool) -> Int? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let group = Int(slots[slot]) - 1
            if hashes[group] == hash && matches(group) { return group }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Adds group `group` (the next one: groups are numbered in order) under `hash`.
    mutating func insert(_ hash: UInt64, group: Int) {
        precondition(group == hashes.count, "groups are added in order")
        hashes.append(hash)
        if hashes.count * 2 > slots.count {
            slots = Array(repeating: 0, count: slots.count * 2)
            for (g, h) in hashes.enumerated() { place(h, g) }
        } else {
            place(hash, group)
        }
    }

    private mutating func place(_ hash: UInt64, _ group: Int) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(group + 1)
    }
}
