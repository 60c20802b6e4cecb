import Analysis
import Demo
import Foundation
@testable import Investigate
import Query
import Store
import Testing

/// `explain` on the demo store: the incident the demo's truth describes (a prompt version that
/// makes refund questions refused) comes out as the first root cause, with evidence traces that
/// show it; the per-dimension totals agree with plain SQL.
@Suite struct ExplanationTests {
    static let truth: DemoTruth = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relops-investigate-truth-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return try! DemoCorpus.write(to: dir.appendingPathComponent("demo.jsonl").path, traces: 2000, seed: 2026)
    }()

    func explain(_ signal: String, _ slices: String) throws -> Explanation {
        let (db, engine) = try DemoStore.open()
        return try Explanation.compute(database: db, queries: engine, signal: try #require(Signal.named(signal)),
                                       slices: try SlicePairSpec.read(QuerySource(text: slices), database: db))
    }

    /// Refund questions before the new prompt reached anyone against after it reached everyone,
    /// on the old model (the model rollout came later, and would otherwise be confounded). The
    /// prompt version travels with its hash, the config hash and the release: any of them may
    /// rank first, and its evidence must be refused traces under the new prompt.
    @Test func theInjectedCauseComesFirst() throws {
        let incident = Self.truth.incident
        let (db, _) = try DemoStore.open()
        let oldModel = try db.scalar("SELECT model FROM traces WHERE ts < ? ORDER BY ts LIMIT 1", [.text(incident.onset)]).stringValue ?? ""
        let refund = "intent == \"\(incident.intent)\" and model == \"\(oldModel)\""
        let explained = try explain(incident.signal, "(\(refund) and ts < \"\(incident.onset)\") and (\(refund) and ts >= \"\(incident.fullRollout)\")")
        let first = try #require(explained.causes.first)
        #expect(first.dimension == incident.dimension && first.role == .change, "\(explained.causes)")
        // The new prompt, or the old one it replaced with the new one's traces as evidence.
        #expect(first.values.contains(incident.value) || first.evidence.values == [incident.value], "\(first)")
        #expect(first.explanatoryPower > 0.67)
        #expect((explained.currentValue ?? 0) > 2 * (explained.baselineValue ?? 1))
        // Evidence: refused traces of the current slice under the cause's value, on the new prompt.
        let evidence = first.evidence
        let ids = evidence.traceIds
        #expect(!ids.isEmpty)
        for id in ids {
            let row = try db.query("SELECT \(incident.dimension), \(incident.signal), intent FROM traces WHERE trace_id = ?", [.text(id)]).rows
            #expect(row == [[.text(incident.value), .integer(1), .text(incident.intent)]])
        }
    }

    @Test func totalsAgreeWithSQL() throws {
        let explained = try explain("latency_ms", #"cohort == "control" and cohort == "canary""#)
        let (db, _) = try DemoStore.open()
        #expect(explained.baselineCount == Int(try db.scalar("SELECT count(latency_ms) FROM traces WHERE cohort = 'control'").int64Value ?? -1))
        let mean = try db.scalar("SELECT avg(latency_ms) FROM traces WHERE cohort = 'canary'").doubleValue ?? .nan
        #expect(abs((explained.currentValue ?? .nan) - mean) < 1e-9 * mean)
        let model = try #require(explained.adtributor.dimensions.first { $0.name == "model" })
        let sql = try db.query("SELECT model, count(*) FROM traces WHERE cohort = 'canary' GROUP BY model").rows
        #expect(Set(model.elements.filter { $0.actualCount > 0 }.map { "\($0.name)=\(Int($0.actualCount))" })
                == Set(sql.map { "\($0[0].stringValue ?? AttributionRowName.missing)=\($0[1].int64Value ?? 0)" }))
        #expect(explained.mix.count == Explanation.dimensions.count)
        #expect(explained.slices.isEmpty, "per-value proportion tests are for 0/1 signals")
    }

    /// `with attr."gen_ai.tool.name", user_id`: a span attribute as a dimension of the trace (its
    /// value on the earliest span that has it) and another text field, counted as plain SQL
    /// with a window function counts them.
    @Test func askedDimensionsAreExamined() throws {
        let (db, engine) = try DemoStore.open()
        let extra = try Explanation.extraDimensions([.attribute("gen_ai.tool.name"), .field("user_id"), .field("intent")], queries: engine)
        #expect(extra.map(\.name) == [#"attr."gen_ai.tool.name""#, "user_id"], "intent is examined anyway")
        let explained = try Explanation.compute(database: db, queries: engine, signal: try #require(Signal.named("tool_error")),
                                                slices: try SlicePairSpec.read(QuerySource(text: "v1 and v2"), database: db), extra: extra)
        let tool = try #require(explained.adtributor.dimensions.first { $0.name == #"attr."gen_ai.tool.name""# })
        let sql = try db.query("""
            WITH named AS (SELECT trace_id, json_extract(attrs, '$."gen_ai.tool.name"') AS v,
                                  row_number() OVER (PARTITION BY trace_id ORDER BY start_ns) AS r
                           FROM spans WHERE json_extract(attrs, '$."gen_ai.tool.name"') IS NOT NULL)
            SELECT coalesce(n.v, '(missing)'), count(*) FROM traces t LEFT JOIN named n ON n.trace_id = t.trace_id AND n.r = 1
            WHERE t.prompt_version = 'v2' AND t.tool_errors IS NOT NULL GROUP BY 1
            """).rows
        #expect(sql.count > 1)
        #expect(Set(tool.elements.filter { $0.actualCount > 0 }.map { "\($0.name)=\(Int($0.actualCount))" })
                == Set(sql.map { "\($0[0].stringValue ?? "")=\($0[1].int64Value ?? 0)" }))
        #expect(explained.adtributor.dimensions.contains { $0.name == "user_id" })
        #expect(throws: InvestigateError.self) { try Explanation.extraDimensions([.field("usr_id")], queries: engine) }
    }

    @Test func labelsAndEmptySlicesAreClearErrors() throws {
        #expect(throws: InvestigateError.self) { try explain("finish_reason", "v1 and v2") }
        #expect(throws: InvestigateError.self) { try explain("refused", #"intent == "nope" and v2"#) }
    }
}

/// The name Adtributor gives a missing value.
enum AttributionRowName {
    static let missing = "(missing)"
}
