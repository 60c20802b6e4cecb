import Foundation
import Query
import Store

/// `cases check FILE [against SLICE]`: each case of a relops case file evaluated on the newest
/// stored trace with the same input (`input_hash`) in the slice. A case passes when every
/// expectation holds, fails when one does not, is `unknown` when none fails but the trace
/// lacks a fact one needs (no output, no cost …), and is `missing` when the slice holds no
/// trace of its input.
public struct CaseCheck: Sendable {
    public var path: String
    /// The slice's `where` expression as typed; nil: every trace.
    public var slice: String?
    public var results: [Result]

    public struct Result: Sendable {
        public enum Status: String, Sendable { case pass, fail, unknown, missing }
        public var regressionCase: RegressionCase
        public var status: Status
        /// The trace checked, and when it started.
        public var traceId: String?
        public var ts: String?
        public var outcomes: [Expectation.Outcome]

        /// The expectations that did not hold, or could not be checked.
        public var problems: [Expectation.Outcome] { outcomes.filter { $0.status != .pass } }
    }

    public init(path: String, slice: String?, results: [Result]) {
        self.path = path
        self.slice = slice
        self.results = results
    }

    public func count(_ status: Result.Status) -> Int { results.filter { $0.status == status }.count }

    /// Whether a case failed: `cases check` then exits with status 1.
    public var failed: Bool { results.contains { $0.status == .fail } }

    /// Checks every case of `file` on the store; `condition` is the compiled slice.
    public static func run(_ file: CaseFile, path: String, database: Database, condition: Condition, slice: String?) throws -> CaseCheck {
        let results = try file.cases.map { try check($0, database: database, condition: condition) }
        return CaseCheck(path: path, slice: slice, results: results)
    }

    static func check(_ c: RegressionCase, database: Database, condition: Condition) throws -> Result {
        let query = NewestTraceOfInput.compile(inputHash: c.input.hash, condition: condition)
        let rows = try database.query(query.sql, query.parameters)
        guard let row = rows.rows.first, let id = row[0].stringValue else {
            return Result(regressionCase: c, status: .missing, traceId: nil, ts: nil, outcomes: [])
        }
        let answer = try Pin.make(database: database, idPrefix: id, expectations: c.expectations, note: nil)
        let outcomes = answer.checks
        let status: Result.Status = outcomes.contains { $0.status == .fail } ? .fail
            : outcomes.contains { $0.status == .unknown } ? .unknown : .pass
        return Result(regressionCase: c, status: status, traceId: id, ts: row[1].stringValue, outcomes: outcomes)
    }
}
