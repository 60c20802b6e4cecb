import Foundation
import Testing
@testable import Ingest
import Store

/// The benchmark corpus written twice — native lines and the OTLP/JSON the collector would
/// write — gives the same traces, fact for fact, and the same spans.
@Suite struct FormatAgreementTests {
    @Test func nativeAndOTLPGiveTheSameTraces() throws {
        let (native, otlp, truth) = try TestSupport.benchCorpus(traces: 400, seed: 5, scenarios: ["refusal", "retrieval"], otlp: true)
        let otlpPath = try #require(otlp)
        let dir = TestSupport.temporaryDirectory()
        let config = try TestSupport.benchWorkspace()
        let a = try Database(path: dir.appendingPathComponent("native.db").path)
        _ = try Loader(database: a, config: config).load(native.path)
        let b = try Database(path: dir.appendingPathComponent("otlp.db").path)
        let reports = try Loader(database: b, config: config).load(otlpPath.path)
        #expect(reports.first?.format == .otlp)
        let counts = truth["counts"] as? [String: Int] ?? [:]
        #expect(try TestSupport.int(b, "SELECT count(*) FROM spans") == Int64(counts["spans"] ?? -1))
        #expect(try TestSupport.int(b, "SELECT count(*) FROM traces") == Int64(counts["traces"] ?? -1))

        try a.execute("ATTACH '\(dir.appendingPathComponent("otlp.db").path)' AS o")
        // `status`: the native shape says `ok` where OTLP leaves the status unset; errors agree.
        #expect(try TestSupport.int(a, "SELECT count(*) FROM traces n JOIN o.traces t USING (trace_id) WHERE (n.status = 'error') <> (t.status = 'error')") == 0)
        let columns = ["ts", "latency_ms", "prompt_id", "prompt_version", "prompt_hash", "model", "provider",
                       "config_hash", "index_version", "tool_version", "release", "environment", "cohort", "service",
                       "service_version", "intent", "user_id", "session_id", "finish_reason", "input", "output",
                       "input_hash", "input_tokens", "output_tokens", "spans", "llm_calls", "tool_calls", "tool_errors",
                       "refused", "safety_flagged", "error", "retrieval_top_score", "retrieval_empty", "feedback"]
        for column in columns {
            let differing = try TestSupport.int(a, """
                SELECT count(*) FROM traces n JOIN o.traces t USING (trace_id) WHERE n."\(column)" IS NOT t."\(column)"
                """)
            #expect(differing == 0, "traces.\(column) differs between native and OTLP")
        }
        // cost_usd sums floating point in a different span order: equal to rounding.
        #expect(try TestSupport.int(a, "SELECT count(*) FROM traces n JOIN o.traces t USING (trace_id) WHERE abs(n.cost_usd - t.cost_usd) > 1e-12") == 0)
        #expect(try TestSupport.int(a, "SELECT count(*) FROM traces n JOIN o.traces t USING (trace_id)") == Int64(counts["traces"] ?? -1))
        // (`error_type` is not compared: the OTLP writer adds `exception` events to failed roots
        // that the native shape does not have.)
        for column in ["kind", "model", "tool_name", "tool_version", "index_version", "retrieval_top_score", "retrieval_returned"] {
            let differing = try TestSupport.int(a, """
                SELECT count(*) FROM spans n JOIN o.spans t USING (trace_id, span_id) WHERE n."\(column)" IS NOT t."\(column)"
                """)
            #expect(differing == 0, "spans.\(column) differs between native and OTLP")
        }
    }
}
