import Foundation
import Store
import Yams

/// One entry of `relops.yaml`'s `runners` section: how to re-execute a stored input
/// (DESIGN.md, Replay runners; docs/runners.md).
///
/// It lives in Ingest because the workspace file is parsed here; the Replay target turns it
/// into a runner (`RunnerFactory`). Relative commands and paths resolve against `directory`,
/// the folder of the `relops.yaml` it came from, so a workspace works from any current folder.
public struct RunnerSpec: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// A command reading one JSON request on stdin and printing one JSON response.
        case exec
        /// An OpenAI-compatible chat-completions endpoint.
        case openai
    }

    /// A request parameter as written in YAML (the Replay target's `JSONScalar` is not visible here).
    public enum Scalar: Sendable, Equatable {
        case string(String)
        case number(Double)
        case bool(Bool)
        case null
    }

    /// The key under `runners`: `replay … using NAME`.
    public var name: String
    public var kind: Kind
    /// exec: the argv, or `["/bin/sh", "-c", text]` when written as one string (`shell`).
    public var command: [String]
    /// exec: `command` was written as one string and runs through `/bin/sh -c`.
    public var shell: Bool
    /// openai: the base URL; requests go to `{url}/chat/completions`.
    public var url: String?
    /// The model to ask for when the replay does not `set model=…`.
    public var model: String?
    /// openai: the environment variable holding the API key (sent as a Bearer token).
    public var apiKeyEnv: String?
    /// Seconds per call (per attempt).
    public var timeout: Double
    /// How many calls the bulk replay runs at once.
    public var concurrency: Int
    /// openai: extra attempts after a 429 or 5xx. exec runners are not retried.
    public var retries: Int
    /// openai: seconds before the first retry, doubled each time (capped at 30 s).
    public var backoff: Double
    /// Sent with every request, over the stored request parameters.
    public var parameters: [String: Scalar]
    /// System prompt text per prompt version, used when the replay sets `prompt_version`.
    public var prompts: [String: String]
    /// exec: extra environment variables for the command.
    public var env: [String: String]
    /// The folder of the `relops.yaml` this came from (absolute).
    public var directory: String
    /// The line of the runner's name in that file, for messages about it later.
    public var line: Int?

    public static let defaultTimeout: Double = 60
    public static let defaultConcurrency = 4
    public static let defaultRetries = 3
    public static let defaultBackoff: Double = 0.5

    public init(name: String, kind: Kind, command: [String] = [], shell: Bool = false, url: String? = nil,
                model: String? = nil, apiKeyEnv: String? = nil, timeout: Double = RunnerSpec.defaultTimeout,
                concurrency: Int = RunnerSpec.defaultConcurrency, retries: Int = RunnerSpec.defaultRetries,
                backoff: Double = RunnerSpec.defaultBackoff, parameters: [String: Scalar] = [:],
                prompts: [String: String] = [:], env: [String: String] = [:],
                directory: String = FileManager.default.currentDirectoryPath, line: Int? = nil) {
        self.name = name
        self.kind = kind
        self.command = command
        self.shell = shell
        self.url = url
        self.model = model
        self.apiKeyEnv = apiKeyEnv
        self.timeout = timeout
        self.concurrency = concurrency
        self.retries = retries
        self.backoff = backoff
        self.parameters = parameters
        self.prompts = prompts
        self.env = env
        self.directory = directory
        self.line = line
    }
}

// MARK: - Reading relops.yaml

extension RunnerSpec {
    /// Keys either kind accepts. exec runners accept `retries` and `backoff` but are not retried.
    static let commonKeys = ["kind", "model", "timeout", "concurrency", "retries", "backoff", "parameters", "prompts"]
    static let execKeys = ["command", "env"]
    static let openAIKeys = ["url", "api_key_env"]

    /// Reads the `runners` section: a mapping of names to runner settings.
    static func parseAll(_ node: Node, path: String) throws -> [String: RunnerSpec] {
        if node.null != nil { return [:] }
        guard let entries = node.mapping else {
            throw ConfigError(path: path, line: node.mark?.line, message: "`runners` must map runner names to their settings")
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path
        var specs: [String: RunnerSpec] = [:]
        for (nameNode, value) in entries {
            let name = nameNode.string ?? ""
            let line = nameNode.mark?.line
            guard isName(name) else {
                throw ConfigError(path: path, line: line,
                                  message: "runner name `\(name)` must be one word of letters, digits, `_` and `-`")
            }
            specs[name] = try RunnerSpec(name: name, node: value, line: line, path: path, directory: directory)
        }
        return specs
    }

    static func isName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || CharacterSet.letters.contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0 == "-" || CharacterSet.alphanumerics.contains($0) }
    }

    init(name: String, node: Node, line: Int?, path: String, directory: String) throws {
        let prefix = "runners.\(name)"
        guard let settings = node.mapping else {
            throw ConfigError(path: path, line: node.mark?.line ?? line,
                              message: "`\(prefix)` must be a mapping of settings (`kind`, `command` or `url`, …)")
        }
        // The kind decides which keys are allowed, so it is read first.
        var kind: Kind?
        for (keyNode, value) in settings where keyNode.string == "kind" {
            let text = value.string ?? ""
            guard let known = Kind(rawValue: text) else {
                let names = Kind.allCases.map(\.rawValue)
                let hint = Suggest.closest(to: text, in: names).map { " (did you mean `\($0)`?)" } ?? ""
                throw ConfigError(path: path, line: keyNode.mark?.line,
                                  message: "unknown runner kind `\(text)` in `\(prefix).kind`\(hint); expected `exec` or `openai`")
            }
            kind = known
        }
        guard let kind else {
            throw ConfigError(path: path, line: line, message: "`\(prefix)` needs a `kind`: `exec` or `openai`")
        }
        self.init(name: name, kind: kind, directory: directory, line: line)

        let own = kind == .exec ? Self.execKeys : Self.openAIKeys
        let other = kind == .exec ? Self.openAIKeys : Self.execKeys
        var sawCommand = false, sawURL = false
        for (keyNode, value) in settings {
            let key = keyNode.string ?? ""
            let keyLine = keyNode.mark?.line
            let field = "\(prefix).\(key)"
            func fail(_ message: String) -> ConfigError {
                ConfigError(path: path, line: keyLine, message: message)
            }
            func text() throws -> String {
                guard value.scalar != nil, value.null == nil, let s = value.string, !s.isEmpty else {
                    throw fail("`\(field)` expects text")
                }
                return s
            }
            func textMap() throws -> [String: String] {
                if value.null != nil { return [:] }
                guard let mapping = value.mapping else { throw fail("`\(field)` must be a mapping of names to text") }
                var result: [String: String] = [:]
                for (k, v) in mapping {
                    guard v.scalar != nil, v.null == nil, let s = v.string else {
                        throw ConfigError(path: path, line: k.mark?.line ?? keyLine,
                                          message: "`\(field).\(k.string ?? "")` expects text")
                    }
                    result[k.string ?? ""] = s
                }
                return result
            }

            if other.contains(key) {
                throw fail("`\(key)` applies to \(kind == .exec ? "openai" : "exec") runners, not to `\(prefix)` (kind \(kind.rawValue))")
            }
            guard key == "kind" || Self.commonKeys.contains(key) || own.contains(key) else {
                let hint = Suggest.closest(to: key, in: Self.commonKeys + own).map { " (did you mean `\($0)`?)" } ?? ""
                throw fail("unknown setting `\(field)`\(hint)")
            }
            switch key {
            case "kind":
                break
            case "command":
                sawCommand = true
                if let items = value.sequence {
                    var argv: [String] = []
                    for item in items {
                        guard item.scalar != nil, item.null == nil, let word = item.string else {
                            throw ConfigError(path: path, line: item.mark?.line ?? keyLine, message: "`\(field)` expects a list of words")
                        }
                        argv.append(word)
                    }
                    guard let first = argv.first, !first.isEmpty else { throw fail("`\(field)` is empty") }
                    command = argv
                    shell = false
                } else {
                    guard value.scalar != nil, value.null == nil, let line = value.string,
                          !line.trimmingCharacters(in: .whitespaces).isEmpty else {
                        throw fail("`\(field)` expects a list of words or a shell command line")
                    }
                    command = ["/bin/sh", "-c", line]
                    shell = true
                }
            case "url":
                sawURL = true
                let s = try text()
                guard let parsed = URL(string: s), let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https",
                      parsed.host != nil else {
                    throw fail("`\(field)` expects an http or https URL such as `http://127.0.0.1:8000/v1`")
                }
                url = s
            case "model":
                model = try text()
            case "api_key_env":
                let s = try text()
                guard Self.isEnvironmentName(s) else {
                    throw fail("`\(field)` expects the name of an environment variable, such as `OPENAI_API_KEY`")
                }
                apiKeyEnv = s
            case "timeout":
                guard let seconds = Self.duration(value), seconds > 0 else {
                    throw fail("`\(field)` expects a positive duration such as `30s`, `500ms`, `2m` or a number of seconds")
                }
                timeout = seconds
            case "backoff":
                guard let seconds = Self.duration(value), seconds >= 0 else {
                    throw fail("`\(field)` expects a duration such as `500ms`, `1s` or a number of seconds")
                }
                backoff = seconds
            case "concurrency":
                guard value.tag.rawValue == Tag.Name.int.rawValue, let n = value.int, n > 0 else {
                    throw fail("`\(field)` expects a whole number of at least 1")
                }
                concurrency = n
            case "retries":
                guard value.tag.rawValue == Tag.Name.int.rawValue, let n = value.int, n >= 0 else {
                    throw fail("`\(field)` expects a whole number of at least 0")
                }
                retries = n
            case "parameters":
                if value.null != nil { break }
                guard let mapping = value.mapping else {
                    throw fail("`\(field)` must map parameter names to values, such as `{temperature: 0}`")
                }
                for (k, v) in mapping {
                    let parameter = k.string ?? ""
                    guard let scalar = Self.scalar(v) else {
                        throw ConfigError(path: path, line: k.mark?.line ?? keyLine,
                                          message: "`\(field).\(parameter)` must be a number, text, true, false or null")
                    }
                    parameters[parameter] = scalar
                }
            case "prompts":
                prompts = try textMap()
            case "env":
                env = try textMap()
                for name in env.keys where !Self.isEnvironmentName(name) {
                    throw fail("`\(field)`: `\(name)` is not an environment variable name")
                }
            default:
                break
            }
        }
        if kind == .exec, !sawCommand {
            throw ConfigError(path: path, line: line, message: "`\(prefix)` (kind exec) needs a `command`")
        }
        if kind == .openai, !sawURL {
            throw ConfigError(path: path, line: line, message: "`\(prefix)` (kind openai) needs a `url`")
        }
    }

    static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }

    /// A YAML scalar as a request parameter; nil for mappings and sequences.
    static func scalar(_ node: Node) -> Scalar? {
        guard node.scalar != nil else { return nil }
        switch node.tag.rawValue {
        case Tag.Name.null.rawValue: return .null
        case Tag.Name.bool.rawValue: return node.bool.map(Scalar.bool)
        case Tag.Name.int.rawValue: return node.int.map { .number(Double($0)) }
        case Tag.Name.float.rawValue: return node.float.map(Scalar.number)
        default: return node.string.map(Scalar.string)
        }
    }

    /// `500ms`, `30s`, `2m`, `1h`, `1.5s` or a plain number of seconds; nil when it is none of these.
    public static func duration(_ text: String) -> Double? {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, factor) in units where s.hasSuffix(suffix) {
            let number = s.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
            // `5ms` also ends in `s`; the longer unit is tried first, and a leftover letter fails here.
            guard let value = Double(number), value.isFinite else { return nil }
            return value * factor
        }
        guard let value = Double(s), value.isFinite else { return nil }
        return value
    }

    static func duration(_ node: Node) -> Double? {
        guard node.scalar != nil, node.null == nil, let text = node.string else { return nil }
        return duration(text)
    }
}
