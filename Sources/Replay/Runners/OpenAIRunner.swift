import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Ingest

/// Re-executes a request against an OpenAI-compatible chat-completions endpoint (vLLM, Ollama,
/// llama.cpp server, LiteLLM, OpenAI): `POST {url}/chat/completions` (docs/runners.md).
///
/// 429 and 5xx answers are retried with exponential backoff (a numeric `Retry-After` wins);
/// a timeout or a refused connection is not, because another attempt would most likely cost
/// the same wait again. One URLSession serves every call, so calls from several threads share
/// its connections; each call blocks its own thread until the answer.
public final class OpenAIRunner: Runner {
    public let spec: RunnerSpec
    public var name: String { spec.name }
    public var kind: String { RunnerSpec.Kind.openai.rawValue }
    /// `{url}/chat/completions`.
    public let endpoint: URL
    private let apiKey: String?
    private let session: URLSession

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
        let configuration = URLSessionConfiguration.ephemeral
        // The call's own deadline (below) comes first; these only catch what it would miss.
        configuration.timeoutIntervalForRequest = spec.timeout + 5
        configuration.timeoutIntervalForResource = spec.timeout + 5
        configuration.httpMaximumConnectionsPerHost = max(1, spec.concurrency)
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        session = URLSession(configuration: configuration)
    }

    deinit {
        session.invalidateAndCancel()
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

    /// One HTTP attempt, bounded by the runner's timeout.
    private func send(_ body: Data) -> Answer {
        var urlRequest = URLRequest(url: endpoint, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: spec.timeout + 5)
        urlRequest.httpMethod = "POST"
        urlRequest.httpBody = body
        urlRequest.setValue("application/json", forHTTPHeaderField: "Content-Type")
        urlRequest.setValue("application/json", forHTTPHeaderField: "Accept")
        urlRequest.setValue("relops", forHTTPHeaderField: "User-Agent")
        if let apiKey { urlRequest.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization") }

        let exchange = Exchange()
        let task = session.dataTask(with: urlRequest) { data, response, error in
            exchange.finish(data: data, response: response, error: error)
        }
        task.resume()
        guard exchange.wait(seconds: spec.timeout) else {
            task.cancel()
            _ = exchange.wait(seconds: 5)
            return Answer(result: .failed(.timeout(seconds: spec.timeout)), raw: nil)
        }
        let (data, response, error) = exchange.outcome
        let bytes = data.map { [UInt8]($0) } ?? []
        let raw = bytes.isEmpty ? nil : RawText.cut(bytes)
        if let error {
            let code = (error as NSError).code
            if (error as NSError).domain == NSURLErrorDomain, code == NSURLErrorTimedOut || code == NSURLErrorCancelled {
                return Answer(result: .failed(.timeout(seconds: spec.timeout)), raw: raw)
            }
            return Answer(result: .failed(.transport("cannot reach \(endpoint.absoluteString): \(error.localizedDescription)")), raw: raw)
        }
        guard let http = response as? HTTPURLResponse else {
            return Answer(result: .failed(.transport("no HTTP response from \(endpoint.absoluteString)")), raw: raw)
        }
        guard (200...299).contains(http.statusCode) else {
            let retryAfter = (http.value(forHTTPHeaderField: "Retry-After")?.trimmingCharacters(in: .whitespaces))
                .flatMap(Double.init).flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
            return Answer(result: .failed(.http(status: http.statusCode, body: raw ?? "")), raw: raw, retryAfter: retryAfter)
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

/// The hand-over between URLSession's completion handler (on its queue) and the calling thread.
private final class Exchange: @unchecked Sendable {
    private let lock = NSLock()
    private let done = DispatchSemaphore(value: 0)
    private var data: Data?
    private var response: URLResponse?
    private var error: Error?

    func finish(data: Data?, response: URLResponse?, error: Error?) {
        lock.lock()
        self.data = data
        self.response = response
        self.error = error
        lock.unlock()
        done.signal()
    }

    /// False when nothing came within `seconds`.
    func wait(seconds: Double) -> Bool {
        done.wait(timeout: .now() + seconds) == .success
    }

    var outcome: (Data?, URLResponse?, Error?) {
        lock.lock()
        defer { lock.unlock() }
        return (data, response, error)
    }
}
