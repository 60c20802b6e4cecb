import Foundation
import Ingest
@testable import Notebook
import Query
import Store
import Testing

/// `CaseCheck` on a real store (the OpenTelemetry GenAI fixture): a case passes or fails on the
/// newest trace of its input, is missing when the slice holds none, and names what was seen.
@Suite struct CaseCheckTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/fixtures/otel/otel-genai-latest.jsonl")

    static func store() throws -> Database {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relops-casecheck-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let db = try Database(path: dir.appendingPathComponent("t.db").path)
        _ = try Loader(database: db).load(fixture.path)
        return db
    }

    @Test func passFailAndMissing() throws {
        let db = try Self.store()
        let id = try #require(try db.query("SELECT trace_id FROM traces WHERE input_hash IS NOT NULL ORDER BY start_ns DESC LIMIT 1").rows.first?[0].stringValue)
        var session = Session(title: "t", created: "2026-11-29T10:00:00.000000Z")
        let pin = try Pin.make(database: db, idPrefix: id, expectations: [], note: nil)
        let refused = try #require(pin.observed.refused)
        session.pins = [pin]
        var file = CaseFile.make(session: session, name: "t").file
        let hash = try #require(pin.inputHash)
        file.cases[0].expectations = [refused ? .refused : .notRefused, .maxLatencyMs(1e9)]
        var failing = file.cases[0]
        failing.id = "case-failing"
        failing.expectations = [refused ? .notRefused : .refused, .maxLatencyMs(0)]
        var absent = file.cases[0]
        absent.id = "case-absent"
        absent.input.hash = "0000000000000000"
        file.cases += [failing, absent]

        let all = try CaseCheck.run(file, path: "t.yaml", database: db, condition: .all, slice: nil)
        #expect(all.results.map(\.status) == [.pass, .fail, .missing])
        #expect(all.results[0].traceId != nil && all.failed)
        #expect(all.results[1].problems.map(\.expectation) == failing.expectations)
        #expect(all.results[1].problems[0].seen == (refused ? "refused" : "answered"))
        #expect(all.results[1].problems[1].seen?.hasPrefix("latency ") == true)

        // A slice without the input: every case is missing, and nothing fails.
        let engine = QueryEngine(database: db, library: SavedQueryLibrary(directories: []))
        let other = try engine.condition(QuerySource(location: nil, text: "input_hash != \"\(hash)\""))
        let sliced = try CaseCheck.run(file, path: "t.yaml", database: db, condition: other, slice: "…")
        #expect(sliced.results.map(\.status) == [.missing, .missing, .missing] && !sliced.failed)
    }
}
