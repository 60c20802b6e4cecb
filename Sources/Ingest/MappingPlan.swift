/// The mapping rules compiled for speed: for each attribute key, which canonical fields it
/// can fill and with what priority. Mapping a span then costs one lookup per attribute instead
/// of one per candidate path per field, and the native decoder can skip (not even build) the
/// attributes no rule reads.
struct MappingPlan: Sendable {
    struct Entry: Sendable {
        var field: Fact
        /// Lower wins: the workspace's paths first, in order, then the conventions'.
        var priority: Int
        var path: AttributePath
    }

    let span: [String: [Entry]]
    let resource: [String: [Entry]]
    let filter: KeyFilter

    /// Keys read by classification and the message helpers in `Conventions`, beyond the paths.
    static let extraKeys = [
        "openinference.span.kind", "langfuse.observation.type", "gen_ai.operation.name", "app.retrieval.index",
        "retrieval.documents", "gen_ai.retrieval.documents", "gen_ai.input.messages", "gen_ai.output.messages", "langfuse.observation.input",
        "langfuse.observation.output",
    ]
    static let extraPrefixes = ["llm.input_messages.", "llm.output_messages.", "retrieval.documents."]

    init(paths: [String: [AttributePath]]) {
        var span: [String: [Entry]] = [:]
        var resource: [String: [Entry]] = [:]
        for (name, list) in paths {
            guard let field = Fact(name: name) else { continue }
            for (priority, path) in list.enumerated() {
                let entry = Entry(field: field, priority: priority, path: path)
                if path.onResource { resource[path.key, default: []].append(entry) } else { span[path.key, default: []].append(entry) }
            }
        }
        self.span = span
        self.resource = resource
        filter = KeyFilter(keys: Array(span.keys) + Self.extraKeys + Conventions.valueKeys, prefixes: Self.extraPrefixes)
    }
}

/// The canonical span facts a mapping can fill (the columns of `spans`, docs/configuration.md).
enum Fact: Int, CaseIterable, Sendable {
    case operation, provider, request_model, model, input_tokens, output_tokens, cost_usd, finish_reason
    case prompt_id, prompt_version, prompt_hash, config_hash, index_version, tool_name, tool_version
    case release, environment, cohort, service, service_version, intent, user_id, session_id, error_type
    case retrieval_top_score, retrieval_returned, safety_flagged, feedback, refused, http_status, input, output
    case replay_of, replay_run

    @inline(__always) var index: Int { rawValue }

    /// The field's name in `relops.yaml` and in `spans` (snake case).
    var name: String { String(describing: self) }

    init?(name: String) {
        guard let fact = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = fact
    }
}

/// A set of attribute keys matched on raw UTF-8 bytes (no String made for keys that do not
/// match), plus key prefixes. FNV-1a hashes; a collision only means one extra attribute is
/// decoded, never a wrong value.
struct KeyFilter: Sendable {
    private let hashes: Set<UInt64>
    private let prefixes: [[UInt8]]

    init(keys: [String], prefixes: [String]) {
        hashes = Set(keys.map { key in key.utf8.withContiguousStorageIfAvailable { Self.hash(UnsafeRawBufferPointer($0)) } ?? Self.hash(Array(key.utf8)) })
        self.prefixes = prefixes.map { Array($0.utf8) }
    }

    func contains(_ key: UnsafeRawBufferPointer) -> Bool {
        if hashes.contains(Self.hash(key)) { return true }
        for prefix in prefixes where key.count > prefix.count {
            var same = true
            for i in 0..<prefix.count where key[i] != prefix[i] { same = false; break }
            if same { return true }
        }
        return false
    }

    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    static func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { hash($0) }
    }
}
