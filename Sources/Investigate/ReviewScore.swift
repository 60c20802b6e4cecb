import Foundation
import Store

/// `score TRACE_ID CRITERION=VALUE … [note "…"] [as REVIEWER]`: a reviewer's rubric scores of
/// one trace (docs/review.md).
///
/// Every value is checked against relops.yaml's rubric before anything is written, and the
/// scores are written in one transaction: a command with one bad value writes nothing. A
/// re-score adds rows; the latest counts (`score.NAME` signals, docs/review.md).
public struct ReviewScore: Sendable {
    public var traceId: String
    public var reviewer: String
    public var scoredAt: String
    public var note: String?
    public var scores: [Database.GivenScore]

    /// One `CRITERION=VALUE` as typed.
    public struct Assignment: Sendable, Equatable {
        public var criterion: String
        public var value: String

        public init(criterion: String, value: String) {
            self.criterion = criterion
            self.value = value
        }
    }

    /// Checks the assignments against the rubric: every problem at once, so a reviewer fixes
    /// the line in one go.
    public static func check(_ assignments: [Assignment], rubric: Rubric) throws -> [Database.GivenScore] {
        guard !rubric.criteria.isEmpty else {
            throw InvestigateError("relops.yaml has no `rubric`: define the criteria to score first, e.g. `rubric: {helpfulness: {scale: [1, 5]}}`")
        }
        guard !assignments.isEmpty else { throw InvestigateError("give at least one CRITERION=VALUE") }
        var problems: [String] = []
        var scores: [Database.GivenScore] = []
        var seen = Set<String>()
        for assignment in assignments {
            guard let criterion = rubric.criterion(assignment.criterion) else {
                let names = rubric.criteria.map(\.name)
                let hint = Suggest.closest(to: assignment.criterion, in: names).map { "; did you mean `\($0)`?" } ?? ""
                problems.append("unknown criterion `\(assignment.criterion)`\(hint) (the rubric has \(names.joined(separator: ", ")))")
                continue
            }
            guard seen.insert(criterion.name).inserted else {
                problems.append("`\(criterion.name)` is given twice")
                continue
            }
            switch criterion.read(assignment.value) {
            case .success(let score): scores.append(Database.GivenScore(criterion: criterion.name, score: score))
            case .failure(let problem): problems.append(problem.message)
            }
        }
        guard problems.isEmpty else { throw InvestigateError(problems.joined(separator: "; ") + "; nothing was recorded") }
        return scores
    }

    /// Checks and records the scores of `traceId` (a whole id) by `reviewer`.
    public static func record(database: Database, rubric: Rubric, traceId: String, _ assignments: [Assignment], reviewer: String,
                              note: String?, now: Date = Date()) throws -> ReviewScore {
        let scores = try check(assignments, rubric: rubric)
        let reviewer = reviewer.trimmingCharacters(in: .whitespaces)
        guard !reviewer.isEmpty else { throw InvestigateError("the reviewer's name is empty") }
        let scoredAt = Timestamp.iso8601(nanoseconds: Int64((now.timeIntervalSince1970 * 1e9).rounded()))
        try database.recordScores(traceId: traceId, scores, reviewer: reviewer, scoredAt: scoredAt, note: note)
        return ReviewScore(traceId: traceId, reviewer: reviewer, scoredAt: scoredAt, note: note, scores: scores)
    }
}
