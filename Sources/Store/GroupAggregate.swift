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
        let handle = statement.handle
        let type = sqlite3_column_type(handle, index)
        switch kind {
        case .countRows:
            break
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
            let v = statement.value(at: index)
            if case .null = best { best = v; return }
            let order = Self.compare(v, best)
            if kind == .min ? order < 0 : order > 0 { best = v }
        case .percentile:
            if let x = Self.number(statement, index, type) { values.append(x) }
        case .stddev:
            guard let x = Self.number(statement, index, type) else { return }
            count += 1
            let delta = x - mean
            mean += delta / Double(count)
            m2 += delta * (x - mean)
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
        case .percentile(let q):
            return SQLFunctions.Percentile.quantile(of: &values, q: q).map(SQLValue.real) ?? .null
        case .stddev(let ddof):
            guard count > ddof, count > 0 else { return .null }
            return .real((m2 / Double(count - ddof)).squareRoot())
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
        case (.text(let x), .text(let y)):
            return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : y.utf8.lexicographicallyPrecedes(x.utf8) ? 1 : 0
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
        let columns = (inputs ?? aggregates.indices.map { groupColumns + $0 }).map(Int32.init)
        var isDay = [Bool](repeating: false, count: groupColumns)
        for i in dayKeys { isDay[i] = true }
        var index: [[SQLValue]: Int] = [:]
        var keys: [[SQLValue]] = []
        var states: [GroupAggregateState] = []
        var previous: [SQLValue] = []
        var current = -1
        let width = aggregates.count
        while try statement.step() {
            // Rows often come in key order (an index): compare with the last key before hashing.
            if current < 0 || !sameKey(statement, previous, groupColumns, isDay) {
                let key = (0..<groupColumns).map { isDay[$0] ? day(statement, Int32($0)) : statement.value(at: Int32($0)) }
                if let found = index[key] {
                    current = found
                } else {
                    guard keys.count < maxGroups else { return nil }
                    current = keys.count
                    index[key] = current
                    keys.append(key)
                    states.append(contentsOf: repeatElement(GroupAggregateState(), count: width))
                }
                previous = key
            }
            let base = current * width
            for (i, kind) in aggregates.enumerated() {
                states[base + i].add(kind, statement, columns[i])
            }
        }
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
            default: return false
            }
        }
        return true
    }
}
