import Analysis
import Demo
import Foundation
@testable import Investigate
import Query
import Store
import Testing

/// `changes` on the demo store: the refund refusal rate jumps when the new prompt reaches
/// everyone, and the series it segments is the one plain SQL gives.
@Suite struct ChangeReportTests {
    func report(_ signal: String, every: String, where condition: String?, by dimension: String? = nil) throws -> ChangeReport {
        let (db, engine) = try DemoStore.open()
        return try ChangeReport.compute(database: db, queries: engine, signal: try #require(Signal.named(signal)),
                                        every: try #require(ChangeReport.duration(every)),
                                        condition: condition.map { QuerySource(text: $0) }, by: dimension, penalty: nil)
    }

    @Test func findsTheRefusalJumpWithinOneBucketOfTheRollout() throws {
        let incident = ExplanationTests.truth.incident
        let report = try report("refused", every: "6h", where: "intent == \"\(incident.intent)\"")
        let series = try #require(report.series.first)
        let onset = try #require(series.onsets.first)
        let canary = try #require(Timestamp.parse(incident.onset))
        let everyone = try #require(Timestamp.parse(incident.fullRollout))
        let bucket = try #require(ChangeReport.duration("6h"))
        // The first change starts between the canary's exposure and one bucket after everyone's.
        #expect(onset >= canary - bucket && onset <= everyone + bucket, "\(Timestamp.iso8601(nanoseconds: onset))")
        let first = try #require(series.pelt?.changes.first)
        #expect(first.after > 3 * first.before)
    }

    @Test func theSeriesIsPlainSQLs() throws {
        let report = try report("latency_ms", every: "1d", where: nil, by: "cohort")
        let (db, _) = try DemoStore.open()
        let rows = try db.query("""
            SELECT (start_ns / 86400000000000) * 86400000000000, avg(latency_ms), count(*) FROM traces
            WHERE cohort = 'canary' GROUP BY 1 ORDER BY 1
            """).rows
        let canary = try #require(report.series.first { $0.value == "canary" })
        #expect(canary.bucketStarts == rows.map { $0[0].int64Value ?? 0 })
        #expect(canary.counts == rows.map { Int($0[2].int64Value ?? 0) })
        for (x, row) in zip(canary.values, rows) { #expect(abs(x - (row[1].doubleValue ?? .nan)) < 1e-9 * x) }
        // The most traffic first.
        #expect(report.series.first?.value == "control")
    }

    @Test func badRequestsAreClearErrors() throws {
        #expect(throws: InvestigateError.self) { try report("finish_reason", every: "1h", where: nil) }
        #expect(throws: InvestigateError.self) { try report("refused", every: "1h", where: nil, by: "modle") }
        #expect(ChangeReport.duration("90s") == 90_000_000_000)
        #expect(ChangeReport.duration("500ms") == 500_000_000)
        #expect(ChangeReport.duration("1x") == nil && ChangeReport.duration("0h") == nil && ChangeReport.duration("h") == nil)
    }
}
