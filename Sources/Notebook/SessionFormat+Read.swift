import Foundation
import Ingest
import Replay
import Yams

/// A session or case file that cannot be read: the file, the line and why.
public struct SessionFileError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var line: Int?
    public var message: String

    public init(path: String, line: Int?, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String { "\(path)\(line.map { ":\($0)" } ?? ""): \(message)" }
}

extension SessionFormat {
    // MARK: - reading

    /// Reads a session file, checking its format version and every relops block; a file edited
    /// by hand into something else is an error naming the line.
    public static func read(_ text: String, path: String) throws -> Session {
        var reader = Reader(lines: text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init), path: path)
        return try reader.session()
    }

    struct Reader {
        let lines: [String]
        let path: String
        var i = 0

        func fail(_ message: String, line: Int? = nil) -> SessionFileError {
            SessionFileError(path: path, line: line ?? i + 1, message: message)
        }

        mutating func session() throws -> Session {
            guard lines.first == "---" else { throw fail("a session starts with `---` and its front matter", line: 1) }
            guard let end = lines.dropFirst().firstIndex(of: "---") else { throw fail("the front matter has no closing `---`", line: 1) }
            let front = try yamlMapping(lines[1..<end].joined(separator: "\n"), firstLine: 2, what: "the front matter")
            guard let version = front["relops_session"]?.int else {
                throw fail("no `relops_session` format version in the front matter", line: 2)
            }
            guard version <= Session.formatVersion, version >= 1 else {
                throw fail("format version \(version); this relops reads version \(Session.formatVersion)", line: 2)
            }
            var session = Session(title: try string(front, "title", line: 2), created: try string(front, "created", line: 2),
                                  updated: try string(front, "updated", line: 2))
            for load in front["loads"]?.sequence ?? [] {
                guard let p = load["path"]?.string, let s = load["sha256"]?.string, let t = load["traces"]?.int else {
                    throw fail("each of `loads` needs `path`, `sha256` and `traces`", line: 1 + (load.mark?.line ?? 1))
                }
                session.loads.append(LoadIdentity(path: p, sha256: s, traces: Int64(t)))
            }
            i = end + 1
            while i < lines.count {
                let line = lines[i]
                if let (fence, info) = Self.fenceStart(line) {
                    let start = i
                    let body = try fencedBody(fence)
                    switch info {
                    case "relops": session.entries.append(.cell(try cell(command: body, start: start)))
                    case "relops-pin": session.pins.append(try pin(body, firstLine: start + 2))
                    case "relops-cause": session.causes.append(try cause(body, firstLine: start + 2))
                    default:
                        if info.hasPrefix("relops") { throw fail("unknown block `\(info)`", line: start + 1) }
                    }
                } else if line.hasPrefix("<!-- relops:note ") {
                    session.entries.append(.note(try note(line)))
                    i += 1
                    while i < lines.count, lines[i].hasPrefix(">") { i += 1 }
                } else if line.hasPrefix("<!-- relops:") {
                    throw fail("a `\(line.prefix(30))…` line out of place (a cell's line follows its ```relops block)")
                } else {
                    i += 1
                }
            }
            return session
        }

        /// "```info" or longer fences: the fence and the info string.
        static func fenceStart(_ line: String) -> (String, String)? {
            guard line.hasPrefix("```") else { return nil }
            let fence = String(line.prefix { $0 == "`" })
            return (fence, String(line.dropFirst(fence.count)).trimmingCharacters(in: .whitespaces))
        }

        /// The lines inside the fence opening at `i`; leaves `i` after the closing fence.
        mutating func fencedBody(_ fence: String) throws -> String {
            let start = i
            i += 1
            var body: [String] = []
            while i < lines.count {
                let line = lines[i]
                if line.hasPrefix(fence), line.allSatisfy({ $0 == "`" }) {
                    i += 1
                    return body.isEmpty ? "" : body.joined(separator: "\n") + "\n"
                }
                body.append(line)
                i += 1
            }
            throw fail("the block opened here is never closed (\(fence))", line: start + 1)
        }

        /// The cell whose command block just ended: its `relops:cell` line and its output block.
        mutating func cell(command: String, start: Int) throws -> Cell {
            while i < lines.count, lines[i].isEmpty { i += 1 }
            guard i < lines.count, lines[i].hasPrefix("<!-- relops:cell "), lines[i].hasSuffix(" -->") else {
                throw fail("a ```relops block without its `<!-- relops:cell … -->` line", line: start + 1)
            }
            let fields = try attributes(lines[i], kind: "cell")
            guard let at = fields["at"], let ms = fields["ms"].flatMap(Double.init), let status = fields["status"],
                  status == "ok" || status == "error" else {
                throw fail("a cell line needs `at`, `ms` and `status` (ok or error)")
            }
            i += 1
            var output = ""
            if i < lines.count, let (fence, info) = Self.fenceStart(lines[i]), info == "text" {
                output = try fencedBody(fence)
            }
            let text = command.hasSuffix("\n") ? String(command.dropLast()) : command
            guard !text.isEmpty else { throw fail("an empty ```relops block", line: start + 1) }
            return Cell(command: text, at: at, durationMs: ms, ok: status == "ok", output: output, digest: fields["digest"])
        }

        mutating func note(_ line: String) throws -> Note {
            guard line.hasSuffix(" -->"), let textStart = line.range(of: " text=") else {
                throw fail("a note line needs `text=` and ends with `-->`")
            }
            let fields = try attributes(String(line[..<textStart.lowerBound]) + " -->", kind: "note")
            let json = String(line[textStart.upperBound...].dropLast(4))
            guard let at = fields["at"], let text = (try? JSONParser.parse(json))?.string else {
                throw fail("a note line needs `at` and a quoted `text`")
            }
            return Note(text: text, at: at)
        }

        /// `<!-- relops:KIND a=1 b=2 -->` as a dictionary.
        func attributes(_ line: String, kind: String) throws -> [String: String] {
            let inner = line.dropFirst("<!-- relops:\(kind) ".count).dropLast(" -->".count)
            var fields: [String: String] = [:]
            for word in inner.split(separator: " ") {
                guard let eq = word.firstIndex(of: "=") else { throw fail("`\(word)` is not `name=value` in a \(kind) line") }
                fields[String(word[..<eq])] = String(word[word.index(after: eq)...])
            }
            return fields
        }

        func pin(_ body: String, firstLine: Int) throws -> Pin {
            let m = try yamlMapping(body, firstLine: firstLine, what: "a pin")
            var pin = Pin(traceId: try string(m, "trace_id", line: firstLine), pinnedAt: try string(m, "pinned_at", line: firstLine))
            pin.note = m["note"]?.string
            for node in m["expect"]?.sequence ?? [] {
                guard let text = node.string else { throw fail("an expectation must be text", line: firstLine + (node.mark?.line ?? 1) - 1) }
                do { pin.expectations.append(try Expectation.parse(text)) } catch let e as NotebookError {
                    throw fail(e.message, line: firstLine + (node.mark?.line ?? 1) - 1)
                }
            }
            pin.ts = m["ts"]?.string
            pin.intent = m["intent"]?.string
            pin.input = m["input"]?.string
            pin.inputHash = m["input_hash"]?.string
            pin.model = m["model"]?.string
            pin.output = m["output"]?.string
            for node in m["messages"]?.sequence ?? [] {
                guard let role = node["role"]?.string, let content = node["content"]?.string else {
                    throw fail("each message needs `role` and `content`", line: firstLine + (node.mark?.line ?? 1) - 1)
                }
                pin.messages.append(ChatMessage(role: role, content: content))
            }
            for (key, value) in m["versions"]?.mapping ?? [:] {
                if let k = key.string, let v = value.string { pin.versions[k] = v }
            }
            if let o = m["observed"] {
                pin.observed = Pin.Observation(refused: o["refused"]?.bool, error: o["error"]?.bool, latencyMs: o["latency_ms"]?.float,
                                               costUsd: o["cost_usd"]?.float, tools: (o["tools"]?.sequence ?? []).compactMap(\.string))
            }
            return pin
        }

        func cause(_ body: String, firstLine: Int) throws -> RootCause {
            let m = try yamlMapping(body, firstLine: firstLine, what: "a cause")
            return RootCause(dimension: try string(m, "dimension", line: firstLine), value: try string(m, "value", line: firstLine),
                             note: m["note"]?.string, at: try string(m, "at", line: firstLine),
                             pins: (m["pins"]?.sequence ?? []).compactMap(\.string))
        }

        func yamlMapping(_ text: String, firstLine: Int, what: String) throws -> Node {
            let node: Node?
            do { node = try Yams.compose(yaml: text) } catch let error as YamlError {
                throw fail("\(what) is not valid YAML (\(error))", line: firstLine)
            }
            guard let node, node.mapping != nil else { throw fail("\(what) must be a YAML mapping", line: firstLine) }
            return node
        }

        func string(_ m: Node, _ key: String, line: Int) throws -> String {
            guard let value = m[key]?.string else { throw fail("`\(key)` is missing", line: line) }
            return value
        }
    }
}
