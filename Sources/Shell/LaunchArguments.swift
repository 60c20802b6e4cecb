import Store

/// The command line of DESIGN.md, read by hand: `relops [--db PATH] [--format F] [-c COMMAND]…
/// [-f FILE] [--no-color] [demo]`.
///
/// Six options do not need a reflection-driven parser: swift-argument-parser spent ~3 ms of a
/// 10 ms start-up discovering its property wrappers through `Mirror` and protocol-conformance
/// scans (perf, issue 4), and start-up is what a shell user feels on every `relops -c`.
/// Spellings follow getopt's habits: `--db PATH` and `--db=PATH`, `-c CMD` and `-cCMD`, `--`
/// ending the options.
extension Launch {
    /// What the command line asked for: run with options, or print help or the version.
    public enum Request: Equatable {
        case run(Options)
        case help
        case version
    }

    /// A usage error: printed with the usage line, exit status 2.
    public struct ArgumentError: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    public static var version: String { "relops \(StoreInfo.relopsVersion)" }

    public static let usage = """
        USAGE: relops [--db PATH] [--format FORMAT] [-c COMMAND]... [-f FILE] [--no-color] [demo]

        A terminal-first investigation shell for LLM traces in production.

        With no -c or -f and a terminal on stdin, opens the interactive shell; commands piped on
        stdin run as a script. `relops demo` builds a demo store with a known incident and opens
        the shell on it.

        OPTIONS:
          --db PATH          The store (a SQLite file; created if missing). Default: relops.db
          --format FORMAT    Output format: table, csv, json, jsonl, markdown or line.
          -c COMMAND         Run a command and exit (repeatable; in order).
          -f FILE            Run the commands in a script file and exit.
          --no-color         No colour in output (also: the NO_COLOR environment variable).
          -h, --help         Show this help.
          --version          Show the version.

        EXIT STATUS: 0 success; 1 a gate said HOLD or a trigger fired; 2 a usage, query or input error.
        """

    /// Reads `arguments` (without the program name).
    public static func parse(_ arguments: [String]) throws(ArgumentError) -> Request {
        var options = Options(db: "relops.db", dbGiven: false, format: nil, commands: [], file: nil, noColor: false, action: nil)
        var rest = arguments[...]
        var onlyPositional = false
        func value(_ name: String, inline: String?) throws(ArgumentError) -> String {
            if let inline { return inline }
            guard let next = rest.popFirst() else { throw ArgumentError(description: "missing value for `\(name)`") }
            return next
        }
        while let argument = rest.popFirst() {
            if onlyPositional || argument == "-" || !argument.hasPrefix("-") {
                guard options.action == nil else { throw ArgumentError(description: "unexpected argument `\(argument)`") }
                options.action = argument
                continue
            }
            if argument == "--" { onlyPositional = true; continue }
            // `--name=value` and `-cVALUE` carry their value inline.
            var name = argument, inline: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inline = String(argument[argument.index(after: equals)...])
            } else if !argument.hasPrefix("--"), argument.count > 2 {
                name = String(argument.prefix(2))
                inline = String(argument.dropFirst(2))
            }
            switch name {
            case "--db":
                options.db = try value(name, inline: inline)
                options.dbGiven = true
            case "--format": options.format = try value(name, inline: inline)
            case "-c": options.commands.append(try value(name, inline: inline))
            case "-f": options.file = try value(name, inline: inline)
            case "--no-color", "--no-colour", "-h", "--help", "--version":
                if inline != nil { throw ArgumentError(description: "`\(name)` takes no value") }
                if name == "-h" || name == "--help" { return .help }
                if name == "--version" { return .version }
                options.noColor = true
            default:
                let known = ["--db", "--format", "-c", "-f", "--no-color", "--help", "--version"]
                let hint = (name.hasPrefix("--") ? Suggest.closest(to: name, in: known) : nil).map { "; did you mean `\($0)`?" } ?? ""
                throw ArgumentError(description: "unknown option `\(name)`\(hint)")
            }
        }
        return .run(options)
    }
}
