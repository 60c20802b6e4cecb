import Foundation
import Testing
@testable import Ingest
import Store

@Suite struct InputPathsTests {
    func span(_ trace: String) -> String {
        #"{"trace_id":"\#(trace)","span_id":"01","start_time":"2026-11-01T00:00:00Z","end_time":"2026-11-01T00:00:01Z","status":"ok","kind":"root","attributes":{}}"# + "\n"
    }

    @Test func aFolderAndAGlobLoadEachFileInNameOrder() throws {
        let dir = TestSupport.temporaryDirectory()
        let folder = dir.appendingPathComponent("exports")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try TestSupport.write(span("aa"), to: folder.appendingPathComponent("b.jsonl"))
        try TestSupport.write(span("bb"), to: folder.appendingPathComponent("a.jsonl"))
        try TestSupport.write("notes", to: folder.appendingPathComponent("README.txt"))
        let db = try Database(path: dir.appendingPathComponent("s.db").path)
        let reports = try Loader(database: db).load(folder.path)
        #expect(reports.map { ($0.path as NSString).lastPathComponent } == ["a.jsonl", "b.jsonl"])
        #expect(try TestSupport.int(db, "SELECT count(*) FROM traces") == 2)
        try TestSupport.write(span("cc"), to: folder.appendingPathComponent("c.jsonl"))
        let globbed = try Loader(database: db).load(folder.path + "/*.jsonl")
        let outcomes = globbed.map { report -> String in
            if case .alreadyLoaded = report.outcome { return "already" } else { return "loaded" }
        }
        #expect(outcomes == ["already", "already", "loaded"])
        #expect(try TestSupport.int(db, "SELECT count(*) FROM traces") == 3)
        #expect(throws: IngestError.self) { try Loader(database: db).load(folder.path + "/*.parquet") }
    }

    @Test func companionLogsAreFound() throws {
        let legacy = TestSupport.fixturesDir.appendingPathComponent("otel-genai-legacy.json").path
        #expect(InputPaths.companionLogs(of: legacy) == TestSupport.fixturesDir.appendingPathComponent("otel-genai-legacy.logs.jsonl").path)
        #expect(InputPaths.companionLogs(of: TestSupport.fixturesDir.appendingPathComponent("otel-genai-legacy.logs.jsonl").path) == nil)
        #expect(InputPaths.companionLogs(of: TestSupport.fixturesDir.appendingPathComponent("langfuse-openai.jsonl").path) == nil)
    }
}
