import Foundation
import Ingest
import Store

/// Wires the command line to a store and a console; the executable stays one small file.
public enum Launch {
    public struct Options: Equatable {
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
            console.prepareInteractive()
            let bold = console.color && isatty(STDERR_FILENO) == 1
            console.interactive(banner: banner(shell.database, bold: bold) + (tour.map { "\n" + $0 + "\n" } ?? ""))
        } else {
            console.runPipedInput()
        }
        return console.status
    }

    /// One line on start: the store, its traces, their time range, and how many prompt versions
    /// and models they span. Start-up to the first prompt is measured (under 50 ms on a
    /// million-trace store), so every figure comes from an index: a count, two ends of
    /// `traces_ts`, and the distinct prompt versions by hopping along `traces_slices` (whose first
    /// column is `prompt_version`) instead of reading it whole. No index starts with `model`:
    /// models are counted by reading `traces_slices` whole, which stays quick only on smaller
    /// stores, so above `modelCountLimit` traces the banner leaves them to `versions model`.
    static func banner(_ db: Database, bold: Bool = false) -> String {
        let head = "relops \(StoreInfo.relopsVersion)"
        guard let facts = try? bannerFacts(db) else { return (bold ? "\u{1B}[1m\(head)\u{1B}[0m" : head) + "\n" }
        var parts = [head, db.path, "\(Renderer.grouped(Int(facts.traces))) traces"]
        if let first = facts.first, let last = facts.last { parts.append("\(first.prefix(16)) → \(last.prefix(16))") }
        if facts.traces > 0 {
            let versions = "\(facts.promptVersions) prompt version\(facts.promptVersions == 1 ? "" : "s")"
            parts.append(facts.models.map { versions + ", \($0) model\($0 == 1 ? "" : "s")" } ?? versions)
        }
        let line = parts.joined(separator: " · ")
        return (bold ? "\u{1B}[1m\(line)\u{1B}[0m" : line) + "\nType `.help` for commands, `.quit` to leave.\n"
    }

    /// Above this many traces the banner does not count models (a scan of about 20 ms).
    static let modelCountLimit: Int64 = 200_000

    static func bannerFacts(_ db: Database) throws -> (traces: Int64, first: String?, last: String?, promptVersions: Int64, models: Int64?) {
        // The catalog's count when it is current; counting reads a whole index.
        let traces = try db.catalogTraceCount() ?? db.scalar("SELECT count(*) FROM traces").int64Value ?? 0
        // min() and max() together would scan; each alone is one step along traces_ts.
        let ends = try db.query("SELECT (SELECT min(start_ns) FROM traces), (SELECT max(start_ns) FROM traces)").rows.first
        let first = ends?[0].int64Value.map { Timestamp.iso8601(nanoseconds: $0) }
        let last = ends?[1].int64Value.map { Timestamp.iso8601(nanoseconds: $0) }
        // A loose index scan: each step seeks the next prompt_version above the last one.
        let promptVersions = try db.scalar("""
            WITH RECURSIVE v(x) AS (
                SELECT min(prompt_version) FROM traces
                UNION ALL
                SELECT (SELECT min(prompt_version) FROM traces WHERE prompt_version > v.x) FROM v WHERE v.x IS NOT NULL)
            SELECT count(x) FROM v
            """).int64Value ?? 0
        let models = traces <= modelCountLimit
            ? try db.scalar("SELECT count(*) FROM (SELECT DISTINCT model FROM traces WHERE model IS NOT NULL)").int64Value
            : nil
        return (traces, first, last, promptVersions, models)
    }

    static func fail(_ message: String) {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }

    /// A progress line on stderr when it is a terminal, for loads longer than a second.
    static func stderrProgress() -> (@Sendable (LoadProgress) -> Void)? {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        // After how many seconds a load shows progress (`RELOPS_PROGRESS_DELAY`, default 1).
        let delay = Environment.value("RELOPS_PROGRESS_DELAY").flatMap(Double.init) ?? 1
        return { p in
            guard p.elapsed >= delay else { return }
            let percent = p.totalBytes > 0 ? Double(p.bytesRead) / Double(p.totalBytes) * 100 : 0
            let rate = p.elapsed > 0 ? Double(p.spans) / p.elapsed : 0
            let phase = p.phase.map { " · \($0)" } ?? ""
            let line = String(format: "\r\u{1B}[K%@: %3.0f%% · %lld spans · %.0f spans/s%@",
                              PathText.name(of: p.path), percent, p.spans, rate, phase)
            FileHandle.standardError.write(Data(line.utf8))
            if p.phase == "summarizing" { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        }
    }
}
