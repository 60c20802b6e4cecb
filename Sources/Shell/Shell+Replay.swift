import Foundation
import Ingest
import Query
import Replay
import Store

extension Shell {
    /// `replay TRACE_ID [across DIM]`, `replay TRACE_ID using RUNNER [set DIM=VALUE …]`,
    /// `replay where EXPR using RUNNER [set DIM=VALUE …] [limit N]`.
    func replay(_ args: [String], line: String, location: String?) throws -> CommandResult {
        let spec = CommandTable.find("replay")?.usage
        guard args.count >= 1 else { throw usage("replay") }
        // `replay where EXPR using …`: the expression runs up to `using`.
        if args[0].lowercased() == "where" {
            let (_, afterWhere) = try Words.split(line, until: "where")
            guard let afterWhere else { throw usage("replay") }
            let (_, afterUsing) = try Words.split(afterWhere, until: "using")
            guard let afterUsing, let usingAt = Words.keyword("using", in: afterWhere) else {
                throw ShellError("`replay where …` needs `using RUNNER` after the expression", usage: spec)
            }
            let expression = String(afterWhere[..<usingAt]).trimmingCharacters(in: .whitespaces)
            guard !expression.isEmpty else { throw ShellError("`where` needs an expression", usage: spec) }
            let (runnerName, settings, limit) = try runOptions(try Words.split(afterUsing), allowLimit: true)
            try ReplayTargets.validate(settings)
            let runner = try RunnerFactory.make(named: runnerName, in: config)
            let targets = try ReplayTargets.select(database: database, queries: queries,
                                                   condition: QuerySource(location: location, text: expression),
                                                   limit: limit ?? 100, settings: settings,
                                                   runnerModel: config.runners[runnerName]?.model)
            guard !targets.isEmpty else { return .message("no trace matches: nothing replayed") }
            return .document(try runReplay(targets, runner: runner, settings: settings, line: line))
        }

        let traceId = try TraceTree.resolve(database: database, idPrefix: args[0])
        let rest = Array(args.dropFirst())
        if rest.isEmpty || rest[0].lowercased() == "across" {
            guard rest.count == 0 || rest.count == 2 else { throw usage("replay") }
            return .document(try ReplayAcross.compute(database: database, traceId: traceId, across: rest.count == 2 ? rest[1] : nil))
        }
        guard rest[0].lowercased() == "using" else {
            throw ShellError("unexpected `\(rest[0])`: expected `across DIMENSION` or `using RUNNER`", usage: spec)
        }
        let (runnerName, settings, _) = try runOptions(Array(rest.dropFirst()), allowLimit: false)
        try ReplayTargets.validate(settings)
        let runner = try RunnerFactory.make(named: runnerName, in: config)
        let target = try ReplayTargets.target(database: database, traceId: traceId, settings: settings,
                                              runnerModel: config.runners[runnerName]?.model)
        return .document(try runReplay([target], runner: runner, settings: settings, line: line))
    }

    /// `RUNNER [set DIM=VALUE …] [limit N]` after `using`.
    private func runOptions(_ words: [String], allowLimit: Bool) throws -> (runner: String, settings: [String: String], limit: Int?) {
        let spec = CommandTable.find("replay")?.usage
        guard let runner = words.first else { throw ShellError("`using` needs a runner's name (relops.yaml `runners`)", usage: spec) }
        var settings: [String: String] = [:]
        var limit: Int?
        var i = 1
        var inSet = false
        while i < words.count {
            let word = words[i]
            switch word.lowercased() {
            case "set":
                inSet = true
            case "limit" where allowLimit:
                guard i + 1 < words.count, let n = Int(words[i + 1]), n > 0 else {
                    throw ShellError("`limit` needs a positive whole number", usage: spec)
                }
                limit = n
                inSet = false
                i += 1
            default:
                guard inSet, let eq = word.firstIndex(of: "="), eq != word.startIndex else {
                    throw ShellError("unexpected `\(word)`", usage: spec)
                }
                settings[String(word[..<eq])] = String(word[word.index(after: eq)...])
            }
            i += 1
        }
        return (runner, settings, limit)
    }

    /// Runs replay targets, with a progress line on a terminal; Ctrl-C stops starting new calls.
    func runReplay(_ targets: [ReplayTarget], runner: any Runner, settings: [String: String], line: String) throws -> ReplayRunReport {
        let spec = config.runners[runner.name]
        let concurrency = spec?.concurrency ?? RunnerSpec.defaultConcurrency
        // Store the request as the runner sends it (its parameters and prompt applied).
        var targets = targets
        if let spec { for i in targets.indices { targets[i].request = targets[i].request.applying(spec) } }
        let run = ReplayRun(database: database, config: config, runner: runner, concurrency: concurrency)
        let showProgress = targets.count > 1 && isatty(2) == 1
        _ = Interrupt.take()
        let report = try run.run(targets, command: line.trimmingCharacters(in: .whitespaces), settings: settings, progress: { done, total, failed in
            guard showProgress else { return }
            FileHandle.standardError.write(Data("\r\u{1B}[Kreplay \(run.runId): \(done)/\(total) done, \(failed) failed".utf8))
        }, shouldStop: { Interrupt.take() > 0 })
        if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        return report
    }

    /// `diff DIM A B [examples N] [where EXPR]`.
    func diff(_ args: [String], line: String, location: String?) throws -> CommandResult {
        let (words, expression) = try Words.split(line, until: "where")
        var rest = Array(words.dropFirst())
        guard rest.count >= 3 else { throw usage("diff") }
        let (dimension, a, b) = (rest[0], rest[1], rest[2])
        rest.removeFirst(3)
        var examples = 3
        while !rest.isEmpty {
            guard rest.count >= 2, rest[0].lowercased() == "examples", let n = Int(rest[1]), n >= 0 else {
                throw ShellError("unexpected `\(rest[0])`", usage: CommandTable.find("diff")?.usage)
            }
            examples = n
            rest.removeFirst(2)
        }
        if let expression, expression.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ShellError("`where` needs an expression", usage: CommandTable.find("diff")?.usage)
        }
        let condition = expression.map { QuerySource(location: location, text: $0) }
        let result = try VersionDiff.compute(database: database, queries: queries, dimension: dimension, a: a, b: b,
                                             condition: condition, examples: examples)
        return .document(result)
    }
}

extension Words {
    /// Where the keyword starts in `text`: a whole word, outside quotes.
    static func keyword(_ keyword: String, in text: String) -> String.Index? {
        var quote: Character?
        var previous: Character = " "
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if previous.isWhitespace, text[index...].lowercased().hasPrefix(keyword) {
                let end = text.index(index, offsetBy: keyword.count)
                if end == text.endIndex || text[end].isWhitespace { return index }
            }
            previous = c
            index = text.index(after: index)
        }
        return nil
    }

    /// Splits a command line into words up to the keyword `until` (a whole word, outside
    /// quotes); the text after it is returned as it was typed (a query-language expression).
    static func split(_ line: String, until keyword: String) throws -> (words: [String], rest: String?) {
        guard let at = Self.keyword(keyword, in: line) else { return (try split(line), nil) }
        let end = line.index(at, offsetBy: keyword.count)
        let restStart = end == line.endIndex ? end : line.index(after: end)
        return (try split(String(line[..<at])), String(line[restStart...]))
    }
}
