import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A command run to its end in its own process group: its stdin fed, its stdout and stderr
/// collected, all under one deadline.
///
/// One thread does everything with `poll`, so a child that writes a lot before reading its
/// input, or fills stderr while we wait on stdout, cannot deadlock it, and no thread is left
/// behind. At the deadline the whole group is killed, so a shell command's own children go too.
/// Foundation's `Process` can neither start a process group nor enforce a deadline, hence
/// `posix_spawn`.
struct ChildProcess {
    enum Termination: Equatable {
        case exited(Int32)
        case signaled(Int32)
        case timedOut
    }

    struct Outcome {
        var termination: Termination
        var stdout: [UInt8]
        var stderr: [UInt8]
        /// More than `stdoutLimit` bytes were written; the rest was read and dropped.
        var stdoutOverflow: Bool
    }

    struct SpawnError: Error, Equatable {
        var message: String
    }

    var arguments: [String]
    /// Added to (and over) this process's environment.
    var environment: [String: String] = [:]
    /// The working directory of the command.
    var directory: String
    var timeout: Double
    var stdoutLimit = 16 * 1024 * 1024
    var stderrLimit = 64 * 1024
    /// How long the pipes may stay open after the command itself exited (a background child
    /// holding them) before the group is killed.
    var exitGrace: Double = 1
    /// Tests: behave as if `posix_spawn_file_actions_addchdir_np` were missing.
    var chdirThroughShell = !Spawn.hasChdirAction

    func run(input: [UInt8]) throws(SpawnError) -> Outcome {
        guard let program = arguments.first, !program.isEmpty else { throw SpawnError(message: "the command is empty") }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), isFolder.boolValue else {
            throw SpawnError(message: "cannot start `\(program)`: the folder \(directory) does not exist")
        }
        guard let stdinPipe = Spawn.pipe(), let stdoutPipe = Spawn.pipe(), let stderrPipe = Spawn.pipe() else {
            throw SpawnError(message: "cannot start `\(program)`: no pipe (\(String(cString: strerror(errno))))")
        }
        let pid: pid_t
        do {
            pid = try spawn(stdin: stdinPipe.read, stdout: stdoutPipe.write, stderr: stderrPipe.write)
        } catch {
            for fd in [stdinPipe.read, stdinPipe.write, stdoutPipe.read, stdoutPipe.write, stderrPipe.read, stderrPipe.write] { close(fd) }
            throw error
        }
        close(stdinPipe.read)
        close(stdoutPipe.write)
        close(stderrPipe.write)
        return collect(pid: pid, input: input, stdin: stdinPipe.write, stdout: stdoutPipe.read, stderr: stderrPipe.read)
    }

    private func spawn(stdin: Int32, stdout: Int32, stderr: Int32) throws(SpawnError) -> pid_t {
        var argv = arguments
        // A relative program path is relative to the workspace folder, wherever relops runs.
        if argv[0].contains("/"), !argv[0].hasPrefix("/") {
            argv[0] = (directory as NSString).appendingPathComponent(argv[0])
        }
        var file = argv[0]
        if chdirThroughShell {
            argv = ["/bin/sh", "-c", "cd -- \"$0\" && exec \"$@\"", directory] + argv
            file = "/bin/sh"
        }
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        let cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        let cEnvironment: [UnsafeMutablePointer<CChar>?] = merged.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group (so the deadline can kill all of it), no blocked signals, and the
        // default action for the signals this process may ignore (the pager ignores SIGPIPE).
        posix_spawnattr_setpgroup(&attributes, 0)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, STDIN_FILENO)
        posix_spawn_file_actions_adddup2(&actions, stdout, STDOUT_FILENO)
        posix_spawn_file_actions_adddup2(&actions, stderr, STDERR_FILENO)
        if !chdirThroughShell { Spawn.addChdir(&actions, directory) }
        // Nothing else of relops (the store, other runners' pipes) leaks into the command.
        Spawn.addCloseFrom(&actions, 3)

        var pid = pid_t()
        let status = posix_spawnp(&pid, file, &actions, &attributes, cArguments, cEnvironment)
        guard status == 0 else {
            throw SpawnError(message: "cannot start `\(arguments[0])`: \(String(cString: strerror(status)))")
        }
        return pid
    }

    private func collect(pid: pid_t, input: [UInt8], stdin: Int32, stdout: Int32, stderr: Int32) -> Outcome {
        var inFD = stdin, outFD = stdout, errFD = stderr
        for fd in [inFD, outFD, errFD] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        var outcome = Outcome(termination: .timedOut, stdout: [], stderr: [], stdoutOverflow: false)
        var written = 0
        if input.isEmpty {
            close(inFD)
            inFD = -1
        }

        // A command that exits without reading its input makes our write fail with EPIPE; the
        // SIGPIPE that comes with it is blocked in this thread and taken back below.
        let pipeGuard = SignalGuard()
        defer { pipeGuard.restore() }

        let deadline = RunnerClock.monotonicNanoseconds() + UInt64(min(max(0, timeout), 1e8) * 1e9)
        var graceEnd: UInt64?
        var idle: UInt64 = 1_000_000
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)

        func closeAll() {
            for fd in [inFD, outFD, errFD] where fd >= 0 { close(fd) }
            inFD = -1; outFD = -1; errFD = -1
        }
        func killGroup() {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
        }

        loop: while true {
            let now = RunnerClock.monotonicNanoseconds()
            if now >= deadline {
                killGroup()
                closeAll()
                outcome.termination = .timedOut
                _ = Self.reap(pid)
                return outcome
            }
            if outFD < 0 && errFD < 0 {
                // Both outputs are closed: the command is ending. Wait for it, a little at a time.
                if inFD >= 0 { close(inFD); inFD = -1 }
                if Self.hasExited(pid) { break loop }
                let nap = min(idle, deadline - now)
                usleep(useconds_t(nap / 1000))
                idle = min(idle * 2, 20_000_000)
                continue
            }
            if let end = graceEnd, now >= end {
                // The command exited but something it started holds the pipes open.
                killGroup()
                break loop
            }

            var fds: [pollfd] = []
            if inFD >= 0 { fds.append(pollfd(fd: inFD, events: Int16(POLLOUT), revents: 0)) }
            if outFD >= 0 { fds.append(pollfd(fd: outFD, events: Int16(POLLIN), revents: 0)) }
            if errFD >= 0 { fds.append(pollfd(fd: errFD, events: Int16(POLLIN), revents: 0)) }
            // Wake up now and then to notice a command that exited with its pipes still held.
            let wait = min(deadline, graceEnd ?? deadline) - now
            let milliseconds = Int32(min(wait / 1_000_000 + 1, 100))
            let ready = poll(&fds, nfds_t(fds.count), milliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                killGroup()
                break loop
            }
            if ready == 0 {
                if graceEnd == nil, Self.hasExited(pid) {
                    graceEnd = min(deadline, RunnerClock.monotonicNanoseconds() + UInt64(exitGrace * 1e9))
                }
                continue
            }
            for entry in fds where entry.revents != 0 {
                if entry.fd == inFD {
                    let n = input.withUnsafeBytes { bytes in
                        write(inFD, bytes.baseAddress.map { $0 + written }, input.count - written)
                    }
                    if n > 0 {
                        written += n
                        if written == input.count { close(inFD); inFD = -1 }
                    } else if n < 0, errno != EAGAIN, errno != EINTR {
                        if errno == EPIPE { pipeGuard.consumePending() }
                        close(inFD)
                        inFD = -1
                    }
                } else {
                    let isOut = entry.fd == outFD
                    let n = read(entry.fd, &buffer, buffer.count)
                    if n > 0 {
                        if isOut {
                            let room = stdoutLimit - outcome.stdout.count
                            if n > room { outcome.stdoutOverflow = true }
                            outcome.stdout.append(contentsOf: buffer[..<min(n, max(0, room))])
                        } else {
                            let room = stderrLimit - outcome.stderr.count
                            outcome.stderr.append(contentsOf: buffer[..<min(n, max(0, room))])
                        }
                    } else if n == 0 || (errno != EAGAIN && errno != EINTR) {
                        close(entry.fd)
                        if isOut { outFD = -1 } else { errFD = -1 }
                    }
                }
            }
        }
        closeAll()
        outcome.termination = Self.reap(pid)
        return outcome
    }

    /// True once the process has ended, without reaping it: the zombie keeps its pid (and so its
    /// process group id) from being reused until `reap`, so killing the group stays safe.
    private static func hasExited(_ pid: pid_t) -> Bool {
        var info = siginfo_t()
        let status = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
        return status == 0 && info.si_signo == SIGCHLD
    }

    private static func reap(_ pid: pid_t) -> Termination {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            if errno != EINTR { return .exited(-1) }
        }
        let signal = status & 0x7f
        if signal == 0 { return .exited((status >> 8) & 0xff) }
        return .signaled(signal)
    }
}

/// Blocks SIGPIPE in the calling thread while it writes to a command's stdin (a write to a
/// closed pipe then fails with EPIPE instead of killing relops), without touching the
/// process-wide disposition that other threads (the pager) change.
private struct SignalGuard {
    private var previous = sigset_t()
    private var pipeOnly = sigset_t()

    init() {
        sigemptyset(&pipeOnly)
        sigaddset(&pipeOnly, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeOnly, &previous)
    }

    /// Takes the SIGPIPE a failed write left pending, so that it does not fire on `restore`.
    func consumePending() {
        #if os(Linux)
        var set = pipeOnly
        var zero = timespec(tv_sec: 0, tv_nsec: 0)
        while sigtimedwait(&set, nil, &zero) == SIGPIPE {}
        #else
        var pending = sigset_t()
        sigpending(&pending)
        if sigismember(&pending, SIGPIPE) == 1 {
            var set = pipeOnly
            var taken: Int32 = 0
            sigwait(&set, &taken)
        }
        #endif
    }

    func restore() {
        var mask = previous
        pthread_sigmask(SIG_SETMASK, &mask, nil)
    }
}

/// The spawn helpers that glibc declares only under `_GNU_SOURCE`, which Swift's Glibc module
/// does not see: looked up once at run time.
enum Spawn {
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    private nonisolated(unsafe) static let handle = dlopen(nil, RTLD_NOW)
    private static let pipe2: Pipe2? = symbol("pipe2")
    private static let addChdirAction: AddChdir? = symbol("posix_spawn_file_actions_addchdir_np")
    private static let addCloseFromAction: AddCloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")

    static var hasChdirAction: Bool { addChdirAction != nil }

    private static func symbol<T>(_ name: String) -> T? {
        guard let address = dlsym(handle, name) else { return nil }
        return unsafeBitCast(address, to: T.self)
    }

    /// A pipe whose ends are closed on exec, so no other command started meanwhile inherits them.
    static func pipe() -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [-1, -1]
        if let pipe2 {
            guard pipe2(&fds, O_CLOEXEC) == 0 else { return nil }
        } else {
            #if canImport(Glibc)
            guard Glibc.pipe(&fds) == 0 else { return nil }
            #else
            guard Darwin.pipe(&fds) == 0 else { return nil }
            #endif
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        }
        return (fds[0], fds[1])
    }

    static func addChdir(_ actions: inout posix_spawn_file_actions_t, _ directory: String) {
        _ = addChdirAction?(&actions, directory)
    }

    static func addCloseFrom(_ actions: inout posix_spawn_file_actions_t, _ lowest: Int32) {
        _ = addCloseFromAction?(&actions, lowest)
    }
}
