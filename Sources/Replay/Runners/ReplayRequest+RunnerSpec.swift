import Foundation
import Ingest

extension ReplayRequest {
    /// The request as a runner sends it: its `model` when the replay set none, its `parameters`
    /// over the stored ones, and its prompt text for the chosen `prompt_version` as the system
    /// message.
    ///
    /// Both runners apply this themselves; it is public so that the bulk replay can store the
    /// request that was really sent. Applying it twice changes nothing.
    public func applying(_ spec: RunnerSpec) -> ReplayRequest {
        var request = self
        if request.model == nil { request.model = spec.model }
        for (key, value) in spec.parameters { request.parameters[key] = JSONScalar(value) }
        if let version = versions["prompt_version"], let prompt = spec.prompts[version] {
            if let index = request.messages.firstIndex(where: { $0.role == "system" }) {
                request.messages[index].content = prompt
            } else {
                request.messages.insert(ChatMessage(role: "system", content: prompt), at: 0)
            }
        }
        return request
    }
}

extension JSONScalar {
    public init(_ scalar: RunnerSpec.Scalar) {
        switch scalar {
        case .string(let s): self = .string(s)
        case .number(let d): self = .number(d)
        case .bool(let b): self = .bool(b)
        case .null: self = .null
        }
    }

    /// As the Ingest JSON value (for writing request bodies); integral numbers stay integers.
    var json: JSON {
        switch self {
        case .string(let s): return .string(s)
        case .number(let d):
            if d.isFinite, d == d.rounded(), abs(d) < 1e15 { return .integer(Int64(d)) }
            return .double(d)
        case .bool(let b): return .bool(b)
        case .null: return .null
        }
    }
}
