import Analysis
import Foundation
import Ingest
import Query
import Store
import Yams

/// The workspace file `gates.yaml`: the thresholds of `gate`, its minimum sample size, what
/// too little evidence and a missing case mean, its must-pass case files and the rollout plan
/// (docs/release-gates.md documents each key).
///
/// Every value is checked here with its line, so a mistyped gate stops with a usage error
/// (exit status 2) rather than a verdict.
public struct GateConfig: Sendable, Equatable {
    /// What a gate does with a signal or case it cannot judge: hold the release, or ship with
    /// a warning.
    public enum Policy: String, Sendable, CaseIterable { case hold, warn }

    /// One signal's thresholds. A threshold fails when the point estimate of the change is
    /// past it; an interval that reaches past it is a risk. Increases limit signals where lower
    /// is better (refusals, latency, cost); decreases those where higher is better (scores,
    /// feedback, retrieval scores).
    public struct SignalRule: Sendable, Equatable {
        /// The threshold names, in the order reports list them.
        public static let thresholdNames = ["max_increase", "max_relative_increase", "max_decrease", "max_relative_decrease"]

        public var signal: Signal
        public var statistic: GateDelta.Statistic
        /// The largest allowed increase, in the statistic's unit (rates: 0.01 = 1 point).
        public var maxIncrease: Double?
        /// The largest allowed increase relative to the baseline (0.10 = +10 %).
        public var maxRelativeIncrease: Double?
        /// The largest allowed decrease, in the statistic's unit.
        public var maxDecrease: Double?
        /// The largest allowed decrease relative to the baseline (0.05 = −5 %).
        public var maxRelativeDecrease: Double?
        /// Overrides the file's `min_samples` for this signal.
        public var minSamples: Int?
        /// The line of the signal in the file, for messages.
        public var line: Int?

        public init(signal: Signal, statistic: GateDelta.Statistic, maxIncrease: Double? = nil,
                    maxRelativeIncrease: Double? = nil, minSamples: Int? = nil, line: Int? = nil) {
            self.signal = signal
            self.statistic = statistic
            self.maxIncrease = maxIncrease
            self.maxRelativeIncrease = maxRelativeIncrease
            self.minSamples = minSamples
            self.line = line
        }
    }

    /// The minimum number of values per side, per signal; fewer is insufficient evidence.
    public var minSamples = 200
    /// What insufficient evidence does to the verdict.
    public var insufficient = Policy.hold
    /// What a must-pass case with no trace in the candidate (or one that cannot be checked) does.
    public var missing = Policy.warn
    /// The confidence of every interval.
    public var confidence = 0.95
    /// The bootstrap of quantile deltas: resamples and seed.
    public var resamples = 2000
    public var seed: UInt64 = 1
    public var signals: [SignalRule]
    /// Must-pass case files, as written (relative to the current folder).
    public var cases: [String] = []
    /// The rollout plan's canary steps, in percent of traffic, and its monitoring window.
    public var canarySteps: [Double] = [5, 25, 100]
    public var window = "1h"
    /// The file this came from; nil for the built-in defaults.
    public var path: String?

    /// The built-in gate used when there is no gates.yaml: the example of docs/release-gates.md
    /// without cases.
    public static let defaultSignals: [SignalRule] = [
        ("refused", GateDelta.Statistic.rate, 0.01, nil), ("latency_ms", .p95, nil, 0.10), ("cost_usd", .mean, nil, 0.05),
        ("tool_error", .rate, 0.005, nil), ("safety_flagged", .rate, 0, nil),
    ].compactMap { (name: String, statistic: GateDelta.Statistic, absolute: Double?, relative: Double?) in
        Signal.named(name).map { SignalRule(signal: $0, statistic: statistic, maxIncrease: absolute, maxRelativeIncrease: relative) }
    }

    public init(signals: [SignalRule] = GateConfig.defaultSignals, path: String? = nil) {
        self.signals = signals
        self.path = path
    }

    /// The default file of `gate` without `thresholds FILE`.
    public static let defaultPath = "gates.yaml"

    /// The top-level keys.
    static let keys = ["version", "min_samples", "insufficient", "missing", "confidence", "bootstrap_resamples", "seed",
                       "signals", "cases", "rollout"]
    /// The keys of one signal.
    static let signalKeys = ["statistic", "max_increase", "max_relative_increase", "max_decrease", "max_relative_decrease", "min_samples"]

    /// Reads `path`; errors name the file and line.
    public static func load(path: String, signals known: [Signal] = Signal.all) throws -> GateConfig {
        try parse(try text(of: path), path: path, signals: known)
    }

    /// A settings file's text (gates.yaml, triggers.yaml), or an error naming it.
    static func text(of path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(path: path, line: nil, message: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw ConfigError(path: path, line: nil, message: "not UTF-8 text") }
        return text
    }

    /// A settings file's YAML tree (nil when empty); a YAML mistake names the file and line.
    static func compose(_ text: String, path: String) throws -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError(path: path, line: yamlLine(error), message: "not valid YAML: \(yamlProblem(error))")
        } catch {
            throw ConfigError(path: path, line: nil, message: "not valid YAML: \(error)")
        }
    }

    /// Reads the text of a gates.yaml. `known` are the signals a rule may name (the built-in
    /// ones and the rubric's `score.NAME`).
    public static func parse(_ text: String, path: String = defaultPath, signals known: [Signal] = Signal.all) throws -> GateConfig {
        let root = try compose(text, path: path)
        var config = GateConfig(path: path)
        guard let root, root.null == nil else { return config }
        guard let top = root.mapping else {
            throw ConfigError(path: path, line: root.mark?.line, message: "expected a mapping of settings at the top, such as `min_samples: 200`")
        }
        for (keyNode, value) in top {
            try config.read(keyNode.string ?? "", value, line: keyNode.mark?.line, path: path, known: known)
        }
        return config
    }

    /// One top-level key.
    private mutating func read(_ key: String, _ value: Node, line: Int?, path: String, known: [Signal]) throws {
        func fail(_ message: String) -> ConfigError { ConfigError(path: path, line: line, message: "`\(key)` \(message)") }
        switch key {
        case "version":
            guard Self.integer(value) == 1 else { throw fail("is not supported (this relops reads version 1)") }
        case "min_samples":
            guard let n = Self.integer(value), n >= 1 else { throw fail("expects a whole number of at least 1, such as 200") }
            minSamples = n
        case "insufficient", "missing":
            let name = value.null == nil ? value.string ?? "" : ""
            guard let policy = Policy(rawValue: name) else {
                let hint = Suggest.closest(to: name, in: Policy.allCases.map(\.rawValue)).map { " (did you mean `\($0)`?)" } ?? ""
                throw fail("is `\(name)`\(hint); expected `hold` or `warn`")
            }
            if key == "insufficient" { insufficient = policy } else { missing = policy }
        case "confidence":
            guard let x = Self.number(value), x > 0, x < 1 else { throw fail("expects a number between 0 and 1, such as 0.95") }
            confidence = x
        case "bootstrap_resamples":
            guard let n = Self.integer(value), n >= 100, n <= 1_000_000 else { throw fail("expects a whole number from 100 to 1000000, such as 2000") }
            resamples = n
        case "seed":
            guard let n = Self.integer(value), n >= 0 else { throw fail("expects a whole number of at least 0, such as 1") }
            seed = UInt64(n)
        case "signals":
            signals = try Self.signalRules(value, line: line, path: path, known: known)
        case "cases":
            let items = value.sequence.map(Array.init) ?? (value.null == nil ? [value] : [])
            cases = try items.map { item in
                guard item.scalar != nil, let name = item.string, !name.isEmpty else {
                    throw ConfigError(path: path, line: item.mark?.line ?? line, message: "`cases` expects case file paths, such as `cases/refunds.yaml`")
                }
                return name
            }
        case "rollout":
            try readRollout(value, line: line, path: path)
        default:
            let hint = Suggest.closest(to: key, in: Self.keys).map { " (did you mean `\($0)`?)" } ?? ""
            throw ConfigError(path: path, line: line, message: "unknown setting `\(key)`\(hint)")
        }
    }

    /// `signals`: a mapping of signal names to their thresholds.
    static func signalRules(_ node: Node, line: Int?, path: String, known: [Signal]) throws -> [SignalRule] {
        guard let mapping = node.mapping else {
            throw ConfigError(path: path, line: line, message: "`signals` must map signal names to thresholds, such as `refused: {max_increase: 0.01}`")
        }
        var rules: [SignalRule] = []
        for (nameNode, value) in mapping {
            let name = nameNode.string ?? ""
            let at = nameNode.mark?.line
            guard let signal = known.first(where: { $0.name == name }) else {
                let hint = Suggest.closest(to: name, in: known.map(\.name)).map { " (did you mean `\($0)`?)" } ?? ""
                throw ConfigError(path: path, line: at, message: "unknown signal `\(name)` in `signals`\(hint)")
            }
            guard signal.kind != .categorical else {
                throw ConfigError(path: path, line: at, message: "`\(name)` is a label, not a number or a rate: a gate cannot set a threshold on it")
            }
            guard !rules.contains(where: { $0.signal.name == name }) else {
                throw ConfigError(path: path, line: at, message: "signal `\(name)` is given twice")
            }
            rules.append(try signalRule(signal, value, line: at, path: path))
        }
        return rules
    }

    /// One signal's mapping: `{statistic: p95, max_relative_increase: 0.10}`.
    static func signalRule(_ signal: Signal, _ node: Node, line: Int?, path: String) throws -> SignalRule {
        guard let mapping = node.mapping else {
            throw ConfigError(path: path, line: line, message: "`signals.\(signal.name)` must be a mapping such as `{max_increase: 0.01}`")
        }
        var rule = SignalRule(signal: signal, statistic: signal.kind == .boolean ? .rate : .mean, line: line)
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let at = keyNode.mark?.line ?? line
            func fail(_ message: String) -> ConfigError { ConfigError(path: path, line: at, message: "`signals.\(signal.name).\(key)` \(message)") }
            switch key {
            case "statistic":
                let name = value.null == nil ? value.string ?? "" : ""
                let allowed: [GateDelta.Statistic] = signal.kind == .boolean ? [.rate, .mean] : [.mean, .p50, .p95, .p99]
                guard let statistic = GateDelta.Statistic(rawValue: name), allowed.contains(statistic) else {
                    let names = allowed.map(\.rawValue)
                    let hint = Suggest.closest(to: name, in: names).map { " (did you mean `\($0)`?)" } ?? ""
                    throw fail("is `\(name)`\(hint); \(signal.name) takes \(names.joined(separator: ", "))")
                }
                // The mean of a 0/1 signal is its rate.
                rule.statistic = signal.kind == .boolean ? .rate : statistic
            case "max_increase", "max_relative_increase", "max_decrease", "max_relative_decrease":
                guard let x = Self.number(value), x >= 0 else { throw fail("expects a number of at least 0, such as 0.01") }
                switch key {
                case "max_increase": rule.maxIncrease = x
                case "max_relative_increase": rule.maxRelativeIncrease = x
                case "max_decrease": rule.maxDecrease = x
                default: rule.maxRelativeDecrease = x
                }
            case "min_samples":
                guard let n = integer(value), n >= 1 else { throw fail("expects a whole number of at least 1, such as 200") }
                rule.minSamples = n
            default:
                let hint = Suggest.closest(to: key, in: signalKeys).map { " (did you mean `\($0)`?)" } ?? ""
                throw ConfigError(path: path, line: at, message: "unknown setting `signals.\(signal.name).\(key)`\(hint)")
            }
        }
        guard rule.maxIncrease != nil || rule.maxRelativeIncrease != nil || rule.maxDecrease != nil || rule.maxRelativeDecrease != nil else {
            throw ConfigError(path: path, line: line,
                              message: "`signals.\(signal.name)` needs `max_increase`, `max_relative_increase`, `max_decrease` or `max_relative_decrease`")
        }
        return rule
    }

    /// `rollout: {steps: [5, 25, 100], window: 1h}`.
    private mutating func readRollout(_ node: Node, line: Int?, path: String) throws {
        guard let mapping = node.mapping else {
            throw ConfigError(path: path, line: line, message: "`rollout` must be a mapping such as `{steps: [5, 25, 100], window: 1h}`")
        }
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let at = keyNode.mark?.line ?? line
            switch key {
            case "steps":
                let steps = (value.sequence.map(Array.init) ?? []).map(Self.number)
                guard !steps.isEmpty, steps.allSatisfy({ ($0 ?? 0) > 0 && ($0 ?? 0) <= 100 }),
                      let last = steps.last ?? nil, last == 100, zip(steps, steps.dropFirst()).allSatisfy({ ($0 ?? 0) < ($1 ?? 0) }) else {
                    throw ConfigError(path: path, line: at, message: "`rollout.steps` expects rising percentages of traffic ending at 100, such as [5, 25, 100]")
                }
                canarySteps = steps.compactMap { $0 }
            case "window":
                let text = value.null == nil ? value.string ?? "" : ""
                guard Self.isDuration(text) else {
                    throw ConfigError(path: path, line: at, message: "`rollout.window` expects a duration such as 30m, 1h or 1d")
                }
                window = text
            default:
                let hint = Suggest.closest(to: key, in: ["steps", "window"]).map { " (did you mean `\($0)`?)" } ?? ""
                throw ConfigError(path: path, line: at, message: "unknown setting `rollout.\(key)`\(hint)")
            }
        }
    }

    /// A whole number followed by one of `m`, `h`, `d`: `30m`, `1h`, `2d`.
    static func isDuration(_ text: String) -> Bool {
        guard let unit = text.last, "mhd".contains(unit), let n = Int(text.dropLast()), n > 0 else { return false }
        return true
    }

    /// A finite number written as a YAML integer or float (not quoted text).
    static func number(_ node: Node) -> Double? {
        let tag = node.tag.rawValue
        let x: Double? = tag == Tag.Name.int.rawValue ? node.int.map(Double.init) : tag == Tag.Name.float.rawValue ? node.float : nil
        return x.flatMap { $0.isFinite ? $0 : nil }
    }

    /// A YAML integer (not quoted text, not a float).
    static func integer(_ node: Node) -> Int? {
        node.tag.rawValue == Tag.Name.int.rawValue ? node.int : nil
    }

    static func yamlLine(_ error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return nil
        }
    }

    static func yamlProblem(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): return problem
        default: return "\(error)"
        }
    }
}
