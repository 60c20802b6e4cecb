import Foundation
import Ingest
import Query
import Store

/// Runs command lines from `-c`, `-f`, a pipe or the keyboard through one `Shell`, printing
/// results and errors, and computes the exit status (DESIGN.md, Command line).
public final class Console {
    public let shell: Shell
    /// Exit status so far: 0 ok, 1 a check that did not hold (`cases check` with a failing
    /// case), 2 a usage, query or input error.
    public private(set) var status: Int32 = 0
    let isTTY: Bool
    /// Charts, table headers and the banner may use ANSI colours and bold: a terminal, no
    /// `--no-color`, no `NO_COLOR` (any value but empty, as no-color.org says).
    public var color: Bool
    /// The interactive shell (a prompt on a terminal): long results may go through the pager.
    public private(set) var isInteractive = false
    /// How deep in `.read` files the running command is: the pager is for the command typed,
    /// not for each line of a file it reads.
    private var depth = 0
    /// The `.once` a running `.read` has taken for its whole output, which its lines leave alone.
    private var claimedOnce: Int?

    public init(shell: Shell, noColor: Bool = false) {
        self.shell = shell
        isTTY = isatty(STDOUT_FILENO) == 1
        color = isTTY && !noColor && Self.colorAllowed(Environment.values(["NO_COLOR"]))
        shell.partial = { [weak self] result, command in self?.emitPartial(result, command: command) }
    }

    /// A result a command sends before it ends (a round of `triggers watch`): printed at once,
    /// and a failed check in it sets exit status 1.
    func emitPartial(_ result: CommandResult, command: String) {
        do {
            try emit(render(result, command: command))
        } catch {
            report(error, location: nil)
        }
        if case .document(let document) = result, document.failedCheck { status = max(status, 1) }
    }

    static func colorAllowed(_ environment: [String: String]) -> Bool {
        (environment["NO_COLOR"] ?? "").isEmpty
    }

    /// Settings for a person at a prompt rather than a script: the pager on, and a row limit
    /// so a query cannot draw a million-row table by accident.
    public func prepareInteractive() {
        isInteractive = true
        shell.settings.pager = true
        shell.settings.limit = OutputSettings.interactiveLimit
    }

    /// Runs one command line; `location` names the script line for errors. Returns false on error.
    @discardableResult
    public func execute(_ line: String, location: String? = nil) -> Bool {
        let trimmed = line.trimmed()
        if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix("--") { return true }
        let started = Date()
        depth += 1
        // `.once FILE` holds for the next command; it ends when that command does.
        let once = shell.output.pendingOnce.flatMap { $0 == claimedOnce ? nil : $0 }
        defer {
            depth -= 1
            shell.output.endOnce(once)
        }
        do {
            if trimmed.hasPrefix(".read") {
                let words = try Words.split(trimmed)
                guard words.count == 2 else { throw ShellError("wrong arguments for `.read`", usage: ".read FILE") }
                let outer = claimedOnce
                claimedOnce = once ?? outer
                defer { claimedOnce = outer }
                return runScript(path: words[1])
            }
            let result: CommandResult
            do {
                result = try shell.run(trimmed, location: location)
                shell.record(trimmed, result: .success(result), started: started)
            } catch let error where !(error is ShellExit) {
                shell.record(trimmed, result: .failure(error), started: started)
                throw error
            }
            let name = trimmed.split(separator: " ").first.map(String.init) ?? trimmed
            try emit(render(result, command: name))
            if case .document(let document) = result, document.failedCheck { status = max(status, 1) }
            if shell.settings.timer {
                writeError(String(format: "Run Time: %.3f s\n", Date().timeIntervalSince(started)))
            }
            return true
        } catch is ShellExit {
            throw_exit()
        } catch {
            report(error, location: location)
            return false
        }
    }

    /// `.quit` inside a script ends everything, as in sqlite3.
    private func throw_exit() -> Never {
        finishSession()
        exit(status)
    }

    /// The end of the shell: the notebook keeps or drops its autosave, and says which.
    func finishSession() {
        if let message = shell.notebook.finish() { writeError(message + "\n") }
    }

    /// Prints an error as one clear message and records exit status 2.
    public func report(_ error: Error, location: String?) {
        if let e = error as? QueryError {
            // The rendered error names its own place (script line, or the saved query's file).
            writeError(e.rendered)
        } else {
            let prefix = location.map { "\($0): " } ?? ""
            writeError("error: \(prefix)\(Self.message(error))\n")
        }
        status = 2
    }

    static func message(_ error: Error) -> String {
        switch error {
        case let e as IngestError: return e.description
        case let e as StoreError: return e.description
        case let e as ShellError: return e.description
        case let e as ConfigError: return e.description
        default: return "\(error)"
        }
    }

    /// Runs a script: one command per line, `#` comments; stops at the first error.
    @discardableResult
    public func runScript(path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            report(ShellError("\(path): cannot read the script"), location: nil)
            return false
        }
        return runScript(text: text, name: path)
    }

    /// A query may run over several lines: a line that ends with `|`, or a next line that
    /// starts with `|`, continues it.
    @discardableResult
    public func runScript(text: String, name: String) -> Bool {
        for (line, number) in Self.statements(text) {
            if !execute(line, location: "\(name):\(number)") { return false }
        }
        return true
    }

    /// Joins continued lines; each statement keeps the number of its first line.
    static func statements(_ text: String) -> [(String, Int)] {
        var out: [(String, Int)] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            if let last = out.last, continues(last.0, with: line) {
                out[out.count - 1].0 += "\n" + line
            } else {
                out.append((line, i + 1))
            }
        }
        return out
    }

    /// Whether `line` continues `statement`: it starts with `|`, or the statement ends with one.
    static func continues(_ statement: String, with line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return !trimmed.isEmpty && !trimmed.hasPrefix("#")
            && (trimmed.hasPrefix("|") || statement.trimmingCharacters(in: .whitespaces).hasSuffix("|"))
    }

    /// Reads commands from stdin without prompts (a pipe or a redirected file). A query may
    /// run over several lines as in a script file, so a statement runs once the next line
    /// shows it is complete (or at the end of the input).
    public func runPipedInput() {
        var pending: (text: String, line: Int)?
        var number = 0
        while let line = readLine(strippingNewline: true) {
            number += 1
            if let statement = pending, Self.continues(statement.text, with: line) {
                pending = (statement.text + "\n" + line, statement.line)
                continue
            }
            if let statement = pending, !execute(statement.text, location: "<stdin>:\(statement.line)") { return }
            pending = (line, number)
        }
        if let statement = pending { execute(statement.text, location: "<stdin>:\(statement.line)") }
    }

    /// A result as text for where it goes: on a terminal, cut to its width and maybe in colour;
    /// into a file or a pipe, plain and whole.
    func render(_ result: CommandResult, command: String) -> String {
        let terminal = isTTY && shell.output.isStandardOutput
        return Renderer(settings: shell.settings, width: terminal ? Terminal.columns() : nil, color: terminal && color)
            .render(result, command: command)
    }

    /// Sends a result to `.output`'s file, or through the pager, or to stdout.
    func emit(_ text: String) throws {
        guard !text.isEmpty, try !shell.output.writeToFile(text) else { return }
        if isInteractive, isTTY, depth == 1, shell.settings.pager,
           Pager.needsPaging(text, rows: Terminal.rows(), columns: Terminal.columns()),
           let pager = Pager.configured(), pager.show(text) {
            return
        }
        write(text)
    }

    /// Writes to stdout (the terminal's own text, such as the newline after Ctrl-D).
    func write(_ text: String) {
        guard !text.isEmpty else { return }
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    func writeError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

enum Terminal {
    static func columns() -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let env = Environment.value("COLUMNS"), let n = Int(env) { return n }
        return 100
    }

    /// The terminal's height, for the pager: `$LINES` when the terminal does not say, else 24.
    static func rows() -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 { return Int(size.ws_row) }
        if let env = Environment.value("LINES"), let n = Int(env) { return n }
        return 24
    }
}
