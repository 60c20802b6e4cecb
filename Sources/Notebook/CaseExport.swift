import Foundation
import Ingest
import Store

/// The formats `cases export` writes (docs/cases.md): relops' own, which `cases check` reads
/// back; promptfoo's test cases; OpenAI evals samples.
public enum CaseExportFormat: String, Sendable, CaseIterable {
    case relops
    case promptfoo
    case openaiEvals = "openai-evals"

    /// Where an export goes when `to` is not given: `cases/SESSION.yaml`,
    /// `cases/SESSION.promptfoo.yaml`, `cases/SESSION.jsonl`.
    public func defaultPath(session: String, directory: String = "cases") -> String {
        let name: String
        switch self {
        case .relops: name = session + ".yaml"
        case .promptfoo: name = session + ".promptfoo.yaml"
        case .openaiEvals: name = session + ".jsonl"
        }
        return (directory as NSString).appendingPathComponent(name)
    }

    /// The file's text.
    public func render(_ file: CaseFile) -> String {
        switch self {
        case .relops: return CaseFormat.write(file)
        case .promptfoo: return PromptfooExport.write(file)
        case .openaiEvals: return OpenAIEvalsExport.write(file)
        }
    }
}

/// promptfoo's test-case YAML (promptfoo.dev/docs/configuration/test-cases): `tests`, each with
/// a `description`, `vars`, `assert` and `metadata`; the assertion types are promptfoo's
/// deterministic ones (docs/configuration/expected-outputs/deterministic), `not-` negating.
public enum PromptfooExport {
    public static func write(_ file: CaseFile) -> String {
        var out = "# promptfoo test cases exported by relops (docs/cases.md) from session \(yaml(file.session))\n"
        if !file.redactions.isEmpty { out += "# redacted: \(file.redactions.joined(separator: ", "))\n" }
        out += "description: \(yaml("relops cases: " + file.title))\n"
        out += file.cases.isEmpty ? "tests: []\n" : "tests:\n"
        for c in file.cases { out += test(c) }
        return out
    }

    /// One test: vars `input`, `intent` and `messages` (the prompt as sent, as JSON, for a
    /// chat prompt file); one assertion per expectation; relops' id, severity, tags and
    /// provenance as metadata.
    static func test(_ c: RegressionCase) -> String {
        var out = "  - description: \(yaml("\(c.id) (\(c.severity.rawValue)): " + summary(c.input.variables["input"] ?? "")))\n"
        var vars = c.input.variables
        if !c.input.messages.isEmpty {
            vars["messages"] = JSON.array(c.input.messages.map { .object([("role", .string($0.role)), ("content", .string($0.content))]) }).serialized
        }
        out += "    vars:" + CaseFormat.map(vars, indent: "      ")
        out += c.expectations.isEmpty ? "    assert: []\n" : "    assert:\n"
        for e in c.expectations {
            let (type, value) = assertion(e)
            out += "      - type: \(yaml(type))\n"
            if let value { out += "        \(value)\n" }
        }
        out += "    metadata:\n"
        out += "      relops_id: \(yaml(c.id))\n"
        out += "      severity: \(yaml(c.severity.rawValue))\n"
        out += "      tags: \(yaml(c.tags.joined(separator: " ")))\n"
        out += "      session: \(yaml(c.provenance.session))\n"
        out += "      traces: \(yaml(c.provenance.traces.joined(separator: " ")))\n"
        out += "      input_hash: \(yaml(c.input.hash))\n"
        out += "      versions: \(yaml(c.versions.keys.sorted().map { "\($0)=\(c.versions[$0] ?? "")" }.joined(separator: " ")))\n"
        return out
    }

    /// The promptfoo assertion of an expectation: its type and its `value:` or `threshold:` line.
    public static func assertion(_ e: Expectation) -> (type: String, line: String?) {
        switch e {
        case .notRefused: return ("not-is-refusal", nil)
        case .refused: return ("is-refusal", nil)
        case .contains(let s): return ("icontains", "value: \(yaml(s))")
        case .notContains(let s): return ("not-icontains", "value: \(yaml(s))")
        case .matches(let s): return ("regex", "value: \(yaml(s))")
        case .equals(let s): return ("equals", "value: \(yaml(s))")
        case .validJSON: return ("is-json", nil)
        case .toolCalled(let name): return ("trajectory:tool-used", "value: \(yaml(name))")
        case .maxLatencyMs(let ms): return ("latency", "threshold: \(JSONWriter.format(ms))")
        case .maxCostUsd(let usd): return ("cost", "threshold: \(JSONWriter.format(usd))")
        }
    }

    /// The first line of a text, at most 60 characters.
    static func summary(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.count > 60 ? String(line.prefix(59)) + "…" : line
    }

    static func yaml(_ s: String) -> String { SessionFormat.yaml(s) }
}

/// OpenAI evals samples (github.com/openai/evals, docs/build-eval.md, "Formatting your data"):
/// one JSON object a line, `input` the prompt in chat format, `ideal` the reference answer(s)
/// of the basic Match and Includes evals; relops' expectations and provenance under `relops`.
public enum OpenAIEvalsExport {
    public static func write(_ file: CaseFile) -> String {
        file.cases.map { sample($0).serialized + "\n" }.joined()
    }

    static func sample(_ c: RegressionCase) -> JSON {
        var messages = c.input.messages
        if messages.isEmpty { messages = [.init(role: "user", content: c.input.text ?? c.input.variables["input"] ?? "")] }
        var members: [(String, JSON)] = [
            ("input", .array(messages.map { .object([("role", .string($0.role)), ("content", .string($0.content))]) })),
        ]
        if let ideal = ideal(c.expectations) { members.append(("ideal", ideal)) }
        members.append(("relops", .object([
            ("id", .string(c.id)), ("severity", .string(c.severity.rawValue)), ("tags", .array(c.tags.map(JSON.string))),
            ("expect", .array(c.expectations.map { .string($0.text) })),
            ("session", .string(c.provenance.session)), ("traces", .array(c.provenance.traces.map(JSON.string))),
            ("input_hash", .string(c.input.hash)),
            ("versions", .object(c.versions.keys.sorted().map { ($0, .string(c.versions[$0] ?? "")) })),
        ])))
        return .object(members)
    }

    /// `equals "…"` is the ideal answer; else the texts of `contains "…"` (what Includes
    /// looks for); else none.
    static func ideal(_ expectations: [Expectation]) -> JSON? {
        for case .equals(let text) in expectations { return .string(text) }
        let includes = expectations.compactMap { e -> String? in if case .contains(let s) = e { return s } else { return nil } }
        switch includes.count {
        case 0: return nil
        case 1: return .string(includes[0])
        default: return .array(includes.map(JSON.string))
        }
    }
}

/// Case files on disk: `cases/` by default (DESIGN.md, "Files of a workspace").
public enum CaseFiles {
    public static let directory = "cases"

    /// Writes an export atomically (as sessions are), creating its folder.
    public static func save(_ text: String, to path: String) throws {
        let folder = PathText.folder(of: path)
        if !folder.isEmpty {
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw NotebookError("cannot create the folder \(folder) for \(path)")
            }
        }
        try SessionFiles.writeAtomically(Data(text.utf8), to: path)
    }

    /// Reads a relops case file. A bare name that is no file is looked for as `cases/NAME.yaml`
    /// (in `directory`); a missing file says which case files there are.
    public static func open(_ name: String, directory: String = directory) throws -> (path: String, file: CaseFile) {
        var path = name
        let beside = (directory as NSString).appendingPathComponent(name.hasSuffix(".yaml") ? name : name + ".yaml")
        if !FileManager.default.fileExists(atPath: path), !name.contains("/"), FileManager.default.fileExists(atPath: beside) {
            path = beside
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            let known = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".yaml") && !$0.hasSuffix(".promptfoo.yaml") }
                .map { (directory as NSString).appendingPathComponent($0) }.sorted()
            let hint = Suggest.closest(to: name, in: known).map { "; did you mean `\($0)`?" }
                ?? (known.isEmpty ? "" : " (case files: \(known.joined(separator: ", ")))")
            throw NotebookError("no case file `\(name)`\(hint)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw CaseFileError(path: path, line: nil, message: "not UTF-8 text") }
        return (path, try CaseFormat.read(text, path: path))
    }
}
