/// A runner that cannot be set up from its `relops.yaml` entry (a missing API key, a command
/// of the wrong kind). Failures of a call are not errors: they are `ReplayFailure`s, stored.
public struct RunnerError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The runner's name in `relops.yaml`.
    public var runner: String
    public var message: String

    public init(runner: String, message: String) {
        self.runner = runner
        self.message = message
    }

    /// `runner `vllm`: the environment variable OPENAI_API_KEY …`
    public var description: String {
        "runner `\(runner)` \(message)"
    }
}
