/// Where a value lives in a span's attributes: an attribute key, optionally followed by `#` and
/// a dotted path into JSON held in that attribute (OpenInference's `metadata`, Langfuse's
/// JSON-encoded values, `llm.invocation_parameters`).
///
/// `app.prompt.version` reads the attribute; `metadata#release` parses the string in
/// `metadata` as JSON and reads its `release` member; `resource:service.version` reads a
/// resource attribute. A string value that is itself JSON-encoded (`"\"canary\""`, as Langfuse
/// writes metadata) is decoded.
public struct AttributePath: Sendable, Hashable, CustomStringConvertible {
    public var key: String
    public var jsonPath: [String]
    public var onResource: Bool

    public init(key: String, jsonPath: [String] = [], onResource: Bool = false) {
        self.key = key
        self.jsonPath = jsonPath
        self.onResource = onResource
    }

    /// Parses `key`, `key#a.b` or `resource:key`.
    public init?(_ text: String) {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        onResource = false
        if rest.hasPrefix("resource:") {
            onResource = true
            rest = rest.dropFirst("resource:".count)
        }
        let parts = rest.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, !first.isEmpty else { return nil }
        key = String(first)
        if parts.count == 2 {
            jsonPath = parts[1].split(separator: ".").map(String.init)
            if jsonPath.isEmpty { return nil }
        } else {
            jsonPath = []
        }
    }

    public var description: String {
        (onResource ? "resource:" : "") + key + (jsonPath.isEmpty ? "" : "#" + jsonPath.joined(separator: "."))
    }

    /// Resolves the path against an attribute value.
    public func resolve(_ value: JSON) -> JSON? {
        var current = Self.decodeEmbedded(value)
        for step in jsonPath {
            if case .string(let s) = current, let parsed = try? JSONParser.parse(s) {
                current = parsed
            }
            if let index = Int(step), let item = current[index] {
                current = item
            } else if let member = current[step] {
                current = member
            } else {
                return nil
            }
        }
        current = Self.decodeEmbedded(current)
        return current.isNull ? nil : current
    }

    /// A string that holds a JSON-encoded scalar (`"\"canary\""`, `"3"` stays a string).
    static func decodeEmbedded(_ value: JSON) -> JSON {
        guard case .string(let s) = value, s.utf8.count >= 2, s.utf8.first == 0x22, s.utf8.last == 0x22,
              let decoded = try? JSONParser.parse(s), case .string = decoded else { return value }
        return decoded
    }
}

import Foundation
