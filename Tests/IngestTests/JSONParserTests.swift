import Foundation
import Testing
@testable import Ingest

/// The byte parser reads every valid JSON text the way RFC 8259 says, rejects invalid text at
/// the right offset with a readable reason, and never crashes on hostile input (it reads files
/// relops did not write).
@Suite struct JSONParserTests {
    static func parse(_ text: String) -> Result<JSON, JSONSyntaxError> {
        do throws(JSONSyntaxError) { return .success(try JSONParser.parse(text)) } catch { return .failure(error) }
    }

    static func parse(_ bytes: [UInt8]) -> Result<JSON, JSONSyntaxError> {
        bytes.withUnsafeBytes { raw in
            do throws(JSONSyntaxError) { return .success(try JSONParser.parse(raw)) } catch { return .failure(error) }
        }
    }

    // MARK: - Valid texts

    @Test(arguments: [
        ("null", JSON.null),
        ("true", .bool(true)),
        (" \t\r\nfalse \n", .bool(false)),
        ("0", .integer(0)),
        ("-0", .integer(0)),
        ("42", .integer(42)),
        ("-17", .integer(-17)),
        ("999999999999999999", .integer(999_999_999_999_999_999)),
        ("9007199254740993", .integer(9_007_199_254_740_993)),
        ("-1234567890123456789", .integer(-1_234_567_890_123_456_789)),
        ("1.5", .double(1.5)),
        ("-0.25", .double(-0.25)),
        ("1e3", .double(1000)),
        ("1E-2", .double(0.01)),
        ("2.5e+1", .double(25)),
        ("1.0", .double(1)),
        (#""""#, .string("")),
        (#""plain""#, .string("plain")),
        (#""a\"b\\c\/d""#, .string("a\"b\\c/d")),
        (#""\b\f\n\r\t""#, .string("\u{08}\u{0C}\n\r\t")),
        (#""\u0041\u00e9\u20AC""#, .string("Aé€")),
        (#""\ud83d\ude00""#, .string("😀")),
        (#""\uD83D\uDE00 ok""#, .string("😀 ok")),
        (#""\ud800""#, .string("\u{FFFD}")),
        (#""\udc00x""#, .string("\u{FFFD}x")),
        (#""\ud800\u0041""#, .string("\u{FFFD}A")),
        (#""\ud83d\ud83d\ude00""#, .string("\u{FFFD}😀")),
        (#""\ude00\ud83d""#, .string("\u{FFFD}\u{FFFD}")),
        (#""\u0000""#, .string("\u{0}")),
        ("\"héllo wörld ✓ 日本\"", .string("héllo wörld ✓ 日本")),
        ("[]", .array([])),
        ("[ ]", .array([])),
        ("{}", .object([])),
        ("[1,\"a\",null,true,[{}]]", .array([.integer(1), .string("a"), .null, .bool(true), .array([.object([])])])),
        (#"{"b":1,"a":2,"b":3}"#, .object([("b", .integer(1)), ("a", .integer(2)), ("b", .integer(3))])),
        (#"{ "k" : { "n" : [ 1 , 2 ] } }"#, .object([("k", .object([("n", .array([.integer(1), .integer(2)]))]))])),
    ])
    func valid(_ text: String, _ expected: JSON) throws {
        let value = try Self.parse(text).get()
        #expect(value == expected, "\(text)")
        if case .double(let d) = expected {
            // Doubles compare equal to integers in `JSON ==`; the kind must match too.
            guard case .double(let got) = value else { Issue.record("\(text) is not a double: \(value)"); return }
            #expect(got == d)
        }
    }

    /// Keys keep their order and duplicates (attributes are shown as they came).
    @Test func objectOrderIsKept() throws {
        let value = try JSONParser.parse(#"{"z":1,"a":2,"m":3}"#)
        #expect(value.object?.map(\.0) == ["z", "a", "m"])
        #expect(value.serialized == #"{"z":1,"a":2,"m":3}"#)
    }

    @Test func nestingUpToTheLimit() throws {
        let depth = JSONParser.maxDepth
        let deep = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(throws: Never.self) { try JSONParser.parse(deep) }
        let objects = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
        #expect(throws: Never.self) { try JSONParser.parse(objects) }
    }

    // MARK: - Invalid texts

    @Test(arguments: [
        ("", 0, "unexpected end of input, expected a value"),
        ("   ", 3, "unexpected end of input, expected a value"),
        ("nul", 0, "expected a value, found `n`"),
        ("True", 0, "expected a value, found `T`"),
        ("[1,]", 3, "expected a value, found `]`"),
        ("[1 2]", 3, "expected `,` or `]` in an array, found `2`"),
        ("{\"a\" 1}", 5, "expected `:` after a member name, found `1`"),
        ("{a:1}", 1, "expected a member name in quotes, found `a`"),
        ("{\"a\":1,}", 7, "expected a member name in quotes, found `}`"),
        ("{\"a\":1", 6, "expected `,` or `}` in an object, found the end of the input"),
        ("[", 1, "unexpected end of input, expected a value"),
        ("\"abc", 0, "unterminated string"),
        ("\"abc\\", 0, "unterminated string"),
        ("\"a\nb\"", 2, "control character in a string (escape it)"),
        ("\"\\x\"", 1, "invalid escape `\\x` in a string"),
        ("\"\\u12zz\"", 5, "invalid hex digit in a \\u escape"),
        ("\"\\u12", 3, "truncated \\u escape"),
        ("\"\\uZZZZ\"", 3, "invalid hex digit in a \\u escape"),
        ("01", 0, "a number cannot start with 0"),
        ("-", 1, "expected digits in a number, found the end of the input"),
        ("-a", 1, "expected digits in a number, found `a`"),
        ("1.", 2, "expected digits after `.`"),
        (".5", 0, "expected a value, found `.`"),
        ("1e", 2, "expected digits in the exponent"),
        ("1e+", 3, "expected digits in the exponent"),
        ("+1", 0, "expected a value, found `+`"),
        ("NaN", 0, "expected a value, found `N`"),
        ("1 2", 2, "unexpected `2` after the JSON value"),
        ("{} x", 3, "unexpected `x` after the JSON value"),
        ("[1]]", 3, "unexpected `]` after the JSON value"),
        ("\u{FEFF}{}", 0, "expected a value, found byte 0xEF"),
    ])
    func invalid(_ text: String, _ offset: Int, _ reason: String) {
        switch Self.parse(text) {
        case .success(let value):
            Issue.record("\(text.debugDescription) parsed as \(value)")
        case .failure(let error):
            #expect(error.reason == reason, "\(text.debugDescription)")
            #expect(error.offset == offset, "\(text.debugDescription): \(error.reason)")
        }
    }

    @Test func nestingBeyondTheLimitIsAnErrorNotACrash() {
        for opener in ["[", #"{"a":"#] {
            let text = String(repeating: opener, count: 100_000)
            guard case .failure(let error) = Self.parse(text) else {
                Issue.record("100,000 levels parsed")
                continue
            }
            #expect(error.reason == "nesting deeper than \(JSONParser.maxDepth)")
        }
        var skipper = String(repeating: "[", count: 100_000)
        let skipped: Result<Range<Int>, JSONSyntaxError> = skipper.withUTF8 { utf8 in
            var parser = JSONParser(UnsafeRawBufferPointer(utf8))
            do throws(JSONSyntaxError) { return .success(try parser.skipValue()) } catch { return .failure(error) }
        }
        #expect((try? skipped.get()) == nil)
    }

    /// Every prefix of a valid document is either invalid or a complete value (numbers), and
    /// never crashes: a file cut off mid-write.
    @Test func truncatedInput() throws {
        let text = #"{"resourceSpans":[{"a":[1,-2.5e3,true,false,null,"\u00e9\ud83d\ude00\n"],"b":{}}]}"#
        let bytes = Array(text.utf8)
        for end in 0..<bytes.count {
            if case .success(let value) = Self.parse(Array(bytes[0..<end])) {
                Issue.record("prefix of \(end) bytes parsed as \(value)")
            }
        }
        #expect(throws: Never.self) { try Self.parse(bytes).get() }
    }

    /// Invalid UTF-8 inside strings is replaced (U+FFFD), not a crash or an error: OTLP files
    /// sometimes carry raw bytes from model outputs.
    @Test func invalidUTF8InStrings() throws {
        let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0xC3, 0x22]
        let value = try Self.parse(bytes).get()
        #expect(value.string?.hasPrefix("a") == true)
        #expect(value.string?.unicodeScalars.contains("\u{FFFD}") == true)
    }

    // MARK: - Fuzzing

    /// SplitMix64: a small seeded generator, so a failure reproduces.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
    }

    static let seeds: [String] = [
        #"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"shopassist-api"}}]},"scopeSpans":[{"scope":{"name":"x","version":"1"},"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"chat gpt-4o","kind":3,"startTimeUnixNano":"1795917287810608239","endTimeUnixNano":"1795917287886227024","attributes":[{"key":"gen_ai.usage.input_tokens","value":{"intValue":"612"}},{"key":"d","value":{"doubleValue":0.2}},{"key":"a","value":{"arrayValue":{"values":[{"stringValue":"stop"}]}}}],"status":{"code":2,"message":"boom"}}]}]}]}"#,
        #"{"trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"b7ad6b7169203331","parent_span_id":null,"kind":"llm","name":"POST /v1/chat","start_time":"2026-11-01T00:00:00.000000Z","status":"ok","attributes":{"output.value":"I'm sorry, but I can\u2019t help with that.\n","n":-12.5e-3,"t":true}}"#,
        #"[1, -0, 2.5E+10, 1e-7, 123456789012345678901234567890, "\"\\\/\b\f\n\r\t", "\ud83d\ude00", {"": []}, [[[]]], null, false]"#,
        "\"héllo wörld ✓ 日本 \\u00e9\"",
    ]

    /// Interesting bytes for insertion: structure, escapes, digits, and invalid UTF-8.
    static let alphabet: [UInt8] = Array(#"{}[]:,"\\/bfnrtu0123456789+-.eE truefalsenull"#.utf8) + [0x00, 0x01, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xE2, 0xED, 0xF0, 0xF4, 0xFF]

    static func mutate(_ input: [UInt8], _ random: inout Random) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + random.below(4)) {
            let position = random.below(bytes.count + 1)
            switch random.below(7) {
            case 0 where !bytes.isEmpty: // replace a byte
                bytes[min(position, bytes.count - 1)] = alphabet[random.below(alphabet.count)]
            case 1: // insert a byte
                bytes.insert(alphabet[random.below(alphabet.count)], at: position)
            case 2 where !bytes.isEmpty: // delete a run
                let end = min(bytes.count, position + 1 + random.below(8))
                bytes.removeSubrange(min(position, end)..<end)
            case 3: // truncate
                bytes = Array(bytes.prefix(position))
            case 4 where !bytes.isEmpty: // duplicate a run (nesting grows)
                let start = min(position, bytes.count - 1)
                let end = min(bytes.count, start + 1 + random.below(32))
                bytes.insert(contentsOf: bytes[start..<end], at: random.below(bytes.count + 1))
            case 5: // flip a bit
                if !bytes.isEmpty { bytes[min(position, bytes.count - 1)] ^= UInt8(1 << random.below(8)) }
            default: // a random byte anywhere
                bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
            }
        }
        return bytes
    }

    static func hasNonFinite(_ value: JSON) -> Bool {
        switch value {
        case .double(let d): return !d.isFinite
        case .array(let items): return items.contains(where: hasNonFinite)
        case .object(let members): return members.contains { hasNonFinite($0.1) }
        default: return false
        }
    }

    /// 24,000 seeded mutations of realistic lines: the parser never crashes, a value it accepts
    /// writes back to text that parses to the same value, and `skipValue` (the loader's
    /// validating skip) accepts exactly what `parse` accepts.
    @Test func randomMutationsNeverCrash() throws {
        var random = Random(state: 0x5EED_2026_1129)
        var accepted = 0
        var rejected = 0
        for i in 0..<24_000 {
            let seed = Array(Self.seeds[i % Self.seeds.count].utf8)
            let input = Self.mutate(seed, &random)
            let parsed = Self.parse(input)
            let skipped: Bool = input.withUnsafeBytes { raw in
                var parser = JSONParser(raw)
                do throws(JSONSyntaxError) {
                    _ = try parser.skipValue()
                    parser.skipWhitespace()
                    return parser.position == raw.count
                } catch {
                    return false
                }
            }
            switch parsed {
            case .success(let value):
                accepted += 1
                #expect(skipped, "skipValue rejects what parse accepts (case \(i)): \(String(decoding: input, as: UTF8.self).debugDescription)")
                if !Self.hasNonFinite(value) {
                    let again = Self.parse(value.serialized)
                    #expect((try? again.get()) == value, "round trip (case \(i)): \(value.serialized)")
                }
            case .failure(let error):
                rejected += 1
                #expect(!skipped, "skipValue accepts what parse rejects (case \(i)): \(error.reason)")
                #expect(error.offset >= 0 && error.offset <= input.count, "offset out of range (case \(i))")
                #expect(!error.reason.isEmpty)
            }
        }
        // The mutations must exercise both sides.
        #expect(accepted > 1_000 && rejected > 10_000, "accepted \(accepted), rejected \(rejected)")
    }
}
