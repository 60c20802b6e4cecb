import Analysis
import Foundation
@testable import Investigate
import Query
import Store
import Testing

/// `drift` on the demo store: the statistics are those of the Analysis functions on the values
/// plain SQL gives, the refusal jump of the new prompt is flagged, and the table is by severity.
@Suite struct DriftReportTests {
    func report(_ signals: [String], _ slices: String) throws -> DriftReport {
        let (db, engine) = try DemoStore.open()
        return try DriftReport.compute(database: db, queries: engine, signals: signals.compactMap(Signal.named),
                                       slices: try SlicePairSpec.read(QuerySource(text: slices), database: db), bootstrap: 200)
    }

    @Test func numbersAreTheAnalysisOfTheStoredValues() throws {
        let report = try report(["latency_ms", "refused", "finish_reason"], "v1 and v2")
        let (db, _) = try DemoStore.open()
        func values(_ version: String) throws -> [Double] {
            try db.query("SELECT latency_ms FROM traces WHERE prompt_version = ?", [.text(version)]).rows.compactMap { $0[0].doubleValue }
        }
        let expected = try #require(NumericDrift.compute(baseline: try values("v1"), current: try values("v2"),
                                                         options: { var o = NumericDrift.Options(); o.bootstrapResamples = 200; return o }()))
        let latency = try #require(report.results.first { $0.signal.name == "latency_ms" })
        guard case .numeric(let drift)? = latency.statistics else { Issue.record("no numeric statistics"); return }
        #expect(drift.ks == expected.ks && drift.psi == expected.psi && drift.wasserstein == expected.wasserstein)
        let refused = try #require(report.results.first { $0.signal.name == "refused" })
        guard case .boolean(let rates)? = refused.statistics else { Issue.record("no rates"); return }
        let k1 = Int(try db.scalar("SELECT sum(refused) FROM traces WHERE prompt_version = 'v1'").int64Value ?? -1)
        let k2 = Int(try db.scalar("SELECT sum(refused) FROM traces WHERE prompt_version = 'v2'").int64Value ?? -1)
        #expect(rates.baselineTrue == k1 && rates.currentTrue == k2)
        // The refusal jump is flagged by the two-proportion z-test.
        #expect(refused.verdict?.method == .zTest && refused.verdict?.detected == true)
    }

    @Test func allSignalsSortedBySeverity() throws {
        #expect(throws: InvestigateError.self) { try report([], "v1 and v2") }
        let all = try self.report(Signal.all.map(\.name), "v1 and v2")
        #expect(all.results.count == Signal.all.count)
        let severities = all.results.compactMap { $0.verdict?.severity }
        #expect(severities == severities.sorted(by: >))
        #expect(all.results.first?.verdict?.detected == true)
    }

    @Test func emptySlicesAreClearErrors() throws {
        #expect(throws: InvestigateError.self) { try report(["refused"], #"intent == "nope" and v2"#) }
    }
}
