import Foundation
import Investigate
import Query
import Replay
import Store

extension Shell {
    /// The options of `sample`, before or after its `where` expression.
    static let sampleOptions = ["by", "rotation", "seed"]

    /// `sample N [where EXPR] [by DIM] [rotation D] [seed S]`.
    func sample(line: String, location: String?) throws -> CommandResult {
        let spec = CommandTable.find("sample")?.usage
        let (words, rest) = try Words.split(line, until: "where")
        guard words.count >= 2 else { throw ShellError("wrong arguments for `sample`", usage: spec) }
        guard let count = Int(words[1]), count > 0 else {
            throw ShellError("`sample` takes how many traces to draw, a whole number of at least 1, not `\(words[1])`", usage: spec)
        }
        var request = ReviewSample.Request(count: count)
        var options = Array(words.dropFirst(2))
        if let rest {
            let (expression, tail) = try SlicePair.options(after: QuerySource(location: location, text: rest), keywords: Self.sampleOptions)
            guard !expression.text.trimmingCharacters(in: .whitespaces).isEmpty else { throw ShellError("`where` needs an expression", usage: spec) }
            request.condition = expression
            options += try tail.map(Words.split) ?? []
        }
        try Self.readSampleOptions(options, into: &request, usage: spec)
        return .document(try ReviewSample.draw(database: database, queries: queries, request: request))
    }

    /// `by DIM`, `rotation D` and `seed S`, each at most once.
    static func readSampleOptions(_ words: [String], into request: inout ReviewSample.Request, usage spec: String?) throws {
        for (option, values) in try Words.options(words, allowed: sampleOptions, oneValue: true, usage: spec) {
            guard let value = values.first else { throw ShellError("`\(option)` needs a value", usage: spec) }
            switch option {
            case "by": request.dimension = value
            case "rotation":
                guard let days = rotationDays(value) else {
                    throw ShellError("`rotation` takes a number of days such as 28d or 4w (0: no rotation), not `\(value)`", usage: spec)
                }
                request.rotationDays = days
            default:
                guard let seed = Int64(value) else { throw ShellError("`seed` takes a whole number, not `\(value)`", usage: spec) }
                request.seed = seed
            }
        }
    }

    /// `28`, `28d` or `4w` as days; nil for anything else (or more than a century).
    static func rotationDays(_ text: String) -> Int? {
        let lower = text.lowercased()
        let (digits, unit) = lower.hasSuffix("w") ? (lower.dropLast(), 7) : lower.hasSuffix("d") ? (lower.dropLast(), 1) : (Substring(lower), 1)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let n = Int(digits), n >= 0, n <= 36_500 / unit else { return nil }
        return n * unit
    }

    /// `score TRACE_ID CRITERION=VALUE … [note "…"] [as REVIEWER]`.
    func score(_ args: [String]) throws -> CommandResult {
        let spec = CommandTable.find("score")?.usage
        guard let idPrefix = args.first, args.count >= 2 else { throw ShellError("wrong arguments for `score`", usage: spec) }
        var assignments: [ReviewScore.Assignment] = []
        var note: String?, reviewer: String?
        var words = args.dropFirst()
        while let first = words.popFirst() {
            if ["note", "as"].contains(first.lowercased()) {
                guard let value = words.popFirst() else { throw ShellError("`\(first.lowercased())` needs a value", usage: spec) }
                if first.lowercased() == "note" { note = value } else { reviewer = value }
                continue
            }
            // `a = 3`, `a= 3` and `a =3` mean `a=3`: the shell splits words at spaces.
            var word = first
            if !word.contains("="), words.first?.hasPrefix("=") == true, let next = words.popFirst() { word += next }
            if word.hasSuffix("="), word.filter({ $0 == "=" }).count == 1, let next = words.popFirst() { word += next }
            guard let eq = word.firstIndex(of: "=") else {
                throw ShellError("expected CRITERION=VALUE, `note \"…\"` or `as REVIEWER`, found `\(word)`", usage: spec)
            }
            let criterion = String(word[..<eq]), value = String(word[word.index(after: eq)...])
            guard !criterion.isEmpty, !value.isEmpty else { throw ShellError("expected CRITERION=VALUE, found `\(word)`", usage: spec) }
            assignments.append(ReviewScore.Assignment(criterion: criterion, value: value))
        }
        // The values first: a reviewer fixes the line before being asked who they are.
        _ = try ReviewScore.check(assignments, rubric: config.rubric)
        guard let who = reviewer ?? [environment["RELOPS_REVIEWER"], environment["USER"]].compactMap({ $0 }).first(where: { !$0.isEmpty }) else {
            throw ShellError("who is scoring? add `as NAME`, or set RELOPS_REVIEWER", usage: spec)
        }
        let traceId = try TraceTree.resolve(database: database, idPrefix: idPrefix)
        let recorded = try ReviewScore.record(database: database, rubric: config.rubric, traceId: traceId, assignments,
                                              reviewer: who, note: note)
        return .table(Rows(columns: ["trace_id", "criterion", "value", "label", "reviewer", "scored_at", "note"], rows: recorded.scores.map { given in
            let (value, label): (SQLValue, SQLValue)
            switch given.score {
            case .number(let x): (value, label) = (.integer(Int64(x)), .null)
            case .label(let s): (value, label) = (.null, .text(s))
            }
            return [.text(recorded.traceId), .text(given.criterion), value, label, .text(recorded.reviewer), .text(recorded.scoredAt),
                    recorded.note.map(SQLValue.text) ?? .null]
        }))
    }

    /// The score signals of relops.yaml's rubric (`score.NAME`).
    var scoreSignals: [Signal] { Signal.scores(of: config.rubric) }
}
