import Foundation

/// Where results go: stdout, a file until `.output` is given again (`.output FILE`), or a file
/// for the next command only (`.once FILE`). Errors, timings and progress always go to stderr,
/// so a redirected result file holds only results.
final class OutputTarget {
    private enum Destination {
        case standardOutput
        /// `generation` tells one `.once` from the next, so only the command after it ends it.
        case file(path: String, handle: FileHandle, once: Int?)
    }

    private var destination = Destination.standardOutput
    private var onceCount = 0

    var isStandardOutput: Bool {
        if case .standardOutput = destination { return true }
        return false
    }

    /// The file results go to, or nil for stdout.
    var path: String? {
        if case .file(let path, _, _) = destination { return path }
        return nil
    }

    /// Which `.once` is pending, if any: the console ends it after the next command.
    var pendingOnce: Int? {
        if case .file(_, _, let once) = destination { return once }
        return nil
    }

    /// Sends results to `path` (created, or emptied as sqlite3 and psql do). `store` is the open
    /// store's path: emptying it by a slip of `.output` would lose every trace, so it is refused.
    func redirect(to path: String, once: Bool, store: String) throws(ShellError) {
        let expanded = (path as NSString).expandingTildeInPath
        let usage = once ? ".once FILE" : ".output [FILE]"
        if Self.sameFile(expanded, store) || Self.sameFile(expanded, store + "-wal") || Self.sameFile(expanded, store + "-journal") {
            throw ShellError("refusing to write results over the store `\(path)`", usage: usage)
        }
        let fd = open(expanded, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ShellError("cannot write to `\(path)`: \(Self.reason(errno))", usage: usage)
        }
        reset()
        if once { onceCount += 1 }
        destination = .file(path: path, handle: FileHandle(fileDescriptor: fd, closeOnDealloc: true), once: once ? onceCount : nil)
    }

    /// Back to stdout; closes the file.
    func reset() {
        if case .file(_, let handle, _) = destination { try? handle.close() }
        destination = .standardOutput
    }

    /// Ends `.once` number `once` (the one pending before the command that just ran).
    func endOnce(_ once: Int?) {
        if let once, pendingOnce == once { reset() }
    }

    /// Writes to the file; false when results go to stdout (the console writes those).
    func writeToFile(_ text: String) throws(ShellError) -> Bool {
        guard case .file(let path, let handle, _) = destination else { return false }
        do {
            try handle.write(contentsOf: Data(text.utf8))
        } catch {
            throw ShellError("cannot write to `\(path)`: \((error as NSError).localizedDescription)")
        }
        return true
    }

    static func sameFile(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }

    /// `strerror` as a message fragment: "no such file or directory".
    static func reason(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}
