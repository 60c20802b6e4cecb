import Foundation
import Testing
@testable import Store

/// Span attributes stored as shapes (schema 6): every object comes back from the `spans` view,
/// from `AttributeObjects` and from `Schema.attributeSQL` as it went in.
@Suite struct AttributeShapesTests {
    /// The `loads` row the test spans belong to.
    static let aLoad = """
        INSERT INTO loads (load_id, path, sha256, bytes, format, status, on_error, started_at, finished_at, duration_ms,
          lines, spans, traces, log_records, rejected, duplicates, relops_version)
        VALUES (1, 'test.jsonl', 'x', 0, 'native', 'complete', 'abort', '', '', 0, 0, 0, 0, 0, 0, 0, 'test')
        """

    final class Store {
        let path: String
        let db: Database
        let shapes: AttributeShapes
        let insert: Statement
        var next = 0

        init(_ name: String = #function) throws {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relops-shapes-\(getpid())-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            path = dir.appendingPathComponent("store.db").path
            db = try Database(path: path)
            try db.run(AttributeShapesTests.aLoad)
            shapes = try AttributeShapes(database: db)
            insert = try db.prepare("""
                INSERT INTO span_rows (trace_id, span_id, kind, name, start_ns, end_ns, duration_ms, status, attr_values, attr_shape, load_id, line)
                VALUES ('t', ?, 'other', 'n', 0, 0, 0, 'ok', ?, ?, 1, 1)
                """)
        }

        /// Stores an object as a span; returns its span id.
        @discardableResult
        func add(_ object: String) throws -> String {
            next += 1
            let id = "s\(next)"
            insert.bind(id, at: 1)
            try shapes.bind(object, to: insert, values: 2, shape: 3)
            try insert.run()
            return id
        }

        func viewAttrs(_ id: String) throws -> String? {
            try db.scalar("SELECT attrs FROM spans WHERE span_id = ?", [.text(id)]).stringValue
        }

        func shape(_ id: String) throws -> Int64? {
            try db.scalar("SELECT attr_shape FROM span_rows WHERE span_id = ?", [.text(id)]).int64Value
        }

        func swiftAttrs(_ id: String) throws -> String {
            let row = try db.query("SELECT attr_shape, attr_values FROM span_rows WHERE span_id = ?", [.text(id)]).rows[0]
            return try AttributeObjects(database: db).object(shape: row[0].int64Value, values: row[1].stringValue ?? "")
        }

        /// `attr."key"` as the query compiler reads it, beside `json_extract` of the original.
        func attribute(_ id: String, _ key: String, original: String) throws -> (SQLValue, SQLValue) {
            let path = "$.\"" + key.replacingOccurrences(of: "\"", with: "\\\"") + "\""
            let shaped = try db.scalar("SELECT \(Schema.attributeSQL(row: "spans", path: "?1", key: "?2")) FROM spans WHERE span_id = ?3",
                                       [.text(path), .text(key), .text(id)])
            let plain = try db.scalar("SELECT json_extract(?1, ?2)", [.text(original), .text(path)])
            return (shaped, plain)
        }
    }

    /// Compact objects (what the loaders store) come back byte for byte, by every reader.
    @Test(arguments: [
        #"{"gen_ai.request.model":"gpt-4o","gen_ai.request.temperature":0.2,"gen_ai.usage.input_tokens":1294,"app.safety.flagged":false,"x":null}"#,
        #"{"scores":[0.8303,0.7773],"ids":["doc-1","doc-2"],"meta":{"a":{"b":[1,{"c":"}"}]}}}"#,
        #"{"big":12345678901234567890123,"tiny":1e-5,"exact":1.50,"neg":-0,"e":2E+10}"#,
        #"{"text":"caf\u00e9 and café","quote":"say \"hi\"\n","slash":"a\/b","brackets":"[{,}]"}"#,
        #"{"a":1,"a":2}"#,
    ])
    func compactObjectsComeBackExactly(object: String) throws {
        let store = try Store()
        let id = try store.add(object)
        #expect(try store.shape(id) != nil)
        #expect(try store.viewAttrs(id) == object)
        #expect(try store.swiftAttrs(id) == object)
        let keys = try store.db.query("SELECT DISTINCT key FROM json_each(?)", [.text(object)]).rows.compactMap { $0[0].stringValue }
        #expect(!keys.isEmpty)
        for key in keys + ["missing"] {
            let (shaped, plain) = try store.attribute(id, key, original: object)
            #expect(shaped == plain, "\(key)")
        }
    }

    /// Objects a shape does not take are kept whole; white space between tokens is not kept.
    @Test func otherObjectsAreKeptWholeOrWithoutWhiteSpace() throws {
        let store = try Store()
        let escapedKey = try store.add(#"{"a\"b":1,"c":2}"#)
        #expect(try store.shape(escapedKey) == nil)
        #expect(try store.viewAttrs(escapedKey) == #"{"a\"b":1,"c":2}"#)
        #expect(try store.attribute(escapedKey, "c", original: #"{"a\"b":1,"c":2}"#).0 == .integer(2))
        let empty = try store.add("{}")
        #expect(try store.shape(empty) == nil)
        #expect(try store.viewAttrs(empty) == "{}")
        let notAnObject = try store.add("[1,2]")
        #expect(try store.shape(notAnObject) == nil)
        let spaced = try store.add(#" { "a" : 1 , "b" : [ 1, 2 ] } "#)
        #expect(try store.shape(spaced) != nil)
        #expect(try store.viewAttrs(spaced) == #"{"a":1,"b":[1,2]}"#)
        #expect(try store.swiftAttrs(spaced) == #"{"a":1,"b":[ 1, 2 ]}"#)
    }

    /// One shape per distinct key list, in order; the keys are listed for completion.
    @Test func oneShapePerKeyList() throws {
        let store = try Store()
        let first = try store.add(#"{"a":1,"b":"x"}"#)
        let second = try store.add(#"{"a":2,"b":"y"}"#)
        let reordered = try store.add(#"{"b":"z","a":3}"#)
        #expect(try store.shape(first) == store.shape(second))
        #expect(try store.shape(first) != store.shape(reordered))
        #expect(try store.db.scalar("SELECT count(*) FROM attr_shapes") == .integer(2))
        #expect(try store.db.scalar("SELECT keys FROM attr_shapes WHERE shape_id = ?", [try store.shape(first).map(SQLValue.integer) ?? .null])
                == .text(#"["a","b"]"#))
        #expect(try store.db.attributeKeys() == ["a", "b"])
        // A second writer on the store finds the shapes the first added.
        let again = try AttributeShapes(database: store.db)
        let statement = try store.db.prepare("SELECT ?1, ?2")
        try again.bind(#"{"a":9,"b":"w"}"#, to: statement, values: 1, shape: 2)
        #expect(try statement.step())
        #expect(statement.int64(at: 1) == (try store.shape(first)))
        #expect(statement.text(at: 0) == #"[9,"w"]"#)
    }

    /// A shape added inside a transaction that rolls back is not used afterwards.
    @Test func aRolledBackShapeIsForgotten() throws {
        let store = try Store()
        try store.db.execute("BEGIN")
        try store.add(#"{"gone":1}"#)
        try store.db.execute("ROLLBACK")
        try store.shapes.forget()
        let id = try store.add(#"{"gone":2}"#)
        let shape = try #require(try store.shape(id))
        #expect(try store.db.scalar("SELECT count(*) FROM attr_shape_keys WHERE shape_id = ?", [.integer(shape)]) == .integer(1))
        #expect(try store.viewAttrs(id) == #"{"gone":2}"#)
    }

    /// Past `maxShapes`, new key lists are kept whole; known ones still use their shape.
    @Test func storesStopAddingShapesAtTheLimit() throws {
        let store = try Store()
        try store.db.execute("BEGIN")
        for i in 0..<Int(AttributeShapes.maxShapes) {
            try store.add("{\"k\(i)\":\(i)}")
        }
        let known = try store.add(#"{"k7":70}"#)
        let unknown = try store.add(#"{"new":1}"#)
        try store.db.execute("COMMIT")
        #expect(try store.shape(known) != nil)
        #expect(try store.shape(unknown) == nil)
        #expect(try store.viewAttrs(unknown) == #"{"new":1}"#)
        #expect(try store.db.scalar("SELECT count(*) FROM attr_shapes") == .integer(AttributeShapes.maxShapes))
        // A new writer knows the store is full too.
        let later = try AttributeShapes(database: store.db)
        let statement = try store.db.prepare("SELECT ?1, ?2")
        try later.bind(#"{"newer":1}"#, to: statement, values: 1, shape: 2)
        #expect(try statement.step())
        #expect(statement.int64(at: 1) == nil)
    }

    /// The sqlite3 CLI, which has none of relops's functions, reads the same objects.
    @Test func theSQLiteCLIReadsTheObjects() throws {
        let store = try Store()
        let objects = [#"{"a":1.50,"b":["x",{"y":null}]}"#, #"{"a":2,"b":"caf\u00e9"}"#]
        for object in objects { try store.add(object) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = ["-readonly", store.path, "SELECT attrs FROM spans ORDER BY span_id"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(output.split(separator: "\n").map(String.init) == objects)
    }

    /// A schema-5 store opens as schema 6 with its spans' objects kept whole and unchanged.
    @Test func aVersionFiveStoreKeepsItsSpans() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relops-shapes-v5-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("store.db").path
        let object = #"{ "service.name": "shop", "n": 1.0 }"#
        do {
            let v5 = try Database(path: path, migrate: false)
            for migration in Schema.migrations.prefix(5) { try v5.execute(migration) }
            for index in Schema.bulkIndexes { try v5.execute(SchemaTests.beforeVersion6(index.sql)) }
            try v5.execute("PRAGMA user_version = 5")
            try v5.run(Self.aLoad)
            try v5.run("""
                INSERT INTO spans (trace_id, span_id, kind, name, start_ns, end_ns, duration_ms, status, attrs, load_id, line)
                VALUES ('t', 's', 'root', 'n', 0, 0, 0, 'ok', ?, 1, 1)
                """, [.text(object)])
        }
        let db = try Database(path: path)
        #expect(try db.scalar("PRAGMA user_version") == .integer(Int64(Schema.version)))
        #expect(try db.scalar("SELECT attrs FROM spans") == .text(object))
        #expect(try db.scalar("SELECT attr_shape FROM span_rows") == .null)
        #expect(try db.scalar("SELECT \(Schema.attributeSQL(row: "spans", path: "'$.\"service.name\"'", key: "'service.name'")) FROM spans")
                == .text("shop"))
        #expect(try db.attributeKeys() == ["n", "service.name"])
        #expect(try db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'spans_ids' AND tbl_name = 'span_rows'") == .integer(1))
    }
}
