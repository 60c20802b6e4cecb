import Foundation
import Notebook
import Replay
import Store

extension Shell {
    /// The session's pins as the query source `pins`: a temporary table on this connection,
    /// written again whenever the pins change (`pins | where note ~ "refund"`).
    func syncPins() throws {
        try database.execute("""
            CREATE TEMP TABLE IF NOT EXISTS pins (trace_id TEXT, pinned_at TEXT, note TEXT, expect TEXT, failing INTEGER,
              intent TEXT, input TEXT, input_hash TEXT, output TEXT, model TEXT, prompt_version TEXT, refused INTEGER,
              latency_ms REAL, cost_usd REAL);
            DELETE FROM temp.pins;
            """)
        for pin in notebook.session.pins {
            try database.run("INSERT INTO temp.pins VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
                .text(pin.traceId), .text(pin.pinnedAt), pin.note.map(SQLValue.text) ?? .null,
                .text(pin.expectations.map(\.text).joined(separator: "; ")), .integer(Int64(pin.checks.filter { $0.status == .fail }.count)),
                pin.intent.map(SQLValue.text) ?? .null, pin.input.map(SQLValue.text) ?? .null, pin.inputHash.map(SQLValue.text) ?? .null,
                pin.output.map(SQLValue.text) ?? .null, pin.model.map(SQLValue.text) ?? .null,
                pin.versions["prompt_version"].map(SQLValue.text) ?? .null, pin.observed.refused.map { .integer($0 ? 1 : 0) } ?? .null,
                pin.observed.latencyMs.map(SQLValue.real) ?? .null, pin.observed.costUsd.map(SQLValue.real) ?? .null,
            ])
        }
    }

    /// `pin TRACE_ID [expect EXPECTATION]… [note "…"]`: the trace as evidence in the session;
    /// pinning a trace again replaces its pin.
    func pin(_ args: [String]) throws -> CommandResult {
        let spec = CommandTable.find("pin")?.usage
        guard let id = args.first else { throw ShellError("wrong arguments for `pin`", usage: spec) }
        var expectations: [Expectation] = []
        var note: String?
        var i = 1
        while i < args.count {
            switch args[i].lowercased() {
            case "expect":
                let (expectation, used) = try Expectation.read(args[(i + 1)...])
                expectations.append(expectation)
                i += 1 + used
            case "note":
                guard i + 1 < args.count else { throw ShellError("`note` needs a text in quotes", usage: spec) }
                note = args[i + 1]
                i += 2
            default:
                throw ShellError("unexpected `\(args[i])`: after the trace id come `expect …` and `note \"…\"`", usage: spec)
            }
        }
        let pin = try Pin.make(database: database, idPrefix: id, expectations: expectations, note: note)
        let replaced = notebook.session.pins.contains { $0.traceId == pin.traceId }
        notebook.session.pins.removeAll { $0.traceId == pin.traceId }
        notebook.session.pins.append(pin)
        notebook.changed()
        try syncPins()
        var text = "\(replaced ? "re-pinned" : "pinned") \(pin.traceId)"
            + (pin.intent.map { " (\($0))" } ?? "") + ": \(notebook.session.pins.count) pin\(notebook.session.pins.count == 1 ? "" : "s") in the session"
        for check in pin.checks {
            text += "\n  expect \(check.expectation.text): \(check.status.rawValue)" + (check.seen.map { " (\($0))" } ?? "")
        }
        return .message(text)
    }

    /// `unpin TRACE_ID`: any unique prefix of a pinned trace's id.
    func unpin(_ args: [String]) throws -> CommandResult {
        guard args.count == 1 else { throw ShellError("wrong arguments for `unpin`", usage: CommandTable.find("unpin")?.usage) }
        let prefix = args[0].lowercased()
        let matches = notebook.session.pins.filter { $0.traceId.lowercased().hasPrefix(prefix) }
        guard matches.count == 1, let pin = matches.first else {
            throw ShellError(matches.isEmpty ? "no pin of a trace `\(args[0])…` (`pins` lists them)"
                                             : "`\(args[0])` names \(matches.count) pins; give more of the id")
        }
        notebook.session.pins.removeAll { $0.traceId == pin.traceId }
        notebook.changed()
        try syncPins()
        return .message("unpinned \(pin.traceId): \(notebook.session.pins.count) pins left")
    }

    /// `pins`: the session's pins, each expectation checked against the pinned trace.
    func pins() -> CommandResult {
        .table(Rows(columns: ["trace_id", "intent", "versions", "expect", "checks", "note"], rows: notebook.session.pins.map { pin in
            let versions = pin.mainVersions.map { "\($0.dimension)=\($0.value)" }
            let checks = pin.checks.map { "\($0.status.rawValue)" + ($0.seen.map { " (\($0))" } ?? "") }
            return [.text(pin.traceId), pin.intent.map(SQLValue.text) ?? .null, .text(versions.joined(separator: " ")),
                    .text(pin.expectations.map(\.text).joined(separator: "; ")), .text(checks.joined(separator: "; ")),
                    pin.note.map(SQLValue.text) ?? .null]
        }))
    }

    /// `cause DIM = VALUE [note "…"]` (also `DIM=VALUE`): a root cause, with the pins whose
    /// traces carry it.
    func cause(_ args: [String]) throws -> CommandResult {
        let spec = CommandTable.find("cause")?.usage
        var words = args
        if let first = words.first, first.contains("="), first != "=" {
            let parts = first.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            words = [parts[0], "="] + (parts[1].isEmpty ? [] : [parts[1]]) + words.dropFirst()
        }
        guard words.count >= 3, words[1] == "=" else { throw ShellError("wrong arguments for `cause`", usage: spec) }
        let dimension = words[0], value = words[2]
        var note: String?
        if words.count > 3 {
            guard words.count == 5, words[3].lowercased() == "note" else { throw ShellError("after `\(dimension) = \(value)` only `note \"…\"` may follow", usage: spec) }
            note = words[4]
        }
        let column = try queries.textField(dimension)
        guard column.0 != nil else {
            throw ShellError("`\(dimension)` is not a text field of traces" + (column.1.map { "; did you mean `\($0)`?" } ?? ""), usage: spec)
        }
        let supporting = notebook.session.pins.filter { pin in
            pin.versions[dimension] == value || (dimension == "intent" && pin.intent == value)
        }.map(\.traceId)
        let cause = RootCause(dimension: dimension, value: value, note: note, at: NotebookState.timestamp(Date()), pins: supporting)
        notebook.session.causes.removeAll { $0.dimension == dimension && $0.value == value }
        notebook.session.causes.append(cause)
        notebook.changed()
        return .message("cause \(dimension) = \(value) recorded, supported by \(supporting.count) of \(notebook.session.pins.count) pins")
    }

    /// `note "…"`: the investigator's words, between the cells.
    func note(_ args: [String]) throws -> CommandResult {
        guard args.count == 1, !args[0].trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ShellError("wrong arguments for `note`", usage: CommandTable.find("note")?.usage)
        }
        notebook.session.entries.append(.note(Note(text: args[0], at: NotebookState.timestamp(Date()))))
        notebook.changed()
        return .none
    }
}
