import Foundation
import Store

/// Shows a long result one screen at a time, as psql does: the text is piped through
/// `$RELOPS_PAGER`, else `$PAGER`, else `less -SRFX` (chop long lines instead of wrapping
/// them, keep colours, quit if it fits, leave the screen as it was). Empty means no pager.
/// The console only asks for it on a terminal in the interactive shell.
struct Pager {
    /// A shell command line; `/bin/sh -c` runs it, so `$PAGER` may carry options and quotes.
    var command: String

    static let defaultCommand = "less -SRFX"

    /// The configured pager; nil when the variable that decides is set but blank.
    static func configured(_ environment: [String: String] = Environment.values(["RELOPS_PAGER", "PAGER"])) -> Pager? {
        let command = environment["RELOPS_PAGER"] ?? environment["PAGER"] ?? defaultCommand
        let trimmed = command.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : Pager(command: trimmed)
    }

    /// Whether `text` fills more than a screen of `rows` × `columns` (one row stays for the
    /// prompt); long lines count for the rows they wrap onto.
    static func needsPaging(_ text: String, rows: Int, columns: Int) -> Bool {
        guard rows > 0 else { return false }
        var used = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            used += columns > 0 ? max(1, (line.count + columns - 1) / columns) : 1
            if used >= rows { return true }
        }
        return false
    }

    /// Pipes `text` through the pager and waits for it to end. False when it could not start
    /// (not installed, no `/bin/sh`): the caller then prints the text itself.
    func show(_ text: String) -> Bool {
        guard let program = command.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init),
              Self.findProgram(program) else { return false }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return false }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, readEnd, STDIN_FILENO)
        posix_spawn_file_actions_addclose(&actions, readEnd)
        posix_spawn_file_actions_addclose(&actions, writeEnd)
        let words: [String] = ["/bin/sh", "-c", command]
        let arguments: [UnsafeMutablePointer<CChar>?] = words.map { word in word.withCString { strdup($0) } }
        defer { arguments.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, arguments + [nil], environ)
        close(readEnd)
        guard spawned == 0 else {
            close(writeEnd)
            return false
        }
        // A pager quit before the end (`q` in less) closes the pipe: that is not an error, so
        // SIGPIPE is ignored while writing and EPIPE simply stops the writing.
        let previous = signal(SIGPIPE, SIG_IGN)
        Self.writeAll(text, to: writeEnd)
        close(writeEnd)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        signal(SIGPIPE, previous)
        // 126/127: the shell could not run the command after all.
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        return !(exited && (code == 126 || code == 127))
    }

    static func writeAll(_ text: String, to fd: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }

    /// Whether `program` names an executable: a path, or a name found on `$PATH`.
    static func findProgram(_ program: String) -> Bool {
        if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) }
        // A command line that starts with a variable assignment or a shell word: let sh decide.
        if program.contains("=") || program.hasPrefix("$") || program.hasPrefix("'") || program.hasPrefix("\"") { return true }
        let path = Environment.value("PATH") ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(program)") }
    }
}
