import Analysis
import Foundation
import Query
import Store

/// `sample N [where EXPR] [by DIM] [rotation D] [seed S]`: a stratified, rotating review set
/// for the weekly human review (docs/review.md).
///
/// One scan reads the rowid (and the stratum's value) of every trace that passes the
/// condition; traces drawn within the rotation and replays are left out; `Sampling` allocates
/// the draws over the strata and picks them with Floyd's algorithm from a seeded generator, so
/// the same store, options and seed draw the same traces. The sample is recorded in
/// `review_samples` before it is returned.
public struct ReviewSample: Sendable {
    public var sampleId: String
    /// When it was drawn (RFC 3339, UTC).
    public var drawnAt: String
    public var seed: Int64
    public var rotationDays: Int
    public var asked: Int
    /// The `where` text, if any.
    public var condition: String?
    /// The stratifying dimension, if any.
    public var dimension: String?
    /// Traces that pass the condition, before the rotation.
    public var matching: Int
    /// Of those, drawn in a sample within the rotation (left out).
    public var rotatedOut: Int
    public var strata: [Stratum]
    public var traces: [Drawn]

    public struct Stratum: Sendable, Equatable {
        /// The dimension's value; nil: traces without one (or no `by`).
        public var value: String?
        /// Traces it could draw from.
        public var available: Int
        public var drawn: Int
    }

    public struct Drawn: Sendable, Equatable {
        public var traceId: String
        public var stratum: String?
        public var ts: String
        public var intent: String?
        public var input: String?
    }

    /// What `sample` was asked.
    public struct Request: Sendable {
        public var count: Int
        public var condition: QuerySource?
        public var dimension: String?
        public var rotationDays: Int
        /// Nil: the day's seed (`defaultSeed`).
        public var seed: Int64?
        public var now: Date

        public init(count: Int, condition: QuerySource? = nil, dimension: String? = nil, rotationDays: Int = 28, seed: Int64? = nil,
                    now: Date = Date()) {
            self.count = count
            self.condition = condition
            self.dimension = dimension
            self.rotationDays = rotationDays
            self.seed = seed
            self.now = now
        }
    }

    /// The seed when none is given: the UTC day as a number (20261123), so a draw repeated the
    /// same day on the same store draws the same traces, and next week's differs.
    public static func defaultSeed(_ now: Date) -> Int64 {
        Int64(day(now)) ?? 0
    }

    /// `YYYYMMDD` of `now` in UTC.
    static func day(_ now: Date) -> String {
        String(Timestamp.iso8601(nanoseconds: nanoseconds(now)).prefix(10).filter { $0 != "-" })
    }

    static func nanoseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1e9).rounded())
    }

    public static func draw(database: Database, queries: QueryEngine, request: Request) throws -> ReviewSample {
        guard request.count > 0 else { throw InvestigateError("a sample needs at least one trace") }
        guard request.rotationDays >= 0 else { throw InvestigateError("the rotation cannot be negative") }
        let column = try request.dimension.map { try queries.dimensionColumn($0) }
        let condition = try request.condition.map { try queries.condition($0) } ?? .all
        let drawnAt = Timestamp.iso8601(nanoseconds: nanoseconds(request.now))
        let rotated = try rotatedRowids(database: database, request: request)
        let candidates = try Candidates.read(database: database, condition: condition, stratum: column, rotated: rotated)
        guard candidates.available > 0 else {
            throw InvestigateError(candidates.matching == 0
                ? "no trace matches" + (request.condition.map { " `\($0.text.trimmingCharacters(in: .whitespaces))`" } ?? "")
                : "all \(candidates.matching) matching traces were drawn within the rotation (\(request.rotationDays) days); try `rotation 0` or a wider `where`")
        }
        let seed = request.seed ?? defaultSeed(request.now)
        let (allocation, picks) = candidates.pick(request.count, seed: seed)
        let drawn = try details(of: picks, database: database)
        let sampleId = try database.nextSampleID(day: day(request.now))
        try database.recordSample(id: sampleId, drawnAt: drawnAt, seed: seed, rotationDays: request.rotationDays,
                                  traces: drawn.map { Database.DrawnTrace(traceId: $0.traceId, stratum: $0.stratum) })
        return ReviewSample(sampleId: sampleId, drawnAt: drawnAt, seed: seed, rotationDays: request.rotationDays, asked: request.count,
                            condition: request.condition?.text.trimmingCharacters(in: .whitespaces), dimension: request.dimension,
                            matching: candidates.matching, rotatedOut: candidates.rotatedOut,
                            strata: zip(candidates.strata, allocation).map { Stratum(value: $0.value, available: $0.rowids.count, drawn: $1) },
                            traces: drawn)
    }

    /// The rowids of the traces drawn within the rotation before `now` (none for `rotation 0`).
    static func rotatedRowids(database: Database, request: Request) throws -> Set<Int64> {
        guard request.rotationDays > 0 else { return [] }
        let (rotationNs, _) = Int64(request.rotationDays).multipliedReportingOverflow(by: 86_400_000_000_000)
        return try database.rowidsDrawn(since: Timestamp.iso8601(nanoseconds: nanoseconds(request.now) &- rotationNs))
    }

    /// The listed facts of each drawn trace, in the order drawn (strata by value).
    static func details(of picks: [(rowid: Int64, stratum: String?)], database: Database) throws -> [Drawn] {
        var drawn: [Drawn] = []
        let statement = try database.prepare(ReviewScan.details)
        for pick in picks {
            statement.reset()
            try statement.bind([.integer(pick.rowid)])
            guard try statement.step(), let id = statement.text(at: 0) else { continue }
            drawn.append(Drawn(traceId: id, stratum: pick.stratum, ts: statement.text(at: 1) ?? "", intent: statement.text(at: 2),
                               input: statement.text(at: 3)))
        }
        return drawn
    }

    /// The traces a sample may draw, by stratum, in a fixed order (strata by value, rowids
    /// ascending) so that a seed always draws the same ones.
    struct Candidates {
        var strata: [(value: String?, rowids: [Int64])]
        var matching = 0
        var rotatedOut = 0
        var available: Int { strata.reduce(0) { $0 + $1.rowids.count } }

        static func read(database: Database, condition: Condition, stratum: String?, rotated: Set<Int64>) throws -> Candidates {
            let replays = try database.replayRowids()
            let scan = ReviewScan.candidates(condition, stratum: stratum)
            let statement = try database.prepare(scan.sql)
            try statement.bind(scan.parameters)
            var groups: [String?: [Int64]] = [:]
            var found = Candidates(strata: [])
            while try statement.step() {
                guard let rowid = statement.int64(at: 0), !replays.contains(rowid) else { continue }
                found.matching += 1
                if rotated.contains(rowid) {
                    found.rotatedOut += 1
                    continue
                }
                groups[statement.text(at: 1), default: []].append(rowid)
            }
            found.strata = groups.map { ($0.key, $0.value.sorted()) }.sorted { a, b in
                switch (a.value, b.value) {
                case (nil, _): return b.value != nil
                case (_, nil): return false
                case let (x?, y?): return x.utf8.lexicographicallyPrecedes(y.utf8)
                }
            }
            return found
        }

        /// `n` traces allocated over the strata (`Sampling.allocate`) and drawn uniformly in
        /// each, with a generator per stratum seeded from `seed` and the stratum's place.
        func pick(_ n: Int, seed: Int64) -> (allocation: [Int], picks: [(rowid: Int64, stratum: String?)]) {
            let allocation = Sampling.allocate(n, sizes: strata.map(\.rowids.count))
            var picks: [(rowid: Int64, stratum: String?)] = []
            for (i, stratum) in strata.enumerated() {
                let stratumSeed = UInt64(bitPattern: seed) &+ UInt64(i) &* 0x9E37_79B9_7F4A_7C15
                for position in Sampling.positions(allocation[i], of: stratum.rowids.count, seed: stratumSeed) {
                    picks.append((stratum.rowids[position], stratum.value))
                }
            }
            return (allocation, picks)
        }
    }
}
