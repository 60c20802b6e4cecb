import Analysis
import Ingest
import Query
import Testing
@testable import Notebook

/// triggers.yaml: the documented example read whole, defaults applied per rule, each kind of
/// mistake stopped with its line (and a "did you mean"), and mangled files that never crash.
@Suite struct TriggerConfigTests {
    static let example = """
        version: 1
        defaults:
          window: 1h
          min_samples: 200
          baseline: previous 24h
          action: rollback
        rules:
          refund-refusals:
            signal: refused
            where: intent == "refund" and cohort != "shadow"
            window: 12h
            above: 0.10
            min_samples: 30
          tool-errors:
            signal: tool_error
            window: 6h
            step: 1h
            max_increase: 0.03
            action: page
          latency-p95:
            signal: latency_ms
            statistic: p95
            max_relative_increase: 0.25
            baseline: 7d before
            action: notify
            description: tail latency a quarter above last week's
          retrieval-scores:
            signal: retrieval_top_score
            max_relative_decrease: 0.1
            below: 0.2
          traffic:
            statistic: count
            window: 30m
            below: 5
            baseline: none
        """

    @Test func readsTheExample() throws {
        let config = try TriggerConfig.parse(Self.example, path: "triggers.yaml")
        #expect(config.path == "triggers.yaml")
        #expect(config.rules.map(\.name) == ["refund-refusals", "tool-errors", "latency-p95", "retrieval-scores", "traffic"])
        #expect(config.rules.map { $0.signal?.name } == ["refused", "tool_error", "latency_ms", "retrieval_top_score", nil])
        #expect(config.rules.map(\.statistic) == [.rate, .rate, .p95, .mean, .count])
        #expect(config.rules.map(\.window) == ["12h", "6h", "1h", "1h", "30m"])
        #expect(config.rules.map(\.windowNs) == [43_200, 21_600, 3_600, 3_600, 1_800].map { Int64($0) * 1_000_000_000 })
        #expect(config.rules.map(\.step) == ["12h", "1h", "1h", "1h", "30m"], "the step follows the rule's window unless given")
        #expect(config.rules.map(\.minSamples) == [30, 200, 200, 200, 200])
        #expect(config.rules.map(\.action) == ["rollback", "page", "notify", "rollback", "rollback"])
        #expect(config.rules.map { $0.baseline?.text } == ["previous 24h", "previous 24h", "7d before", "previous 24h", nil])
        let refusals = config.rules[0]
        #expect(refusals.filter == "intent == \"refund\" and cohort != \"shadow\"" && refusals.filterLine == 10 && refusals.line == 8)
        #expect(refusals.above == 0.10 && refusals.below == nil && !refusals.needsBaseline)
        #expect(config.rules[1].maxIncrease == 0.03 && config.rules[1].needsBaseline)
        #expect(config.rules[2].maxRelativeIncrease == 0.25 && config.rules[2].description == "tail latency a quarter above last week's")
        #expect(config.rules[3].maxRelativeDecrease == 0.1 && config.rules[3].below == 0.2)
        #expect(config.rules[4].below == 5 && config.rules[4].measure == "traces count")
    }

    @Test func baselineWindows() throws {
        let hour: Int64 = 3_600_000_000_000
        let previous = try #require(TriggerConfig.Baseline.parse("previous 24h"))
        #expect(previous.span(windowFrom: 100 * hour, to: 101 * hour) == (76 * hour, 100 * hour))
        let before = try #require(TriggerConfig.Baseline.parse("7d before"))
        #expect(before.span(windowFrom: 200 * hour, to: 201 * hour) == (32 * hour, 33 * hour))
        for bad in ["previous", "24h", "before 7d", "previous 24x", "last 24h"] { #expect(TriggerConfig.Baseline.parse(bad) == nil, "\(bad)") }
    }

    @Test func defaultsApplyToEveryRule() throws {
        let config = try TriggerConfig.parse("rules:\n  r: {signal: error, above: 0.05}\n")
        let rule = try #require(config.rules.first)
        #expect(rule.window == "1h" && rule.step == "1h" && rule.minSamples == 200 && rule.action == "rollback")
        #expect(rule.baseline?.text == "previous 24h" && rule.statistic == .rate)
        let stepped = try TriggerConfig.parse("defaults: {window: 2h, step: 15m, min_samples: 9, action: page}\nrules:\n  r: {signal: cost_usd, above: 1}\n")
        #expect(stepped.rules[0].window == "2h" && stepped.rules[0].step == "15m" && stepped.rules[0].minSamples == 9)
        #expect(stepped.rules[0].action == "page" && stepped.rules[0].statistic == .mean)
    }

    @Test(arguments: [
        ("rule:\n  r: {signal: refused, above: 0.1}\n", "triggers.yaml:1: unknown setting `rule` (did you mean `rules`?)"),
        ("version: 1\n", "triggers.yaml: no rules: expected `rules:` with named triggers"),
        ("", "triggers.yaml: no rules: expected `rules:` with named triggers"),
        ("version: 2\nrules:\n  r: {signal: refused, above: 0.1}\n", "triggers.yaml:1: `version` is not supported (this relops reads version 1)"),
        ("rules: [refused]\n", "triggers.yaml:1: `rules` must map trigger names to rules"),
        ("rules:\n  r: 0.1\n", "triggers.yaml:2: `rules.r` must be a mapping such as `{signal: refused, above: 0.1}`"),
        ("rules:\n  r:\n    signal: refusd\n    above: 0.1\n", "triggers.yaml:3: `rules.r.signal` is an unknown signal `refusd` (did you mean `refused`?)"),
        ("rules:\n  r: {signal: finish_reason, above: 1}\n", "triggers.yaml:2: `rules.r.signal` `finish_reason` is a label"),
        ("rules:\n  r:\n    signal: refused\n", "triggers.yaml:2: `rules.r` needs a threshold: `above`, `below`"),
        ("rules:\n  r:\n    signal: refused\n    abve: 0.1\n", "triggers.yaml:4: unknown setting `rules.r.abve` (did you mean `above`?)"),
        ("rules:\n  r:\n    signal: latency_ms\n    statistic: p96\n    above: 1\n", "triggers.yaml:4: `rules.r.statistic` is `p96` (did you mean `p95`?); latency_ms takes mean, p50, p95, p99, count"),
        ("rules:\n  r:\n    signal: refused\n    statistic: p95\n    above: 0.1\n", "triggers.yaml:4: `rules.r.statistic` is `p95`; refused takes rate, mean, count"),
        ("rules:\n  r:\n    above: 5\n", "triggers.yaml:2: `rules.r` needs a `signal` (or `statistic: count` to count traces)"),
        ("rules:\n  r:\n    statistic: mean\n    above: 5\n", "triggers.yaml:3: `rules.r.statistic` is `mean` but the rule has no `signal`"),
        ("rules:\n  r:\n    signal: refused\n    window: soon\n    above: 0.1\n", "triggers.yaml:4: `rules.r.window` expects a duration such as 30m, 1h or 1d"),
        ("rules:\n  r:\n    signal: refused\n    above: high\n", "triggers.yaml:4: `rules.r.above` expects a number, such as 0.01"),
        ("rules:\n  r:\n    signal: refused\n    max_increase: -0.01\n", "triggers.yaml:4: `rules.r.max_increase` expects a number of at least 0"),
        ("rules:\n  r:\n    signal: refused\n    max_increase: 0.01\n    baseline: none\n", "triggers.yaml:2: `rules.r` compares with a baseline (`max_…`) but its baseline is `none`"),
        ("rules:\n  r:\n    signal: refused\n    above: 0.1\n    baseline: yesterday\n", "triggers.yaml:5: `rules.r.baseline` expects `previous DURATION`"),
        ("rules:\n  r:\n    signal: refused\n    above: 0.1\n    min_samples: 0\n", "triggers.yaml:5: `rules.r.min_samples` expects a whole number of at least 1"),
        ("rules:\n  r:\n    signal: refused\n    above: 0.1\n    action: roll back\n", "triggers.yaml:5: `rules.r.action` expects one word such as `rollback`"),
        ("rules:\n  r:\n    signal: refused\n    above: 0.1\n    where: \"\"\n", "triggers.yaml:5: `rules.r.where` expects a `where` expression"),
        ("rules:\n  bad name: {signal: refused, above: 0.1}\n", "triggers.yaml:2: `bad name` is not a trigger name"),
        ("defaults:\n  windw: 1h\nrules:\n  r: {signal: refused, above: 0.1}\n", "triggers.yaml:2: unknown setting `defaults.windw` (did you mean `window`?)"),
        ("defaults:\n  min_samples: many\nrules:\n  r: {signal: refused, above: 0.1}\n", "triggers.yaml:2: `defaults.min_samples` expects a whole number"),
        ("defaults: 1h\nrules:\n  r: {signal: refused, above: 0.1}\n", "triggers.yaml:1: `defaults` must be a mapping"),
        ("- a\n- b\n", "triggers.yaml:1: expected a mapping of settings at the top"),
        ("rules: {r: [\n", "triggers.yaml:2: not valid YAML"),
    ])
    func rejects(_ text: String, _ message: String) throws {
        do {
            _ = try TriggerConfig.parse(text, path: "triggers.yaml")
            Issue.record("\(text) was accepted")
        } catch let error as ConfigError {
            #expect(error.description.hasPrefix(message), "\(error.description)")
        }
    }

    @Test func scoreSignalsWhenKnown() throws {
        let rubric = try WorkspaceConfig.parse("rubric:\n  helpfulness: {scale: [1, 5]}\n").rubric
        let text = "rules:\n  help: {signal: score.helpfulness, statistic: p50, below: 3}\n"
        let config = try TriggerConfig.parse(text, signals: Signal.all + Signal.scores(of: rubric))
        #expect(config.rules.first?.signal?.name == "score.helpfulness" && config.rules.first?.statistic == .p50)
        #expect(throws: ConfigError.self) { try TriggerConfig.parse(text) }
    }

    /// Mangled copies of the example (bytes dropped, doubled, swapped, replaced with YAML's
    /// punctuation): each is read or refused with a ConfigError naming a line of the text,
    /// never a crash or another error.
    @Test func fuzzedFilesAreReadOrRefusedWithALine() throws {
        var random = SplitMix(seed: 8)
        let original = Array(Self.example.utf8)
        let punctuation = Array(":-{}[],#\"' \n\t|>&*!%@`0.".utf8)
        var refused = 0, read = 0
        for _ in 0..<3000 {
            var bytes = original
            for _ in 0..<(1 + Int(random.next() % 2)) {
                let i = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 4 {
                case 0: bytes.remove(at: i)
                case 1: bytes.insert(bytes[i], at: i)
                case 2: bytes.swapAt(i, Int(random.next() % UInt64(bytes.count)))
                default: bytes[i] = punctuation[Int(random.next() % UInt64(punctuation.count))]
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
            do {
                let config = try TriggerConfig.parse(text)
                #expect(!config.rules.isEmpty)
                read += 1
            } catch let error as ConfigError {
                refused += 1
                if let line = error.line { #expect(line >= 1 && line <= lines + 1, "\(error) in\n\(text)") }
                #expect(!error.message.isEmpty)
            }
        }
        #expect(refused > 300 && read > 100, "the mutations exercise both paths: \(refused) refused, \(read) read")
    }
}

/// A small seeded generator (SplitMix64), so a failing mutation can be found again.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E4B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
