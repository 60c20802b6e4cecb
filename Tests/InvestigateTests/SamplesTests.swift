import Foundation
@testable import Investigate
import Query
import Store
import Testing

/// Slices and the one scan that reads every signal of both: the values agree with plain SQL
/// over the same store, and bare version values name their dimension.
@Suite struct SamplesTests {
    @Test func bareVersionValuesNameTheirDimension() throws {
        let (db, _) = try DemoStore.open()
        let spec = try SlicePairSpec.read(QuerySource(text: "v1 and \"v2\""), database: db)
        #expect(spec.baseline.text == "prompt_version == \"v1\"")
        #expect(spec.current.text == "prompt_version == \"v2\"")
        let kept = try SlicePairSpec.read(QuerySource(text: "refused and not refused"), database: db)
        #expect(kept.baseline.text.trimmingCharacters(in: .whitespaces) == "refused")
        #expect(throws: InvestigateError.self) { try SlicePairSpec.read(QuerySource(text: "v1 and v77"), database: db) }
    }

    @Test func oneScanGivesEachSignalOfBothSlices() throws {
        let (db, engine) = try DemoStore.open()
        let conditions = try engine.conditions([QuerySource(text: #"prompt_version == "v1""#),
                                                QuerySource(text: #"prompt_version == "v2" and intent == "refund""#)])
        let signals = ["latency_ms", "refused", "tool_error", "finish_reason", "retrieval_top_score"].compactMap(Signal.named)
        let samples = try SignalSamples.read(signals, baseline: conditions[0], current: conditions[1], database: db)
        #expect(samples.baselineTraces == Int(try db.scalar("SELECT count(*) FROM traces WHERE prompt_version = 'v1'").int64Value ?? -1))
        #expect(samples.currentTraces == Int(try db.scalar("SELECT count(*) FROM traces WHERE prompt_version = 'v2' AND intent = 'refund'").int64Value ?? -1))
        guard case .numbers(let latency) = samples.baseline[0], case .rate(let hits, let n) = samples.current[1],
              case .rate(let toolHits, _) = samples.baseline[2], case .labels(let finish) = samples.current[3],
              case .numbers(let scores) = samples.baseline[4] else {
            Issue.record("wrong kinds: \(samples.baseline), \(samples.current)")
            return
        }
        #expect(abs(latency.reduce(0, +) - (try db.scalar("SELECT sum(latency_ms) FROM traces WHERE prompt_version = 'v1'").doubleValue ?? 0)) < 1e-6)
        #expect(hits == Int(try db.scalar("SELECT sum(refused) FROM traces WHERE prompt_version = 'v2' AND intent = 'refund'").int64Value ?? -1))
        #expect(n == samples.currentTraces && hits > 0)
        #expect(toolHits == Int(try db.scalar("SELECT count(*) FROM traces WHERE prompt_version = 'v1' AND tool_errors > 0").int64Value ?? -1))
        let sql = try db.query("SELECT finish_reason, count(*) FROM traces WHERE prompt_version = 'v2' AND intent = 'refund' AND finish_reason IS NOT NULL GROUP BY 1")
        #expect(finish == Dictionary(uniqueKeysWithValues: sql.rows.map { ($0[0].stringValue ?? "", Int($0[1].int64Value ?? 0)) }))
        // Unknown values (no retrieval) are left out, not counted as zero.
        #expect(scores.count == Int(try db.scalar("SELECT count(retrieval_top_score) FROM traces WHERE prompt_version = 'v1'").int64Value ?? -1))
        #expect(scores.count < samples.baselineTraces)
    }
}
