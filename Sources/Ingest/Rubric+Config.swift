import Store
import Yams

/// `rubric` of relops.yaml: the criteria of the weekly review (docs/configuration.md,
/// docs/review.md). Each is a whole-number `scale: [min, max]` or a list of `values`, with an
/// optional `note` for the reviewer; every problem is reported with its line.
extension Rubric {
    /// The keys of one criterion.
    static let configKeys = ["scale", "values", "note"]

    init(node: Node, path: String) throws {
        self.init()
        if node.null != nil { return }
        guard let mapping = node.mapping else {
            throw ConfigError(path: path, line: node.mark?.line, message: "`rubric` must map criteria to their scales, such as `helpfulness: {scale: [1, 5]}`")
        }
        for (nameNode, value) in mapping {
            let name = nameNode.string ?? ""
            guard Self.isName(name) else {
                throw ConfigError(path: path, line: nameNode.mark?.line,
                                  message: "`\(name)` cannot name a criterion: use letters, digits and `_`, starting with a letter")
            }
            criteria.append(try Self.criterion(name, value, line: nameNode.mark?.line, path: path))
        }
    }

    /// A criterion name: an identifier, so that `score.NAME` reads as a signal and `NAME=VALUE` as a score.
    static func isName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
    }

    private static func criterion(_ name: String, _ node: Node, line: Int?, path: String) throws -> Criterion {
        func fail(_ line: Int?, _ message: String) -> ConfigError { ConfigError(path: path, line: line, message: "`rubric.\(name)` \(message)") }
        guard let mapping = node.mapping else {
            throw fail(line, "must be a mapping with `scale: [min, max]` or `values: [...]`")
        }
        var kind: Criterion.Kind?
        var note: String?
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let keyLine = keyNode.mark?.line
            switch key {
            case "scale", "values":
                guard kind == nil else { throw fail(keyLine, "has both `scale` and `values`; a criterion is one or the other") }
                kind = key == "scale" ? try scale(value, fail: { fail(keyLine, $0) }) : try values(value, fail: { fail(keyLine, $0) })
            case "note":
                guard value.scalar != nil, value.null == nil, let text = value.string else { throw fail(keyLine, "`note` expects text") }
                note = text
            default:
                let hint = Suggest.closest(to: key, in: configKeys).map { " (did you mean `\($0)`?)" } ?? ""
                throw ConfigError(path: path, line: keyLine, message: "unknown setting `rubric.\(name).\(key)`\(hint)")
            }
        }
        guard let kind else { throw fail(line, "needs `scale: [min, max]` (whole numbers) or `values: [...]` (labels)") }
        return Criterion(name: name, kind: kind, note: note)
    }

    /// `[min, max]`: two whole numbers, min below max.
    private static func scale(_ node: Node, fail: (String) -> ConfigError) throws -> Criterion.Kind {
        let items = node.sequence.map(Array.init) ?? []
        let bounds = items.compactMap { $0.tag.rawValue == Tag.Name.int.rawValue ? $0.int : nil }
        guard items.count == 2, bounds.count == 2 else { throw fail("`scale` expects two whole numbers, such as [1, 5]") }
        guard bounds[0] < bounds[1] else { throw fail("`scale` [\(bounds[0]), \(bounds[1])] must go from a lower to a higher number") }
        return .scale(min: bounds[0], max: bounds[1])
    }

    /// A non-empty list of distinct labels (YAML's `yes` and `no` stay the words they are).
    private static func values(_ node: Node, fail: (String) -> ConfigError) throws -> Criterion.Kind {
        guard let items = node.sequence.map(Array.init) else { throw fail("`values` expects a list of labels, such as [yes, no]") }
        guard !items.isEmpty else { throw fail("`values` is empty: list the labels a reviewer may give") }
        var labels: [String] = []
        for item in items {
            guard item.scalar != nil, item.null == nil, let label = item.string, !label.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw fail("`values` expects labels (text), such as [yes, no]")
            }
            guard !labels.contains(where: { $0.lowercased() == label.lowercased() }) else { throw fail("`values` lists `\(label)` twice") }
            labels.append(label)
        }
        return .values(labels)
    }
}
