/// Writes JSON text: compact, keys in the order given, strings escaped per RFC 8259.
public struct JSONWriter {
    public private(set) var output = ""

    public init() {}

    public mutating func write(_ value: JSON) {
        switch value {
        case .null: output += "null"
        case .bool(let b): output += b ? "true" : "false"
        case .integer(let i): output += String(i)
        case .double(let d): output += Self.format(d)
        case .string(let s): writeString(s)
        case .array(let items):
            output += "["
            for (i, item) in items.enumerated() {
                if i > 0 { output += "," }
                write(item)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (i, (key, item)) in members.enumerated() {
                if i > 0 { output += "," }
                writeString(key)
                output += ":"
                write(item)
            }
            output += "}"
        }
    }

    public mutating func writeString(_ s: String) {
        Self.appendString(s, to: &output)
    }

    /// Appends `s` as a JSON string literal (quoted, escaped per RFC 8259).
    public static func appendString(_ s: String, to output: inout String) {
        output += "\""
        var needsEscape = false
        for b in s.utf8 where b < 0x20 || b == 0x22 || b == 0x5C {
            needsEscape = true
            break
        }
        if !needsEscape {
            output += s
        } else {
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": output += "\\\""
                case "\\": output += "\\\\"
                case "\n": output += "\\n"
                case "\r": output += "\\r"
                case "\t": output += "\\t"
                case "\u{08}": output += "\\b"
                case "\u{0C}": output += "\\f"
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        output.unicodeScalars.append(scalar)
                    }
                }
            }
        }
        output += "\""
    }

    /// Doubles as JSON numbers: integral values without a fraction, non-finite as null.
    public static func format(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }
}
