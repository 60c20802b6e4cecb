import CHTTP
import Foundation
import Ingest

/// Re-executes a request against an OpenAI-compatible chat-completions endpoint (vLLM, Ollama,
/// llama.cpp server, LiteLLM, OpenAI): `POST {url}/chat/completions` (docs/runners.md).
///
/// 429 and 5xx answers are retried with exponential backoff (a numeric `Retry-After` wins);
/// a timeout or a refused connection is not, because another attempt would most likely cost
/// the same wait again. Each call blocks its own thread until the answer; HTTP goes through
/// libcurl, loaded on the first call (`CHTTP`), so relops starts without it.
public final class OpenAIRunner: Runner {
    public let spec: RunnerSpec
    public var name: String { spec.name }
    public var kind: String { RunnerSpec.Kind.openai.rawValue }
    /// `{url}/chat/completions`.
    public let endpoint: URL
    private let apiKey: String?

    /// The longest wait between two attempts, whatever the backoff or `Retry-After` say.
    static let maximumDelay: Double = 30

    /// Throws when `api_key_env` names a variable that is unset or empty in `environment`.
    public init(spec: RunnerSpec, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard spec.kind == .openai else {
            throw RunnerError(runner: spec.name, message: "is an \(spec.kind.rawValue) runner, not an openai runner")
        }
        guard let text = spec.url, let base = URL(string: text) else {
            throw RunnerError(runner: spec.name, message: "has no `url`")
        }
        endpoint = Self.endpoint(for: base)
        if let variable = spec.apiKeyEnv {
            guard let key = environment[variable]?.trimmingCharacters(in: .whitespacesAndNewlines), !key.isEmpty else {
                throw RunnerError(runner: spec.name,
                                  message: "needs an API key in the environment variable \(variable) (api_key_env), which is not set")
            }
            apiKey = key
        } else {
            apiKey = nil
        }
        self.spec = spec
    }

    /// `http://host:8000/v1` → `http://host:8000/v1/chat/completions`; a URL that already ends
    /// in `/chat/completions` is used as it is.
    static func endpoint(for base: URL) -> URL {
        var text = base.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        if text.hasSuffix("/chat/completions") { return URL(string: text) ?? base }
        return URL(string: text + "/chat/completions") ?? base.appendingPathComponent("chat/completions")
    }

    public func call(_ request: ReplayRequest) -> ReplayAttempt {
        let start = RunnerClock.wallNanoseconds()
        let body = Self.body(for: request.applying(spec))
        var attempts = 0
        var delay = spec.backoff
        while true {
            attempts += 1
            let answer = send(body)
            if case .failure(let failure) = answer.result, failure.failure.isRetryable, attempts <= spec.retries {
                let wait = min(answer.retryAfter ?? delay, Self.maximumDelay)
                if wait > 0 { Thread.sleep(forTimeInterval: wait) }
                delay = min(max(delay, 0.001) * 2, Self.maximumDelay)
                continue
            }
            return ReplayAttempt(result: answer.result, raw: answer.raw, attempts: attempts,
                                 startNs: start, endNs: RunnerClock.wallNanoseconds())
        }
    }

    /// `{"model", "messages", …parameters}`: the parameters cannot replace the model or the messages.
    static func body(for request: ReplayRequest) -> Data {
        var members: [(String, JSON)] = []
        if let model = request.model { members.append(("model", .string(model))) }
        members.append(("messages", .array(request.messages.map {
            .object([("role", .string($0.role)), ("content", .string($0.content))])
        })))
        for (key, value) in request.parameters.sorted(by: { $0.key < $1.key }) where key != "model" && key != "messages" {
            members.append((key, value.json))
        }
        return Data(JSON.object(members).serialized.utf8)
    }

    private struct Answer {
        var result: Result<ReplayResponse, ReplayFailureError>
        var raw: String?
        var retryAfter: Double?
    }

    /// The most of a response body kept (the rest is read and dropped).
    static let bodyLimit = 16 << 20

    /// One HTTP attempt, bounded by the runner's timeout.
    private func send(_ body: Data) -> Answer {
        var headers = ["Content-Type: application/json", "Accept: application/json", "User-Agent: relops", "Expect:"]
        if let apiKey { headers.append("Authorization: Bearer \(apiKey)") }
        var response = relops_http_response()
        defer { relops_http_response_free(&response) }
        let timeoutMs = max(1, Int(spec.timeout * 1000))
        let status = body.withUnsafeBytes { bytes in
            withCStrings(headers) { lines in
                relops_http_post(endpoint.absoluteString, lines, lines.count, bytes.baseAddress?.assumingMemoryBound(to: CChar.self),
                                 bytes.count, timeoutMs, Self.bodyLimit, &response)
            }
        }
        let bytes = response.body.map { Array(UnsafeBufferPointer(start: UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self),
                                                                  count: response.body_length)) } ?? []
        let raw = bytes.isEmpty ? nil : RawText.cut(bytes)
        if status != 0 {
            if response.timed_out != 0 { return Answer(result: .failed(.timeout(seconds: spec.timeout)), raw: raw) }
            let reason = response.error.map { String(cString: $0) } ?? "no response"
            return Answer(result: .failed(.transport("cannot reach \(endpoint.absoluteString): \(reason)")), raw: raw)
        }
        guard (200...299).contains(response.status) else {
            let retryAfter = response.retry_after.map { String(cString: $0).trimmingCharacters(in: .whitespaces) }
                .flatMap(Double.init).flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
            return Answer(result: .failed(.http(status: response.status, body: raw ?? "")), raw: raw, retryAfter: retryAfter)
        }
        return Answer(result: Self.response(from: bytes), raw: raw)
    }

    /// Reads a chat completion (docs/runners.md, The openai runner).
    static func response(from bytes: [UInt8]) -> Result<ReplayResponse, ReplayFailureError> {
        let body = RawText.cut(bytes)
        let value: JSON
        do {
            value = try JSONParser.parse(String(decoding: bytes, as: UTF8.self))
        } catch {
            return .failed(.malformed(reason: "the body is not JSON (\(error.reason) at byte \(error.offset))", body: body))
        }
        guard value.object != nil else { return .failed(.malformed(reason: "the body is not a JSON object", body: body)) }
        guard let choice = value["choices"]?[0] else {
            if let error = value["error"], !error.isNull {
                let message = error["message"]?.string ?? error.string ?? error.serialized
                return .failed(.malformed(reason: "an error instead of a completion: \(message)", body: body))
            }
            return .failed(.malformed(reason: "no `choices[0]` in the response", body: body))
        }
        guard let message = choice["message"], message.object != nil else {
            return .failed(.malformed(reason: "no `choices[0].message` in the response", body: body))
        }
        var response = ReplayResponse()
        response.model = value["model"]?.string
        response.finishReason = choice["finish_reason"]?.string
        response.inputTokens = value["usage"]?["prompt_tokens"]?.integerValue
        response.outputTokens = value["usage"]?["completion_tokens"]?.integerValue
        switch message["content"] {
        case .string(let text)?: response.output = text
        case .array(let parts)?:
            // Content given as parts: the text parts, joined.
            response.output = parts.compactMap { $0["text"]?.string }.joined()
        case nil, .null?: break
        default:
            return .failed(.malformed(reason: "`choices[0].message.content` is neither text nor null", body: body))
        }
        if let refusal = message["refusal"], !refusal.isNull {
            response.refused = true
            response.output = refusal.string ?? refusal.serialized
        }
        return .success(response)
    }
}

/// Runs `body` with `strings` as an array of C strings (valid only during the call).
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return body(copies.map { UnsafePointer($0) })
}
