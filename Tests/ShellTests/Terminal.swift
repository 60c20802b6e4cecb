import Foundation
import Testing

struct TerminalError: Error { var message: String }

/// The real binary in a real pseudo-terminal: tmux runs it, keys go in with `send-keys`, the
/// screen comes back with `capture-pane` (as NOTES.md found libedit is best tested).
final class TerminalSession {
    let socket: String
    let name = "relops"

    /// Starts `relops ARGUMENTS` in a fresh tmux server of its own, 120×40, in `directory` (by
    /// default a fresh one: the shell's autosave goes to `sessions/` there, not into the repository).
    init(_ arguments: [String], environment: [String: String] = [:], directory: URL? = nil) throws {
        let directory = directory ?? RelopsBinary.temporaryDirectory("terminal")
        socket = "relops-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        let env = environment.map { "\($0.key)=\(Self.quote($0.value))" }.joined(separator: " ")
        let command = "cd \(Self.quote(directory.path)) && env \(env) \(Self.quote(RelopsBinary.path)) \(arguments.map(Self.quote).joined(separator: " ")); echo \"[exit $?]\"; sleep 60"
        try tmux(["new-session", "-d", "-s", name, "-x", "120", "-y", "40", "bash", "-c", command])
    }

    deinit {
        _ = try? tmux(["kill-server"])
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Runs `tmux -L SOCKET ARGUMENTS` with posix_spawn and waitpid: Foundation's `Process`
    /// can miss the exit of a client whose server daemonised from it.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-\(UUID().uuidString.prefix(6)).out").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, arguments.first == "capture-pane" ? output : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ["tmux", "-L", socket] + arguments
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        // The test runner may block signals; the terminal's programs must see Ctrl-C as usual.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, "tmux", &actions, &attributes, &cArgs, environ)
        guard rc == 0 else { throw TerminalError(message: "cannot start tmux (\(rc)); is it installed? (scripts/setup installs it)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }

    /// Sends keys as tmux names them (`Enter`, `Tab`, `C-c`, `Up`) or literal text (`-l`).
    func keys(_ keys: String...) throws {
        try tmux(["send-keys", "-t", name] + keys)
    }

    func type(_ text: String) throws {
        try tmux(["send-keys", "-t", name, "-l", text])
    }

    func screen() throws -> String {
        try tmux(["capture-pane", "-t", name, "-p"])
    }

    /// Waits until the screen contains `text` (up to `timeout` seconds); returns the screen.
    @discardableResult
    func waitFor(_ text: String, timeout: Double = 10) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if last.contains(text) { return last }
            usleep(50_000)
        }
        Issue.record("timed out waiting for \(text.debugDescription); screen:\n\(last)")
        return last
    }

    /// Waits until the shell is back at an empty prompt (its last line is the prompt): keys such
    /// as Ctrl-C mean something else while a command still runs.
    func waitForPrompt(_ prompt: String = "relops>", timeout: Double = 10) throws {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            let lines = last.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            if lines.last == prompt { return }
            usleep(50_000)
        }
        Issue.record("timed out waiting for an empty prompt; screen:\n\(last)")
    }

    /// The screen's lines after the last line containing `marker`.
    static func after(_ marker: String, in screen: String) -> [String] {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let i = lines.lastIndex(where: { $0.contains(marker) }) else { return [] }
        return Array(lines[(i + 1)...])
    }
}
