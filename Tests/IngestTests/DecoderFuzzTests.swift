import Foundation
import Testing
@testable import Ingest
import Store

/// Seeded mutation fuzzing of the decoders and the mapper on real records: whatever the bytes,
/// the result is a span or a `RecordError` with a message and an in-range offset — never a
/// crash, a hang or a trap.
@Suite struct DecoderFuzzTests {
    /// xorshift64*: a small deterministic generator, so a failure can be replayed.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return state &* 2_685_821_657_736_338_717
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    }

    static let tokens: [[UInt8]] = ["{", "}", "[", "]", ":", ",", "\"", "\\", "\\u", "\\ud800", "null", "true", "-",
                                     "1e999", "0.5", "\"trace_id\"", "\"attributes\"", "\"start_time\"", "\u{0}", "\u{FF}",
                                     "\"resourceSpans\"", "\"intValue\"", "\"spanId\""].map { Array($0.utf8) }

    static func mutate(_ input: [UInt8], _ g: inout Generator) -> [UInt8] {
        var bytes = input
        for _ in 0..<(1 + g.below(4)) {
            switch g.below(6) {
            case 0 where !bytes.isEmpty: bytes.remove(at: g.below(bytes.count))
            case 1: bytes.insert(UInt8(truncatingIfNeeded: g.next()), at: g.below(bytes.count + 1))
            case 2 where !bytes.isEmpty: bytes[g.below(bytes.count)] = UInt8(truncatingIfNeeded: g.next())
            case 3: bytes.insert(contentsOf: tokens[g.below(tokens.count)], at: g.below(bytes.count + 1))
            case 4 where !bytes.isEmpty: bytes = Array(bytes.prefix(g.below(bytes.count)))
            default:
                if bytes.count > 2 {
                    let a = g.below(bytes.count), b = g.below(bytes.count)
                    bytes.insert(contentsOf: bytes[min(a, b)..<max(a, b)], at: g.below(bytes.count))
                }
            }
        }
        return bytes
    }

    static func seeds(_ file: String) throws -> [[UInt8]] {
        let text = try String(contentsOf: TestSupport.fixturesDir.appendingPathComponent(file), encoding: .utf8)
        return text.split(separator: "\n").map { Array($0.utf8) }
    }

    @Test func nativeDecoderAndMapper() throws {
        let seeds: [[UInt8]] = [
            Array(#"{"trace_id":"a290392ad999d46d1e94e399290387f6","span_id":"a6d7aba32244a794","parent_span_id":"4075a7820c423086","kind":"llm","name":"chat gpt-4o","start_time":"2026-11-01T00:01:16.046847Z","end_time":"2026-11-01T00:01:17.260765Z","status":"ok","attributes":{"gen_ai.request.model":"gpt-4o","gen_ai.response.finish_reasons":["stop"],"gen_ai.usage.input_tokens":1335,"app.retrieval.scores":[0.7,0.5],"metadata":"{\"release\":\"r1\"}","input.value":"is it \u2019ok\u2019?","output.value":"yes"}}"#.utf8),
            Array(#"{"trace_id":"ab","span_id":"01","start_time":1793491276046847000,"events":[{"name":"exception"}],"extra":[1,{"a":null}]}"#.utf8),
        ]
        let mapper = SpanMapper(config: try TestSupport.benchWorkspace())
        var g = Generator(state: 0x5EED_0001)
        var decoded = 0, rejected = 0
        for i in 0..<40_000 {
            let input = Self.mutate(seeds[i % seeds.count], &g)
            let result = input.withUnsafeBytes { bytes in
                Result { () throws(RecordError) -> RawSpan in
                    try NativeDecoder.decode(line: bytes, number: Int64(i), filter: mapper.keyFilter)
                }
            }
            switch result {
            case .success(let span):
                decoded += 1
                _ = mapper.map(span)
            case .failure(let error):
                rejected += 1
                #expect(!error.message.isEmpty)
                if let offset = error.offset { #expect(offset >= 0 && offset <= input.count, "offset \(offset) of \(input.count)") }
            }
        }
        #expect(decoded > 1_000, "the fuzzer should still produce valid spans")
        #expect(rejected > 10_000)
    }

    @Test func otlpDecoderAndMapper() throws {
        let seeds = try Self.seeds("otel-genai-latest.jsonl") + Self.seeds("openinference-openai.jsonl") + Self.seeds("langfuse-openai.jsonl")
        let mapper = SpanMapper(config: try TestSupport.benchWorkspace())
        var g = Generator(state: 0x5EED_0002)
        var spans = 0
        for i in 0..<3_000 {
            let input = Self.mutate(seeds[i % seeds.count], &g)
            guard case .success(let document) = input.withUnsafeBytes({ b in
                Result { () throws(JSONSyntaxError) -> JSON in try JSONParser.parse(b) }
            }) else { continue }
            do {
                for span in try OTLPDecoder.decodeTraces(document, line: Int64(i)) {
                    spans += 1
                    _ = mapper.map(span)
                }
            } catch {
                #expect(!error.message.isEmpty)
            }
        }
        #expect(spans > 1_000)
    }
}
