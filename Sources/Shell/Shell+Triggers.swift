import Foundation
import Ingest
import Investigate
import Notebook
import Query
import Store

extension Shell {
    static let triggerActions = ["check", "backtest", "watch"]
    /// The whole usage of `watch`, which the command table's line shortens to `watch TRACES …`.
    static let watchUsage = "triggers watch TRACES [every DURATION] [rules FILE] [for N|once]"

    /// `triggers check [FILE] [at TIME]`, `triggers backtest [FILE] [between T1 and T2]`,
    /// `triggers watch FILE [every DURATION] [rules FILE] [for N|once]` (docs/release-gates.md,
    /// Rollback triggers).
    func triggers(_ args: [String]) throws -> CommandResult {
        let spec = CommandTable.find("triggers")?.usage
        guard let action = args.first?.lowercased() else { throw ShellError("`triggers` needs check, backtest or watch", usage: spec) }
        var rest = Array(args.dropFirst())
        switch action {
        case "check":
            let file = rest.first.flatMap { $0.lowercased() == "at" ? nil : $0 }
            if file != nil { rest.removeFirst() }
            var at: Int64?
            if !rest.isEmpty {
                guard rest.count == 2, rest[0].lowercased() == "at" else { throw ShellError("unexpected `\(rest[0])`", usage: spec) }
                at = try Self.time(rest[1], usage: spec)
            }
            let config = try triggerConfig(file)
            return .document(try TriggerCheck.run(config, at: at, database: database, queries: queries))
        case "backtest":
            let file = rest.first.flatMap { $0.lowercased() == "between" ? nil : $0 }
            if file != nil { rest.removeFirst() }
            var from: Int64?, to: Int64?
            if !rest.isEmpty {
                guard rest.count == 4, rest[0].lowercased() == "between", rest[2].lowercased() == "and" else {
                    throw ShellError("expected `between TIME and TIME`, found `\(rest.joined(separator: " "))`", usage: spec)
                }
                from = try Self.time(rest[1], usage: spec)
                to = try Self.time(rest[3], usage: spec)
                if let from, let to, from >= to { throw ShellError("`between` needs the earlier time first", usage: spec) }
            }
            let config = try triggerConfig(file)
            return .document(try TriggerBacktest.run(config, from: from, to: to, database: database, queries: queries))
        case "watch":
            return try watch(rest, usage: Self.watchUsage)
        default:
            let hint = Suggest.closest(to: action, in: Self.triggerActions).map { " (did you mean `\($0)`?)" } ?? ""
            throw ShellError("unknown `triggers` action `\(args[0])`\(hint)", usage: spec)
        }
    }

    /// `triggers watch FILE [every DURATION] [rules FILE] [for N|once]`: rounds until Ctrl-C (or N
    /// rounds), each printed as it ends; the result is the summary.
    func watch(_ args: [String], usage spec: String?) throws -> CommandResult {
        guard let file = args.first else { throw ShellError("`triggers watch` needs the trace file to follow", usage: spec) }
        var interval = 30.0, rulesPath: String?, rounds: Int?
        var i = 1
        while i < args.count {
            let option = args[i].lowercased()
            if option == "once" {
                rounds = 1
                i += 1
                continue
            }
            guard ["every", "rules", "for"].contains(option) else {
                let hint = Suggest.closest(to: option, in: ["every", "rules", "for", "once"]).map { " (did you mean `\($0)`?)" } ?? ""
                throw ShellError("unexpected `\(args[i])`\(hint)", usage: spec)
            }
            guard i + 1 < args.count else { throw ShellError("`\(option)` needs a value", usage: spec) }
            let value = args[i + 1]
            switch option {
            case "every":
                guard let ns = ChangeReport.duration(value) else { throw ShellError("`every` expects a duration such as 500ms, 30s or 5m", usage: spec) }
                interval = Double(ns) / 1e9
            case "rules":
                rulesPath = value
            default:
                guard let n = Int(value), n >= 1 else { throw ShellError("`for` expects a number of rounds, such as 3", usage: spec) }
                rounds = n
            }
            i += 2
        }
        guard FileManager.default.fileExists(atPath: file) else { throw ShellError("no trace file `\(file)`") }
        let config = try triggerConfig(rulesPath)
        var watch = try TriggerWatch(file: file, config: config, loader: Loader(database: database, config: self.config),
                                     options: LoadOptions(progress: progress))
        _ = Interrupt.take()
        while true {
            let round: TriggerWatch.Round
            do {
                round = try watch.round(database: database, queries: queries)
            } catch let error as StoreError where error.kind == .interrupted {
                // Ctrl-C during a round: its load rolled back whole; the rounds before stand.
                watch.interrupted()
                break
            }
            partial?(.document(round), "triggers")
            if let rounds, watch.summary.rounds >= rounds { break }
            if Self.sleep(interval) {
                watch.interrupted()
                break
            }
        }
        return .document(watch.summary)
    }

    /// Sleeps `seconds` in tenths, watching for Ctrl-C; true when it came.
    static func sleep(_ seconds: Double) -> Bool {
        let until = Date().addingTimeInterval(seconds)
        while Date() < until {
            if Interrupt.take() > 0 { return true }
            Thread.sleep(forTimeInterval: min(0.1, max(0, until.timeIntervalSinceNow)))
        }
        return Interrupt.take() > 0
    }

    /// A time as the query language writes it: `2026-11-05`, `2026-11-05T12:00:00Z`.
    static func time(_ text: String, usage spec: String?) throws -> Int64 {
        guard let ns = Timestamp.parse(text) else {
            throw ShellError("`\(text)` is not a time; write it as 2026-11-05 or 2026-11-05T12:00:00Z", usage: spec)
        }
        return ns
    }

    /// The rules: the file named, else ./triggers.yaml.
    func triggerConfig(_ path: String?) throws -> TriggerConfig {
        let known = Signal.all + scoreSignals
        let file = path ?? TriggerConfig.defaultPath
        guard FileManager.default.fileExists(atPath: file) else {
            throw ShellError(path == nil ? "no triggers.yaml in the current folder; name a rules file (docs/release-gates.md, Rollback triggers)"
                                         : "no triggers file `\(file)`")
        }
        return try TriggerConfig.load(path: file, signals: known)
    }
}
