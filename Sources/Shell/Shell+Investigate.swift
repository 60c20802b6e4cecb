import Foundation
import Investigate
import Query
import Store

extension Shell {
    /// `changes SIGNAL [every DURATION] [by DIM] [penalty X] [where EXPR]`.
    func changes(_ args: [String], line: String, location: String?) throws -> CommandResult {
        let spec = CommandTable.find("changes")?.usage
        let (words, rest) = try Words.split(line, until: "where")
        guard words.count >= 2 else { throw ShellError("wrong arguments for `changes`", usage: spec) }
        let signal = try signalNamed(words[1], usage: spec)
        var every: Int64 = 3_600_000_000_000
        var dimension: String?
        var penalty: Double?
        var i = 2
        while i < words.count {
            guard i + 1 < words.count else { throw ShellError("`\(words[i])` needs a value", usage: spec) }
            let value = words[i + 1]
            switch words[i].lowercased() {
            case "every":
                guard let ns = ChangeReport.duration(value) else {
                    throw ShellError("`every` takes a duration such as 30m, 1h or 1d, not `\(value)`", usage: spec)
                }
                every = ns
            case "by": dimension = value
            case "penalty":
                guard let x = Double(value), x >= 0, x.isFinite else { throw ShellError("`penalty` takes a number ≥ 0", usage: spec) }
                penalty = x
            default:
                throw ShellError("unexpected `\(words[i])`", usage: spec)
            }
            i += 2
        }
        if let rest, rest.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ShellError("`where` needs an expression", usage: spec)
        }
        return .document(try ChangeReport.compute(database: database, queries: queries, signal: signal, every: every,
                                                  condition: rest.map { QuerySource(location: location, text: $0) },
                                                  by: dimension, penalty: penalty))
    }

    /// A built-in signal, or a score signal of relops.yaml's rubric (`score.NAME`).
    func signalNamed(_ name: String, usage: String?) throws -> Signal {
        let known = Signal.all + scoreSignals
        guard let signal = known.first(where: { $0.name == name }) else {
            let names = known.map(\.name)
            let hint = Suggest.closest(to: name, in: names).map { "; did you mean `\($0)`?" } ?? ""
            let rubric = hint.isEmpty && name.hasPrefix(Signal.scorePrefix) && config.rubric.criterion(String(name.dropFirst(Signal.scorePrefix.count))) == nil
                ? "; score signals come from the criteria of relops.yaml's `rubric`" : ""
            throw ShellError("unknown signal `\(name)`\(hint)\(rubric) (signals: \(names.joined(separator: ", ")))", usage: usage)
        }
        return signal
    }

    /// `drift` with no signal named: the built-in signals, and the score signals of the
    /// criteria that have scores (none on a store without a review, which so pays nothing).
    func defaultDriftSignals() throws -> [Signal] {
        let scored = config.rubric.criteria.isEmpty ? [] : try database.scoredCriteria()
        return Signal.all + scoreSignals.filter { scored.contains(String($0.name.dropFirst(Signal.scorePrefix.count))) }
    }

    /// `drift [SIGNAL, …] between SLICE and SLICE [by DIM]`, with relops.yaml's drift thresholds.
    func drift(_ args: [String], line: String, location: String?) throws -> CommandResult {
        let spec = CommandTable.find("drift")?.usage
        let (words, rest) = try Words.split(line, until: "between")
        guard let rest, !rest.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ShellError("wrong arguments for `drift`", usage: spec)
        }
        let names = words.dropFirst().joined(separator: " ").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        let signals = try names.isEmpty ? defaultDriftSignals() : names.map { try signalNamed($0, usage: spec) }
        let (text, dimension) = try SlicePair.dimension(QuerySource(location: location, text: rest))
        let slices = try SlicePairSpec.read(text, database: database)
        let thresholds = config.driftThresholds
        if let dimension {
            return .document(try DriftBreakdown.compute(database: database, queries: queries, signals: signals, slices: slices,
                                                        by: dimension, thresholds: thresholds))
        }
        return .document(try DriftReport.compute(database: database, queries: queries, signals: signals, slices: slices,
                                                 thresholds: thresholds))
    }

    /// `explain SIGNAL between SLICE and SLICE [with DIM, …]`.
    func explain(_ args: [String], line: String, location: String?) throws -> CommandResult {
        let spec = CommandTable.find("explain")?.usage
        let (words, rest) = try Words.split(line, until: "between")
        guard words.count == 2, let rest, !rest.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ShellError("wrong arguments for `explain`", usage: spec)
        }
        let signal = try signalNamed(words[1], usage: spec)
        let (text, asked) = try SlicePair.dimensions(QuerySource(location: location, text: rest), after: "with")
        let extra = try Explanation.extraDimensions(asked, queries: queries)
        let slices = try SlicePairSpec.read(text, database: database)
        return .document(try Explanation.compute(database: database, queries: queries, signal: signal, slices: slices, extra: extra,
                                                 thresholds: config.explainThresholds))
    }
}
