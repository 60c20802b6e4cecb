import Foundation
import Ingest
import Investigate
import Notebook
import Query
import Store

extension Shell {
    /// `cases export [SESSION] [format relops|promptfoo|openai-evals] [to PATH] [redact [PATTERN …]]`,
    /// `cases check FILE [against SLICE]`.
    func cases(_ args: [String], line: String, location: String?) throws -> CommandResult {
        let spec = CommandTable.find("cases")?.usage
        switch args.first?.lowercased() {
        case "export": return try exportCases(Array(args.dropFirst()), usage: spec)
        case "check": return try checkCases(line: line, location: location, usage: spec)
        case let word?:
            let hint = Suggest.closest(to: word, in: ["export", "check"]).map { "; did you mean `\($0)`?" } ?? ""
            throw ShellError("unknown `cases \(args[0])`\(hint)", usage: spec)
        case nil:
            throw ShellError("`cases` needs `export` or `check`", usage: spec)
        }
    }

    /// What `cases export` was asked: the session, the format, where, and the redaction.
    struct CaseExportRequest {
        var session: String?
        var format = CaseExportFormat.relops
        var path: String?
        var redact = false
        var patterns: [String] = []
    }

    /// Reads the words after `cases export`. `redact` takes the words after it as patterns, up
    /// to a `format` or `to`.
    func caseExportRequest(_ args: [String], usage: String?) throws -> CaseExportRequest {
        var request = CaseExportRequest()
        var i = 0
        func value(_ keyword: String, _ what: String) throws -> String {
            guard i + 1 < args.count else { throw ShellError("`\(keyword)` needs \(what)", usage: usage) }
            return args[i + 1]
        }
        while i < args.count {
            switch args[i].lowercased() {
            case "format":
                let name = try value("format", CaseExportFormat.allCases.map(\.rawValue).joined(separator: ", "))
                guard let format = CaseExportFormat(rawValue: name.lowercased()) else {
                    let names = CaseExportFormat.allCases.map(\.rawValue)
                    let hint = Suggest.closest(to: name, in: names).map { "; did you mean `\($0)`?" } ?? ""
                    throw ShellError("unknown case format `\(name)`\(hint) (formats: \(names.joined(separator: ", ")))", usage: usage)
                }
                request.format = format
                i += 2
            case "to":
                request.path = try value("to", "a file path, or `-` for the screen")
                guard !(request.path ?? "").isEmpty else { throw ShellError("`to` needs a file path, or `-` for the screen", usage: usage) }
                i += 2
            case "redact":
                request.redact = true
                i += 1
                while i < args.count, !["format", "to"].contains(args[i].lowercased()) {
                    request.patterns.append(args[i])
                    i += 1
                }
            default:
                guard i == 0 else { throw ShellError("unexpected `\(args[i])`: after the session come `format`, `to` and `redact`", usage: usage) }
                try SessionFiles.validate(args[i])
                request.session = args[i]
                i += 1
            }
        }
        return request
    }

    /// `cases export …`: the pins of a saved session (or of the current one) as must-pass cases.
    func exportCases(_ args: [String], usage: String?) throws -> CommandResult {
        let request = try caseExportRequest(args, usage: usage)
        let session: Session, name: String
        if let saved = request.session {
            session = try notebook.files.open(saved)
            name = saved
        } else {
            guard let current = notebook.name ?? (request.path == nil ? nil : "untitled") else {
                throw ShellError("the current session has no name: `session save NAME` first, name a saved session (`cases export NAME`), or give `to PATH`")
            }
            session = notebook.session
            name = current
        }
        guard !session.pins.isEmpty else {
            throw ShellError("session `\(name)` has no pins to make cases of: `pin TRACE_ID expect …` first")
        }
        var (file, skipped) = CaseFile.make(session: session, name: name)
        guard !file.cases.isEmpty else {
            throw ShellError("none of the \(session.pins.count) pins of `\(name)` has an input to make a case of")
        }
        if request.redact { file = file.redacted(by: try Redaction(patterns: request.patterns)) }
        let text = request.format.render(file)
        if request.path == "-" { return .message(text.hasSuffix("\n") ? String(text.dropLast()) : text) }
        let path = request.path ?? request.format.defaultPath(session: name, directory: notebook.casesDirectory)
        try CaseFiles.save(text, to: path)
        let pins = session.pins.count - skipped.count
        var message = "exported \(file.cases.count) case\(file.cases.count == 1 ? "" : "s") from \(pins) pin\(pins == 1 ? "" : "s") of session \(name) to \(path) (\(request.format.rawValue))"
        if request.redact { message += "; redacted: " + file.redactions.joined(separator: ", ") }
        if !skipped.isEmpty {
            message += "\nnote: \(skipped.count) pin\(skipped.count == 1 ? " has" : "s have") no input and no case: " + skipped.map { String($0.traceId.prefix(12)) }.joined(separator: ", ")
        }
        return .message(message)
    }

    /// `cases check FILE [against SLICE]`: a bare version value as SLICE stands for
    /// `DIM == "value"`, as in `drift … between`.
    func checkCases(line: String, location: String?, usage: String?) throws -> CommandResult {
        let (words, rest) = try Words.split(line, until: "against")
        guard words.count == 3 else { throw ShellError("wrong arguments for `cases check`", usage: usage) }
        var slice: QuerySource?
        if let rest {
            guard !rest.trimmingCharacters(in: .whitespaces).isEmpty else { throw ShellError("`against` needs a slice", usage: usage) }
            slice = try SlicePairSpec.resolve(QuerySource(location: location, text: rest), database: database)
        }
        let (path, file) = try CaseFiles.open(words[2], directory: notebook.casesDirectory)
        let condition = try slice.map { try queries.condition($0) } ?? .all
        return .document(try CaseCheck.run(file, path: path, database: database, condition: condition,
                                           slice: slice?.text.trimmingCharacters(in: .whitespaces)))
    }
}

extension CaseCheck: ResultDocument {
    public var failedCheck: Bool { failed }

    public func text(_ style: TextStyle) -> String {
        var out = style.paint("cases check \(path)", "1") + "\n"
        out += "against \(slice ?? "every trace")\n"
        out += "\(results.count) case\(results.count == 1 ? "" : "s"): \(count(.pass)) pass, \(count(.fail)) fail, "
            + "\(count(.unknown)) unknown, \(count(.missing)) missing\n"
        guard !results.isEmpty else { return out }
        out += "\n"
        let idWidth = results.map(\.regressionCase.id.count).max() ?? 0
        for r in results {
            let colour = ["pass": "32", "fail": "31", "unknown": "33", "missing": "33"][r.status.rawValue] ?? "0"
            let status = style.paint(r.status.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0), colour)
            var row = "\(status)  \(r.regressionCase.id.padding(toLength: idWidth, withPad: " ", startingAt: 0))  "
                + r.regressionCase.severity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
            if let id = r.traceId {
                row += "  trace \(id.prefix(12))" + (r.ts.map { " (\($0.prefix(19)))" } ?? "")
            } else {
                row += "  no trace of this input"
            }
            out += row + "\n"
            for outcome in r.problems {
                out += "         expect \(outcome.expectation.text): \(outcome.status.rawValue)" + (outcome.seen.map { ", saw \($0)" } ?? "") + "\n"
            }
            if r.regressionCase.expectations.isEmpty { out += "         (no expectations)\n" }
        }
        return out
    }

    public func json() -> JSON {
        .object([
            ("command", .string("cases check")), ("path", .string(path)), ("against", slice.map(JSON.string) ?? .null),
            ("pass", .integer(Int64(count(.pass)))), ("fail", .integer(Int64(count(.fail)))),
            ("unknown", .integer(Int64(count(.unknown)))), ("missing", .integer(Int64(count(.missing)))),
            ("cases", .array(results.map { r in
                .object([
                    ("id", .string(r.regressionCase.id)), ("severity", .string(r.regressionCase.severity.rawValue)),
                    ("status", .string(r.status.rawValue)), ("trace_id", r.traceId.map(JSON.string) ?? .null),
                    ("ts", r.ts.map(JSON.string) ?? .null), ("input_hash", .string(r.regressionCase.input.hash)),
                    ("expectations", .array(r.outcomes.map { o in
                        .object([("expect", .string(o.expectation.text)), ("status", .string(o.status.rawValue)),
                                 ("seen", o.seen.map(JSON.string) ?? .null)])
                    })),
                ])
            })),
        ])
    }
}
