import Foundation
import Ingest
import Investigate
@testable import Notebook
import Query
import Store
import Testing

/// `PeriodReport` (`report weekly|monthly`) on corpora of ../shared/bench/gen_traces.py: the week
/// of the `refusal` incident shows the new prompt version as first seen, `refused` as moved and
/// an incident on it; the week before shows none of them; on a corpus without incidents the
/// gate thresholds the weeks kept well inside are proposed tighter, with figures computed here.
@Suite(.serialized) struct PeriodReportTests {
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    /// A store of gen_traces.py's corpus, loaded with Benchmarks/relops.yaml, in a folder the
    /// caller removes; and the truth file.
    static func corpus(_ name: String, _ arguments: [String]) throws -> (database: Database, dir: URL, truth: [String: Any]) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relops-report-\(name)-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let traces = dir.appendingPathComponent("corpus.jsonl").path, truthPath = dir.appendingPathComponent("truth.json").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", here.appendingPathComponent("../../../shared/bench/gen_traces.py").standardized.path]
            + arguments + ["--out", traces, "--truth", truthPath, "--quiet"]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "gen_traces.py failed")
        let database = try Database(path: dir.appendingPathComponent("report.db").path)
        let config = try WorkspaceConfig.load(path: here.appendingPathComponent("../../Benchmarks/relops.yaml").standardized.path)
        _ = try Loader(database: database, config: config).load(traces)
        try? FileManager.default.removeItem(atPath: traces)
        let truth = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: truthPath))) as? [String: Any])
        return (database, dir, truth)
    }

    /// The day of a `YYYY-MM-DD` text.
    static func day(_ text: String) throws -> Int64 {
        try #require(ReportPeriod.day(of: text), "`\(text)` is a day")
    }

    static func report(_ database: Database, _ kind: ReportPeriod.Kind = .weekly, lastDay: Int64?, gates: GateConfig = GateConfig(),
                       scope: String? = nil, workspace: URL) throws -> PeriodReport {
        try PeriodReport.make(database: database, queries: QueryEngine(database: database, library: SavedQueryLibrary(directories: [])),
                              kind: kind, lastDay: lastDay, gates: gates, driftSignals: Signal.all, scope: scope.map { QuerySource(text: $0) },
                              sessions: SessionFiles(directory: workspace.appendingPathComponent("sessions").path),
                              casesDirectory: workspace.appendingPathComponent("cases").path)
    }

    @Test func theIncidentsWeekShowsTheNewVersionTheMovedSignalAndTheIncident() throws {
        let (database, dir, truth) = try Self.corpus("refusal", ["--traces", "10000", "--days", "21", "--seed", "5", "--scenario", "refusal"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let incident = try #require((truth["incidents"] as? [[String: Any]])?.first { $0["scenario"] as? String == "refusal" })
        let dimension = try #require(incident["dimension"] as? String), value = try #require(incident["value"] as? String)
        let intent = try #require(incident["intent"] as? String)
        let exposure = try #require(incident["exposure"] as? [String: String])
        // The new version's first traffic (staging) and its full rollout.
        let firstDay = try Self.day(exposure["staging"] ?? "")
        let rollout = try Self.day(incident["full_rollout"] as? String ?? "")
        #expect(rollout - firstDay < 6, "the staging day and the full rollout fit in one week")

        // The week from the staging day: the version is new, refusals of the incident's intent moved.
        let week = try Self.report(database, lastDay: firstDay + 6, scope: "intent == \"\(intent)\"", workspace: dir)
        #expect(week.period.label == "\(ReportPeriod.date(firstDay)) … \(ReportPeriod.date(firstDay + 6))")
        #expect(week.firstSeen.contains { $0.dimension == dimension && $0.value == value }, "\(week.firstSeen.map(\.value))")
        let refused = try #require(week.moved.first { $0.signal.name == "refused" }, "\(week.moved.map(\.signal.name))")
        guard case .boolean(let d)? = refused.statistics else { Issue.record("refused is a rate"); return }
        #expect(d.currentRate > d.baselineRate + 0.02, "\(d.baselineRate) → \(d.currentRate)")
        let spike = try #require(week.incidents.first { $0.rule.signal.name == "refused" }, "\(week.incidents.map(\.rule.signal.name))")
        #expect(spike.exceeded == ["max_increase"] && spike.after - spike.before > 0.05, "\(spike)")
        #expect(week.period.contains(spike.onsetNs) && ReportPeriod.day(ofNs: spike.onsetNs) <= rollout)
        #expect(spike.related.contains { $0.dimension == dimension && $0.value == value }, "\(spike.related.map(\.value))")
        // The incidents are the change points `changes refused every 1d` finds over the two weeks.
        let queries = QueryEngine(database: database, library: SavedQueryLibrary(directories: []))
        let window = ReportPeriod(kind: .weekly, startDay: week.previous.startDay, endDay: week.period.endDay).slice(QuerySource(text: "intent == \"\(intent)\""))
        let changes = try ChangeReport.compute(database: database, queries: queries, signal: try #require(Signal.named("refused")),
                                               every: ReportPeriod.dayNs, condition: window, by: nil, penalty: nil)
        let series = try #require(changes.series.first)
        let steps = try #require(series.pelt).changes.filter { week.period.contains(series.bucketStarts[$0.index]) && $0.delta > 0.01 }
        #expect(steps.map { series.bucketStarts[$0.index] } == week.incidents.filter { $0.rule.signal.name == "refused" }.map(\.onsetNs))
        #expect(steps.map(\.after) == week.incidents.filter { $0.rule.signal.name == "refused" }.map(\.after))
        // Over every intent the incident's version is as new, and its refusals show as an incident too.
        let all = try Self.report(database, lastDay: firstDay + 6, workspace: dir)
        #expect(all.firstSeen.contains { $0.dimension == dimension && $0.value == value })
        #expect(all.traces > week.traces && all.previousTraces > week.previousTraces)

        // The week before: the version is not there yet, and nothing moved or broke.
        let before = try Self.report(database, lastDay: firstDay - 1, scope: "intent == \"\(intent)\"", workspace: dir)
        #expect(!before.firstSeen.contains { $0.dimension == dimension && $0.value == value })
        #expect(!before.moved.contains { $0.signal.name == "refused" })
        #expect(!before.incidents.contains { $0.rule.signal.name == "refused" }, "\(before.incidents)")
        // The week after the incident's week compares against it: the version is no longer new.
        let after = try Self.report(database, lastDay: firstDay + 13, scope: "intent == \"\(intent)\"", workspace: dir)
        #expect(!after.firstSeen.contains { $0.dimension == dimension && $0.value == value })
        #expect(after.previousTraces == week.traces)
    }

    /// A corpus without incidents over five weeks: each week's change of the refusal rate and of
    /// p95 latency, computed here from the store, stays well inside loose thresholds, so the
    /// report proposes tighter ones: half the threshold, or twice the worst change.
    @Test func stableWeeksProposeTighterThresholdsWithTheirFigures() throws {
        let (database, dir, _) = try Self.corpus("stable", ["--traces", "8000", "--days", "35", "--seed", "3"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let gates = try GateConfig.parse("""
            signals:
              refused: {max_increase: 0.05}
              latency_ms: {statistic: p95, max_relative_increase: 0.5}
              cost_usd: {statistic: mean, max_relative_increase: 0.02}
            """)
        let lastDay = try Self.day("2026-12-05")
        let report = try Self.report(database, lastDay: lastDay, gates: gates, workspace: dir)
        #expect(report.ratchets.map(\.threshold) == ["max_increase", "max_relative_increase", "max_relative_increase"])
        #expect(report.ratchets.allSatisfy { $0.observations.count == PeriodReport.ratchetPeriods })

        // The figures, from plain SQL over each week.
        func rate(_ p: ReportPeriod) throws -> Double {
            let row = try database.query("SELECT avg(refused) FROM traces WHERE start_ns >= ? AND start_ns < ? AND refused IS NOT NULL",
                                         [.integer(p.startNs), .integer(p.endNs)]).rows[0]
            return try #require(row[0].doubleValue)
        }
        var weeks = [report.period]
        for _ in 0..<PeriodReport.ratchetPeriods { weeks.append(weeks[weeks.count - 1].previous) }
        let refusalChanges = try (0..<PeriodReport.ratchetPeriods).map { try rate(weeks[$0]) - rate(weeks[$0 + 1]) }
        let refused = report.ratchets[0]
        for (o, expected) in zip(refused.observations, refusalChanges) {
            #expect(abs((o.change ?? .nan) - expected) < 1e-12, "\(o.change ?? .nan) vs \(expected)")
        }
        let worst = max(0, refusalChanges.max() ?? 0)
        #expect(abs((refused.worst ?? .nan) - worst) < 1e-12)
        #expect(worst < 0.025, "the refusal rate stays within half of 5 points week over week: \(refusalChanges)")
        #expect(refused.status == .tighten)
        #expect(refused.proposed == PeriodReport.roundUp(max(0.025, 2 * worst)), "\(String(describing: refused.proposed))")

        let latency = report.ratchets[1]
        #expect(latency.status == .tighten && latency.proposed.map { $0 < 0.5 && $0 >= 0.25 } == true, "\(latency)")
        #expect(latency.observations.allSatisfy { abs($0.change ?? 1) < 0.25 })
        // Cost's 2% leaves no room: a week's change goes past half of it, so it is kept.
        let cost = report.ratchets[2]
        #expect(cost.status == .keep && (cost.worst ?? 0) > 0.01, "\(cost)")
        #expect(cost.proposed == nil)
    }

    /// The proposal rule on figures given here: half the threshold, or twice the worst change
    /// rounded up to two significant digits; kept when a period used more than half; nothing
    /// proposed with a period short of values.
    @Test func theRatchetRule() throws {
        let rule = try #require(GateConfig.defaultSignals.first { $0.signal.name == "refused" })
        func observation(_ change: Double?, n: Int = 500) -> PeriodReport.Observation {
            PeriodReport.Observation(period: ReportPeriod.ending(.weekly, lastDay: 20_000), level: 0.02, previousLevel: 0.02,
                                     change: change, count: n, previousCount: n)
        }
        let quiet = PeriodReport.ratchet(rule, threshold: "max_increase", limit: 0.01, observations: [0.001, -0.002, 0.0004, 0].map { observation($0) }, minSamples: 200)
        #expect(quiet.status == .tighten && quiet.proposed == 0.005 && quiet.worst == 0.001)
        let closer = PeriodReport.ratchet(rule, threshold: "max_increase", limit: 0.01, observations: [0.0031, 0.001, 0, 0.0012].map { observation($0) }, minSamples: 200)
        #expect(closer.status == .tighten && abs((closer.proposed ?? 0) - 0.0062) < 1e-15, "\(String(describing: closer.proposed))")
        let busy = PeriodReport.ratchet(rule, threshold: "max_increase", limit: 0.01, observations: [0.001, 0.006, 0, 0].map { observation($0) }, minSamples: 200)
        #expect(busy.status == .keep && busy.proposed == nil && busy.worst == 0.006)
        let thin = PeriodReport.ratchet(rule, threshold: "max_increase", limit: 0.01, observations: [observation(0.001), observation(0.001, n: 50)], minSamples: 200)
        #expect(thin.status == .insufficient && thin.proposed == nil)
        let missing = PeriodReport.ratchet(rule, threshold: "max_increase", limit: 0.01, observations: [observation(0.001), observation(nil)], minSamples: 200)
        #expect(missing.status == .insufficient)
        let zero = PeriodReport.ratchet(rule, threshold: "max_increase", limit: 0, observations: [observation(-0.001)], minSamples: 200)
        #expect(zero.status == .keep, "a threshold of 0 cannot be tightened")
        // Decreases count the other way.
        let down = PeriodReport.ratchet(rule, threshold: "max_decrease", limit: 0.1, observations: [0.2, -0.01].map { observation($0) }, minSamples: 200)
        #expect(down.status == .tighten && down.worst == 0.01 && down.proposed == 0.05)
        #expect(PeriodReport.roundUp(0.00312) == 0.0032 && PeriodReport.roundUp(47.2) == 48 && PeriodReport.roundUp(0.005) == 0.005)
    }

    @Test func periods() throws {
        let day = try Self.day("2026-11-30")
        let week = ReportPeriod.ending(.weekly, lastDay: day)
        #expect(week.label == "2026-11-24 … 2026-11-30" && week.previous.label == "2026-11-17 … 2026-11-23")
        #expect(week.condition.text == "ts >= \"2026-11-24\" and ts < \"2026-12-01\"")
        let month = ReportPeriod.ending(.monthly, lastDay: try Self.day("2026-03-10"))
        #expect(month.label == "2026-03-01 … 2026-03-10" && month.previous.label == "2026-02-01 … 2026-02-28")
        #expect(month.previous.previous.label == "2026-01-01 … 2026-01-31")
        let january = ReportPeriod.ending(.monthly, lastDay: try Self.day("2026-01-31"))
        #expect(january.previous.label == "2025-12-01 … 2025-12-31")
        #expect(week.slice(QuerySource(text: "intent == \"refund\"")).text
                == "ts >= \"2026-11-24\" and ts < \"2026-12-01\" and replay_of is null and (intent == \"refund\")")
        #expect(week.slice(nil).text == "ts >= \"2026-11-24\" and ts < \"2026-12-01\" and replay_of is null")
    }
}
