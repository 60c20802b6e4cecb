import Analysis
import Ingest
import Query
import Testing
@testable import Notebook

/// gates.yaml: the documented example read whole, defaults, and each kind of mistake stopped
/// with its line and, for a misspelt name, the closest one.
@Suite struct GateConfigTests {
    static let example = """
        version: 1
        min_samples: 150          # per side, per signal
        insufficient: warn
        missing: hold
        confidence: 0.9
        bootstrap_resamples: 500
        seed: 7
        signals:
          refused: {max_increase: 0.01}
          latency_ms: {statistic: p95, max_relative_increase: 0.10}
          cost_usd: {statistic: mean, max_relative_increase: 0.05, min_samples: 50}
          tool_error: {max_increase: 0.005}
          safety_flagged: {statistic: mean, max_increase: 0}
        cases: [cases/demo-refund-refusals.yaml, cases/other.yaml]
        rollout: {steps: [1, 10, 50, 100], window: 30m}
        """

    @Test func readsTheExample() throws {
        let config = try GateConfig.parse(Self.example, path: "gates.yaml")
        #expect(config.minSamples == 150 && config.insufficient == .warn && config.missing == .hold)
        #expect(config.confidence == 0.9 && config.resamples == 500 && config.seed == 7)
        #expect(config.signals.map(\.signal.name) == ["refused", "latency_ms", "cost_usd", "tool_error", "safety_flagged"])
        #expect(config.signals.map(\.statistic) == [.rate, .p95, .mean, .rate, .rate], "the mean of a 0/1 signal is its rate")
        #expect(config.signals[0].maxIncrease == 0.01 && config.signals[0].maxRelativeIncrease == nil && config.signals[0].line == 9)
        #expect(config.signals[1].maxRelativeIncrease == 0.10 && config.signals[1].maxIncrease == nil)
        #expect(config.signals[2].minSamples == 50 && config.signals[4].maxIncrease == 0)
        #expect(config.cases == ["cases/demo-refund-refusals.yaml", "cases/other.yaml"])
        #expect(config.canarySteps == [1, 10, 50, 100] && config.window == "30m" && config.path == "gates.yaml")
    }

    @Test func defaults() throws {
        for text in ["", "version: 1\n", "# nothing\n"] {
            let config = try GateConfig.parse(text)
            #expect(config.minSamples == 200 && config.insufficient == .hold && config.missing == .warn)
            #expect(config.signals == GateConfig.defaultSignals && config.cases.isEmpty && config.canarySteps == [5, 25, 100] && config.window == "1h")
        }
        #expect(GateConfig.defaultSignals.map(\.signal.name) == ["refused", "latency_ms", "cost_usd", "tool_error", "safety_flagged"])
        // `signals` replaces the built-in ones rather than adding to them.
        #expect(try GateConfig.parse("signals:\n  error: {max_increase: 0.02}\n").signals.map(\.signal.name) == ["error"])
    }

    @Test func scoreSignalsWhenKnown() throws {
        let rubric = try WorkspaceConfig.parse("rubric:\n  helpfulness: {scale: [1, 5]}\n").rubric
        let known = Signal.all + Signal.scores(of: rubric)
        let config = try GateConfig.parse("signals:\n  score.helpfulness: {statistic: p50, max_increase: 1}\n", signals: known)
        #expect(config.signals.first?.signal.name == "score.helpfulness" && config.signals.first?.statistic == .p50)
        #expect(throws: ConfigError.self) { try GateConfig.parse("signals:\n  score.helpfulness: {max_increase: 1}\n") }
    }

    @Test(arguments: [
        ("min_sample: 200\n", "gates.yaml:1: unknown setting `min_sample` (did you mean `min_samples`?)"),
        ("version: 2\n", "gates.yaml:1: `version` is not supported (this relops reads version 1)"),
        ("min_samples: 0\n", "gates.yaml:1: `min_samples` expects a whole number of at least 1, such as 200"),
        ("min_samples: \"200\"\n", "gates.yaml:1: `min_samples` expects a whole number of at least 1, such as 200"),
        ("version: 1\ninsufficient: hol\n", "gates.yaml:2: `insufficient` is `hol` (did you mean `hold`?); expected `hold` or `warn`"),
        ("missing: ship\n", "gates.yaml:1: `missing` is `ship`; expected `hold` or `warn`"),
        ("confidence: 95\n", "gates.yaml:1: `confidence` expects a number between 0 and 1, such as 0.95"),
        ("bootstrap_resamples: 10\n", "gates.yaml:1: `bootstrap_resamples` expects a whole number from 100 to 1000000, such as 2000"),
        ("signals:\n  refusd: {max_increase: 0.01}\n", "gates.yaml:2: unknown signal `refusd` in `signals` (did you mean `refused`?)"),
        ("signals:\n  finish_reason: {max_increase: 0.01}\n", "gates.yaml:2: `finish_reason` is a label, not a number or a rate: a gate cannot set a threshold on it"),
        ("signals:\n  refused: {max_increase: 0.01}\n  refused: {max_increase: 0.02}\n", "gates.yaml: not valid YAML: Parser: expected all keys to be unique"),
        ("signals:\n  refused:\n    max_increse: 0.01\n", "gates.yaml:3: unknown setting `signals.refused.max_increse` (did you mean `max_increase`?)"),
        ("signals:\n  refused: {}\n", "gates.yaml:2: `signals.refused` needs `max_increase`, `max_relative_increase`, `max_decrease` or `max_relative_decrease`"),
        ("signals:\n  refused: 0.01\n", "gates.yaml:2: `signals.refused` must be a mapping such as `{max_increase: 0.01}`"),
        ("signals:\n  refused:\n    max_increase: -0.01\n", "gates.yaml:3: `signals.refused.max_increase` expects a number of at least 0, such as 0.01"),
        ("signals:\n  latency_ms:\n    statistic: p96\n    max_increase: 1\n", "gates.yaml:3: `signals.latency_ms.statistic` is `p96` (did you mean `p95`?); latency_ms takes mean, p50, p95, p99"),
        ("signals:\n  refused: {statistic: p95, max_increase: 0.01}\n", "gates.yaml:2: `signals.refused.statistic` is `p95`; refused takes rate, mean"),
        ("signals: [refused]\n", "gates.yaml:1: `signals` must map signal names to thresholds, such as `refused: {max_increase: 0.01}`"),
        ("cases:\n  - {a: 1}\n", "gates.yaml:2: `cases` expects case file paths, such as `cases/refunds.yaml`"),
        ("rollout:\n  steps: [50, 25]\n", "gates.yaml:2: `rollout.steps` expects rising percentages of traffic ending at 100, such as [5, 25, 100]"),
        ("rollout:\n  steps: [5, 25]\n", "gates.yaml:2: `rollout.steps` expects rising percentages of traffic ending at 100, such as [5, 25, 100]"),
        ("rollout:\n  window: soon\n", "gates.yaml:2: `rollout.window` expects a duration such as 30m, 1h or 1d"),
        ("rollout:\n  windw: 1h\n", "gates.yaml:2: unknown setting `rollout.windw` (did you mean `window`?)"),
        ("- a\n- b\n", "gates.yaml:1: expected a mapping of settings at the top, such as `min_samples: 200`"),
        ("signals: {refused: [\n", "gates.yaml:2: not valid YAML"),
    ])
    func rejects(_ text: String, _ message: String) throws {
        do {
            _ = try GateConfig.parse(text, path: "gates.yaml")
            Issue.record("\(text) was accepted")
        } catch let error as ConfigError {
            #expect(error.description.hasPrefix(message), "\(error.description)")
        }
    }
}
