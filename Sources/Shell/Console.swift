import Foundation
import Ingest
import Query
import Store

/// Runs command lines from `-c`, `-f`, a pipe or the keyboard through one `Shell`, printing
/// results and errors, and computes the exit status (DESIGN.md, Command line).
public final class Console {
    public let shell: Shell
    /// Exit status so far: 0 ok, 2 a usage, query or input error.
    public private(set) var status: Int32 = 0
    let isTTY: Bool
    /// Charts may use ANSI colours: a terminal, no `--no-color`, no `NO_COLOR`.
    public var color: Bool

    public init(shell: Shell, noColor: Bool = false) {
        self.shell = shell
        isTTY = isatty(STDOUT_FILENO) == 1
        color = isTTY && !noColor && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    /// Runs one command line; `location` names the script line for errors. Returns false on error.
    @discardableResult
    public func execute(_ line: String, location: String? = nil) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix("--") { return true }
        let started = Date()
        do {
            if trimmed.hasPrefix(".read") {
                let words = try Words.split(trimmed)
                guard words.count == 2 else { throw ShellError("wrong arguments for `.read`", usage: ".read FILE") }
                return runScript(path: words[1])
            }
            let result = try shell.run(trimmed, location: location)
            let name = trimmed.split(separator: " ").first.map(String.init) ?? trimmed
            let width = isTTY ? Terminal.columns() : nil
            write(Renderer(format: shell.format, width: width, color: color).render(result, command: name))
            if shell.timer {
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
        exit(status)
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
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let last = out.last, !trimmed.isEmpty, !trimmed.hasPrefix("#"),
               trimmed.hasPrefix("|") || last.0.trimmingCharacters(in: .whitespaces).hasSuffix("|") {
                out[out.count - 1].0 += "\n" + line
            } else {
                out.append((line, i + 1))
            }
        }
        return out
    }

    /// Reads commands from stdin without prompts (a pipe or a redirected file).
    public func runPipedInput() {
        var number = 0
        while let line = readLine(strippingNewline: true) {
            number += 1
            if !execute(line, location: "<stdin>:\(number)") { return }
        }
    }

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
        if let env = ProcessInfo.processInfo.environment["COLUMNS"], let n = Int(env) { return n }
        return 100
    }
}
