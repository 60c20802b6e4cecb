import Foundation
import Ingest

/// Re-executes a request with a command of the workspace: the request as one JSON object on
/// stdin, one JSON object expected on stdout (docs/runners.md).
///
/// Each call starts its own process in the workspace folder (the folder of `relops.yaml`), in
/// its own process group, so calls from several threads share nothing. exec runners are not
/// retried: a command that wants retries does them itself.
public struct ExecRunner: Runner {
    public let spec: RunnerSpec
    public var name: String { spec.name }
    public var kind: String { RunnerSpec.Kind.exec.rawValue }

    public init(spec: RunnerSpec) throws {
        guard spec.kind == .exec else {
            throw RunnerError(runner: spec.name, message: "is a \(spec.kind.rawValue) runner, not an exec runner")
        }
        guard let program = spec.command.first, !program.isEmpty else {
            throw RunnerError(runner: spec.name, message: "has no `command`")
        }
        self.spec = spec
    }

    public func call(_ request: ReplayRequest) -> ReplayAttempt {
        let start = RunnerClock.wallNanoseconds()
        func finish(_ result: Result<ReplayResponse, ReplayFailureError>, raw: String?) -> ReplayAttempt {
            ReplayAttempt(result: result, raw: raw, attempts: 1,
                          startNs: start, endNs: RunnerClock.wallNanoseconds())
        }

        let input: [UInt8]
        do {
            input = try Self.encode(request.applying(spec))
        } catch {
            return finish(.failed(.transport("cannot write the request as JSON: \(error)")), raw: nil)
        }
        let process = ChildProcess(arguments: spec.command, environment: spec.env, directory: spec.directory, timeout: spec.timeout)
        let outcome: ChildProcess.Outcome
        do {
            outcome = try process.run(input: input)
        } catch {
            return finish(.failed(.transport(error.message)), raw: nil)
        }
        let raw = outcome.stdout.isEmpty ? nil : RawText.cut(outcome.stdout)
        let stderr = String(decoding: outcome.stderr, as: UTF8.self)
        switch outcome.termination {
        case .timedOut:
            return finish(.failed(.timeout(seconds: spec.timeout)), raw: raw)
        case .signaled(let signal):
            return finish(.failed(.exit(code: 128 + signal, stderr: stderr)), raw: raw)
        case .exited(let code) where code != 0:
            return finish(.failed(.exit(code: code, stderr: stderr)), raw: raw)
        case .exited:
            if outcome.stdoutOverflow {
                return finish(.failed(.malformed(reason: "more than \(process.stdoutLimit / (1024 * 1024)) MiB on stdout",
                                                  body: raw ?? "")), raw: raw)
            }
            return finish(Self.response(from: outcome.stdout), raw: raw)
        }
    }

    /// The request line written to the command: compact JSON with sorted keys, then a newline.
    static func encode(_ request: ReplayRequest) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(request)) + [UInt8(ascii: "\n")]
    }

    /// Reads the one JSON object the command printed (docs/runners.md, The response).
    static func response(from stdout: [UInt8]) -> Result<ReplayResponse, ReplayFailureError> {
        let text = String(decoding: stdout, as: UTF8.self)
        let body = RawText.cut(stdout)
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return .failed(.malformed(reason: "nothing on stdout", body: "")) }
        let value: JSON
        do {
            value = try JSONParser.parse(trimmed)
        } catch {
            return .failed(.malformed(reason: "stdout is not one JSON object (\(error.reason) at byte \(error.offset)); "
                                           + "print logs to stderr", body: body))
        }
        guard value.object != nil else {
            return .failed(.malformed(reason: "stdout is JSON but not an object", body: body))
        }
        // A runner that got no answer says so itself.
        if let error = value["error"], !error.isNull {
            let message = error.string ?? error["message"]?.string ?? error.serialized
            if let status = value["status"]?.integerValue, (100...599).contains(status) {
                return .failed(.http(status: Int(status), body: message))
            }
            return .failed(.transport(message))
        }
        var response = ReplayResponse()
        do {
            response.output = try member(value, "output", \.string, "text")
            response.model = try member(value, "model", \.string, "text")
            response.finishReason = try member(value, "finish_reason", \.string, "text")
            response.inputTokens = try member(value, "input_tokens", \.integerValue, "a whole number")
            response.outputTokens = try member(value, "output_tokens", \.integerValue, "a whole number")
            response.costUsd = try member(value, "cost_usd", \.numberValue, "a number")
            response.refused = try member(value, "refused", \.bool, "true or false")
        } catch {
            return .failed(.malformed(reason: error.reason, body: body))
        }
        return .success(response)
    }

    private struct MemberError: Error {
        var reason: String
    }

    /// A member that is absent or null is nil; one of the wrong type is an error.
    private static func member<T>(_ object: JSON, _ key: String, _ read: (JSON) -> T?, _ expected: String) throws(MemberError) -> T? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let typed = read(value) else { throw MemberError(reason: "`\(key)` must be \(expected)") }
        return typed
    }
}

extension JSON {
    /// A JSON number without a fraction (not a string of digits).
    var integerValue: Int64? {
        switch self {
        case .integer, .double: return int64
        default: return nil
        }
    }

    /// A JSON number (not a string of digits).
    var numberValue: Double? {
        switch self {
        case .integer, .double: return double
        default: return nil
        }
    }
}
