import Foundation
import Ingest
import Replay
import Store
import Yams

/// A case file that cannot be read: the file, the line and why (the same error as a session file's).
public typealias CaseFileError = SessionFileError

/// The relops case format, `cases/SESSION.yaml` (docs/cases.md): YAML with a format version,
/// the session it came from, and one mapping per case. Writing is a function of the cases
/// alone (keys in a fixed order, maps sorted, every text double-quoted), so reading a file and
/// writing it again gives the same bytes.
public enum CaseFormat {
    /// The key of the format version: its presence tells a relops case file from other YAML.
    public static let versionKey = "relops_cases"

    // MARK: - writing

    public static func write(_ file: CaseFile) -> String {
        var out = "\(versionKey): \(CaseFile.formatVersion)\n"
        out += "session: \(yaml(file.session))\n"
        out += "title: \(yaml(file.title))\n"
        out += "redactions: \(list(file.redactions))\n"
        out += file.cases.isEmpty ? "cases: []\n" : "cases:\n"
        for c in file.cases {
            let lines = write(c).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            out += lines.enumerated().map { ($0.offset == 0 ? "  - " : "    ") + $0.element + "\n" }.joined()
        }
        return out
    }

    /// One case as a YAML mapping, not indented.
    static func write(_ c: RegressionCase) -> String {
        var out = "id: \(yaml(c.id))\n"
        out += "severity: \(c.severity.rawValue)\n"
        out += "tags: \(list(c.tags))\n"
        let p = c.provenance
        out += "provenance:\n"
        out += "  session: \(yaml(p.session))\n"
        out += "  incident: \(yaml(p.incident))\n"
        out += "  traces: \(list(p.traces))\n"
        if p.causes.isEmpty {
            out += "  causes: []\n"
        } else {
            out += "  causes:\n"
            for cause in p.causes {
                out += "    - {dimension: \(yaml(cause.dimension)), value: \(yaml(cause.value))"
                    + (cause.note.map { ", note: \(yaml($0))" } ?? "") + "}\n"
            }
        }
        out += "  notes: \(list(p.notes))\n"
        out += "input:\n"
        out += "  hash: \(yaml(c.input.hash))\n"
        if let text = c.input.text { out += "  text: \(yaml(text))\n" }
        if c.input.messages.isEmpty {
            out += "  messages: []\n"
        } else {
            out += "  messages:\n"
            for m in c.input.messages { out += "    - {role: \(yaml(m.role)), content: \(yaml(m.content))}\n" }
        }
        out += "  variables:" + map(c.input.variables, indent: "    ")
        if let model = c.model { out += "model: \(yaml(model))\n" }
        out += "versions:" + map(c.versions, indent: "  ")
        out += "expect: \(list(c.expectations.map(\.text)))\n"
        let o = c.observed
        var observed: [String] = []
        if let output = o.output { observed.append("output: \(yaml(output))") }
        if let r = o.refused { observed.append("refused: \(r)") }
        if let l = o.latencyMs { observed.append("latency_ms: \(JSONWriter.format(l))") }
        if let cost = o.costUsd { observed.append("cost_usd: \(JSONWriter.format(cost))") }
        observed.append("tools: \(list(o.tools))")
        out += "observed: {\(observed.joined(separator: ", "))}\n"
        return out
    }

    /// A flow list of quoted texts: `["a", "b"]`.
    static func list(_ items: [String]) -> String {
        "[" + items.map(yaml).joined(separator: ", ") + "]"
    }

    /// A block mapping of texts, keys sorted, starting after its key's colon.
    static func map(_ values: [String: String], indent: String) -> String {
        guard !values.isEmpty else { return " {}\n" }
        return "\n" + values.keys.sorted().map { "\(indent)\(key($0)): \(yaml(values[$0] ?? ""))\n" }.joined()
    }

    /// A mapping key: bare when it is a plain name YAML reads as text (`prompt_version`),
    /// else quoted.
    static func key(_ name: String) -> String {
        let plain = name.range(of: #"^[A-Za-z_][A-Za-z0-9_.-]*$"#, options: .regularExpression) != nil
        let special = ["true", "false", "yes", "no", "on", "off", "null", "y", "n"].contains(name.lowercased())
        return plain && !special ? name : yaml(name)
    }

    static func yaml(_ s: String) -> String { SessionFormat.yaml(s) }

    // MARK: - reading

    /// Reads a relops case file; anything else (another format, a hand edit gone wrong) is an
    /// error naming the line.
    public static func read(_ text: String, path: String) throws -> CaseFile {
        let reader = Reader(path: path)
        return try reader.file(text)
    }

    struct Reader {
        let path: String

        func fail(_ message: String, at node: Node?) -> CaseFileError {
            CaseFileError(path: path, line: node?.mark?.line, message: message)
        }

        func file(_ text: String) throws -> CaseFile {
            let root: Node?
            do { root = try Yams.compose(yaml: text) } catch let error as YamlError {
                throw CaseFileError(path: path, line: Self.line(of: error), message: "not valid YAML: \(Self.problem(of: error))")
            }
            guard let root, root.mapping != nil else {
                throw CaseFileError(path: path, line: 1, message: "a case file is a YAML mapping that starts with `\(versionKey): 1`")
            }
            guard let versionNode = root[versionKey] else {
                throw CaseFileError(path: path, line: 1, message: "no `\(versionKey)` format version: not a relops case file (promptfoo and OpenAI evals exports cannot be read back)")
            }
            try known(root, ["relops_cases", "session", "title", "redactions", "cases"], what: "a case file")
            guard let version = versionNode.int, version >= 1, version <= CaseFile.formatVersion else {
                throw fail("format version `\(versionNode.string ?? "?")`; this relops reads version \(CaseFile.formatVersion)", at: versionNode)
            }
            var file = CaseFile(session: try string(root, "session"), title: try string(root, "title"),
                                redactions: try strings(root, "redactions"), cases: [])
            guard let cases = root["cases"] else { throw fail("`cases` is missing", at: root) }
            guard let items = cases.sequence else { throw fail("`cases` must be a list of cases", at: cases) }
            var seen: [String: Int] = [:]
            for item in items {
                let c = try regressionCase(item)
                if let earlier = seen[c.id] { throw fail("case `\(c.id)` again (first on line \(earlier))", at: item["id"]) }
                seen[c.id] = item.mark?.line ?? 0
                file.cases.append(c)
            }
            return file
        }

        func regressionCase(_ node: Node) throws -> RegressionCase {
            guard node.mapping != nil else { throw fail("a case must be a mapping (`- id: …`)", at: node) }
            try known(node, ["id", "severity", "tags", "provenance", "input", "model", "versions", "expect", "observed"], what: "a case")
            let severityNode = try required(node, "severity")
            guard let word = severityNode.string, let severity = RegressionCase.Severity(rawValue: word) else {
                let names = RegressionCase.Severity.allCases.map(\.rawValue)
                let hint = severityNode.string.flatMap { Suggest.closest(to: $0, in: names) }.map { "; did you mean `\($0)`?" } ?? ""
                throw fail("unknown severity `\(severityNode.string ?? "?")`\(hint) (severities: \(names.joined(separator: ", ")))", at: severityNode)
            }
            var expectations: [Expectation] = []
            for e in try sequence(node, "expect") {
                guard let text = e.string else { throw fail("an expectation must be text, such as \"not refused\"", at: e) }
                do { expectations.append(try Expectation.parse(text)) } catch let error as NotebookError {
                    throw fail(error.message, at: e)
                }
            }
            return RegressionCase(id: try string(node, "id"), severity: severity, tags: try strings(node, "tags"),
                                  provenance: try provenance(try required(node, "provenance")), input: try input(try required(node, "input")),
                                  model: try optionalString(node, "model"), versions: try textMap(node, "versions"),
                                  expectations: expectations, observed: try observed(try required(node, "observed")))
        }

        func provenance(_ node: Node) throws -> RegressionCase.Provenance {
            try known(node, ["session", "incident", "traces", "causes", "notes"], what: "`provenance`")
            var causes: [RegressionCase.Cause] = []
            for c in try sequence(node, "causes") {
                try known(c, ["dimension", "value", "note"], what: "a cause")
                causes.append(.init(dimension: try string(c, "dimension"), value: try string(c, "value"), note: try optionalString(c, "note")))
            }
            return .init(session: try string(node, "session"), incident: try string(node, "incident"), traces: try strings(node, "traces"),
                         causes: causes, notes: try strings(node, "notes"))
        }

        func input(_ node: Node) throws -> RegressionCase.Input {
            try known(node, ["hash", "text", "messages", "variables"], what: "`input`")
            var messages: [ChatMessage] = []
            for m in try sequence(node, "messages") {
                try known(m, ["role", "content"], what: "a message")
                messages.append(ChatMessage(role: try string(m, "role"), content: try string(m, "content")))
            }
            return .init(hash: try string(node, "hash"), text: try optionalString(node, "text"), messages: messages,
                         variables: try textMap(node, "variables"))
        }

        func observed(_ node: Node) throws -> RegressionCase.Observed {
            try known(node, ["output", "refused", "latency_ms", "cost_usd", "tools"], what: "`observed`")
            func number(_ key: String) throws -> Double? {
                guard let n = node[key] else { return nil }
                guard let x = n.float, x.isFinite else { throw fail("`\(key)` must be a number", at: n) }
                return x
            }
            var refused: Bool?
            if let r = node["refused"] {
                guard let b = r.bool else { throw fail("`refused` must be true or false", at: r) }
                refused = b
            }
            return .init(output: try optionalString(node, "output"), refused: refused, latencyMs: try number("latency_ms"),
                         costUsd: try number("cost_usd"), tools: try strings(node, "tools"))
        }

        // MARK: typed fields

        /// Every key of the mapping is one of `keys`; else an error with the closest.
        func known(_ node: Node, _ keys: [String], what: String) throws {
            guard let mapping = node.mapping else { throw fail("\(what) must be a mapping", at: node) }
            for (key, _) in mapping {
                guard let name = key.string, keys.contains(name) else {
                    let hint = key.string.flatMap { Suggest.closest(to: $0, in: keys) }.map { "; did you mean `\($0)`?" } ?? ""
                    throw fail("unknown key `\(key.string ?? "?")` in \(what)\(hint)", at: key)
                }
            }
        }

        func required(_ node: Node, _ key: String) throws -> Node {
            guard let value = node[key] else { throw fail("`\(key)` is missing", at: node) }
            return value
        }

        func string(_ node: Node, _ key: String) throws -> String {
            let value = try required(node, key)
            guard value.scalar != nil, let s = value.string else { throw fail("`\(key)` must be text", at: value) }
            return s
        }

        func optionalString(_ node: Node, _ key: String) throws -> String? {
            guard node[key] != nil else { return nil }
            return try string(node, key)
        }

        func sequence(_ node: Node, _ key: String) throws -> [Node] {
            guard let value = node[key] else { return [] }
            guard let items = value.sequence else { throw fail("`\(key)` must be a list", at: value) }
            return Array(items)
        }

        func strings(_ node: Node, _ key: String) throws -> [String] {
            try sequence(node, key).map { item in
                guard item.scalar != nil, let s = item.string else { throw fail("each of `\(key)` must be text", at: item) }
                return s
            }
        }

        func textMap(_ node: Node, _ key: String) throws -> [String: String] {
            guard let value = node[key] else { return [:] }
            guard let mapping = value.mapping else { throw fail("`\(key)` must be a mapping of names to texts", at: value) }
            var out: [String: String] = [:]
            for (k, v) in mapping {
                guard let name = k.string, v.scalar != nil, let text = v.string else { throw fail("each of `\(key)` must be `name: text`", at: k) }
                out[name] = text
            }
            return out
        }

        static func line(of error: YamlError) -> Int? {
            switch error {
            case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
            case .duplicatedKeysInMapping(_, let context): return context.mark.line
            default: return nil
            }
        }

        static func problem(of error: YamlError) -> String {
            switch error {
            case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): return problem
            case .duplicatedKeysInMapping(let duplicates, _): return "the key `\(duplicates.joined(separator: "`, `"))` twice"
            default: return "\(error)"
            }
        }
    }
}
