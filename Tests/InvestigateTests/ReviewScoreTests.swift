import Analysis
import Foundation
import Investigate
import Query
import Store
import Testing

/// `score`: values checked against the rubric, all or nothing, history kept; and the scores as
/// `score.NAME` signals of `drift`, checked against plain SQL.
@Suite struct ReviewScoreTests {
    static let rubric = Rubric(criteria: [
        Rubric.Criterion(name: "helpfulness", kind: .scale(min: 1, max: 5)),
        Rubric.Criterion(name: "correct_refusal", kind: .values(["yes", "no"])),
        Rubric.Criterion(name: "topic", kind: .values(["billing", "shipping", "other"])),
    ])

    func ids(_ db: Database, _ version: String, _ n: Int) throws -> [String] {
        try db.query("SELECT trace_id FROM traces WHERE prompt_version = ? ORDER BY trace_id LIMIT ?", [.text(version), .integer(Int64(n))])
            .rows.compactMap { $0[0].stringValue }
    }

    func score(_ db: Database, _ id: String, _ pairs: [(String, String)], by reviewer: String = "dana", at seconds: TimeInterval = 0) throws {
        _ = try ReviewScore.record(database: db, rubric: Self.rubric, traceId: id, pairs.map { ReviewScore.Assignment(criterion: $0.0, value: $0.1) },
                                   reviewer: reviewer, note: nil, now: Date(timeIntervalSince1970: 1_795_392_000 + seconds))
    }

    @Test func validScoresAreRecordedAndBadOnesWriteNothing() throws {
        let (db, _) = try ReviewStore.copy()
        let id = try ids(db, "v1", 1)[0]
        _ = try db.dimensionValues()
        try score(db, id, [("helpfulness", "4"), ("correct_refusal", "Yes")])
        let rows = try db.query("SELECT criterion, value, label, reviewer, scored_at FROM scores ORDER BY criterion").rows
        #expect(rows == [[.text("correct_refusal"), .null, .text("yes"), .text("dana"), .text("2026-11-23T00:00:00.000000Z")],
                         [.text("helpfulness"), .real(4), .null, .text("dana"), .text("2026-11-23T00:00:00.000000Z")]])
        #expect(try db.scalar("SELECT value FROM settings WHERE key = 'dimension_values'") == .text("current"))
        let bad: [([(String, String)], String)] = [
            ([("helpfulness", "6")], "`helpfulness` is scored from 1 to 5; 6 is outside the scale"),
            ([("helpfulness", "x")], "`helpfulness` takes a whole number from 1 to 5, not `x`"),
            ([("helpfulnes", "3")], "unknown criterion `helpfulnes`; did you mean `helpfulness`?"),
            ([("topic", "bill")], "`topic` is one of billing, shipping, other, not `bill`"),
            ([("helpfulness", "3"), ("helpfulness", "4")], "`helpfulness` is given twice"),
            // One good value and one bad: neither is written.
            ([("helpfulness", "3"), ("correct_refusal", "maybe")], "`correct_refusal` is one of yes, no, not `maybe`"),
            ([], "give at least one CRITERION=VALUE"),
        ]
        for (pairs, message) in bad {
            #expect { try score(db, id, pairs) } throws: { "\($0)".contains(message) }
        }
        #expect { try ReviewScore.record(database: db, rubric: Rubric(), traceId: id, [ReviewScore.Assignment(criterion: "a", value: "1")],
                                         reviewer: "dana", note: nil) } throws: { "\($0)".contains("relops.yaml has no `rubric`") }
        #expect { try score(db, id, [("helpfulness", "3")], by: "  ") } throws: { "\($0)".contains("reviewer's name is empty") }
        #expect(try db.scalar("SELECT count(*) FROM scores") == .integer(2))
    }

    /// Scores of 40 v1 traces (4 and 5) and 40 v2 traces (1 and 2, some re-scored later to 3):
    /// `drift score.helpfulness` reads each trace's latest score, as plain SQL does.
    @Test func scoreSignalsDriftOnTheLatestScores() throws {
        let (db, engine) = try ReviewStore.copy()
        let v1 = try ids(db, "v1", 40), v2 = try ids(db, "v2", 40)
        for (i, id) in v1.enumerated() {
            try score(db, id, [("helpfulness", i % 2 == 0 ? "4" : "5"), ("correct_refusal", i % 10 == 0 ? "no" : "yes"), ("topic", "billing")])
        }
        for (i, id) in v2.enumerated() {
            try score(db, id, [("helpfulness", i % 2 == 0 ? "1" : "2"), ("correct_refusal", i % 2 == 0 ? "no" : "yes"), ("topic", "other")])
            if i % 4 == 0 { try score(db, id, [("helpfulness", "3")], by: "lee", at: 60) }
        }
        let signals = Signal.scores(of: Self.rubric)
        #expect(signals.map(\.name) == ["score.helpfulness", "score.correct_refusal", "score.topic"])
        #expect(signals.map(\.kind) == [.numeric, .boolean, .categorical])
        let slices = try SlicePairSpec.read(QuerySource(text: "v1 and v2"), database: db)
        let report = try DriftReport.compute(database: db, queries: engine, signals: signals, slices: slices, bootstrap: 200)
        let latest = """
            SELECT avg(s.value), count(*) FROM scores s JOIN traces t ON t.trace_id = s.trace_id
            WHERE s.criterion = 'helpfulness' AND t.prompt_version = ? AND s.rowid = (SELECT rowid FROM scores
              WHERE trace_id = s.trace_id AND criterion = s.criterion ORDER BY scored_at DESC, rowid DESC LIMIT 1)
            """
        let helpfulness = try #require(report.results.first { $0.signal.name == "score.helpfulness" })
        guard case .numeric(let d)? = helpfulness.statistics else { Issue.record("no numeric drift"); return }
        for (version, summary) in [("v1", d.baseline), ("v2", d.current)] {
            let row = try db.query(latest, [.text(version)]).rows[0]
            #expect(abs(summary.mean - (row[0].doubleValue ?? .nan)) < 1e-12 && summary.count == Int(row[1].int64Value ?? 0), "\(version)")
        }
        // Ten v2 traces scored 1 were re-scored 3 by lee: 10 × 1 + 20 × 2 + 10 × 3 over 40.
        let expectedMean: Double = 80.0 / 40.0
        #expect(d.current.mean == expectedMean, "re-scored traces count at 3")
        #expect(helpfulness.verdict?.detected == true)
        let refusal = try #require(report.results.first { $0.signal.name == "score.correct_refusal" })
        guard case .boolean(let r)? = refusal.statistics else { Issue.record("no rate"); return }
        #expect(r.baselineTotal == 40 && r.currentTotal == 40)
        #expect(r.baselineRate == 0.9 && r.currentRate == 0.5)
        let topic = try #require(report.results.first { $0.signal.name == "score.topic" })
        guard case .categorical(let c)? = topic.statistics else { Issue.record("no labels"); return }
        #expect(c.baselineTotal == 40 && c.currentTotal == 40)
        // The built-in signals are untouched by scores.
        #expect(Signal.all.count == 13 && Signal.named("score.helpfulness") == nil)
    }
}
