import Analysis
import Foundation
import Ingest
import Investigate
import Query
import Store
import Yams

/// The workspace file `triggers.yaml`: named rollback triggers, each a signal's statistic over
/// a recent window (optionally filtered by a `where` expression) against an absolute threshold
/// or against a baseline window, with a minimum sample size and an action label
/// (docs/release-gates.md, Rollback triggers).
///
/// The vocabulary is the gate's (signals, statistics, `max_increase` …), so a gate's rollback
/// triggers read the same here; every value is checked with its line, so a mistyped trigger
/// stops with a usage error (exit status 2) rather than a page.
public struct TriggerConfig: Sendable, Equatable {
    /// Where a rule's baseline window lies relative to its window `(end − window, end]`.
    public struct Baseline: Sendable, Equatable {
        public enum Placement: String, Sendable {
            /// The span right before the window: `previous 24h` is `(start − 24h, start]`.
            case previous
            /// The window itself, shifted back: `7d before` is `(start − 7d, end − 7d]`.
            case before
        }
        public var placement: Placement
        public var nanoseconds: Int64
        /// As written: `previous 24h`, `7d before`.
        public var text: String

        /// The baseline's `(from, to]` for a window `(from, to]`.
        public func span(windowFrom from: Int64, to: Int64) -> (from: Int64, to: Int64) {
            switch placement {
            case .previous: return (from - nanoseconds, from)
            case .before: return (from - nanoseconds, to - nanoseconds)
            }
        }

        /// `previous 24h`, `7d before`; nil for anything else.
        public static func parse(_ text: String) -> Baseline? {
            let words = text.split(separator: " ").map(String.init)
            guard words.count == 2 else { return nil }
            if words[0] == "previous", let ns = ChangeReport.duration(words[1]) {
                return Baseline(placement: .previous, nanoseconds: ns, text: text)
            }
            if words[1] == "before", let ns = ChangeReport.duration(words[0]) {
                return Baseline(placement: .before, nanoseconds: ns, text: text)
            }
            return nil
        }
    }

    /// One named trigger.
    public struct Rule: Sendable, Equatable {
        /// The threshold names, in the order reports list them: absolute ones, then the gate's.
        public static let thresholdNames = ["above", "below", "max_increase", "max_relative_increase", "max_decrease", "max_relative_decrease"]

        public var name: String
        /// nil: the rule counts traces (`statistic: count` without a signal).
        public var signal: Signal?
        public var statistic: WindowSeries.Statistic
        /// The `where` expression over `traces`, and its line in the file.
        public var filter: String?
        public var filterLine: Int?
        public var window: String
        public var windowNs: Int64
        /// The step of `triggers backtest` (default: the window).
        public var step: String
        public var stepNs: Int64
        public var above: Double?
        public var below: Double?
        public var maxIncrease: Double?
        public var maxRelativeIncrease: Double?
        public var maxDecrease: Double?
        public var maxRelativeDecrease: Double?
        /// The baseline window of the `max_…` thresholds; nil: `baseline: none`.
        public var baseline: Baseline?
        public var minSamples: Int
        /// What firing calls for: `rollback`, `page`, `notify` … carried into the output.
        public var action: String
        public var description: String?
        public var line: Int?

        /// Whether any threshold compares with the baseline window.
        public var needsBaseline: Bool {
            maxIncrease != nil || maxRelativeIncrease != nil || maxDecrease != nil || maxRelativeDecrease != nil
        }

        /// `refused rate`, `latency_ms p95`, `traces count`.
        public var measure: String { "\(signal?.name ?? "traces") \(statistic.rawValue)" }
    }

    /// Settings every rule takes unless it gives its own.
    public struct Defaults: Sendable, Equatable {
        public var window = "1h"
        public var step: String?
        public var minSamples = 200
        public var baseline: Baseline? = Baseline(placement: .previous, nanoseconds: 86_400_000_000_000, text: "previous 24h")
        public var action = "rollback"
    }

    public var defaults = Defaults()
    public var rules: [Rule] = []
    /// The file this came from.
    public var path: String

    public init(path: String = TriggerConfig.defaultPath) {
        self.path = path
    }

    /// The default file of `triggers check`, `backtest` and `watch`.
    public static let defaultPath = "triggers.yaml"

    static let keys = ["version", "defaults", "rules"]
    static let defaultKeys = ["window", "step", "min_samples", "baseline", "action"]
    static let ruleKeys = ["signal", "statistic", "where", "window", "step", "above", "below", "max_increase", "max_relative_increase",
                           "max_decrease", "max_relative_decrease", "baseline", "min_samples", "action", "description"]

    /// Reads `path`; errors name the file and line.
    public static func load(path: String, signals known: [Signal] = Signal.all) throws -> TriggerConfig {
        try parse(try GateConfig.text(of: path), path: path, signals: known)
    }

    /// Reads the text of a triggers.yaml. `known` are the signals a rule may name (the built-in
    /// ones and the rubric's `score.NAME`). `defaults` are read before the rules wherever they
    /// stand in the file.
    public static func parse(_ text: String, path: String = defaultPath, signals known: [Signal] = Signal.all) throws -> TriggerConfig {
        let root = try GateConfig.compose(text, path: path)
        var config = TriggerConfig(path: path)
        guard let root, root.null == nil else {
            throw ConfigError(path: path, line: nil, message: "no rules: expected `rules:` with named triggers")
        }
        guard let top = root.mapping else {
            throw ConfigError(path: path, line: root.mark?.line, message: "expected a mapping of settings at the top, such as `rules:`")
        }
        var rulesNode: (Node, Int?)?
        for (keyNode, value) in top {
            let key = keyNode.string ?? "", line = keyNode.mark?.line
            switch key {
            case "version":
                guard GateConfig.integer(value) == 1 else {
                    throw ConfigError(path: path, line: line, message: "`version` is not supported (this relops reads version 1)")
                }
            case "defaults": config.defaults = try readDefaults(value, line: line, path: path)
            case "rules": rulesNode = (value, line)
            default:
                let hint = Suggest.closest(to: key, in: keys).map { " (did you mean `\($0)`?)" } ?? ""
                throw ConfigError(path: path, line: line, message: "unknown setting `\(key)`\(hint)")
            }
        }
        guard let (node, line) = rulesNode else {
            throw ConfigError(path: path, line: nil, message: "no rules: expected `rules:` with named triggers")
        }
        guard let mapping = node.mapping, !mapping.isEmpty else {
            throw ConfigError(path: path, line: line,
                              message: "`rules` must map trigger names to rules, such as `refund-refusals: {signal: refused, above: 0.1}`")
        }
        for (nameNode, value) in mapping {
            let name = nameNode.string ?? ""
            let at = nameNode.mark?.line
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "_-.".contains($0) }) else {
                throw ConfigError(path: path, line: at, message: "`\(name)` is not a trigger name: use letters, digits, `-`, `_` and `.`")
            }
            guard !config.rules.contains(where: { $0.name == name }) else {
                throw ConfigError(path: path, line: at, message: "trigger `\(name)` is given twice")
            }
            config.rules.append(try rule(name, value, line: at, path: path, defaults: config.defaults, known: known))
        }
        return config
    }

    /// A word of text (not a number, a list or null).
    static func text(_ node: Node) -> String? {
        guard node.null == nil, node.scalar != nil, let s = node.string else { return nil }
        return s.trimmingCharacters(in: .whitespaces)
    }

    /// `defaults: {window: 1h, min_samples: 200, baseline: previous 24h, step: 1h, action: rollback}`.
    static func readDefaults(_ node: Node, line: Int?, path: String) throws -> Defaults {
        guard let mapping = node.mapping else {
            throw ConfigError(path: path, line: line, message: "`defaults` must be a mapping such as `{window: 1h, min_samples: 200}`")
        }
        var defaults = Defaults()
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let at = keyNode.mark?.line ?? line
            func fail(_ message: String) -> ConfigError { ConfigError(path: path, line: at, message: "`defaults.\(key)` \(message)") }
            switch key {
            case "window", "step":
                guard let t = text(value), ChangeReport.duration(t) != nil else { throw fail("expects a duration such as 30m, 1h or 1d") }
                if key == "window" { defaults.window = t } else { defaults.step = t }
            case "min_samples":
                guard let n = GateConfig.integer(value), n >= 1 else { throw fail("expects a whole number of at least 1, such as 200") }
                defaults.minSamples = n
            case "baseline":
                defaults.baseline = try baseline(value, fail: fail)
            case "action":
                defaults.action = try action(value, fail: fail)
            default:
                let hint = Suggest.closest(to: key, in: defaultKeys).map { " (did you mean `\($0)`?)" } ?? ""
                throw ConfigError(path: path, line: at, message: "unknown setting `defaults.\(key)`\(hint)")
            }
        }
        return defaults
    }

    static func baseline(_ value: Node, fail: (String) -> ConfigError) throws -> Baseline? {
        let t = text(value) ?? ""
        if t == "none" { return nil }
        guard let b = Baseline.parse(t) else { throw fail("expects `previous DURATION` (such as `previous 24h`), `DURATION before` (such as `7d before`) or `none`") }
        return b
    }

    static func action(_ value: Node, fail: (String) -> ConfigError) throws -> String {
        guard let t = text(value), !t.isEmpty, t.allSatisfy({ $0.isLetter || $0.isNumber || "_-.".contains($0) }) else {
            throw fail("expects one word such as `rollback`, `page` or `notify`")
        }
        return t
    }

    /// One rule's mapping.
    static func rule(_ name: String, _ node: Node, line: Int?, path: String, defaults: Defaults, known: [Signal]) throws -> Rule {
        guard let mapping = node.mapping else {
            throw ConfigError(path: path, line: line, message: "`rules.\(name)` must be a mapping such as `{signal: refused, above: 0.1}`")
        }
        let windowNs = ChangeReport.duration(defaults.window) ?? 3_600_000_000_000
        var rule = Rule(name: name, signal: nil, statistic: .rate, filter: nil, filterLine: nil, window: defaults.window, windowNs: windowNs,
                        step: defaults.step ?? defaults.window, stepNs: ChangeReport.duration(defaults.step ?? defaults.window) ?? windowNs,
                        baseline: defaults.baseline, minSamples: defaults.minSamples, action: defaults.action, line: line)
        var statisticText: (String, Int?)?
        var stepGiven = defaults.step != nil
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let at = keyNode.mark?.line ?? line
            func fail(_ message: String) -> ConfigError { ConfigError(path: path, line: at, message: "`rules.\(name).\(key)` \(message)") }
            switch key {
            case "signal":
                let signalName = text(value) ?? ""
                guard let signal = known.first(where: { $0.name == signalName }) else {
                    let hint = Suggest.closest(to: signalName, in: known.map(\.name)).map { " (did you mean `\($0)`?)" } ?? ""
                    throw fail("is an unknown signal `\(signalName)`\(hint)")
                }
                guard signal.kind != .categorical else { throw fail("`\(signalName)` is a label, not a number or a rate: a trigger cannot set a threshold on it") }
                rule.signal = signal
            case "statistic":
                statisticText = (text(value) ?? "", at)
            case "where":
                guard let t = text(value), !t.isEmpty else { throw fail("expects a `where` expression such as `intent == \"refund\"`") }
                rule.filter = t
                // A plain scalar starts on the key's line; the expression's own line is the value's.
                rule.filterLine = value.mark?.line ?? at
            case "window", "step":
                guard let t = text(value), let ns = ChangeReport.duration(t) else { throw fail("expects a duration such as 30m, 1h or 1d") }
                if key == "window" {
                    rule.window = t
                    rule.windowNs = ns
                } else {
                    rule.step = t
                    rule.stepNs = ns
                    stepGiven = true
                }
            case "above", "below", "max_increase", "max_relative_increase", "max_decrease", "max_relative_decrease":
                guard let x = GateConfig.number(value) else { throw fail("expects a number, such as 0.01") }
                if key.hasPrefix("max_") && x < 0 { throw fail("expects a number of at least 0, such as 0.01") }
                switch key {
                case "above": rule.above = x
                case "below": rule.below = x
                case "max_increase": rule.maxIncrease = x
                case "max_relative_increase": rule.maxRelativeIncrease = x
                case "max_decrease": rule.maxDecrease = x
                default: rule.maxRelativeDecrease = x
                }
            case "baseline":
                rule.baseline = try baseline(value, fail: fail)
            case "min_samples":
                guard let n = GateConfig.integer(value), n >= 1 else { throw fail("expects a whole number of at least 1, such as 200") }
                rule.minSamples = n
            case "action":
                rule.action = try action(value, fail: fail)
            case "description":
                guard let t = text(value) else { throw fail("expects text") }
                rule.description = t
            default:
                let hint = Suggest.closest(to: key, in: ruleKeys).map { " (did you mean `\($0)`?)" } ?? ""
                throw ConfigError(path: path, line: at, message: "unknown setting `rules.\(name).\(key)`\(hint)")
            }
        }
        // The step follows the rule's own window unless a step was set.
        if !stepGiven {
            rule.step = rule.window
            rule.stepNs = rule.windowNs
        }
        try resolveStatistic(&rule, statisticText, path: path)
        guard rule.above != nil || rule.below != nil || rule.needsBaseline else {
            throw ConfigError(path: path, line: line, message: "`rules.\(name)` needs a threshold: `above`, `below`, `max_increase`, "
                + "`max_relative_increase`, `max_decrease` or `max_relative_decrease`")
        }
        if rule.needsBaseline, rule.baseline == nil {
            throw ConfigError(path: path, line: line, message: "`rules.\(name)` compares with a baseline (`max_…`) but its baseline is `none`")
        }
        return rule
    }

    /// The statistic: as written when it suits the signal, else the signal's default (a rate
    /// for 0/1 signals, the mean for measurements, a count of traces without a signal).
    static func resolveStatistic(_ rule: inout Rule, _ written: (String, Int?)?, path: String) throws {
        let name = rule.name
        guard let signal = rule.signal else {
            if let (s, at) = written, s != "count" {
                throw ConfigError(path: path, line: at, message: "`rules.\(name).statistic` is `\(s)` but the rule has no `signal`; "
                    + "without one only `count` (of traces) applies")
            }
            guard written != nil else {
                throw ConfigError(path: path, line: rule.line, message: "`rules.\(name)` needs a `signal` (or `statistic: count` to count traces)")
            }
            rule.statistic = .count
            return
        }
        let allowed: [WindowSeries.Statistic] = signal.kind == .boolean ? [.rate, .mean, .count] : [.mean, .p50, .p95, .p99, .count]
        guard let (s, at) = written else {
            rule.statistic = signal.kind == .boolean ? .rate : .mean
            return
        }
        guard let statistic = WindowSeries.Statistic(rawValue: s), allowed.contains(statistic) else {
            let names = allowed.map(\.rawValue)
            let hint = Suggest.closest(to: s, in: names).map { " (did you mean `\($0)`?)" } ?? ""
            throw ConfigError(path: path, line: at, message: "`rules.\(name).statistic` is `\(s)`\(hint); \(signal.name) takes \(names.joined(separator: ", "))")
        }
        // The mean of a 0/1 signal is its rate.
        rule.statistic = signal.kind == .boolean && statistic == .mean ? .rate : statistic
    }
}
