import Foundation
import Query
import Store
import Testing

/// No input may crash the language: 100,000 seeded random and mutated queries go through the
/// lexer, parser, checker and compiler; every one either compiles or fails with a `QueryError`
/// whose range lies inside the text it names. One in fifty that compile also runs on the test store.
@Suite struct QueryFuzzTests {
    /// SplitMix64: a small seeded generator, so every run sees the same inputs.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    }

    static let seeds = [
        #"traces | where intent == "refund" and ts >= "2026-11-20" | stats count(), rate(refused), p95(latency_ms) by prompt_version"#,
        #"traces | stats rate(refused) by bin(ts, 1d), prompt_version | chart"#,
        #"spans | where kind == "tool" and status == "error" | stats count() by tool_name, tool_version | sort count desc"#,
        #"traces | where output ~ "can't help" | top 10 by latency_ms | select trace_id, model, input, output"#,
        #"llm | where attr."gen_ai.request.temperature" > 0.1 | extend t = input_tokens + output_tokens | distinct model"#,
        #"traces | where last 24h and intent in ("a", "b") and latency_ms between 10 and 20 | limit 5"#,
        #"traces | stats percentile(latency_ms, 0.9), countif(refused), avgif(cost_usd, cohort == "canary") by x = iff(error, "e", "ok")"#,
        #"param n = 3\ntraces | top $n by cost_usd asc | select a = substr(model, 1, 3), b = ts + 90s, c = end_ts - ts"#,
        #"p95-latency-by-model(since = "2026-11-20") | where traces > 10"#,
        #"traces | where not (refused or error) and input contains "%" | stats n = count() by date(ts) | where n > 1 | sort n desc"#,
    ]

    static let fragments = [
        "traces", "spans", "llm", "tools", "|", "where", "select", "extend", "stats", "by", "sort", "top", "limit", "distinct",
        "chart", "count()", "rate(", "p95(", "percentile(", ")", "(", ",", "==", "!=", "<", ">=", "~", "!~", "and", "or", "not",
        "in", "between", "is", "null", "contains", "as", "=", "+", "-", "*", "/", "%", "\"x\"", "'y'", "\"2026-11-20\"", "42",
        "3.5", "1e309", "9223372036854775808", "90s", "7d", "last", "24h", "attr.", "attr.\"k\"", "latency_ms", "ts", "model",
        "refused", "$n", "param", "`q`", "bin(ts, 1h)", "desc", "asc", "\n", "#c\n", "é", "\u{0}", "\"", "`", ".", "$", "!",
    ]

    /// Runs compiled SQL; the error message if SQLite refused it.
    static func execute(_ database: Database, _ query: CompiledQuery) -> String? {
        do {
            _ = try database.query("SELECT * FROM (" + query.sql + ") LIMIT 100", query.parameters)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func hundredThousandQueriesNeverCrash() throws {
        let database = try QueryStore.open()
        let library = SavedQueryLibrary(directories: [QueryStore.packageRoot.appendingPathComponent("queries").path])
        let engine = QueryEngine(database: database, library: library)
        var random = Random(state: 20261129)
        var compiled = 0, rejected = 0, executed = 0
        for i in 0..<100_000 {
            let text: String
            if i % 2 == 0 {
                var parts: [String] = []
                for _ in 0..<(1 + random.below(14)) { parts.append(random.pick(Self.fragments)) }
                text = parts.joined(separator: random.below(4) == 0 ? "" : " ")
            } else {
                var bytes = Array(random.pick(Self.seeds).utf8)
                for _ in 0..<(1 + random.below(4)) {
                    let at = random.below(bytes.count + 1)
                    switch random.below(4) {
                    case 0: if at < bytes.count { bytes.remove(at: at) }
                    case 1: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: at)
                    case 2: bytes.insert(contentsOf: Array(random.pick(Self.fragments).utf8), at: at)
                    default: if at < bytes.count { bytes.removeSubrange(at..<min(bytes.count, at + random.below(12))) }
                    }
                }
                text = String(decoding: bytes, as: UTF8.self)
            }
            let source = QuerySource(text: text)
            do {
                let (_, query) = try engine.compile(source)
                compiled += 1
                #expect(!query.sql.isEmpty)
                if compiled % 50 == 0 {
                    let failure = Self.execute(database, query)
                    // Only runtime errors the language cannot see ahead are allowed (a bad regex).
                    let allowed = failure.map { $0.contains("regular expression") } ?? true
                    #expect(allowed, "compiled SQL failed: \(failure ?? "") for \(text)")
                    executed += 1
                }
            } catch let error as QueryError {
                rejected += 1
                // Errors may point into a saved query's file: the range must lie inside the text it names.
                let length = error.source.text.utf8.count
                #expect(error.range.lowerBound >= 0 && error.range.upperBound <= length && error.range.lowerBound <= error.range.upperBound,
                        "error range \(error.range) outside a \(length)-byte query: \(text)")
                #expect(!error.rendered.isEmpty)
            }
        }
        #expect(compiled + rejected == 100_000)
        #expect(compiled > 1_000, "the mutations should leave many queries valid")
        #expect(executed > 10)
    }
}
