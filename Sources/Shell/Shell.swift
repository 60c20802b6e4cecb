import Foundation
import Ingest
import Notebook
import Query
import Store

/// Runs commands against one store and keeps the shell's settings. Holds no domain logic: it
/// parses a command line, calls the module that does the work and returns a typed result.
public final class Shell {
    public private(set) var database: Database
    /// `.mode`, `.headers`, `.x`, `.limit`, `.pager`, `.timer`.
    public var settings: OutputSettings
    /// Where results go (`.output`, `.once`).
    let output = OutputTarget()
    /// Where progress lines go (stderr on a TTY); nil: none.
    public var progress: (@Sendable (LoadProgress) -> Void)?
    var config: WorkspaceConfig
    var queries: QueryEngine
    /// The current session: cells, notes, pins and causes (`session`, `pin`, `cause`, `note`).
    public let notebook = NotebookState()
    /// Where a long-running command (`triggers watch`) sends each result as it comes, with the
    /// command's name; the console prints it as it would a whole command's. nil: nowhere.
    var partial: ((CommandResult, String) -> Void)?
    /// The environment `score` reads its reviewer from (`RELOPS_REVIEWER`, `USER`).
    lazy var environment = ProcessInfo.processInfo.environment

    public init(database: Database, format: OutputFormat = .table, config: WorkspaceConfig) {
        self.database = database
        self.settings = OutputSettings(format: format)
        self.config = config
        self.queries = QueryEngine(database: database, library: Self.library(storePath: database.path))
    }

    public var format: OutputFormat {
        get { settings.format }
        set { settings.format = newValue }
    }

    public var timer: Bool {
        get { settings.timer }
        set { settings.timer = newValue }
    }

    /// Saved queries: `queries/` in the current folder, then `queries/` beside the store (the
    /// library lists a name once, from the first folder that has it, so the two may be one).
    static func library(storePath: String) -> SavedQueryLibrary {
        let beside = PathText.join(PathText.folder(of: storePath), "queries")
        return SavedQueryLibrary(directories: ["queries", beside])
    }

    /// The workspace file: `$RELOPS_CONFIG`, else `relops.yaml` in the current folder, else
    /// beside the store. None: the built-in conventions and rules.
    public static func workspaceConfig(storePath: String) throws -> WorkspaceConfig {
        var candidates: [String] = []
        if let env = Environment.value("RELOPS_CONFIG"), !env.isEmpty { candidates.append(env) }
        candidates.append("relops.yaml")
        candidates.append(PathText.join(PathText.folder(of: storePath), "relops.yaml"))
        for path in candidates where FileManager.default.fileExists(atPath: path) {
            return try WorkspaceConfig.load(path: path)
        }
        if let env = Environment.value("RELOPS_CONFIG"), !env.isEmpty {
            throw ConfigError(path: env, line: nil, message: "no such file (from RELOPS_CONFIG)")
        }
        return WorkspaceConfig()
    }

    /// Runs one command line or query; `location` names where it came from (a script's line) in errors.
    public func run(_ line: String, location: String? = nil) throws -> CommandResult {
        if queries.isQuery(line) {
            return .query(try queries.run(QuerySource(location: location, text: line)))
        }
        let words = try Words.split(line)
        guard let name = words.first else { return .none }
        let args = Array(words.dropFirst())
        if name.hasPrefix(".") { return try runDotCommand(name, args) }
        switch name.lowercased() {
        case "load": return try load(args)
        case "sources":
            try expectNoArguments(args, "sources")
            return .table(try database.sources())
        case "versions":
            guard args.count <= 1 else { throw usage("versions") }
            if let dim = args.first, !Database.versionDimensions.contains(dim) {
                let hint = Suggest.closest(to: dim, in: Database.versionDimensions).map { "; did you mean `\($0)`?" } ?? ""
                throw ShellError("unknown version dimension `\(dim)`\(hint)",
                                 usage: "versions [\(Database.versionDimensions.joined(separator: "|"))]")
            }
            return .table(try database.versions(of: args.first))
        case "rejects":
            guard args.count <= 1 else { throw usage("rejects") }
            if let id = args.first {
                guard let n = Int64(id) else { throw usage("rejects") }
                return .table(try database.query("SELECT load_id, line, reason, raw FROM rejects WHERE load_id = ? ORDER BY line", [.integer(n)]))
            }
            return .table(try database.query("SELECT load_id, line, reason, raw FROM rejects ORDER BY load_id, line"))
        case "rederive":
            try expectNoArguments(args, "rederive")
            let started = Date()
            let (spans, traces) = try Loader(database: database, config: config).rederive()
            return .message("re-derived \(spans) spans and \(traces) traces with \(config.path ?? "the built-in rules") in \(Renderer.duration(Date().timeIntervalSince(started) * 1000))")
        case "fields":
            guard args.count <= 1 else { throw usage("fields") }
            return .table(try fields(args.first))
        case "queries":
            try expectNoArguments(args, "queries")
            let entries = try queries.library.entries()
            return .table(Rows(columns: ["name", "parameters", "description", "path"], rows: entries.map {
                [.text($0.name), .text($0.parameters.joined(separator: ", ")), .text($0.description), .text($0.path)]
            }))
        case "sql":
            let text = line.drop { $0 == " " || $0 == "\t" }.dropFirst(3).trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { throw usage("sql") }
            let (checked, compiled) = try queries.compile(QuerySource(location: location, text: text))
            var lines = [compiled.sql]
            for (i, p) in compiled.parameters.enumerated() { lines.append("-- ?\(i + 1) = \(Self.literal(p))") }
            if let rollup = queries.rollupRead(by: checked) {
                lines.append("-- its first stats reads \(rollup.table) instead of traces while the rollup is current (docs/query-language.md, \"How stats runs\")")
            }
            return .message(lines.joined(separator: "\n"))
        case "schema":
            guard args.count <= 1 else { throw usage("schema") }
            return .table(try database.schemaColumns(table: args.first))
        case "show": return try show(args)
        case "replay": return try replay(args, line: line, location: location)
        case "diff": return try diff(args, line: line, location: location)
        case "explain": return try explain(args, line: line, location: location)
        case "changes": return try changes(args, line: line, location: location)
        case "drift": return try drift(args, line: line, location: location)
        case "session": return try session(args)
        case "pin": return try pin(args)
        case "unpin": return try unpin(args)
        case "pins":
            try expectNoArguments(args, "pins")
            return pins()
        case "cause": return try cause(args)
        case "cases": return try cases(args, line: line, location: location)
        case "gate": return try gate(line: line, location: location)
        case "triggers": return try triggers(args)
        case "note": return try note(args)
        case "sample": return try sample(line: line, location: location)
        case "score": return try score(args)
        case "report": return try report(line: line, location: location)
        case "help":
            return .message(help(args.first))
        default:
            let names = CommandTable.commands.map(\.name)
            let hint = Suggest.closest(to: name, in: names).map { " (did you mean `\($0)`?)" } ?? ""
            throw ShellError("unknown command `\(name)`\(hint); `.help` lists the commands")
        }
    }

    func load(_ args: [String]) throws -> CommandResult {
        guard let path = args.first else { throw usage("load") }
        var options = LoadOptions(progress: progress)
        var i = 1
        while i < args.count {
            guard i + 1 < args.count else { throw usage("load") }
            switch args[i].lowercased() {
            case "format":
                guard let f = InputFormat(rawValue: args[i + 1].lowercased()) else {
                    throw ShellError("unknown format `\(args[i + 1])`", usage: CommandTable.find("load")?.usage)
                }
                options.format = f
            case "on-error":
                switch args[i + 1].lowercased() {
                case "skip": options.skipBadLines = true
                case "abort": options.skipBadLines = false
                default: throw usage("load")
                }
            default:
                throw ShellError("unexpected `\(args[i])`", usage: CommandTable.find("load")?.usage)
            }
            i += 2
        }
        let reports = try Loader(database: database, config: config).load(path, options: options)
        return .loads(reports)
    }

    func runDotCommand(_ typed: String, _ args: [String]) throws -> CommandResult {
        guard let spec = CommandTable.dotCommands.first(where: { $0.names.contains(typed) }) else {
            let names = CommandTable.dotCommands.flatMap(\.names)
            let hint = Suggest.closest(to: typed, in: names).map { " (did you mean `\($0)`?)" } ?? ""
            throw ShellError("unknown setting `\(typed)`\(hint); `.help` lists them")
        }
        let name = spec.name
        switch name {
        case ".help": return .message(help(args.first))
        case ".mode":
            guard args.count == 1, let mode = OutputFormat(rawValue: args[0].lowercased()) else { throw usage(name) }
            settings.format = mode
        case ".headers":
            settings.headers = try onOff(args, name)
        case ".x":
            guard args.count <= 1 else { throw usage(name) }
            settings.expanded = args.isEmpty ? !settings.expanded : try onOff(args, name)
            return .message("Expanded display is \(settings.expanded ? "on" : "off").")
        case ".limit":
            guard args.count == 1, let n = Int(args[0]), n >= 0 else { throw usage(name) }
            settings.limit = n == 0 ? nil : n
        case ".pager":
            settings.pager = try onOff(args, name)
        case ".timer":
            settings.timer = try onOff(args, name)
        case ".output":
            guard args.count <= 1 else { throw usage(name) }
            if let path = args.first, path != "stdout" {
                try output.redirect(to: path, once: false, store: database.path)
            } else {
                output.reset()
            }
        case ".once":
            guard args.count == 1 else { throw usage(name) }
            try output.redirect(to: args[0], once: true, store: database.path)
        case ".show":
            guard args.isEmpty else { throw usage(name) }
            return .message(settings.described(output: output.path ?? "stdout"))
        case ".open":
            guard args.count == 1 else { throw usage(name) }
            database = try Database(path: args[0])
            config = try Self.workspaceConfig(storePath: args[0])
            queries = QueryEngine(database: database, library: Self.library(storePath: args[0]))
        case ".quit":
            throw ShellExit()
        default:
            // `.read` runs in the console, which runs the file's lines.
            throw ShellError("`\(typed)` cannot run here", usage: spec.usage)
        }
        return .none
    }

    /// `on` or `off`, the one argument of a switch setting.
    func onOff(_ args: [String], _ command: String) throws -> Bool {
        guard args.count == 1, let value = ["on": true, "off": false][args[0].lowercased()] else { throw usage(command) }
        return value
    }

    func help(_ topic: String?) -> String {
        if let topic {
            // An exact command name shows that command; anything else searches names and summaries.
            let all = CommandTable.commands + CommandTable.dotCommands
            let exact = all.filter { $0.names.contains(topic) || $0.names.contains("." + topic) }
            let matches = !exact.isEmpty ? exact : all.filter { $0.usage.contains(topic) || $0.summary.contains(topic) }
            guard !matches.isEmpty else { return "no command matches `\(topic)`" }
            return matches.map { spec in
                "Usage: \(spec.usage)\n  \(spec.summary)\n" + spec.examples.map { "  e.g. \($0)" }.joined(separator: "\n")
            }.joined(separator: "\n\n")
        }
        let width = (CommandTable.commands + CommandTable.dotCommands).map(\.usage.count).max() ?? 20
        func row(_ s: CommandSpec) -> String { s.usage.padding(toLength: width + 2, withPad: " ", startingAt: 0) + s.summary }
        return "Commands:\n" + CommandTable.commands.map { "  " + row($0) }.joined(separator: "\n")
            + "\n\nSettings:\n" + CommandTable.dotCommands.map { "  " + row($0) }.joined(separator: "\n")
            + "\n\n`help COMMAND` shows examples. The store's tables are documented in docs/schema.md."
    }

    /// `fields [SOURCE]`: the query language's sources and their typed columns.
    func fields(_ sourceName: String?) throws -> Rows {
        let catalog = try Catalog.load(from: database)
        if let sourceName, catalog.source(sourceName) == nil {
            let hint = Suggest.closest(to: sourceName, in: catalog.sources.map(\.name)).map { "; did you mean `\($0)`?" } ?? ""
            throw ShellError("unknown source `\(sourceName)`\(hint)", usage: CommandTable.find("fields")?.usage)
        }
        var rows: [[SQLValue]] = []
        for source in catalog.sources where sourceName == nil || source.name == sourceName {
            for column in source.columns {
                rows.append([.text(source.name), .text(column.name), .text(column.type.rawValue)])
            }
            if source.hasAttributes { rows.append([.text(source.name), .text("attr.\"KEY\""), .text("any")]) }
        }
        return Rows(columns: ["source", "field", "type"], rows: rows)
    }

    static func literal(_ value: SQLValue) -> String {
        switch value {
        case .text(let s): return "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
        case .integer(let i): return String(i)
        case .real(let d): return String(d)
        case .null: return "NULL"
        case .blob(let b): return "<\(b.count) bytes>"
        }
    }

    func usage(_ command: String) -> ShellError {
        ShellError("wrong arguments for `\(command)`", usage: CommandTable.find(command)?.usage)
    }

    func expectNoArguments(_ args: [String], _ command: String) throws {
        if !args.isEmpty { throw usage(command) }
    }
}

/// `.quit`: leave the shell.
public struct ShellExit: Error {}

/// Splits a command line into words; `"…"` and `'…'` quote words with spaces.
enum Words {
    static func split(_ line: String) throws -> [String] {
        guard let words = QuotedWords.split(line) else { throw ShellError("unterminated quote") }
        return words
    }

    /// A command's keyword options (`to PATH`, `seed 3` …), each of `allowed` at most once, in
    /// order: an unknown word or a repeated option is a usage error with the closest name.
    /// With `oneValue` an option takes the next word, whatever it is (none at the end); else
    /// every word up to the next option.
    static func options(_ words: [String], allowed: [String], oneValue: Bool, usage spec: String?) throws
        -> [(option: String, values: [String])] {
        var found: [(option: String, values: [String])] = []
        var seen = Set<String>()
        var i = 0
        while i < words.count {
            let option = words[i].lowercased()
            guard allowed.contains(option) else {
                let hint = Suggest.closest(to: option, in: allowed).map { " (did you mean `\($0)`?)" } ?? ""
                throw ShellError("unexpected `\(words[i])`\(hint)", usage: spec)
            }
            guard seen.insert(option).inserted else { throw ShellError("`\(option)` is given twice", usage: spec) }
            i += 1
            var values: [String] = []
            while i < words.count, oneValue ? values.isEmpty : !allowed.contains(words[i].lowercased()) {
                values.append(words[i])
                i += 1
            }
            found.append((option, values))
        }
        return found
    }
}
