/// The weekly human review in the store (docs/review.md): the traces `sample` drew
/// (`review_samples`) and the scores reviewers gave (`scores`).
///
/// Neither write touches `traces`, so the `dimension_values` catalog stays current.
extension Database {
    /// One drawn trace of a sample.
    public struct DrawnTrace: Sendable, Equatable {
        public var traceId: String
        /// The value of the stratifying dimension; nil without `by` or when the trace has none.
        public var stratum: String?

        public init(traceId: String, stratum: String?) {
            self.traceId = traceId
            self.stratum = stratum
        }
    }

    /// One criterion's score in a `score` command.
    public struct GivenScore: Sendable, Equatable {
        public var criterion: String
        public var score: Rubric.Score

        public init(criterion: String, score: Rubric.Score) {
            self.criterion = criterion
            self.score = score
        }
    }

    /// The rowids of the traces drawn at `drawnAt` or later (RFC 3339 text, as `drawn_at` holds
    /// it): the rotation a new sample leaves out. Few rows, found through the `drawn_at` index.
    public func rowidsDrawn(since drawnAt: String) throws(StoreError) -> Set<Int64> {
        let rows = try query("""
            SELECT t.rowid FROM review_samples AS r JOIN traces AS t ON t.trace_id = r.trace_id
            WHERE r.drawn_at >= ?
            """, [.text(drawnAt)])
        return Set(rows.rows.compactMap { $0[0].int64Value })
    }

    /// The rowids of replayed traces (`replay_of` set), from the partial index
    /// `traces_replay_of`: a review samples production traffic.
    public func replayRowids() throws(StoreError) -> Set<Int64> {
        Set(try query("SELECT rowid FROM traces WHERE replay_of IS NOT NULL").rows.compactMap { $0[0].int64Value })
    }

    /// A new sample id for `day` (`YYYYMMDD`): the day and its sequence, `20261123-2` for the
    /// day's second sample.
    public func nextSampleID(day: String) throws(StoreError) -> String {
        let prefix = day + "-"
        let ids = try query("SELECT DISTINCT sample_id FROM review_samples WHERE sample_id >= ? AND sample_id < ?",
                            [.text(prefix), .text(day + ".")])
        let used = ids.rows.compactMap { $0[0].stringValue.flatMap { Int($0.dropFirst(prefix.count)) } }
        return prefix + String((used.max() ?? 0) + 1)
    }

    /// Records a drawn sample in one transaction.
    public func recordSample(id: String, drawnAt: String, seed: Int64, rotationDays: Int, traces: [DrawnTrace]) throws {
        try transaction {
            let insert = try prepare("""
                INSERT INTO review_samples (sample_id, trace_id, drawn_at, stratum, seed, rotation_days) VALUES (?, ?, ?, ?, ?, ?)
                """)
            for trace in traces {
                try insert.bind([.text(id), .text(trace.traceId), .text(drawnAt), trace.stratum.map(SQLValue.text) ?? .null,
                                 .integer(seed), .integer(Int64(rotationDays))])
                try insert.run()
            }
        }
    }

    /// Records a reviewer's scores of one trace in one transaction: all of them or none.
    public func recordScores(traceId: String, _ scores: [GivenScore], reviewer: String, scoredAt: String, note: String?) throws {
        try transaction {
            let insert = try prepare("""
                INSERT INTO scores (trace_id, criterion, value, label, reviewer, scored_at, note) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for given in scores {
                let (value, label): (SQLValue, SQLValue)
                switch given.score {
                case .number(let x): (value, label) = (.real(x), .null)
                case .label(let s): (value, label) = (.null, .text(s))
                }
                try insert.bind([.text(traceId), .text(given.criterion), value, label, .text(reviewer), .text(scoredAt),
                                 note.map(SQLValue.text) ?? .null])
                try insert.run()
            }
        }
    }

    /// The criteria with at least one score: `drift` with no signal named adds the score
    /// signals of these only, so that a store without a review pays nothing for them.
    public func scoredCriteria() throws(StoreError) -> Set<String> {
        Set(try query("SELECT DISTINCT criterion FROM scores").rows.compactMap { $0[0].stringValue })
    }
}
