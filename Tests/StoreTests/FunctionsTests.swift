import Foundation
import Testing
@testable import Store

/// The SQL functions every connection gets, checked by running SQL against a real store file.
///
/// Expected numbers come from independent sources, not from this implementation: percentiles
/// from numpy 2.4.6 `numpy.quantile(values, q)` (default method, 'linear'), spreads from
/// Python's `statistics.stdev` / `statistics.pstdev`, times from Python's `datetime`, and
/// regex error texts from glibc's `regerror` called through Python's ctypes.
@Suite struct FunctionsTests {
    func temporaryPath() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relops-store-\(getpid())-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("store.db").path
    }

    /// A store with table `v(g, x)` holding `values` in group `group`.
    func store(_ values: [SQLValue], group: String = "a") throws -> Database {
        let db = try Database(path: temporaryPath())
        try db.execute("CREATE TABLE v (g TEXT, x)")
        try insert(values, group: group, into: db)
        return db
    }

    func insert(_ values: [SQLValue], group: String, into db: Database) throws {
        for value in values {
            try db.run("INSERT INTO v (g, x) VALUES (?, ?)", [.text(group), value])
        }
    }

    func real(_ value: SQLValue, sourceLocation: SourceLocation = #_sourceLocation) -> Double? {
        guard case .real(let d) = value else {
            Issue.record("expected a REAL, got \(value)", sourceLocation: sourceLocation)
            return nil
        }
        return d
    }

    func expectClose(_ value: SQLValue, _ expected: Double, tolerance: Double = 1e-9,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        guard let actual = real(value, sourceLocation: sourceLocation) else { return }
        let scale = max(1, abs(expected))
        #expect(abs(actual - expected) <= tolerance * scale, "got \(actual), expected \(expected)", sourceLocation: sourceLocation)
    }

    func message(of body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return (error as? StoreError)?.message
        }
    }

    // MARK: relops_percentile

    static let sample: [Double] = [12.5, 3, 7, 7, 100, -4.25, 0, 55.5, 7, 19, 23.75, 1000]

    /// numpy.quantile(sample, q).
    static let sampleQuantiles: [(q: Double, expected: Double)] = [
        (0, -4.25), (0.25, 6.0), (0.5, 9.75), (0.9, 95.55000000000001), (0.95, 504.9999999999994),
        (0.99, 901.0000000000005), (1, 1000.0),
    ]

    @Test(arguments: sampleQuantiles)
    func percentileMatchesNumpyLinear(q: Double, expected: Double) throws {
        let db = try store(Self.sample.map(SQLValue.real))
        expectClose(try db.scalar("SELECT relops_percentile(x, ?) FROM v", [.real(q)]), expected, tolerance: 1e-12)
    }

    @Test func percentileIgnoresNullsAndTextThatIsNotANumber() throws {
        // Numeric text counts (SQLite's numeric affinity), other text and NULLs do not.
        let values = Self.sample.map(SQLValue.real) + [.null, .text("n/a"), .null, .blob([1, 2])]
        let db = try store(values)
        expectClose(try db.scalar("SELECT relops_percentile(x, 0.5) FROM v"), 9.75, tolerance: 1e-12)
        try insert([.text("1000")], group: "a", into: db)
        // numpy.quantile(sample + [1000], 0.5) == 12.5
        expectClose(try db.scalar("SELECT relops_percentile(x, 0.5) FROM v"), 12.5, tolerance: 1e-12)
    }

    @Test func percentileOfIntegersIsReal() throws {
        let db = try store([1, 2, 3, 4].map(SQLValue.integer))
        // numpy.quantile([1, 2, 3, 4], 0.9) == 3.7; numpy.quantile([1, 2, 3, 4], 0) == 1.0
        expectClose(try db.scalar("SELECT relops_percentile(x, 0.9) FROM v"), 3.7, tolerance: 1e-12)
        #expect(try db.scalar("SELECT relops_percentile(x, 0) FROM v") == .real(1))
    }

    @Test func percentileOfOneValueIsThatValue() throws {
        let db = try store([.real(42)])
        for q in [0, 0.5, 0.9, 1] {
            #expect(try db.scalar("SELECT relops_percentile(x, ?) FROM v", [.real(q)]) == .real(42))
        }
    }

    @Test func percentileWithTiesAndNegatives() throws {
        let ties = try store([5, 5, 5, 5, 1, 9].map(SQLValue.integer))
        // numpy.quantile([5, 5, 5, 5, 1, 9], [0.1, 0.5, 0.9]) == [3.0, 5.0, 7.0]
        expectClose(try ties.scalar("SELECT relops_percentile(x, 0.1) FROM v"), 3.0, tolerance: 1e-12)
        expectClose(try ties.scalar("SELECT relops_percentile(x, 0.5) FROM v"), 5.0, tolerance: 1e-12)
        expectClose(try ties.scalar("SELECT relops_percentile(x, 0.9) FROM v"), 7.0, tolerance: 1e-12)

        let negatives = try store([-10, -3.5, -7, -1].map(SQLValue.real))
        // numpy.quantile([-10, -3.5, -7, -1], [0.3, 0.5]) == [-7.300000000000001, -5.25]
        expectClose(try negatives.scalar("SELECT relops_percentile(x, 0.3) FROM v"), -7.300000000000001, tolerance: 1e-12)
        expectClose(try negatives.scalar("SELECT relops_percentile(x, 0.5) FROM v"), -5.25, tolerance: 1e-12)
    }

    /// The selection agrees with interpolating between neighbours of a full sort, on random
    /// samples with and without ties, sorted and reversed inputs, and every q on a grid.
    @Test func percentileBySelectionEqualsBySort() {
        var generator = SystemRandomNumberGenerator()
        for size in [1, 2, 3, 10, 101, 1000, 5000] {
            for shape in 0..<4 {
                var values: [Double] = (0..<size).map { _ in
                    shape == 1 ? Double(Int.random(in: 0...2, using: &generator)) : Double.random(in: -1e3...1e3, using: &generator)
                }
                if shape == 2 { values.sort() }
                if shape == 3 { values.sort(by: >) }
                let sorted = values.sorted()
                for q in stride(from: 0.0, through: 1.0, by: 0.05) {
                    let h = Double(size - 1) * q, lo = Int(h.rounded(.down)), f = h - Double(lo)
                    let expected = lo + 1 < size && f > 0 ? sorted[lo] + f * (sorted[lo + 1] - sorted[lo]) : sorted[lo]
                    var copy = values
                    #expect(SQLFunctions.Percentile.quantile(of: &copy, q: q) == expected, "size \(size) shape \(shape) q \(q)")
                }
            }
        }
    }

    @Test func percentileOfNoValuesIsNull() throws {
        let db = try store([.null, .null])
        #expect(try db.scalar("SELECT relops_percentile(x, 0.5) FROM v") == .null)
        #expect(try db.scalar("SELECT relops_percentile(x, 0.5) FROM v WHERE 0") == .null)
    }

    @Test func percentilePerGroup() throws {
        let db = try store([1, 2, 3, 4].map(SQLValue.integer), group: "a")
        try insert([10, 20, 30, 40, 50, 60, 70].map(SQLValue.integer), group: "b", into: db)
        try insert([.null], group: "c", into: db)
        let rows = try db.query("SELECT g, relops_percentile(x, 0.9) FROM v GROUP BY g ORDER BY g").rows
        #expect(rows.count == 3)
        guard rows.count == 3 else { return }
        // numpy.quantile([1, 2, 3, 4], 0.9) == 3.7; numpy.quantile([10, 20, ..., 70], 0.9) == 64.0
        expectClose(rows[0][1], 3.7, tolerance: 1e-12)
        expectClose(rows[1][1], 64.0, tolerance: 1e-12)
        #expect(rows[2][1] == .null)
    }

    @Test func percentileOverManyRows() throws {
        let db = try Database(path: temporaryPath())
        let series = "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 1000000) "
        let rows = try db.query(series + "SELECT relops_percentile((i * 7919) % 1000003, 0.5), relops_percentile((i * 7919) % 1000003, 0.99) FROM s").rows
        // numpy.quantile([(i * 7919) % 1000003 for i in range(1, 1000001)], [0.5, 0.99]) == [500000.5, 990001.01]
        expectClose(rows[0][0], 500000.5, tolerance: 1e-12)
        expectClose(rows[0][1], 990001.01, tolerance: 1e-12)
    }

    @Test(arguments: [SQLValue.real(1.5), .real(-0.1), .null, .text("median")])
    func percentileRefusesAQOutsideZeroToOne(q: SQLValue) throws {
        let db = try store([.real(1), .real(2)])
        #expect(message { _ = try db.scalar("SELECT relops_percentile(x, ?) FROM v", [q]) } == "percentile: q must be between 0 and 1")
    }

    // MARK: relops_stddev, relops_stddev_pop

    @Test func standardDeviationsMatchPythonStatistics() throws {
        let db = try store(Self.sample.map(SQLValue.real) + [.null, .text("n/a")])
        // statistics.stdev(sample), statistics.pstdev(sample)
        expectClose(try db.scalar("SELECT relops_stddev(x) FROM v"), 284.15074491074864)
        expectClose(try db.scalar("SELECT relops_stddev_pop(x) FROM v"), 272.0536258667071)
    }

    @Test func standardDeviationsOfLargeCloseValuesKeepTheirPrecision() throws {
        // A naive sum of squares loses every digit here; statistics.stdev([1e9+4, 1e9+7, 1e9+13, 1e9+16])
        // == sqrt(30) == 5.477225575051661 and pstdev == sqrt(22.5) == 4.743416490252569.
        let db = try store([4, 7, 13, 16].map { SQLValue.real(1e9 + $0) })
        expectClose(try db.scalar("SELECT relops_stddev(x) FROM v"), 5.477225575051661)
        expectClose(try db.scalar("SELECT relops_stddev_pop(x) FROM v"), 4.743416490252569)
    }

    @Test func standardDeviationsOfFewValues() throws {
        let empty = try store([.null])
        #expect(try empty.scalar("SELECT relops_stddev(x) FROM v") == .null)
        #expect(try empty.scalar("SELECT relops_stddev_pop(x) FROM v") == .null)

        let one = try store([.integer(7)])
        #expect(try one.scalar("SELECT relops_stddev(x) FROM v") == .null)
        #expect(try one.scalar("SELECT relops_stddev_pop(x) FROM v") == .real(0))

        let two = try store([.real(2.5), .real(-1.5)])
        // statistics.stdev([2.5, -1.5]) == 2.8284271247461903; pstdev == 2.0
        expectClose(try two.scalar("SELECT relops_stddev(x) FROM v"), 2.8284271247461903)
        expectClose(try two.scalar("SELECT relops_stddev_pop(x) FROM v"), 2.0)
    }

    @Test func standardDeviationsPerGroup() throws {
        let db = try store([.real(2.5), .real(-1.5)], group: "a")
        try insert([.integer(5)], group: "b", into: db)
        let rows = try db.query("SELECT g, relops_stddev(x), relops_stddev_pop(x) FROM v GROUP BY g ORDER BY g").rows
        #expect(rows.count == 2)
        guard rows.count == 2 else { return }
        expectClose(rows[0][1], 2.8284271247461903)
        expectClose(rows[0][2], 2.0)
        #expect(rows[1][1] == .null)
        #expect(rows[1][2] == .real(0))
    }

    // MARK: regexp

    static let matches: [(value: String, pattern: String, expected: Int64)] = [
        ("checkout-service", "^checkout", 1),
        ("checkout-service", "service$", 1),
        ("checkout-service", "out-s", 1),
        ("checkout-service", "^service", 0),
        ("gpt-4o-mini", "gpt-(4|5)o?", 1),
        ("gpt-3.5", "gpt-(4|5)", 0),
        ("error 503", "[0-9]{3}", 1),
        ("error 50", "[0-9]{3}", 0),
        ("", "^$", 1),
        ("TimeoutError", "timeout", 0),
        ("TimeoutError", "(?i)timeout", 1),
        ("TimeoutError", "(?i)^TIMEOUTERROR$", 1),
        ("TimeoutError", "(?i)refused", 0),
    ]

    @Test(arguments: matches)
    func regexpMatchesPosixExtended(value: String, pattern: String, expected: Int64) throws {
        let db = try Database(path: temporaryPath())
        #expect(try db.scalar("SELECT ? REGEXP ?", [.text(value), .text(pattern)]) == .integer(expected))
        #expect(try db.scalar("SELECT regexp(?, ?)", [.text(pattern), .text(value)]) == .integer(expected))
    }

    @Test func regexpOfNullIsNull() throws {
        let db = try Database(path: temporaryPath())
        #expect(try db.scalar("SELECT NULL REGEXP 'a'") == .null)
        #expect(try db.scalar("SELECT 'a' REGEXP NULL") == .null)
        // Numbers are matched as their text.
        #expect(try db.scalar("SELECT 503 REGEXP '^5[0-9]+$'") == .integer(1))
    }

    /// glibc's regerror texts (`ctypes` calling `regcomp(…, REG_EXTENDED | REG_NOSUB)` and `regerror`).
    static let invalidPatterns: [(pattern: String, reason: String)] = [
        ("a(b", "Unmatched ( or \\("),
        ("[z-a]", "Invalid range end"),
        ("(?i)a{2,1}", "Invalid content of \\{\\}"),
    ]

    @Test(arguments: invalidPatterns)
    func regexpSaysWhyAPatternIsInvalid(pattern: String, reason: String) throws {
        let db = try Database(path: temporaryPath())
        let text = message { _ = try db.scalar("SELECT 'abc' REGEXP ?", [.text(pattern)]) }
        #expect(text?.hasPrefix("invalid regular expression `\(pattern)`: ") == true, "\(text ?? "no error")")
        #if os(Linux)
        #expect(text == "invalid regular expression `\(pattern)`: \(reason)")
        #endif
    }

    @Test func regexpFiltersManyRows() throws {
        let db = try Database(path: temporaryPath())
        try db.execute("""
            CREATE TABLE services (name TEXT);
            WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 5000)
            INSERT INTO services SELECT 'svc-' || i FROM s;
            """)
        // svc-10 … svc-29: twenty names.
        #expect(try db.scalar("SELECT count(*) FROM services WHERE name REGEXP '^svc-(1|2)[0-9]$'") == .integer(20))
        // svc-1, svc-1x, svc-1xx, svc-1xxx: 1 + 10 + 100 + 1000.
        #expect(try db.scalar("SELECT count(*) FROM services WHERE name REGEXP ?", [.text("(?i)^SVC-1[0-9]*$")]) == .integer(1111))
    }

    @Test func regexpWithAPatternPerRow() throws {
        // A pattern that changes from row to row must not reuse another row's compiled pattern.
        let db = try Database(path: temporaryPath())
        try db.execute("""
            CREATE TABLE rules (id INTEGER, pattern TEXT, subject TEXT);
            INSERT INTO rules VALUES (1, '^a', 'abc'), (2, '^b', 'abc'), (3, 'c$', 'abc'), (4, '^a', 'bca'), (5, NULL, 'x');
            """)
        let rows = try db.query("SELECT id, subject REGEXP pattern FROM rules ORDER BY id").rows
        #expect(rows.map { $0[1] } == [.integer(1), .integer(0), .integer(1), .integer(0), .null])
    }

    // MARK: relops_time, relops_date

    /// Python: `datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=s, microseconds=n // 1000)`
    /// with `s, n = divmod(ns, 10**9)`, formatted `%Y-%m-%dT%H:%M:%S.%fZ`, and its `.date()`.
    static let instants: [(ns: Int64, time: String, date: String)] = [
        (0, "1970-01-01T00:00:00.000000Z", "1970-01-01"),
        (1_764_000_000_123_456_789, "2025-11-24T16:00:00.123456Z", "2025-11-24"),
        (-1, "1969-12-31T23:59:59.999999Z", "1969-12-31"),
        (-86_400_000_000_001, "1969-12-30T23:59:59.999999Z", "1969-12-30"),
        (-2_208_988_799_999_999_001, "1900-01-01T00:00:00.000000Z", "1900-01-01"),
        (951_782_400_000_000_000, "2000-02-29T00:00:00.000000Z", "2000-02-29"),
    ]

    @Test(arguments: instants)
    func timeAndDateOfKnownInstants(ns: Int64, time: String, date: String) throws {
        let db = try Database(path: temporaryPath())
        #expect(try db.scalar("SELECT relops_time(?)", [.integer(ns)]) == .text(time))
        #expect(try db.scalar("SELECT relops_date(?)", [.integer(ns)]) == .text(date))
    }

    @Test func timeOfARealIsTruncatedTowardZero() throws {
        let db = try Database(path: temporaryPath())
        // 1.5000000009e18 is exact in a double: 1_500_000_000 s and 0.9 s, 2017-07-14T02:40:00.900000Z in Python.
        #expect(try db.scalar("SELECT relops_time(1500000000.9e9)") == .text("2017-07-14T02:40:00.900000Z"))
        #expect(try db.scalar("SELECT relops_date(1500000000.9e9)") == .text("2017-07-14"))
        // -1000.5 ns truncates to -1000 ns (…59.999999Z); flooring to -1001 ns would give …59.998999 → .999998Z.
        #expect(try db.scalar("SELECT relops_time(-1000.5)") == .text("1969-12-31T23:59:59.999999Z"))
        #expect(try db.scalar("SELECT relops_time(1999.9)") == .text("1970-01-01T00:00:00.000001Z"))
    }

    @Test func timeAndDateOfNullAreNull() throws {
        let db = try Database(path: temporaryPath())
        for function in ["relops_time", "relops_date"] {
            #expect(try db.scalar("SELECT \(function)(NULL)") == .null)
            #expect(try db.scalar("SELECT \(function)('yesterday')") == .null)
        }
    }

    @Test func dateGroupsRowsByDay() throws {
        let db = try store([0, 3_600_000_000_000, 86_400_000_000_000, -1].map(SQLValue.integer))
        let rows = try db.query("SELECT relops_date(x) AS day, count(*) FROM v GROUP BY day ORDER BY day").rows
        #expect(rows == [[.text("1969-12-31"), .integer(1)], [.text("1970-01-01"), .integer(2)], [.text("1970-01-02"), .integer(1)]])
    }

    /// `relops_fingerprint`: equal texts give equal numbers, and texts that differ anywhere —
    /// in one byte at any position, in length, in a tail shorter than a word — do not collide.
    @Test func fingerprintsTellTextsApart() throws {
        let db = try Database(path: temporaryPath())
        #expect(try db.scalar("SELECT relops_fingerprint(NULL)") == .null)
        #expect(try db.scalar("SELECT relops_fingerprint('same words') = relops_fingerprint('same ' || 'words')") == .integer(1))
        // A number is hashed as its text.
        #expect(try db.scalar("SELECT relops_fingerprint(42) = relops_fingerprint('42')") == .integer(1))
        let base = "Refunds go back to the original payment method within 5 to 7 business days."
        var texts = ["", "a", "b", "ab", "ba", "aaaaaaaa", "aaaaaaaaa", base, base + " ", " " + base]
        var bytes = Array(base.utf8)
        for position in bytes.indices {
            let saved = bytes[position]
            bytes[position] = saved == 0x41 ? 0x42 : 0x41
            texts.append(String(decoding: bytes, as: UTF8.self))
            bytes[position] = saved
        }
        for n in 0..<20_000 { texts.append("order A\(n) is eligible") }
        try db.execute("CREATE TABLE t (x TEXT)")
        let insert = try db.prepare("INSERT INTO t (x) VALUES (?)")
        for text in Set(texts) {
            insert.reset()
            insert.bind(text, at: 1)
            try insert.run()
        }
        let distinct = try db.scalar("SELECT count(DISTINCT relops_fingerprint(x)) = count(*) FROM t")
        #expect(distinct == .integer(1))
    }

    /// `relops_fingerprint(a, b, …)`: a tuple's fingerprint. Order, NULL against empty text and
    /// the boundary between values all count; equal tuples agree; every combination of a grid
    /// of dimension-like values gets its own number.
    @Test func tupleFingerprintsTellCombinationsApart() throws {
        let db = try Database(path: temporaryPath())
        func same(_ a: String, _ b: String) throws -> Bool {
            try db.scalar("SELECT relops_fingerprint(\(a)) = relops_fingerprint(\(b))") == .integer(1)
        }
        #expect(try same("'v1', 'gpt-4o'", "'v' || '1', 'gpt-4o'"))
        #expect(try !same("'v1', 'gpt-4o'", "'gpt-4o', 'v1'"))
        #expect(try !same("NULL, 'x'", "'', 'x'"))
        #expect(try !same("'ab', 'c'", "'a', 'bc'"))
        #expect(try !same("NULL, 'x'", "'x', NULL"))
        #expect(try !same("'a', 'b'", "'a', 'b', NULL"))
        #expect(try db.scalar("SELECT relops_fingerprint(NULL, NULL) IS NOT NULL") == .integer(1))
        try db.execute("""
            CREATE TABLE g AS
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 29)
            SELECT CASE WHEN a.i = 0 THEN NULL ELSE 'v' || a.i END AS p, CASE WHEN b.i = 0 THEN NULL ELSE 'model-' || b.i END AS m,
                   'intent ' || c.i AS t
            FROM n a, n b, n c
            """)
        #expect(try db.scalar("SELECT count(*) FROM g") == .integer(27_000))
        #expect(try db.scalar("SELECT count(DISTINCT relops_fingerprint(p, m, t)) FROM g") == .integer(27_000))
    }
}
