import Foundation

/// Conversions between Unix nanoseconds and RFC 3339 text, without Foundation's date
/// formatters (too slow for millions of rows, and locale-sensitive).
public enum Timestamp {
    /// `2026-11-01T00:01:16.046847Z`: UTC, microseconds, sorts as text.
    public static func iso8601(nanoseconds ns: Int64) -> String {
        var seconds = ns / 1_000_000_000
        var nanos = ns % 1_000_000_000
        if nanos < 0 { nanos += 1_000_000_000; seconds -= 1 }
        let micros = nanos / 1_000
        var days = seconds / 86_400
        var secOfDay = seconds % 86_400
        if secOfDay < 0 { secOfDay += 86_400; days -= 1 }
        let (y, m, d) = civil(fromDays: days)
        let hh = secOfDay / 3600, mm = (secOfDay % 3600) / 60, ss = secOfDay % 60
        if (0...9999).contains(y) {
            // The common case written as bytes: no intermediate strings (a query may format millions).
            return String(unsafeUninitializedCapacity: 27) { b in
                func put(_ v: Int64, _ width: Int, at start: Int) {
                    var v = v
                    for i in stride(from: start + width - 1, through: start, by: -1) {
                        b[i] = UInt8(48 + v % 10)
                        v /= 10
                    }
                }
                put(y, 4, at: 0); b[4] = 45; put(m, 2, at: 5); b[7] = 45; put(d, 2, at: 8); b[10] = 84
                put(hh, 2, at: 11); b[13] = 58; put(mm, 2, at: 14); b[16] = 58; put(ss, 2, at: 17); b[19] = 46
                put(micros, 6, at: 20); b[26] = 90
                return 27
            }
        }
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T" + pad(hh, 2) + ":" + pad(mm, 2) + ":"
            + pad(ss, 2) + "." + pad(micros, 6) + "Z"
    }

    /// Parses RFC 3339 / ISO 8601 (`2026-11-01T00:01:16.046847Z`, `+02:00` offsets, a date alone,
    /// a space for `T`) into Unix nanoseconds; nil if it is not such a timestamp.
    public static func parse(_ text: String) -> Int64? {
        var utf8 = Array(text.utf8)
        return utf8.withUnsafeMutableBufferPointer { parse(UnsafeRawBufferPointer($0)) }
    }

    public static func parse(_ b: UnsafeRawBufferPointer) -> Int64? {
        var i = 0
        let n = b.count
        func digits(_ count: Int) -> Int64? {
            guard i + count <= n else { return nil }
            var v: Int64 = 0
            for _ in 0..<count {
                let c = b[i]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int64(c - 48)
                i += 1
            }
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < n, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let y = digits(4), expect(45), let mo = digits(2), expect(45), let d = digits(2),
              (1...12).contains(mo), (1...31).contains(d) else { return nil }
        var secs = days(fromCivil: y, mo, d) * 86_400
        var nanos: Int64 = 0
        if i < n {
            guard b[i] == 84 || b[i] == 116 || b[i] == 32 else { return nil } // T t space
            i += 1
            guard let hh = digits(2), expect(58), let mm = digits(2), hh < 24, mm < 60 else { return nil }
            secs += hh * 3600 + mm * 60
            if expect(58) {
                guard let ss = digits(2), ss <= 60 else { return nil }
                secs += ss
                if i < n, b[i] == 46 || b[i] == 44 {
                    i += 1
                    var scale: Int64 = 100_000_000
                    var any = false
                    while i < n, b[i] >= 48, b[i] <= 57 {
                        nanos += Int64(b[i] - 48) * scale
                        scale /= 10
                        i += 1
                        any = true
                    }
                    guard any else { return nil }
                }
            }
            if i < n {
                if b[i] == 90 || b[i] == 122 { i += 1 }
                else if b[i] == 43 || b[i] == 45 {
                    let sign: Int64 = b[i] == 43 ? 1 : -1
                    i += 1
                    guard let oh = digits(2) else { return nil }
                    _ = expect(58)
                    guard let om = digits(2) else { return nil }
                    secs -= sign * (oh * 3600 + om * 60)
                } else { return nil }
            }
        }
        guard i == n else { return nil }
        // Nanoseconds since 1970 fit in Int64 for the years 1678–2262.
        let (scaled, overflow) = secs.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return nil }
        let (total, overflow2) = scaled.addingReportingOverflow(nanos)
        return overflow2 ? nil : total
    }

    private static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    // Howard Hinnant's days-from-civil algorithms.
    /// Days since 1970-01-01 of a proleptic Gregorian date.
    public static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The (year, month, day) of a day count since 1970-01-01.
    public static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
