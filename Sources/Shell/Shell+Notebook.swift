import Foundation
import Ingest
import Notebook
import Query
import Replay
import Store

/// The shell's notebook: the current session, the name it was saved or opened under, and the
/// autosave journal of the interactive shell.
public final class NotebookState {
    public internal(set) var session: Session
    public internal(set) var name: String?
    /// Changes since the last save or open.
    public internal(set) var unsaved = false
    var files: SessionFiles
    /// Where `cases export` writes and `cases check NAME` looks: `cases/`.
    var casesDirectory = CaseFiles.directory
    /// Set by the interactive shell: every change is autosaved there.
    var journal: Journal?

    init(files: SessionFiles = SessionFiles(), now: Date = Date()) {
        self.files = files
        session = Session(title: "untitled", created: NotebookState.timestamp(now))
    }

    static func timestamp(_ date: Date) -> String {
        Timestamp.iso8601(nanoseconds: Int64(date.timeIntervalSince1970 * 1e9))
    }

    /// Starts the autosave of an interactive shell; says so when an earlier session was left
    /// unsaved (`session recover` brings it back).
    func startJournal() -> String? {
        journal = Journal(files: files)
        guard let left = Journal.leftovers(files: files).first else { return nil }
        return "An unsaved session of \(left.session.updated.prefix(16)) (\(left.session.cells.count) cells, \(left.session.pins.count) pins) "
            + "was autosaved in \(left.path); `session recover` brings it back."
    }

    /// At the end of the interactive shell: the autosave goes when nothing is unsaved; else
    /// it stays, and the message says where.
    func finish() -> String? {
        guard let journal else { return nil }
        if !unsaved || session.isEmpty {
            journal.discard()
            return nil
        }
        return "The session is not saved; it is autosaved in \(journal.path) (`session recover` brings it back)."
    }

    /// Marks a change: the session's `updated` moves, and the autosave follows.
    func changed(at date: Date = Date()) {
        session.updated = Self.timestamp(date)
        unsaved = true
        journal?.record(session)
    }
}

/// Commands that do not become cells: the notebook's own and the help.
private let unrecordedCommands: Set<String> = ["session", "note", "help"]

extension Shell {
    /// Records a command the console ran as a cell: its output as text (at most
    /// `Cell.outputLimit` lines) and the digest of its typed result, or its error.
    public func record(_ line: String, result: Result<CommandResult, Error>, started: Date) {
        let first = line.split(whereSeparator: \.isWhitespace).first.map { String($0).lowercased() } ?? ""
        guard !first.isEmpty, !first.hasPrefix("."), !unrecordedCommands.contains(first) else { return }
        let cell: Cell
        let at = NotebookState.timestamp(started), ms = (Date().timeIntervalSince(started) * 1000 * 10).rounded() / 10
        switch result {
        case .success(let value):
            var plain = OutputSettings(format: .table)
            plain.limit = Cell.outputLimit
            let text = Renderer(settings: plain).render(value, command: first)
            let digest: String?
            switch value {
            case .query(let result): digest = ResultDigest.of(rows: result.rows)
            case .table(let rows): digest = ResultDigest.of(rows: rows)
            default: digest = ResultDigest.of(json: Renderer(format: .json).render(value, command: first))
            }
            cell = Cell(command: line, at: at, durationMs: ms, ok: true, output: Self.cut(text), digest: digest)
        case .failure(let error):
            cell = Cell(command: line, at: at, durationMs: ms, ok: false, output: "error: " + Console.message(error) + "\n", digest: nil)
        }
        notebook.session.entries.append(.cell(cell))
        notebook.changed(at: started)
    }

    static func cut(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > Cell.outputLimit + 1 else { return text }
        return lines.prefix(Cell.outputLimit).joined(separator: "\n") + "\n… \(lines.count - Cell.outputLimit - 1) more lines\n"
    }

    /// `session save NAME [title "…"]`, `session open NAME [force]`, `session list`,
    /// `session rerun NAME`, `session recover`; alone, what the current session holds.
    func session(_ args: [String]) throws -> CommandResult {
        let spec = CommandTable.find("session")?.usage
        guard let action = args.first?.lowercased() else { return .message(status()) }
        switch action {
        case "save":
            guard args.count == 2 || (args.count == 4 && args[2].lowercased() == "title") else { throw ShellError("wrong arguments for `session save`", usage: spec) }
            try SessionFiles.validate(args[1])
            if args.count == 4 { notebook.session.title = args[3] } else if notebook.session.title == "untitled" { notebook.session.title = args[1] }
            notebook.session.loads = try database.query("SELECT path, sha256, traces FROM loads WHERE status <> 'loading' ORDER BY load_id").rows.map {
                LoadIdentity(path: $0[0].stringValue ?? "", sha256: $0[1].stringValue ?? "", traces: $0[2].int64Value ?? 0)
            }
            let path = try notebook.files.save(notebook.session, as: args[1])
            notebook.name = args[1]
            notebook.unsaved = false
            notebook.journal?.discard()
            let s = notebook.session
            return .message("saved \(path): \(s.cells.count) cells, \(s.pins.count) pins, \(s.causes.count) causes")
        case "open":
            guard args.count == 2 || (args.count == 3 && args[2].lowercased() == "force") else { throw ShellError("wrong arguments for `session open`", usage: spec) }
            if notebook.unsaved, !notebook.session.isEmpty, args.count == 2 {
                throw ShellError("the current session has unsaved changes: `session save NAME` first, or `session open \(args[1]) force`")
            }
            let opened = try notebook.files.open(args[1])
            notebook.session = opened
            notebook.name = args[1]
            notebook.unsaved = false
            try syncPins()
            var text = "opened \(notebook.files.path(of: args[1])): \(opened.title) — \(opened.cells.count) cells, \(opened.pins.count) pins, \(opened.causes.count) causes"
            let missing = try missingLoads(opened)
            if !missing.isEmpty { text += "\nnote: its results came from loads this store does not hold: " + missing.map(\.path).joined(separator: ", ") }
            return .message(text)
        case "recover":
            guard args.count == 1 else { throw ShellError("wrong arguments for `session recover`", usage: spec) }
            guard let left = Journal.leftovers(files: notebook.files).first(where: { $0.path != notebook.journal?.path }) else {
                throw ShellError("no autosaved session to recover")
            }
            if notebook.unsaved, !notebook.session.isEmpty {
                throw ShellError("the current session has unsaved changes: `session save NAME` first")
            }
            notebook.session = left.session
            notebook.name = nil
            notebook.changed()
            try syncPins()
            try? FileManager.default.removeItem(atPath: left.path)
            return .message("recovered \(left.session.cells.count) cells, \(left.session.pins.count) pins and \(left.session.causes.count) causes; `session save NAME` keeps them")
        case "list":
            guard args.count == 1 else { throw ShellError("wrong arguments for `session list`", usage: spec) }
            return .table(Rows(columns: ["name", "title", "updated", "cells", "pins", "problem"], rows: try notebook.files.list().map {
                [.text($0.name), $0.title.map(SQLValue.text) ?? .null, $0.updated.map(SQLValue.text) ?? .null,
                 .integer(Int64($0.cells)), .integer(Int64($0.pins)), $0.problem.map(SQLValue.text) ?? .null]
            }))
        case "show":
            guard args.count <= 2 else { throw ShellError("wrong arguments for `session show`", usage: spec) }
            let shown = try args.count == 2 ? notebook.files.open(args[1]) : notebook.session
            return .document(SessionView(session: shown, name: args.count == 2 ? args[1] : notebook.name))
        case "rerun":
            guard args.count == 2 else { throw ShellError("wrong arguments for `session rerun`", usage: spec) }
            return .document(try rerun(args[1]))
        default:
            throw ShellError("unknown `session \(args[0])`", usage: spec)
        }
    }

    /// What the current session holds.
    func status() -> String {
        let s = notebook.session
        return "session \(notebook.name ?? "(not saved)"): \(s.title) — \(s.cells.count) cells, \(s.pins.count) pins, \(s.causes.count) causes"
            + (notebook.unsaved ? ", unsaved changes" : "")
    }

    /// Loads a session's front matter names that the store does not hold (by file digest).
    func missingLoads(_ session: Session) throws -> [LoadIdentity] {
        let held = Set(try database.query("SELECT sha256 FROM loads").rows.compactMap { $0.first?.stringValue })
        return session.loads.filter { !held.contains($0.sha256) }
    }

    /// Runs every cell of a saved session again, in a shell of its own on this store, and
    /// compares each result's digest with the saved one.
    func rerun(_ name: String) throws -> SessionRerun {
        let saved = try notebook.files.open(name)
        let child = Shell(database: database, config: config)
        child.notebook.files = notebook.files
        // The child's pins share this connection's `pins` table: put this session's back after.
        defer { try? syncPins() }
        var results: [SessionRerun.Cell] = []
        for (index, old) in saved.cells.enumerated() {
            if Self.writes(old.command) {
                results.append(SessionRerun.Cell(index: index + 1, old: old, new: nil))
                continue
            }
            let started = Date()
            let outcome = Result { try child.run(old.command) }
            child.record(old.command, result: outcome, started: started)
            guard let new = child.notebook.session.cells.last, new.command == old.command else { continue }
            results.append(SessionRerun.Cell(index: index + 1, old: old, new: new))
        }
        return SessionRerun(name: name, path: notebook.files.path(of: name), cells: results, missingLoads: try missingLoads(saved))
    }
}

extension Shell {
    /// Whether a command changes the store or files outside the session (`load`, `rederive`,
    /// `replay … using`, `sample`, `score`, `cases export`): `session rerun` does not run it again.
    static func writes(_ command: String) -> Bool {
        let words = command.split(whereSeparator: \.isWhitespace).map { $0.lowercased() }
        switch words.first {
        case "load", "rederive", "sample", "score": return true
        case "replay": return words.contains("using")
        case "cases": return words.dropFirst().first == "export"
        default: return false
        }
    }
}

/// `session show [NAME]`: a session as a notebook on the terminal — numbered cells with their
/// outputs, the notes between them, then the pins and causes.
public struct SessionView: ResultDocument {
    public var session: Session
    public var name: String?

    public func text(_ style: TextStyle) -> String {
        var out = style.paint(session.title, "1") + (name.map { "  (sessions/\($0).md)" } ?? "") + "\n"
        out += "created \(session.created.prefix(19)), updated \(session.updated.prefix(19)); \(session.cells.count) cells, "
            + "\(session.pins.count) pins, \(session.causes.count) causes\n"
        var n = 0
        for entry in session.entries {
            switch entry {
            case .cell(let cell):
                n += 1
                out += "\n" + style.paint("[\(n)]", "36") + " " + cell.command.replacingOccurrences(of: "\n", with: "\n    ") + "\n"
                out += cell.output.hasSuffix("\n") || cell.output.isEmpty ? cell.output : cell.output + "\n"
            case .note(let note):
                out += "\n" + note.text.split(separator: "\n", omittingEmptySubsequences: false).map { style.paint("> " + $0, "2") }.joined(separator: "\n") + "\n"
            }
        }
        if !session.pins.isEmpty {
            out += "\n" + style.paint("Pins", "1") + "\n"
            for pin in session.pins {
                let checks = pin.checks.map { "\($0.expectation.text): \($0.status.rawValue)" }.joined(separator: "; ")
                out += "  \(pin.traceId)  \(pin.intent ?? "")  \(checks)" + (pin.note.map { "  — \($0)" } ?? "") + "\n"
            }
        }
        if !session.causes.isEmpty {
            out += "\n" + style.paint("Causes", "1") + "\n"
            for cause in session.causes {
                out += "  \(cause.dimension) = \(cause.value)  (\(cause.pins.count) pins)" + (cause.note.map { "  — \($0)" } ?? "") + "\n"
            }
        }
        return out
    }

    public func markdown() -> String { SessionFormat.write(session) }

    public func json() -> JSON {
        .object([
            ("command", .string("session show")), ("name", name.map(JSON.string) ?? .null), ("title", .string(session.title)),
            ("created", .string(session.created)), ("updated", .string(session.updated)),
            ("cells", .array(session.cells.map { c in
                .object([("command", .string(c.command)), ("at", .string(c.at)), ("ms", .double(c.durationMs)), ("ok", .bool(c.ok)),
                         ("output", .string(c.output)), ("digest", c.digest.map(JSON.string) ?? .null)])
            })),
            ("pins", .array(session.pins.map { .string($0.traceId) })),
            ("causes", .array(session.causes.map { .object([("dimension", .string($0.dimension)), ("value", .string($0.value))]) })),
        ])
    }
}

/// `session rerun NAME`: each cell's result then and now.
public struct SessionRerun: ResultDocument {
    public var name: String
    public var path: String
    public var cells: [Cell]
    public var missingLoads: [LoadIdentity]

    public struct Cell: Sendable {
        public var index: Int
        public var old: Notebook.Cell
        /// nil: not run again, because it writes (`Shell.writes`).
        public var new: Notebook.Cell?

        public enum Change: String, Sendable {
            case same, changed, skipped, nowFailing = "now_failing", nowPassing = "now_passing", stillFailing = "still_failing"
        }

        public var change: Change {
            guard let new else { return .skipped }
            switch (old.ok, new.ok) {
            case (true, true): return old.digest == new.digest ? .same : .changed
            case (true, false): return .nowFailing
            case (false, true): return .nowPassing
            case (false, false): return old.output == new.output ? .stillFailing : .changed
            }
        }
    }

    public var changed: [Cell] { cells.filter { ![.same, .stillFailing, .skipped].contains($0.change) } }
    public var skipped: [Cell] { cells.filter { $0.change == .skipped } }

    public func text(_ style: TextStyle) -> String {
        var out = style.paint("session rerun \(name)", "1") + "\n"
        out += "\(cells.count) cells: \(cells.count - changed.count - skipped.count) same, \(changed.count) changed"
            + (skipped.isEmpty ? "" : ", \(skipped.count) not run again (they write: \(skipped.map { "cell \($0.index)" }.joined(separator: ", ")))") + "\n"
        if !missingLoads.isEmpty {
            out += "note: the session ran on loads this store does not hold: \(missingLoads.map(\.path).joined(separator: ", "))\n"
        }
        for cell in changed {
            out += "\n" + style.paint("cell \(cell.index): \(cell.change.rawValue.replacingOccurrences(of: "_", with: " "))", "33") + "\n"
            out += "  " + cell.old.command.replacingOccurrences(of: "\n", with: "\n  ") + "\n"
            let diff = LineDiff.render(old: cell.old.output, new: cell.new?.output ?? "")
            out += diff.isEmpty ? "  (the same text; the typed result differs beyond the lines kept)\n" : diff
        }
        return out
    }

    public func json() -> JSON {
        .object([
            ("command", .string("session rerun")), ("name", .string(name)), ("path", .string(path)),
            ("cells", .array(cells.map { c in
                .object([("index", .integer(Int64(c.index))), ("command", .string(c.old.command)), ("change", .string(c.change.rawValue)),
                         ("old_digest", c.old.digest.map(JSON.string) ?? .null), ("new_digest", c.new?.digest.map(JSON.string) ?? .null),
                         ("diff", .string(c.new.map { LineDiff.render(old: c.old.output, new: $0.output) } ?? ""))])
            })),
            ("changed", .integer(Int64(changed.count))), ("skipped", .integer(Int64(skipped.count))),
            ("missing_loads", .array(missingLoads.map { .string($0.path) })),
        ])
    }
}
