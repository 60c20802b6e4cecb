/// Splits query text into tokens. Works on UTF-8 bytes: identifiers are ASCII, strings may
/// hold any text. `#` starts a comment that runs to the end of the line.
struct Lexer {
    let bytes: [UInt8]
    let source: QuerySource

    init(_ source: QuerySource) {
        self.source = source
        self.bytes = Array(source.text.utf8)
    }

    /// Duration units in nanoseconds, longest first so `ms` wins over `m`.
    static let units: [(String, Int64)] = [
        ("ms", 1_000_000), ("us", 1_000), ("ns", 1), ("s", 1_000_000_000), ("m", 60_000_000_000),
        ("h", 3_600_000_000_000), ("d", 86_400_000_000_000), ("w", 604_800_000_000_000),
    ]

    func tokens() throws(QueryError) -> [Token] {
        var out: [Token] = []
        var i = 0
        let n = bytes.count
        while true {
            // Whitespace and comments.
            while i < n {
                let c = bytes[i]
                if c == 32 || c == 9 || c == 10 || c == 13 { i += 1; continue }
                if c == 35 { // #
                    while i < n, bytes[i] != 10 { i += 1 }
                    continue
                }
                break
            }
            guard i < n else {
                // The end sits right after the last token, so a caret for "found the end" stays on its line.
                let end = out.last?.range.upperBound ?? 0
                out.append(Token(kind: .end, range: end..<end))
                return out
            }
            let start = i
            let c = bytes[i]
            if Self.isIdentifierStart(c) {
                while i < n, Self.isIdentifierPart(bytes[i]) { i += 1 }
                out.append(Token(kind: .identifier(text(start, i)), range: start..<i))
            } else if Self.isDigit(c) || (c == 46 && i + 1 < n && Self.isDigit(bytes[i + 1])) {
                out.append(try number(&i))
            } else if c == 34 || c == 39 { // " '
                let value = try quoted(&i, quote: c)
                out.append(Token(kind: .string(value), range: start..<i))
            } else if c == 96 { // `
                let value = try quoted(&i, quote: c)
                guard !value.isEmpty else {
                    throw QueryError(source, start..<i, "empty quoted name")
                }
                out.append(Token(kind: .quotedIdentifier(value), range: start..<i))
            } else if c == 36 { // $
                i += 1
                guard i < n, Self.isIdentifierStart(bytes[i]) else {
                    throw QueryError(source, start..<min(i + 1, n), "expected a parameter name after `$`")
                }
                while i < n, Self.isIdentifierPart(bytes[i]) { i += 1 }
                out.append(Token(kind: .parameter(text(start + 1, i)), range: start..<i))
            } else {
                let two = i + 1 < n ? text(i, i + 2) : ""
                if let symbol = Token.Symbol(rawValue: two), two.count == 2 {
                    i += 2
                    out.append(Token(kind: .symbol(symbol), range: start..<i))
                } else if let symbol = Token.Symbol(rawValue: text(i, i + 1)) {
                    i += 1
                    out.append(Token(kind: .symbol(symbol), range: start..<i))
                } else if c == 33 { // a lone !
                    throw QueryError(source, start..<start + 1, "unexpected `!`", hint: "use `not`, `!=` or `!~`")
                } else {
                    let end = Self.characterEnd(bytes, start)
                    throw QueryError(source, start..<end, "unexpected character `\(text(start, end))`")
                }
            }
        }
    }

    private func number(_ i: inout Int) throws(QueryError) -> Token {
        let n = bytes.count
        let start = i
        var isReal = false
        while i < n, Self.isDigit(bytes[i]) || bytes[i] == 95 { i += 1 } // 1_000
        if i < n, bytes[i] == 46, i + 1 < n, Self.isDigit(bytes[i + 1]) {
            isReal = true
            i += 1
            while i < n, Self.isDigit(bytes[i]) { i += 1 }
        }
        if i < n, bytes[i] == 101 || bytes[i] == 69 { // e E
            var j = i + 1
            if j < n, bytes[j] == 43 || bytes[j] == 45 { j += 1 }
            if j < n, Self.isDigit(bytes[j]) {
                isReal = true
                i = j
                while i < n, Self.isDigit(bytes[i]) { i += 1 }
            }
        }
        let literal = text(start, i).replacingOccurrences(of: "_", with: "")
        // A unit right after the digits makes a duration.
        if i < n, Self.isIdentifierStart(bytes[i]) {
            var j = i
            while j < n, Self.isIdentifierPart(bytes[j]) { j += 1 }
            let unitText = text(i, j)
            guard let unit = Self.units.first(where: { $0.0 == unitText }) else {
                throw QueryError(source, start..<j, "`\(text(start, j))` is not a number or a duration",
                                 hint: "durations are a number and a unit: ns, us, ms, s, m, h, d, w (e.g. `90s`, `7d`)")
            }
            i = j
            guard let value = Double(literal), value.isFinite else {
                throw QueryError(source, start..<j, "invalid duration")
            }
            let ns = value * Double(unit.1)
            guard abs(ns) < 9.2e18 else { throw QueryError(source, start..<j, "duration out of range") }
            return Token(kind: .duration(Int64(ns.rounded())), range: start..<i)
        }
        if !isReal, let v = Int64(literal) {
            return Token(kind: .integer(v), range: start..<i)
        }
        guard let v = Double(literal), v.isFinite else {
            throw QueryError(source, start..<i, "number out of range")
        }
        return Token(kind: .real(v), range: start..<i)
    }

    /// A string or quoted name; `\` escapes the quote, `\\`, `\n`, `\t`; a doubled quote is one quote.
    private func quoted(_ i: inout Int, quote: UInt8) throws(QueryError) -> String {
        let n = bytes.count
        let start = i
        i += 1
        var value: [UInt8] = []
        while true {
            guard i < n else {
                throw QueryError(source, start..<n, "unterminated \(quote == 96 ? "quoted name" : "string")",
                                 hint: "close it with \(quote == 34 ? "`\"`" : quote == 39 ? "`'`" : "a backtick")")
            }
            let c = bytes[i]
            if c == quote {
                if i + 1 < n, bytes[i + 1] == quote { value.append(quote); i += 2; continue }
                i += 1
                break
            }
            if c == 92, i + 1 < n { // backslash
                let e = bytes[i + 1]
                switch e {
                case 110: value.append(10)
                case 116: value.append(9)
                case 114: value.append(13)
                case 92, 34, 39, 96: value.append(e)
                default: value.append(92); value.append(e)
                }
                i += 2
                continue
            }
            value.append(c)
            i += 1
        }
        return String(decoding: value, as: UTF8.self)
    }

    private func text(_ a: Int, _ b: Int) -> String {
        String(decoding: bytes[a..<min(b, bytes.count)], as: UTF8.self)
    }

    static func isIdentifierStart(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95 }
    static func isIdentifierPart(_ c: UInt8) -> Bool { isIdentifierStart(c) || isDigit(c) }
    static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    /// The end of the UTF-8 character starting at `i`.
    static func characterEnd(_ bytes: [UInt8], _ i: Int) -> Int {
        var j = i + 1
        while j < bytes.count, bytes[j] & 0xC0 == 0x80 { j += 1 }
        return j
    }
}
