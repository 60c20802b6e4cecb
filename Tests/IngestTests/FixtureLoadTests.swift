import Foundation
import Testing
@testable import Ingest
import Store

/// Each fixture of ../shared/fixtures/otel loads through the whole pipeline (detection, OTLP
/// decoding, conventions, the shopassist workspace mappings, trace summaries) into a real store,
/// and the seven requests of the fixture README come out as seven trace rows with their facts.
@Suite struct FixtureLoadTests {
    struct Expected {
        var file: String
        var spans: Int64
        /// Refusals recognisable from the spans: request 3 (text) and request 4 (finish reason
        /// content_filter); Langfuse records no finish reason, so only the text one there.
        var refused: Int64
        /// Traces with a retrieval top score (request 2).
        var withRetrievalScore: Int64
    }

    static let cases = [
        Expected(file: "otel-genai-latest.jsonl", spans: 28, refused: 2, withRetrievalScore: 1),
        Expected(file: "otel-genai-legacy.json", spans: 21, refused: 2, withRetrievalScore: 1),
        Expected(file: "openinference-openai.jsonl", spans: 21, refused: 2, withRetrievalScore: 1),
        Expected(file: "langfuse-openai.jsonl", spans: 21, refused: 1, withRetrievalScore: 1),
    ]

    @Test(arguments: cases)
    func loadsWithTheFacts(_ expected: Expected) throws {
        let dir = TestSupport.temporaryDirectory(expected.file)
        let db = try Database(path: dir.appendingPathComponent("store.db").path)
        let reports = try Loader(database: db, config: try TestSupport.benchWorkspace())
            .load(TestSupport.fixturesDir.appendingPathComponent(expected.file).path)
        let spanLoads = reports.filter { $0.format == .otlp }
        #expect(spanLoads.count == 1)
        guard case .loaded(let summary) = spanLoads.first?.outcome else { Issue.record("not loaded"); return }
        #expect(summary.spans == expected.spans)
        #expect(summary.traces == 7)
        func int(_ sql: String) throws -> Int64 { try TestSupport.int(db, sql) }
        #expect(try int("SELECT count(*) FROM traces") == 7)
        #expect(try int("SELECT sum(input_tokens) FROM traces") == 5940)
        #expect(try int("SELECT sum(output_tokens) FROM traces") == 229)
        #expect(try int("SELECT sum(refused) FROM traces") == expected.refused)
        #expect(try int("SELECT sum(tool_errors) FROM traces") == 1)
        #expect(try int("SELECT count(DISTINCT input_hash) FROM traces") == 7)
        #expect(try int("SELECT count(*) FROM traces WHERE retrieval_top_score BETWEEN 0.84 AND 0.85") == expected.withRetrievalScore)
        // The version facts of the README's table, per request.
        let rows = try db.query("""
            SELECT cohort, release, prompt_id, count(*) FROM traces GROUP BY 1, 2, 3 ORDER BY 1
            """).rows
        #expect(rows == [[.text("canary"), .text("2026.11.26.1"), .text("support-answer"), .integer(2)],
                         [.text("control"), .text("2026.11.24.1"), .text("support-answer"), .integer(5)]], "\(rows)")
        let models = try db.query("SELECT DISTINCT model FROM traces WHERE output IS NOT NULL ORDER BY 1").rows.compactMap { $0[0].stringValue }
        #expect(models == ["gpt-4.1-2025-04-14", "gpt-4o-2024-08-06", "gpt-4o-mini-2024-07-18"])
        // Request 5: the provider error is a failed span, and the fallback answered.
        #expect(try int("SELECT count(*) FROM spans WHERE kind = 'llm' AND status = 'error'") == 1)
        #expect(try int("SELECT count(*) FROM traces WHERE error = 1") == 0)
        #expect(try int("SELECT count(*) FROM traces WHERE model = 'gpt-4o-mini-2024-07-18' AND output IS NOT NULL") == 1)
        // Nothing is lost: every span keeps its attributes as JSON.
        #expect(try int("SELECT count(*) FROM spans WHERE json_valid(attrs) AND attrs <> '{}'") == expected.spans)
    }

    @Test func legacyContentArrivesFromTheLogsWhicheverFileComesFirst() throws {
        let dir = TestSupport.temporaryDirectory()
        let spans = TestSupport.fixturesDir.appendingPathComponent("otel-genai-legacy.json").path
        let logs = TestSupport.fixturesDir.appendingPathComponent("otel-genai-legacy.logs.jsonl").path
        // Spans alone (explicitly, no companion): no text, so no text refusal.
        let db = try Database(path: dir.appendingPathComponent("a.db").path)
        let loader = Loader(database: db, config: try TestSupport.benchWorkspace())
        _ = try loader.loadFile(spans, options: LoadOptions())
        #expect(try TestSupport.int(db, "SELECT count(*) FROM traces WHERE output IS NOT NULL") == 0)
        #expect(try TestSupport.int(db, "SELECT sum(refused) FROM traces") == 1)
        // The logs afterwards: the stored spans are derived again with their content.
        let reports = try loader.load(logs)
        #expect(reports.first?.format == .otlpLogs)
        #expect(try TestSupport.int(db, "SELECT count(*) FROM logs") == 33)
        #expect(try TestSupport.int(db, "SELECT count(*) FROM traces WHERE output IS NOT NULL") == 6)
        #expect(try TestSupport.int(db, "SELECT sum(refused) FROM traces") == 2)
        #expect(try TestSupport.int(db, "SELECT count(*) FROM traces WHERE input IS NULL") == 0)
    }
}

extension FixtureLoadTests.Expected: CustomTestStringConvertible {
    var testDescription: String { file }
}
