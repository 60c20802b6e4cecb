import Foundation
import Ingest
import Store

/// An attribute value in the native line shape: text, a number, a flag, or a list of those.
enum AttributeValue {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case strings([String])
    case doubles([Double])
}

/// One span, ready to be written as a line of the bench's native shape.
///
/// Attributes are an ordered list, not a dictionary, so that the same seed always writes the
/// same bytes: the demo's determinism test compares files byte for byte.
struct SpanLine {
    var traceID: String
    var spanID: String
    var parentSpanID: String?
    var kind: String
    var name: String
    var start: Int64
    var end: Int64
    var statusMessage: String?
    var attributes: [(String, AttributeValue)]

    /// Appends the span as one JSON object and a newline.
    func write(into out: inout String) {
        out += #"{"trace_id":""#
        out += traceID
        out += #"","span_id":""#
        out += spanID
        out += #"","parent_span_id":"#
        if let parentSpanID {
            out += "\"" + parentSpanID + "\""
        } else {
            out += "null"
        }
        out += #","kind":""#
        out += kind
        out += #"","name":"#
        JSONText.appendString(name, to: &out)
        out += #","start_time":""#
        out += DemoTime.rfc3339(micros: start)
        out += #"","end_time":""#
        out += DemoTime.rfc3339(micros: end)
        out += #"","status":""#
        out += statusMessage == nil ? "ok" : "error"
        out += "\""
        if let statusMessage {
            out += #","status_message":"#
            JSONText.appendString(statusMessage, to: &out)
        }
        out += #","attributes":{"#
        for (index, (key, value)) in attributes.enumerated() {
            if index > 0 { out += "," }
            JSONText.appendString(key, to: &out)
            out += ":"
            JSONText.appendValue(value, to: &out)
        }
        out += "}}\n"
    }
}

/// JSON text for the few value types the demo writes (escaping and number format are
/// relops' own `JSONWriter`'s).
enum JSONText {
    static func appendValue(_ value: AttributeValue, to out: inout String) {
        switch value {
        case .string(let s): appendString(s, to: &out)
        case .int(let i): out += String(i)
        case .double(let d): out += number(d)
        case .bool(let b): out += b ? "true" : "false"
        case .strings(let list):
            out += "["
            for (i, s) in list.enumerated() {
                if i > 0 { out += "," }
                appendString(s, to: &out)
            }
            out += "]"
        case .doubles(let list):
            out += "["
            out += list.map(number).joined(separator: ",")
            out += "]"
        }
    }

    static func number(_ d: Double) -> String {
        precondition(d.isFinite, "the demo writes only finite numbers")
        return JSONWriter.format(d)
    }

    static func appendString(_ s: String, to out: inout String) {
        JSONWriter.appendString(s, to: &out)
    }
}

/// Time as microseconds since the Unix epoch; calendar arithmetic is the store's `Timestamp`.
enum DemoTime {
    static let microsPerSecond: Int64 = 1_000_000
    static let microsPerMinute: Int64 = 60 * microsPerSecond
    static let microsPerHour: Int64 = 60 * microsPerMinute
    static let microsPerDay: Int64 = 24 * microsPerHour

    static func days(year: Int, month: Int, day: Int) -> Int64 {
        Timestamp.days(fromCivil: Int64(year), Int64(month), Int64(day))
    }

    static func civil(days: Int64) -> (year: Int, month: Int, day: Int) {
        let (y, m, d) = Timestamp.civil(fromDays: days)
        return (Int(y), Int(m), Int(d))
    }

    static func micros(year: Int, month: Int, day: Int, hour: Int = 0) -> Int64 {
        days(year: year, month: month, day: day) * microsPerDay + Int64(hour) * microsPerHour
    }

    /// `2026-11-15T09:30:00.123456Z`, the span time format of the native shape.
    static func rfc3339(micros: Int64) -> String {
        Timestamp.iso8601(nanoseconds: micros * 1_000)
    }

    /// `2026-11-15T00:00:00Z`, for the truth's whole-second instants.
    static func rfc3339Seconds(micros: Int64) -> String {
        let full = rfc3339(micros: micros)
        return String(full.prefix(19)) + "Z"
    }

    /// `20261118`, as index builds and releases are named.
    static func compactDate(micros: Int64) -> String {
        let (year, month, day) = civil(days: floorDiv(micros, microsPerDay))
        return pad(year, 4) + pad(month, 2) + pad(day, 2)
    }

    /// `2026.11.18`, the release naming scheme.
    static func dottedDate(micros: Int64) -> String {
        let (year, month, day) = civil(days: floorDiv(micros, microsPerDay))
        return pad(year, 4) + "." + pad(month, 2) + "." + pad(day, 2)
    }

    /// Weekday of a day count, 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
    static func weekday(days: Int64) -> Int {
        Int(((days % 7) + 7 + 3) % 7)
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

/// Lower-case hex ids and short content hashes.
enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func id(_ value: UInt64, width: Int = 16) -> String {
        var bytes = [UInt8](repeating: 0, count: width)
        var v = value
        for i in stride(from: width - 1, through: 0, by: -1) {
            bytes[i] = digits[Int(v & 0xF)]
            v >>= 4
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// FNV-1a over the text, as the first `width` hex digits: a stable stand-in for the
    /// content hashes (prompt, config) that real apps compute with SHA-256.
    static func hash(_ text: String, width: Int = 12) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        // One more mixing round so that similar texts do not share leading digits.
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return String(id(h).prefix(width))
    }
}
