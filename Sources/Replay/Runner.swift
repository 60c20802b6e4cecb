import Foundation

/// One chat message of a replay request (the stored prompt, or the user's input alone).
public struct ChatMessage: Sendable, Equatable, Codable {
    public var role: String
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

/// What a runner is asked to do: re-run one stored input under chosen version values
/// (DESIGN.md, Replay runners). The exec runner gets it as JSON on stdin (docs/runners.md).
public struct ReplayRequest: Sendable, Equatable, Codable {
    /// The trace being replayed.
    public var traceId: String
    public var inputHash: String?
    /// The user's input as text.
    public var input: String?
    /// The prompt as it was sent (system, history, user), or the input as one user message.
    public var messages: [ChatMessage]
    /// The model to ask for: `set model=…`, else the runner's `model`, else the trace's.
    public var model: String?
    /// Request parameters (temperature, max_tokens …): the runner's, over the stored ones.
    public var parameters: [String: JSONScalar]
    /// Every version dimension of the trace, with the `set` values applied.
    public var versions: [String: String]

    public init(traceId: String, inputHash: String? = nil, input: String? = nil, messages: [ChatMessage],
                model: String? = nil, parameters: [String: JSONScalar] = [:], versions: [String: String] = [:]) {
        self.traceId = traceId
        self.inputHash = inputHash
        self.input = input
        self.messages = messages
        self.model = model
        self.parameters = parameters
        self.versions = versions
    }

    enum CodingKeys: String, CodingKey {
        case traceId = "trace_id", inputHash = "input_hash", input, messages, model, parameters, versions
    }
}

/// A JSON number, string, boolean or null (request parameters).
public enum JSONScalar: Sendable, Equatable, Codable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else { self = .string(try c.decode(String.self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .number(let d):
            if d == d.rounded(), abs(d) < 1e15 { try c.encode(Int64(d)) } else { try c.encode(d) }
        case .bool(let b): try c.encode(b)
        case .null: try c.encodeNil()
        }
    }
}

/// What a runner answered.
public struct ReplayResponse: Sendable, Equatable {
    public var output: String?
    /// The model that answered (as the endpoint names it).
    public var model: String?
    public var inputTokens: Int64?
    public var outputTokens: Int64?
    public var finishReason: String?
    public var costUsd: Double?
    /// An explicit refusal flag, if the runner gave one (else the workspace's refusal rules decide).
    public var refused: Bool?

    public init(output: String? = nil, model: String? = nil, inputTokens: Int64? = nil, outputTokens: Int64? = nil,
                finishReason: String? = nil, costUsd: Double? = nil, refused: Bool? = nil) {
        self.output = output
        self.model = model
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.finishReason = finishReason
        self.costUsd = costUsd
        self.refused = refused
    }
}

/// Why a call gave no usable response. Every failure is stored on the replayed span.
public enum ReplayFailure: Sendable, Equatable {
    /// No answer within the per-call timeout.
    case timeout(seconds: Double)
    /// An HTTP error status (after the retries, for 429 and 5xx).
    case http(status: Int, body: String)
    /// The exec command exited non-zero (or was killed by a signal).
    case exit(code: Int32, stderr: String)
    /// An answer that is not the expected JSON.
    case malformed(reason: String, body: String)
    /// The connection failed, the command could not start …
    case transport(String)

    /// `error.type` of the stored span: `timeout`, `http_429`, `exit_1`, `malformed`, `transport`.
    public var errorType: String {
        switch self {
        case .timeout: return "timeout"
        case .http(let status, _): return "http_\(status)"
        case .exit(let code, _): return "exit_\(code)"
        case .malformed: return "malformed"
        case .transport: return "transport"
        }
    }

    /// One line for the span's status message.
    public var message: String {
        switch self {
        case .timeout(let s): return "no response within \(s.formatted(.number.precision(.fractionLength(0...3)))) s"
        case .http(let status, let body): return "HTTP \(status)" + (body.isEmpty ? "" : ": " + Self.cut(body))
        case .exit(let code, let stderr): return "exited with status \(code)" + (stderr.isEmpty ? "" : ": " + Self.cut(stderr))
        case .malformed(let reason, _): return "malformed response: \(reason)"
        case .transport(let m): return m
        }
    }

    /// 429 and 5xx are worth another try; nothing else is.
    public var isRetryable: Bool {
        if case .http(let status, _) = self { return status == 429 || (500...599).contains(status) }
        return false
    }

    static func cut(_ s: String, limit: Int = 300) -> String {
        let line = s.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: " ")
        return line.count <= limit ? line : String(line.prefix(limit)) + "…"
    }
}

/// The result of one call (after retries): the response or the failure, the raw text the
/// runner produced (kept on the span), how many attempts it took and how long.
public struct ReplayAttempt: Sendable, Equatable {
    public var result: Result<ReplayResponse, ReplayFailureError>
    /// The runner's raw answer (HTTP body or stdout), cut to a limit.
    public var raw: String?
    public var attempts: Int
    public var startNs: Int64
    public var endNs: Int64

    public init(result: Result<ReplayResponse, ReplayFailureError>, raw: String?, attempts: Int, startNs: Int64, endNs: Int64) {
        self.result = result
        self.raw = raw
        self.attempts = attempts
        self.startNs = startNs
        self.endNs = endNs
    }
}

/// `ReplayFailure` as an `Error` (for `Result`).
public struct ReplayFailureError: Error, Sendable, Equatable {
    public var failure: ReplayFailure
    public init(_ failure: ReplayFailure) { self.failure = failure }
}

/// Re-executes one request. Implementations are called from several threads at once (the
/// bulk form's concurrency) and must block until the answer, the timeout or the failure.
public protocol Runner: Sendable {
    /// The name in `relops.yaml`.
    var name: String { get }
    /// `exec` or `openai`.
    var kind: String { get }
    /// One call, retries included.
    func call(_ request: ReplayRequest) -> ReplayAttempt
}
