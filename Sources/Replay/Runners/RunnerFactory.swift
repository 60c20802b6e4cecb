import Foundation
import Ingest
import Store

/// Turns `relops.yaml`'s runner entries into runners.
public enum RunnerFactory {
    /// The runner an entry describes. Throws `RunnerError` when it cannot work at all (an
    /// `api_key_env` variable that is unset or empty); problems of a single call are recorded
    /// on the attempt instead.
    public static func make(spec: RunnerSpec,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> any Runner {
        switch spec.kind {
        case .exec: return try ExecRunner(spec: spec)
        case .openai: return try OpenAIRunner(spec: spec, environment: environment)
        }
    }

    /// The runner named `name` in the workspace file, with a did-you-mean when there is none.
    public static func make(named name: String, in config: WorkspaceConfig,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> any Runner {
        guard let spec = config.runners[name] else {
            let file = config.path ?? "relops.yaml"
            if config.runners.isEmpty {
                throw RunnerError(runner: name, message: "is not defined: \(file) has no `runners` section (see docs/runners.md)")
            }
            let hint = Suggest.closest(to: name, in: Array(config.runners.keys)).map { " (did you mean `\($0)`?)" } ?? ""
            let known = config.runners.keys.sorted().map { "`\($0)`" }.joined(separator: ", ")
            throw RunnerError(runner: name, message: "is not defined in \(file)\(hint); runners: \(known)")
        }
        return try make(spec: spec, environment: environment)
    }
}
