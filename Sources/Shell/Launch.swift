import Foundation
import Ingest
import Store

/// Wires the command line to a store and a console; the executable stays one small file.
public enum Launch {
    public struct Options {
        public var db: String
        public var dbGiven: Bool
        public var format: String?
        public var commands: [String]
        public var file: String?
        public var noColor: Bool
        public var action: String?

        public init(db: String, dbGiven: Bool, format: String?, commands: [String], file: String?, noColor: Bool, action: String?) {
            self.db = db
            self.dbGiven = dbGiven
            self.format = format
            self.commands = commands
            self.file = file
            self.noColor = noColor
            self.action = action
        }
    }

    /// Runs relops and returns the exit status.
    public static func main(_ options: Options) -> Int32 {
        var format = OutputFormat.table
        if let name = options.format {
            guard let f = OutputFormat(rawValue: name.lowercased()) else {
                fail("unknown format `\(name)`; use one of \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))")
                return 2
            }
            format = f
        }
        var storePath = options.db
        var tour: String?
        if let action = options.action {
            guard action == "demo" else {
                fail("unknown argument `\(action)`; the only action is `demo` (see `relops --help`)")
                return 2
            }
            do {
                let demo = try DemoWorkspace.prepare(storePath: options.dbGiven ? options.db : nil, progress: stderrProgress())
                storePath = demo.storePath
                tour = demo.tour
            } catch {
                fail(Console.message(error))
                return 2
            }
        }
        let shell: Shell
        do {
            let database = try Database(path: storePath)
            shell = Shell(database: database, format: format, config: try Shell.workspaceConfig(storePath: storePath))
        } catch {
            fail(Console.message(error))
            return 2
        }
        shell.progress = stderrProgress()
        let console = Console(shell: shell, noColor: options.noColor)
        if !options.commands.isEmpty || options.file != nil {
            for (i, command) in options.commands.enumerated() {
                if !console.execute(command, location: options.commands.count > 1 ? "-c #\(i + 1)" : nil) { return console.status }
            }
            if let file = options.file { console.runScript(path: file) }
            return console.status
        }
        if isatty(STDIN_FILENO) == 1 {
            console.interactive(banner: banner(shell.database) + (tour.map { "\n" + $0 + "\n" } ?? ""))
        } else {
            console.runPipedInput()
        }
        return console.status
    }

    static func banner(_ db: Database) -> String {
        guard let o = try? db.overview() else { return "relops \(StoreInfo.relopsVersion)\n" }
        var text = "relops \(StoreInfo.relopsVersion) · \(db.path) · \(o.traces) traces"
        if let first = o.first, let last = o.last { text += " · \(first.prefix(16)) → \(last.prefix(16))" }
        if let versions = try? db.scalar("SELECT count(DISTINCT prompt_version) || ' prompt versions, ' || count(DISTINCT model) || ' models' FROM traces").stringValue, o.traces > 0 {
            text += " · " + versions
        }
        return text + "\nType `.help` for commands, `.quit` to leave.\n"
    }

    static func fail(_ message: String) {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }

    /// A progress line on stderr when it is a terminal, for loads longer than a second.
    static func stderrProgress() -> (@Sendable (LoadProgress) -> Void)? {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        // After how many seconds a load shows progress (`RELOPS_PROGRESS_DELAY`, default 1).
        let delay = ProcessInfo.processInfo.environment["RELOPS_PROGRESS_DELAY"].flatMap(Double.init) ?? 1
        return { p in
            guard p.elapsed >= delay else { return }
            let percent = p.totalBytes > 0 ? Double(p.bytesRead) / Double(p.totalBytes) * 100 : 0
            let rate = p.elapsed > 0 ? Double(p.spans) / p.elapsed : 0
            let phase = p.phase.map { " · \($0)" } ?? ""
            let line = String(format: "\r\u{1B}[K%@: %3.0f%% · %lld spans · %.0f spans/s%@",
                              (p.path as NSString).lastPathComponent, percent, p.spans, rate, phase)
            FileHandle.standardError.write(Data(line.utf8))
            if p.phase == "summarizing" { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        }
    }
}
