import Foundation
import Testing
@testable import Ingest
import Store

/// Every kind of bad input gets a clear error naming the file and line, and changes nothing
/// that was in the store (DESIGN.md, Quality bars).
@Suite struct BadInputTests {
    static let goodLine = #"{"trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"b7ad6b7169203331","parent_span_id":null,"kind":"root","name":"POST /v1/chat","start_time":"2026-11-01T00:00:00.000000Z","end_time":"2026-11-01T00:00:01.500000Z","status":"ok","attributes":{"service.name":"shopassist-api"}}"#

    static func span(_ trace: String, _ span: String, parent: String? = nil, kind: String = "llm") -> String {
        let p = parent.map { "\"\($0)\"" } ?? "null"
        return #"{"trace_id":"\#(trace)","span_id":"\#(span)","parent_span_id":\#(p),"kind":"\#(kind)","name":"chat gpt-4o","start_time":"2026-11-02T00:00:00Z","end_time":"2026-11-02T00:00:01Z","status":"ok","attributes":{"gen_ai.response.model":"gpt-4o","output.value":"hello"}}"#
    }

    /// A store holding one good load, and its table counts.
    func store() throws -> (Database, URL, [String: Int64]) {
        let dir = TestSupport.temporaryDirectory()
        let good = dir.appendingPathComponent("good.jsonl")
        try TestSupport.write(Self.goodLine + "\n", to: good)
        let db = try Database(path: dir.appendingPathComponent("store.db").path)
        _ = try Loader(database: db).load(good.path)
        return (db, dir, try TestSupport.tableCounts(db))
    }

    /// Loads `content` (written to `name`) and returns the error text; the store must not change.
    func failure(_ content: Data?, name: String = "bad.jsonl", options: LoadOptions = LoadOptions(),
                 sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let (db, dir, before) = try store()
        let path = dir.appendingPathComponent(name)
        if let content { try content.write(to: path) }
        var message = ""
        do {
            let reports = try Loader(database: db).load(path.path, options: options)
            Issue.record("expected an error, loaded \(reports)", sourceLocation: sourceLocation)
        } catch let error as IngestError {
            message = error.description
        }
        #expect(try TestSupport.tableCounts(db) == before, "the store changed", sourceLocation: sourceLocation)
        return message
    }

    func lines(_ items: String...) -> Data { Data((items.joined(separator: "\n") + "\n").utf8) }

    @Test func malformedJSON() throws {
        let message = try failure(lines(Self.span("aa", "01"), Self.span("aa", "02"), #"{"trace_id": "aa", "span_id": }"#))
        #expect(message.hasSuffix("bad.jsonl:3:31: malformed JSON: expected a value, found `}`"), "\(message)")
    }

    @Test func wrongValueTypes() throws {
        let bad = Self.span("aa", "02").replacingOccurrences(of: #""start_time":"2026-11-02T00:00:00Z""#, with: #""start_time":true"#)
        let message = try failure(lines(Self.span("aa", "01"), bad))
        #expect(message.contains("bad.jsonl:2"), "\(message)")
        #expect(message.contains("`start_time` must be an RFC 3339 timestamp"), "\(message)")
        let status = Self.span("aa", "02").replacingOccurrences(of: #""status":"ok""#, with: #""status":"fine""#)
        #expect(try failure(lines(status)).contains("bad.jsonl:1:"), "status")
    }

    @Test func missingIds() throws {
        let bad = Self.span("aa", "02").replacingOccurrences(of: #""span_id":"02","#, with: "")
        let message = try failure(lines(Self.span("aa", "01"), bad))
        #expect(message.hasSuffix("bad.jsonl:2: missing `span_id`"), "\(message)")
    }

    @Test func truncatedGzip() throws {
        let dir = TestSupport.temporaryDirectory()
        let plain = dir.appendingPathComponent("x.jsonl")
        var text = ""
        for i in 0..<2000 { text += Self.span(String(format: "%032x", i), "0000000000000001") + "\n" }
        try TestSupport.write(text, to: plain)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-k", plain.path]
        try p.run()
        p.waitUntilExit()
        let gz = try Data(contentsOf: URL(fileURLWithPath: plain.path + ".gz"))
        let message = try failure(gz.prefix(gz.count / 2), name: "cut.jsonl.gz")
        #expect(message.contains("cut.jsonl.gz"), "\(message)")
        #expect(message.contains("truncated gzip"), "\(message)")
    }

    @Test func directoryMissingAndEmptyFiles() throws {
        let (db, dir, before) = try store()
        let empty = dir.appendingPathComponent("empty-folder")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        for (path, expected) in [(empty.path, "is a directory with no .json, .jsonl or .gz files"),
                                 (dir.appendingPathComponent("nope.jsonl").path, "no such file")] {
            #expect(throws: IngestError.self) { _ = try Loader(database: db).load(path) }
            do { _ = try Loader(database: db).load(path) } catch let error as IngestError {
                #expect(error.description == "\(path): \(expected)")
            }
        }
        #expect(try TestSupport.tableCounts(db) == before)
        #expect(try failure(Data()).hasSuffix("bad.jsonl: empty file: nothing to load"))
        #expect(try failure(Data("\n\n  \n".utf8)).hasSuffix("bad.jsonl: no spans or log records in the file"))
    }

    @Test func hugeLine() throws {
        var big = Data(Self.span("aa", "01").utf8) + Data("\n".utf8)
        let filler = String(repeating: "x", count: 50 << 20)
        big += Data(#"{"trace_id":"aa","span_id":"02","name":"\#(filler)"}"#.utf8) + Data("\n".utf8)
        let message = try failure(big)
        #expect(message.hasSuffix("bad.jsonl:2: line longer than 16 MiB"), "\(message)")
        // Skipping keeps the good line and records the long one.
        let (db, dir, _) = try store()
        let path = dir.appendingPathComponent("big.jsonl")
        try big.write(to: path)
        let reports = try Loader(database: db).load(path.path, options: LoadOptions(skipBadLines: true))
        guard case .loaded(let summary) = reports.first?.outcome else { Issue.record("not loaded"); return }
        #expect(summary.spans == 1)
        #expect(summary.rejected == 1)
        #expect(try db.query("SELECT line, reason FROM rejects").rows == [[.integer(2), .text("line longer than 16 MiB")]])
    }

    @Test func binaryFile() throws {
        var bytes = [UInt8](repeating: 0, count: 4096)
        var state: UInt32 = 12345
        for i in bytes.indices { state = state &* 1103515245 &+ 12345; bytes[i] = UInt8(truncatingIfNeeded: state >> 16) }
        bytes[0] = 0x89
        let message = try failure(Data(bytes), name: "image.png")
        #expect(message.contains("image.png:1"), "\(message)")
        #expect(message.contains("not a JSON trace file") || message.contains("not JSON"), "\(message)")
    }

    @Test func duplicateSpanIdsInOneFile() throws {
        // Into a store that has spans (the incremental path) …
        let message = try failure(lines(Self.span("aa", "01"), Self.span("aa", "02"), Self.span("aa", "01")))
        #expect(message.hasSuffix("bad.jsonl:3: duplicate span id 01 in trace aa (first at line 1)"), "\(message)")
        // … and into an empty store (the bulk path, indexes built after the rows).
        let dir = TestSupport.temporaryDirectory()
        let path = dir.appendingPathComponent("dup.jsonl")
        try lines(Self.span("bb", "01"), Self.span("bb", "02"), Self.span("bb", "02")).write(to: path)
        let db = try Database(path: dir.appendingPathComponent("empty.db").path)
        do {
            _ = try Loader(database: db).load(path.path)
            Issue.record("expected an error")
        } catch let error as IngestError {
            #expect(error.description.hasSuffix("dup.jsonl:3: duplicate span id 02 in trace bb (first at line 2)"), "\(error)")
        }
        #expect(try TestSupport.int(db, "SELECT count(*) FROM spans") == 0)
        #expect(try TestSupport.int(db, "SELECT count(*) FROM loads") == 0)
        // With on-error skip, the copy is a reject.
        let reports = try Loader(database: db).load(path.path, options: LoadOptions(skipBadLines: true))
        guard case .loaded(let summary) = reports.first?.outcome else { Issue.record("not loaded"); return }
        #expect(summary.spans == 2)
        #expect(summary.rejected == 1)
        #expect(try TestSupport.int(db, "SELECT line FROM rejects") == 3)
        // The trace row counts the span once, not the rejected copy.
        #expect(try TestSupport.int(db, "SELECT spans FROM traces WHERE trace_id = 'bb'") == 2)
        #expect(try TestSupport.int(db, "SELECT llm_calls FROM traces WHERE trace_id = 'bb'") == 2)
    }

    @Test func skipModeRecordsEachBadLine() throws {
        let (db, dir, _) = try store()
        let path = dir.appendingPathComponent("mixed.jsonl")
        try lines(Self.span("cc", "01"), "not json", Self.span("cc", "02"), #"{"trace_id":"cc"}"#).write(to: path)
        let reports = try Loader(database: db).load(path.path, options: LoadOptions(skipBadLines: true))
        guard case .loaded(let summary) = reports.first?.outcome else { Issue.record("not loaded"); return }
        #expect(summary.spans == 2)
        #expect(summary.rejected == 2)
        let rejects = try db.query("SELECT line, reason, raw FROM rejects ORDER BY line").rows
        #expect(rejects.map { $0[0] } == [.integer(2), .integer(4)])
        #expect(rejects[0][2] == .text("not json"))
        #expect(rejects[1][1] == .text("missing `span_id`"))
        #expect(try db.scalar("SELECT status FROM loads WHERE load_id = ?", [.integer(summary.loadId)]) == .text("partial"))
    }

    @Test func storeThatIsNotSQLite() throws {
        let dir = TestSupport.temporaryDirectory()
        let path = dir.appendingPathComponent("notes.db")
        try TestSupport.write(String(repeating: "these are my notes, not a database\n", count: 200), to: path)
        let before = try Data(contentsOf: path)
        do {
            _ = try Database(path: path.path)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .notADatabase)
            #expect(error.description.hasPrefix("\(path.path): not a relops store"), "\(error)")
        }
        #expect(try Data(contentsOf: path) == before)
    }

    @Test func readOnlyStore() throws {
        let (db, dir, before) = try store()
        let path = db.path
        let readOnly = try Database(path: path, readOnly: true)
        let file = dir.appendingPathComponent("more.jsonl")
        try lines(Self.span("dd", "01")).write(to: file)
        do {
            _ = try Loader(database: readOnly).load(file.path)
            Issue.record("expected an error")
        } catch let error as StoreError {
            #expect(error.kind == .readOnly, "\(error)")
        }
        #expect(try TestSupport.tableCounts(db) == before)
    }
}
