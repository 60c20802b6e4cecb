import ArgumentParser
import Foundation
import Shell

/// relops [--db PATH] [--format table|csv|json|jsonl|markdown|line] [-c COMMAND]... [-f FILE] [--no-color]
/// relops demo
struct Relops: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relops",
        abstract: "A terminal-first investigation shell for LLM traces in production.",
        discussion: "With no -c or -f and a terminal on stdin, opens the interactive shell; commands piped on stdin run as a script. `relops demo` builds a demo store with a known incident and opens the shell on it.")

    @Option(name: .long, help: "The store (a SQLite file; created if missing).")
    var db: String = "relops.db"

    @Option(name: .long, help: "Output format: table, csv, json, jsonl, markdown or line.")
    var format: String?

    @Option(name: .customShort("c"), help: "Run a command and exit (repeatable; in order).")
    var command: [String] = []

    @Option(name: .customShort("f"), help: "Run the commands in a script file and exit.")
    var file: String?

    @Flag(name: .long, help: "No colour in output.")
    var noColor = false

    @Argument(help: "`demo`: build the demo store and open the shell on it.")
    var action: String?

    mutating func run() throws {
        let options = Launch.Options(db: db, dbGiven: CommandLine.arguments.contains { $0 == "--db" || $0.hasPrefix("--db=") },
                                     format: format, commands: command, file: file, noColor: noColor, action: action)
        Foundation.exit(Launch.main(options))
    }
}

Relops.main()
