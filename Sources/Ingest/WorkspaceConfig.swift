import Analysis
import Foundation
import Store
import Yams

/// The workspace file `relops.yaml`: attribute mappings and signal rules (DESIGN.md, Signals).
///
/// Every part is optional; the built-in defaults are the OpenTelemetry GenAI, OpenInference
/// and Langfuse conventions and the refusal rule of docs/signals.md. docs/configuration.md
/// documents each key.
public struct WorkspaceConfig: Sendable, Equatable {
    /// Canonical fields that a mapping can name, with the attribute paths tried for each, in
    /// order, before the conventions' own attributes.
    public var mappings: [String: [AttributePath]]
    public var signals: SignalRules
    /// Replay runners by name (docs/runners.md).
    public var runners: [String: RunnerSpec]
    /// `thresholds.drift`: the thresholds of `drift`'s verdicts.
    public var driftThresholds: DriftThresholds
    /// `thresholds.explain`: Adtributor's thresholds for `explain`.
    public var explainThresholds = AttributionThresholds()
    /// `rubric`: the criteria of the weekly review (docs/review.md).
    public var rubric = Rubric()
    /// The file this came from, if any.
    public var path: String?

    public init(mappings: [String: [AttributePath]] = [:], signals: SignalRules = SignalRules(),
                runners: [String: RunnerSpec] = [:], driftThresholds: DriftThresholds = DriftThresholds(), path: String? = nil) {
        self.mappings = mappings
        self.signals = signals
        self.runners = runners
        self.driftThresholds = driftThresholds
        self.path = path
    }

    /// Fields a mapping may target (the canonical span facts).
    public static let mappableFields: Set<String> = [
        "operation", "provider", "request_model", "model", "input_tokens", "output_tokens", "cost_usd",
        "finish_reason", "prompt_id", "prompt_version", "prompt_hash", "config_hash", "index_version",
        "tool_name", "tool_version", "release", "environment", "cohort", "service", "service_version",
        "intent", "user_id", "session_id", "error_type", "retrieval_top_score", "retrieval_returned",
        "safety_flagged", "feedback", "refused", "http_status", "input", "output",
    ]

    /// Reads `relops.yaml`; errors name the file, the line and the key.
    public static func load(path: String) throws -> WorkspaceConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(path: path, line: nil, message: "cannot read the file")
        }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String = "relops.yaml") throws -> WorkspaceConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError(path: path, line: Self.line(of: error), message: Self.message(of: error))
        } catch {
            throw ConfigError(path: path, line: nil, message: "\(error)")
        }
        var config = WorkspaceConfig(path: path)
        guard let root else { return config }
        guard let top = root.mapping else {
            throw ConfigError(path: path, line: root.mark.map { $0.line }, message: "expected a mapping of settings at the top")
        }
        for (keyNode, value) in top {
            let key = keyNode.string ?? ""
            let line = keyNode.mark.map { $0.line }
            switch key {
            case "version":
                guard value.int == 1 else {
                    throw ConfigError(path: path, line: line, message: "unsupported `version` (this relops reads version 1)")
                }
            case "mappings":
                guard let mapping = value.mapping else {
                    throw ConfigError(path: path, line: line, message: "`mappings` must map field names to lists of attributes")
                }
                for (fieldNode, list) in mapping {
                    let field = fieldNode.string ?? ""
                    let fieldLine = fieldNode.mark.map { $0.line }
                    guard mappableFields.contains(field) else {
                        let hint = Suggest.closest(to: field, in: Array(mappableFields)).map { " (did you mean `\($0)`?)" } ?? ""
                        throw ConfigError(path: path, line: fieldLine, message: "unknown field `\(field)` in `mappings`\(hint)")
                    }
                    let items = list.sequence.map(Array.init) ?? [list]
                    var paths: [AttributePath] = []
                    for item in items {
                        guard let text = item.string, let attributePath = AttributePath(text) else {
                            throw ConfigError(path: path, line: item.mark.map { $0.line } ?? fieldLine,
                                              message: "`mappings.\(field)` expects attribute names such as `app.release` or `metadata#release`")
                        }
                        paths.append(attributePath)
                    }
                    config.mappings[field] = paths
                }
            case "signals":
                config.signals = try SignalRules(node: value, path: path)
            case "runners":
                config.runners = try RunnerSpec.parseAll(value, path: path)
            case "thresholds":
                config.driftThresholds = try driftThresholds(value, line: line, path: path)
                config.explainThresholds = try value.mapping?["explain"].map { try AttributionThresholds(node: $0, path: path) }
                    ?? AttributionThresholds()
            case "rubric":
                config.rubric = try Rubric(node: value, path: path)
            case "queries":
                break // read by later parts of relops
            default:
                let hint = Suggest.closest(to: key, in: ["version", "mappings", "signals", "runners", "thresholds", "rubric"]).map { " (did you mean `\($0)`?)" } ?? ""
                throw ConfigError(path: path, line: line, message: "unknown setting `\(key)`\(hint)")
            }
        }
        return config
    }

    /// The `drift` part of `thresholds` (`explain` is read beside it); its other parts (gates …)
    /// belong to later parts of relops and are left alone.
    private static func driftThresholds(_ node: Node, line: Int?, path: String) throws -> DriftThresholds {
        if node.null != nil { return DriftThresholds() }
        guard let mapping = node.mapping else {
            throw ConfigError(path: path, line: line, message: "`thresholds` must be a mapping, such as `drift: {p_value: 0.01}`")
        }
        return try mapping["drift"].map { try DriftThresholds(node: $0, path: path) } ?? DriftThresholds()
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }

    private static func message(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
            return "not valid YAML: \(problem)"
        default:
            return "not valid YAML: \(error)"
        }
    }
}

/// A problem in `relops.yaml`, with its line.
public struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    public var path: String
    public var line: Int?
    public var message: String

    public init(path: String, line: Int?, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String {
        "\(path)\(line.map { ":\($0)" } ?? ""): \(message)"
    }
}
