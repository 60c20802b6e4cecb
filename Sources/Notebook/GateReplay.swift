import Foundation
import Query
import Replay
import Store

/// `gate … using RUNNER`: the must-pass cases whose input has no answer in the candidate yet get
/// one from a runner before the gate checks them (docs/release-gates.md). Each such input is
/// re-run from its newest stored trace (the baseline's when there is one) under the
/// candidate's versions, and the replay is stored like any other (`replay … using`), so the
/// case check that follows finds it in the candidate.
public enum GateReplay {
    /// The replays to run, and the cases that cannot be replayed (no stored trace of their input).
    public struct Plan: Sendable {
        public var targets: [ReplayTarget]
        public var settings: [String: String]
        /// Ids of cases without any stored trace of their input.
        public var unreplayable: [String]
    }

    /// The version values a candidate slice names: each `DIMENSION == "value"` of a dimension a
    /// replay can set (`prompt_version == "v2" and model == "gpt-4.1"`). A slice that names none
    /// (a time window, a cohort alone) says nothing a runner could run under, so it is an error.
    public static func candidateVersions(_ slice: String) throws -> [String: String] {
        var found: [String: String] = [:]
        let pattern = #"([A-Za-z_][A-Za-z0-9_]*)\s*==\s*"((?:[^"\\]|\\.)*)""#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [:] }
        let text = slice as NSString
        for match in regex.matches(in: slice, range: NSRange(location: 0, length: text.length)) {
            let name = text.substring(with: match.range(at: 1))
            guard ReplayTargets.settable.contains(name) else { continue }
            found[name] = text.substring(with: match.range(at: 2)).replacingOccurrences(of: "\\\"", with: "\"")
                .replacingOccurrences(of: "\\\\", with: "\\")
        }
        guard !found.isEmpty else {
            throw NotebookError("`using` replays the cases under the candidate's versions, but `\(slice)` names none; "
                + "name the candidate by a version, such as v2 or prompt_version == \"v2\"")
        }
        return found
    }

    /// The inputs of `files`' cases that have no trace in the candidate, once each, as replay
    /// targets under the candidate's versions. `runnerModel` is the runner's `model`, if set.
    public static func plan(database: Database, queries: QueryEngine, candidate: QuerySource, baseline: QuerySource,
                            caseFiles: [(path: String, file: CaseFile)], runnerModel: String?) throws -> Plan {
        let settings = try candidateVersions(candidate.text)
        let conditions = try queries.conditions([candidate, baseline])
        var seen = Set<String>()
        var plan = Plan(targets: [], settings: settings, unreplayable: [])
        for (_, file) in caseFiles {
            for c in file.cases where seen.insert(c.input.hash).inserted {
                guard try newest(c.input.hash, in: conditions[0], database: database) == nil else { continue }
                guard let source = try newest(c.input.hash, in: conditions[1], database: database)
                        ?? newest(c.input.hash, in: .all, database: database) else {
                    plan.unreplayable.append(c.id)
                    continue
                }
                plan.targets.append(try ReplayTargets.target(database: database, traceId: source, settings: settings, runnerModel: runnerModel))
            }
        }
        return plan
    }

    /// The newest trace of an input in a slice.
    static func newest(_ inputHash: String, in condition: Condition, database: Database) throws -> String? {
        let query = NewestTraceOfInput.compile(inputHash: inputHash, condition: condition)
        return try database.query(query.sql, query.parameters).rows.first?[0].stringValue
    }
}
