import Foundation

/// A JSON syntax error at a byte offset of the text being parsed.
public struct JSONSyntaxError: Error, Sendable, Equatable {
    public var offset: Int
    public var reason: String
}

/// A small, fast JSON parser over bytes (RFC 8259), cursor based so that a decoder can note
/// where a value starts and ends (the native loader stores the `attributes` object verbatim).
///
/// Foundation's `JSONSerialization` reads ~40k lines/s here; this reads several times that,
/// which matters for millions of spans (../shared/NOTES.md).
public struct JSONParser {
    let bytes: UnsafeRawBufferPointer
    public private(set) var position = 0
    /// Deeper nesting is rejected instead of overflowing the stack.
    public static let maxDepth = 256

    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Parses a whole text holding exactly one JSON value.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONSyntaxError) -> JSON {
        var parser = JSONParser(bytes)
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.position < bytes.count {
            throw JSONSyntaxError(offset: parser.position, reason: "unexpected \(parser.describe(parser.position)) after the JSON value")
        }
        return value
    }

    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSON {
        var copy = text
        let result: Result<JSON, JSONSyntaxError> = copy.withUTF8 { utf8 in
            do throws(JSONSyntaxError) { return .success(try parse(UnsafeRawBufferPointer(utf8))) } catch { return .failure(error) }
        }
        return try result.get()
    }

    public mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    /// The next non-space byte without consuming it, or nil at the end.
    public mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < bytes.count ? bytes[position] : nil
    }

    public mutating func expect(_ byte: UInt8, _ what: String) throws(JSONSyntaxError) {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == byte else {
            throw JSONSyntaxError(offset: position, reason: "expected \(what), found \(describe(position))")
        }
        position += 1
    }

    /// Consumes `byte` if it is next.
    public mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        if position < bytes.count, bytes[position] == byte {
            position += 1
            return true
        }
        return false
    }

    public mutating func parseValue(depth: Int = 0) throws(JSONSyntaxError) -> JSON {
        skipWhitespace()
        guard position < bytes.count else {
            throw JSONSyntaxError(offset: position, reason: "unexpected end of input, expected a value")
        }
        switch bytes[position] {
        case 0x7B: // {
            guard depth < Self.maxDepth else { throw JSONSyntaxError(offset: position, reason: "nesting deeper than \(Self.maxDepth)") }
            position += 1
            var members: [(String, JSON)] = []
            if consume(0x7D) { return .object(members) }
            repeat {
                skipWhitespace()
                guard position < bytes.count, bytes[position] == 0x22 else {
                    throw JSONSyntaxError(offset: position, reason: "expected a member name in quotes, found \(describe(position))")
                }
                let key = try parseString()
                try expect(0x3A, "`:` after a member name")
                members.append((key, try parseValue(depth: depth + 1)))
            } while consume(0x2C)
            try expect(0x7D, "`,` or `}` in an object")
            return .object(members)
        case 0x5B: // [
            guard depth < Self.maxDepth else { throw JSONSyntaxError(offset: position, reason: "nesting deeper than \(Self.maxDepth)") }
            position += 1
            var items: [JSON] = []
            if consume(0x5D) { return .array(items) }
            repeat {
                items.append(try parseValue(depth: depth + 1))
            } while consume(0x2C)
            try expect(0x5D, "`,` or `]` in an array")
            return .array(items)
        case 0x22:
            return .string(try parseString())
        case 0x74: try literal("true"); return .bool(true)
        case 0x66: try literal("false"); return .bool(false)
        case 0x6E: try literal("null"); return .null
        case 0x2D, 0x30...0x39:
            return try parseNumber()
        default:
            throw JSONSyntaxError(offset: position, reason: "expected a value, found \(describe(position))")
        }
    }

    /// Skips one value without building it (validating its syntax); returns its byte range.
    public mutating func skipValue(depth: Int = 0) throws(JSONSyntaxError) -> Range<Int> {
        skipWhitespace()
        let start = position
        guard position < bytes.count else {
            throw JSONSyntaxError(offset: position, reason: "unexpected end of input, expected a value")
        }
        switch bytes[position] {
        case 0x22:
            try skipString()
        case 0x7B:
            guard depth < Self.maxDepth else { throw JSONSyntaxError(offset: position, reason: "nesting deeper than \(Self.maxDepth)") }
            position += 1
            if !consume(0x7D) {
                repeat {
                    skipWhitespace()
                    guard position < bytes.count, bytes[position] == 0x22 else {
                        throw JSONSyntaxError(offset: position, reason: "expected a member name in quotes, found \(describe(position))")
                    }
                    try skipString()
                    try expect(0x3A, "`:` after a member name")
                    _ = try skipValue(depth: depth + 1)
                } while consume(0x2C)
                try expect(0x7D, "`,` or `}` in an object")
            }
        case 0x5B:
            guard depth < Self.maxDepth else { throw JSONSyntaxError(offset: position, reason: "nesting deeper than \(Self.maxDepth)") }
            position += 1
            if !consume(0x5D) {
                repeat { _ = try skipValue(depth: depth + 1) } while consume(0x2C)
                try expect(0x5D, "`,` or `]` in an array")
            }
        default:
            _ = try parseValue(depth: depth)
        }
        return start..<position
    }

    /// Skips a string at the cursor (on its opening quote), checking escapes and control bytes.
    public mutating func skipString() throws(JSONSyntaxError) {
        let open = position
        position += 1
        while position < bytes.count {
            let c = bytes[position]
            if c == 0x22 { position += 1; return }
            if c < 0x20 { throw JSONSyntaxError(offset: position, reason: "control character in a string (escape it)") }
            if c == 0x5C {
                guard position + 1 < bytes.count else { break }
                switch bytes[position + 1] {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: position += 2
                case 0x75:
                    position += 2
                    _ = try hex4()
                default:
                    throw JSONSyntaxError(offset: position, reason: "invalid escape in a string")
                }
                continue
            }
            position += 1
        }
        throw JSONSyntaxError(offset: open, reason: "unterminated string")
    }

    /// The raw bytes of the string at the cursor when it holds no escapes (the common case for
    /// attribute keys), advancing past it; nil (cursor unchanged) if it has escapes.
    public mutating func rawString() -> Range<Int>? {
        var i = position + 1
        while i < bytes.count {
            let c = bytes[i]
            if c == 0x22 {
                let range = (position + 1)..<i
                position = i + 1
                return range
            }
            if c == 0x5C || c < 0x20 { return nil }
            i += 1
        }
        return nil
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
        guard position + count <= bytes.count,
              expected.indices.allSatisfy({ bytes[position + $0] == expected[$0] }) else {
            throw JSONSyntaxError(offset: position, reason: "expected a value, found \(describe(position))")
        }
        position += count
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> JSON {
        let start = position
        var isInteger = true
        if bytes[position] == 0x2D { position += 1 }
        let digitsStart = position
        while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 { position += 1 }
        guard position > digitsStart else {
            throw JSONSyntaxError(offset: position, reason: "expected digits in a number, found \(describe(position))")
        }
        if bytes[digitsStart] == 0x30, position - digitsStart > 1 {
            throw JSONSyntaxError(offset: digitsStart, reason: "a number cannot start with 0")
        }
        if position < bytes.count, bytes[position] == 0x2E {
            isInteger = false
            position += 1
            let fraction = position
            while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 { position += 1 }
            guard position > fraction else { throw JSONSyntaxError(offset: position, reason: "expected digits after `.`") }
        }
        if position < bytes.count, bytes[position] == 0x65 || bytes[position] == 0x45 {
            isInteger = false
            position += 1
            if position < bytes.count, bytes[position] == 0x2B || bytes[position] == 0x2D { position += 1 }
            let exponent = position
            while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 { position += 1 }
            guard position > exponent else { throw JSONSyntaxError(offset: position, reason: "expected digits in the exponent") }
        }
        let count = position - start
        if isInteger && count <= 18 {
            var value: Int64 = 0
            var i = digitsStart
            while i < position { value = value * 10 + Int64(bytes[i] - 0x30); i += 1 }
            return .integer(bytes[start] == 0x2D ? -value : value)
        }
        // strtod needs a terminated string; numbers are short.
        var buffer = [CChar](repeating: 0, count: count + 1)
        for i in 0..<count { buffer[i] = CChar(bitPattern: bytes[start + i]) }
        let d = strtod(buffer, nil)
        if isInteger, let exact = Int64(exactly: d), d.magnitude < 9.2e18 {
            // Beyond 18 digits: keep exact 64-bit integers when they fit.
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            return .integer(Int64(text) ?? exact)
        }
        return .double(d)
    }

    /// Parses a string at the cursor (which is on the opening quote).
    public mutating func parseString() throws(JSONSyntaxError) -> String {
        let open = position
        position += 1
        let start = position
        // Fast path: no escapes.
        while position < bytes.count {
            let c = bytes[position]
            if c == 0x22 {
                let s = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return s
            }
            if c == 0x5C { break }
            if c < 0x20 { throw JSONSyntaxError(offset: position, reason: "control character in a string (escape it)") }
            position += 1
        }
        guard position < bytes.count else {
            throw JSONSyntaxError(offset: open, reason: "unterminated string")
        }
        var out = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let c = bytes[position]
            if c == 0x22 {
                position += 1
                return String(decoding: out, as: UTF8.self)
            }
            if c < 0x20 { throw JSONSyntaxError(offset: position, reason: "control character in a string (escape it)") }
            if c != 0x5C {
                out.append(c)
                position += 1
                continue
            }
            position += 1
            guard position < bytes.count else { break }
            let e = bytes[position]
            position += 1
            switch e {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x2F: out.append(0x2F)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    if position + 1 < bytes.count, bytes[position] == 0x5C, bytes[position + 1] == 0x75 {
                        position += 2
                        let low = try hex4()
                        if (0xDC00...0xDFFF).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            // A lone high surrogate: replace it, and read the next escape
                            // again as a character of its own (`\ud800\u0041` is "\u{FFFD}A").
                            position -= 6
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    scalar = 0xFFFD
                }
                let unicode = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(unicode)).utf8))
            default:
                throw JSONSyntaxError(offset: position - 2, reason: "invalid escape `\\\(Character(Unicode.Scalar(e)))` in a string")
            }
        }
        throw JSONSyntaxError(offset: open, reason: "unterminated string")
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw JSONSyntaxError(offset: position, reason: "truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[position]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw JSONSyntaxError(offset: position, reason: "invalid hex digit in a \\u escape")
            }
            v = v * 16 + d
            position += 1
        }
        return v
    }

    /// How the byte at `offset` reads in an error message.
    func describe(_ offset: Int) -> String {
        guard offset < bytes.count else { return "the end of the input" }
        let c = bytes[offset]
        if c >= 0x21 && c < 0x7F { return "`\(Character(Unicode.Scalar(c)))`" }
        if c == 0x20 { return "a space" }
        return String(format: "byte 0x%02X", c)
    }
}
