import CSQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The SQL functions relops adds to every connection, so compiled queries can ask for
/// percentiles, spreads, regular expressions and readable times in SQL itself.
///
/// Every callback is a `@convention(c)` closure without captured context: per-call state lives
/// in SQLite's aggregate context or auxiliary data, never in Swift globals, so connections on
/// different threads share nothing.
enum SQLFunctions {
    /// Registers every function on `db`; called once per connection by `Database.init`.
    static func register(on db: OpaquePointer) {
        // Pure functions of their arguments: allowed in indexes, views and triggers, and
        // foldable by the planner.
        let pure = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS
        create(db, "relops_percentile", 2, pure, step: Percentile.step, final: Percentile.final)
        create(db, "relops_percentile_of_values", 2, pure, step: Percentile.stepValues, final: Percentile.final)
        create(db, "relops_stddev", 1, pure, step: Spread.step, final: Spread.finalSample)
        create(db, "relops_stddev_pop", 1, pure, step: Spread.step, final: Spread.finalPopulation)
        create(db, "regexp", 2, pure, function: RegularExpression.match)
        create(db, "relops_time", 1, pure, function: TimeText.time)
        create(db, "relops_date", 1, pure, function: TimeText.date)
        create(db, "relops_fingerprint", 1, pure, function: Fingerprint.hash64)
        create(db, "relops_fingerprint", -1, pure, function: Fingerprint.tuple64)
    }

    typealias Scalar = @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void
    typealias Final = @convention(c) (OpaquePointer?) -> Void

    private static func create(_ db: OpaquePointer, _ name: String, _ arguments: Int32, _ flags: Int32,
                               function: Scalar? = nil, step: Scalar? = nil, final: Final? = nil) {
        let rc = sqlite3_create_function_v2(db, name, arguments, flags, nil, function, step, final, nil)
        // Fails only on misuse (a bad name or argument count) or when out of memory.
        precondition(rc == SQLITE_OK, "cannot register SQL function \(name): \(String(cString: sqlite3_errstr(rc)))")
    }

    /// The number in `value`: integers, reals, and text that reads as a number; nil otherwise.
    @inline(__always)
    static func number(_ value: OpaquePointer?) -> Double? {
        switch sqlite3_value_numeric_type(value) {
        case SQLITE_FLOAT: return sqlite3_value_double(value)
        case SQLITE_INTEGER: return Double(sqlite3_value_int64(value))
        default: return nil
        }
    }

    /// Sets `text` as the function's result (copied by SQLite).
    static func result(_ ctx: OpaquePointer?, text: String) {
        var text = text
        text.withUTF8 { utf8 in
            let base = UnsafeRawPointer(utf8.baseAddress)?.assumingMemoryBound(to: CChar.self) ?? Statement.emptyCString
            sqlite3_result_text(ctx, base, Int32(utf8.count), relops_sqlite_transient())
        }
    }
}

// MARK: - blobs of doubles

extension SQLFunctions {
    /// `values` as little-endian IEEE 754 doubles, 8 bytes each, in the order given.
    static func doublesBlob(_ values: [Double]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: values.count * 8)
        bytes.withUnsafeMutableBytes { out in
            for (i, v) in values.enumerated() { out.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: i * 8, as: UInt64.self) }
        }
        return bytes
    }

    /// Appends the doubles of a `doublesBlob` (a trailing partial double is ignored).
    static func appendDoubles(of bytes: UnsafeRawBufferPointer, to values: inout [Double]) {
        let n = bytes.count / 8
        // Geometric growth: reserving exactly what each blob needs would copy the whole array
        // for every blob.
        if values.capacity < values.count + n { values.reserveCapacity(max(2 * values.capacity, values.count + n)) }
        for i in 0..<n {
            values.append(Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))))
        }
    }
}

// MARK: - relops_percentile(x, q)

extension SQLFunctions {
    /// `relops_percentile(x, q)`: numpy's default (linear, R type 7) quantile of a group's numbers.
    ///
    /// Values are appended to one contiguous array and sorted once at the end: a million rows
    /// cost one sort, not a million insertions.
    enum Percentile {
        /// The state of one group; SQLite's aggregate context holds a retained pointer to it.
        final class Group {
            var values: [Double] = []
            var q = 0.0
        }

        static let qError = "percentile: q must be between 0 and 1"

        /// The group's state for a step with arguments `(x, q)`: made on its first row (SQLite
        /// zeroes a new aggregate context, so an empty slot reads as nil); nil after reporting a
        /// bad `q` or no memory.
        static func group(_ ctx: OpaquePointer?, _ argv: UnsafeMutablePointer<OpaquePointer?>) -> Group? {
            guard let q = SQLFunctions.number(argv[1]), q >= 0, q <= 1 else {
                sqlite3_result_error(ctx, qError, -1)
                return nil
            }
            guard let raw = sqlite3_aggregate_context(ctx, Int32(MemoryLayout<UnsafeMutableRawPointer?>.size)) else {
                sqlite3_result_error_nomem(ctx)
                return nil
            }
            let slot = raw.bindMemory(to: UnsafeMutableRawPointer?.self, capacity: 1)
            if let existing = slot.pointee { return Unmanaged<Group>.fromOpaque(existing).takeUnretainedValue() }
            let group = Group()
            group.q = q
            slot.pointee = Unmanaged.passRetained(group).toOpaque()
            return group
        }

        static let step: SQLFunctions.Scalar = { ctx, _, argv in
            guard let argv, let group = group(ctx, argv), let x = SQLFunctions.number(argv[0]) else { return }
            group.values.append(x)
        }

        /// `relops_percentile_of_values(blob, q)`: the same quantile over the numbers of every
        /// row's blob of doubles (the trace rollup's `*_values`, `doublesBlob`), so a percentile
        /// over rollup rows equals the one over the traces they add up.
        static let stepValues: SQLFunctions.Scalar = { ctx, _, argv in
            guard let argv, let group = group(ctx, argv) else { return }
            guard sqlite3_value_type(argv[0]) == SQLITE_BLOB, let base = sqlite3_value_blob(argv[0]) else { return }
            SQLFunctions.appendDoubles(of: UnsafeRawBufferPointer(start: base, count: Int(sqlite3_value_bytes(argv[0]))), to: &group.values)
        }

        /// Also called for a group that never stepped (no context yet) and when a statement is
        /// reset or fails mid-group, so the retained state is always released here.
        static let final: SQLFunctions.Final = { ctx in
            guard let raw = sqlite3_aggregate_context(ctx, 0) else {
                sqlite3_result_null(ctx)
                return
            }
            let slot = raw.bindMemory(to: UnsafeMutableRawPointer?.self, capacity: 1)
            guard let opaque = slot.pointee else {
                sqlite3_result_null(ctx)
                return
            }
            slot.pointee = nil
            let group = Unmanaged<Group>.fromOpaque(opaque).takeRetainedValue()
            if let value = quantile(of: &group.values, q: group.q) {
                sqlite3_result_double(ctx, value)
            } else {
                sqlite3_result_null(ctx)
            }
        }

        /// The linear-interpolation quantile of `values` (reordered in place); nil when empty.
        ///
        /// Two order statistics, not a sort: a selection puts the `lo`-th smallest value in
        /// place with everything after it no smaller, so the next one is the least of the rest
        /// — linear time, where sorting a million latencies took most of a grouped p95.
        static func quantile(of values: inout [Double], q: Double) -> Double? {
            guard !values.isEmpty else { return nil }
            let h = Double(values.count - 1) * q
            let lo = min(Int(h.rounded(.down)), values.count - 1)
            let fraction = h - Double(lo)
            let low = select(&values, lo)
            // An exact position needs no interpolation (and must not multiply an infinity by 0).
            guard lo + 1 < values.count, fraction > 0 else { return low }
            let high = values[(lo + 1)...].min()!
            return low + fraction * (high - low)
        }

        /// Reorders `values` so that `values[k]` is the `k`-th smallest, nothing before it is
        /// larger and nothing after it smaller (introselect's idea, with a three-way partition
        /// so that runs of equal values — 0/1 signals — cost one pass).
        static func select(_ values: inout [Double], _ k: Int) -> Double {
            values.withUnsafeMutableBufferPointer { a in
                var left = 0, right = a.count - 1
                // Bad pivots again and again (an adversarial order): sort what is left instead.
                var budget = 2 * (Int.bitWidth - a.count.leadingZeroBitCount) + 8
                while left < right {
                    budget -= 1
                    if budget < 0 {
                        var rest = UnsafeMutableBufferPointer(rebasing: a[left...right])
                        rest.sort()
                        return a[k]
                    }
                    // Median of three as the pivot.
                    let mid = left + (right - left) / 2
                    let (x, y, z) = (a[left], a[mid], a[right])
                    let pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y))
                    // Dutch flag: [left, lt) < pivot, [lt, i) == pivot, (gt, right] > pivot.
                    var lt = left, i = left, gt = right
                    while i <= gt {
                        let v = a[i]
                        if v < pivot {
                            a.swapAt(lt, i); lt += 1; i += 1
                        } else if v > pivot {
                            a.swapAt(i, gt); gt -= 1
                        } else {
                            i += 1
                        }
                    }
                    if k < lt { right = lt - 1 } else if k > gt { left = gt + 1 } else { return a[k] }
                }
                return a[k]
            }
        }
    }
}

// MARK: - relops_stddev(x), relops_stddev_pop(x)

extension SQLFunctions {
    /// `relops_stddev` (sample, ddof 1) and `relops_stddev_pop` (population, ddof 0).
    ///
    /// Welford's running mean and sum of squared deviations: one pass, no catastrophic
    /// cancellation when values are large and close together (latencies in nanoseconds).
    enum Spread {
        /// Plain numbers, so SQLite's zeroed aggregate context is already the empty state and
        /// nothing needs releasing.
        struct Group {
            var count: Int64
            var mean: Double
            var m2: Double
        }

        static let step: SQLFunctions.Scalar = { ctx, _, argv in
            guard let argv, let x = SQLFunctions.number(argv[0]) else { return }
            guard let raw = sqlite3_aggregate_context(ctx, Int32(MemoryLayout<Group>.size)) else {
                sqlite3_result_error_nomem(ctx)
                return
            }
            let group = raw.bindMemory(to: Group.self, capacity: 1)
            group.pointee.count += 1
            let delta = x - group.pointee.mean
            group.pointee.mean += delta / Double(group.pointee.count)
            group.pointee.m2 += delta * (x - group.pointee.mean)
        }

        static let finalSample: SQLFunctions.Final = { ctx in finish(ctx, ddof: 1) }
        static let finalPopulation: SQLFunctions.Final = { ctx in finish(ctx, ddof: 0) }

        private static func finish(_ ctx: OpaquePointer?, ddof: Int64) {
            guard let raw = sqlite3_aggregate_context(ctx, 0) else {
                sqlite3_result_null(ctx)
                return
            }
            let group = raw.bindMemory(to: Group.self, capacity: 1).pointee
            guard group.count > ddof, group.count > 0 else {
                sqlite3_result_null(ctx)
                return
            }
            sqlite3_result_double(ctx, (max(group.m2, 0) / Double(group.count - ddof)).squareRoot())
        }
    }
}

// MARK: - regexp(pattern, value)

extension SQLFunctions {
    /// `regexp(pattern, value)`, which SQLite calls for `value REGEXP pattern`: POSIX extended
    /// regular expressions, searched anywhere in the value.
    ///
    /// The compiled pattern is kept as SQLite auxiliary data on the pattern argument, so a
    /// constant pattern in a WHERE clause compiles once per statement, not once per row.
    /// A leading `(?i)` (which POSIX lacks) asks for a case-insensitive match.
    enum RegularExpression {
        static let match: SQLFunctions.Scalar = { ctx, _, argv in
            guard let argv else { return }
            let patternValue = argv[0], subjectValue = argv[1]
            guard sqlite3_value_type(patternValue) != SQLITE_NULL, sqlite3_value_type(subjectValue) != SQLITE_NULL else {
                sqlite3_result_null(ctx)
                return
            }
            var compiled = sqlite3_get_auxdata(ctx, 0)?.assumingMemoryBound(to: regex_t.self)
            let isNew = compiled == nil
            if compiled == nil {
                switch compile(patternValue) {
                case .success(let regex): compiled = regex
                case .failure(let error):
                    sqlite3_result_error(ctx, error.message, -1)
                    return
                }
            }
            guard let compiled else { return }
            let subject = sqlite3_value_text(subjectValue).map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
            let matched = regexec(compiled, subject ?? Statement.emptyCString, 0, nil, 0) == 0
            sqlite3_result_int(ctx, matched ? 1 : 0)
            // SQLite may free the data at once (a non-constant pattern), so hand it over last.
            if isNew { sqlite3_set_auxdata(ctx, 0, compiled, release) }
        }

        private struct CompileError: Error {
            let message: String
        }

        /// Compiles the pattern text into a heap-allocated `regex_t`, or says why it is invalid.
        private static func compile(_ value: OpaquePointer?) -> Result<UnsafeMutablePointer<regex_t>, CompileError> {
            let bytes = sqlite3_value_text(value)
            let count = Int(sqlite3_value_bytes(value))
            let original = bytes.map { String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self) } ?? ""
            var pattern = original
            var flags = REG_EXTENDED | REG_NOSUB
            if pattern.hasPrefix("(?i)") {
                pattern.removeFirst(4)
                flags |= REG_ICASE
            }
            let regex = UnsafeMutablePointer<regex_t>.allocate(capacity: 1)
            let rc = regcomp(regex, pattern, flags)
            guard rc == 0 else {
                var buffer = [CChar](repeating: 0, count: 256)
                regerror(rc, regex, &buffer, buffer.count)
                let reason = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                // A failed regcomp leaves nothing to regfree.
                regex.deallocate()
                return .failure(CompileError(message: "invalid regular expression `\(original)`: \(reason)"))
            }
            return .success(regex)
        }

        private static let release: @convention(c) (UnsafeMutableRawPointer?) -> Void = { pointer in
            guard let regex = pointer?.assumingMemoryBound(to: regex_t.self) else { return }
            regfree(regex)
            regex.deallocate()
        }
    }
}

// MARK: - relops_time(ns), relops_date(ns)

extension SQLFunctions {
    /// `relops_time(ns)` and `relops_date(ns)`: Unix nanoseconds as RFC 3339 UTC text and as the
    /// UTC calendar day, the same text the store and the shell show.
    enum TimeText {
        static let time: SQLFunctions.Scalar = { ctx, _, argv in
            guard let argv, let ns = nanoseconds(argv[0]) else {
                sqlite3_result_null(ctx)
                return
            }
            SQLFunctions.result(ctx, text: Timestamp.iso8601(nanoseconds: ns))
        }

        static let date: SQLFunctions.Scalar = { ctx, _, argv in
            guard let argv, let ns = nanoseconds(argv[0]) else {
                sqlite3_result_null(ctx)
                return
            }
            let nanosPerDay: Int64 = 86_400 * 1_000_000_000
            var days = ns / nanosPerDay
            if ns % nanosPerDay < 0 { days -= 1 }
            let (year, month, day) = Timestamp.civil(fromDays: days)
            // Int64 nanoseconds span the years 1677–2262: always four digits.
            var text: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 45, 0, 0, 45, 0, 0)
            withUnsafeMutableBytes(of: &text) { bytes in
                func put(_ value: Int64, at offset: Int, width: Int) {
                    var value = value
                    for i in stride(from: offset + width - 1, through: offset, by: -1) {
                        bytes[i] = UInt8(48 + value % 10)
                        value /= 10
                    }
                }
                put(year, at: 0, width: 4)
                put(month, at: 5, width: 2)
                put(day, at: 8, width: 2)
                sqlite3_result_text(ctx, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), 10, relops_sqlite_transient())
            }
        }

        /// The integer nanoseconds in `value`; reals are truncated toward zero. Nil for NULL,
        /// text that is not a number, and reals outside Int64.
        private static func nanoseconds(_ value: OpaquePointer?) -> Int64? {
            switch sqlite3_value_numeric_type(value) {
            case SQLITE_INTEGER: return sqlite3_value_int64(value)
            case SQLITE_FLOAT:
                // Int64(exactly:) is nil for NaN, infinities and out-of-range values.
                return Int64(exactly: sqlite3_value_double(value).rounded(.towardZero))
            default: return nil
            }
        }
    }
}

// MARK: - relops_fingerprint(text)

extension SQLFunctions {
    /// `relops_fingerprint(x)`: a 64-bit hash of a value's text (its bytes as stored) as a
    /// signed integer; NULL for NULL. Comparisons over many rows (`diff`: is the output the
    /// same?) read one integer a row instead of whole texts. Eight bytes a step with a
    /// multiply-xorshift mix and murmur3's finaliser: built to tell texts apart, not to resist
    /// an adversary.
    enum Fingerprint {
        static let hash64: SQLFunctions.Scalar = { ctx, _, argv in
            guard let argv else { return }
            let value = argv[0]
            if sqlite3_value_type(value) == SQLITE_NULL {
                sqlite3_result_null(ctx)
                return
            }
            // Text first (its byte count is only right after the conversion).
            let pointer = sqlite3_value_text(value)
            let count = Int(sqlite3_value_bytes(value))
            sqlite3_result_int64(ctx, Int64(bitPattern: hash(UnsafeRawBufferPointer(start: pointer, count: count))))
        }

        /// `relops_fingerprint(a, b, …)` with two or more arguments: a 64-bit hash of the tuple,
        /// each argument's text hashed and folded in order; NULL is a value of its own (never
        /// NULL as a result). `explain` reads each trace's combination of fifteen dimension
        /// values as one integer without building their concatenation.
        static let tuple64: SQLFunctions.Scalar = { ctx, argc, argv in
            guard let argv else { return }
            var h: UInt64 = 0x1319_8A2E_0370_7344 ^ UInt64(argc)
            for i in 0..<Int(argc) {
                let value = argv[i]
                let part: UInt64
                if sqlite3_value_type(value) == SQLITE_NULL {
                    part = 0x5851_F42D_4C95_7F2D
                } else {
                    let pointer = sqlite3_value_text(value)
                    part = hash(UnsafeRawBufferPointer(start: pointer, count: Int(sqlite3_value_bytes(value))))
                }
                // Order matters: (a, b) and (b, a) differ.
                h = (h ^ part) &* 0x9E37_79B9_7F4A_7C15
                h ^= h >> 29
            }
            sqlite3_result_int64(ctx, Int64(bitPattern: h))
        }

        @inline(__always)
        static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
            let k: UInt64 = 0x9E37_79B9_7F4A_7C15
            var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ (UInt64(bytes.count) &* k)
            var i = 0
            while i + 8 <= bytes.count {
                let word = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                h = (h ^ word) &* k
                h ^= h >> 32
                i += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < bytes.count {
                tail |= UInt64(bytes[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ tail) &* k
            // murmur3 fmix64
            h ^= h >> 33
            h = h &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 33
            h = h &* 0xC4CE_B9FE_1A85_EC53
            h ^= h >> 33
            return h
        }
    }
}
