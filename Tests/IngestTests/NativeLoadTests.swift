import Foundation
import Testing
@testable import Ingest
import Store

/// The benchmark corpus (../shared/bench/gen_traces.py) loads fully mapped, and its ground
/// truth comes back out of the store.
@Suite(.serialized) struct NativeLoadTests {
    nonisolated(unsafe) static let corpus = Result { try TestSupport.benchCorpus(traces: 600, seed: 11, scenarios: ["refusal", "tool"]) }

    func loadedStore() throws -> (Database, [String: Any], URL) {
        let (native, _, truth) = try Self.corpus.get()
        let dir = TestSupport.temporaryDirectory()
        let db = try Database(path: dir.appendingPathComponent("store.db").path)
        let reports = try Loader(database: db, config: try TestSupport.benchWorkspace()).load(native.path)
        #expect(reports.count == 1)
        return (db, truth, native)
    }

    @Test func countsMatchTheTruthFile() throws {
        let (db, truth, _) = try loadedStore()
        let counts = truth["counts"] as? [String: Int] ?? [:]
        #expect(try TestSupport.int(db, "SELECT count(*) FROM traces") == Int64(counts["traces"] ?? -1))
        #expect(try TestSupport.int(db, "SELECT count(*) FROM spans") == Int64(counts["spans"] ?? -1))
        for kind in ["root", "llm", "tool", "retrieval"] {
            #expect(try TestSupport.int(db, "SELECT count(*) FROM spans WHERE kind = ?", [.text(kind)]) == Int64(counts[kind] ?? -1), "kind \(kind)")
        }
        let load = try db.query("SELECT status, lines, spans, traces, rejected, format FROM loads").rows
        #expect(load.count == 1)
        #expect(load[0][0] == .text("complete"))
        #expect(load[0][1].int64Value == Int64(counts["spans"] ?? -1))
        #expect(load[0][5] == .text("native"))
    }

    @Test func refusalIncidentIsRecoveredExactly() throws {
        let (db, truth, _) = try loadedStore()
        let incidents = truth["incidents"] as? [[String: Any]] ?? []
        let refusal = try #require(incidents.first { $0["scenario"] as? String == "refusal" })
        let realized = try #require(refusal["realized"] as? [String: Any])
        let intent = refusal["intent"] as? String ?? ""
        for (key, version) in [("value", refusal["value"] as? String ?? ""), ("previous", refusal["previous_value"] as? String ?? "")] {
            let expected = try #require(realized[key] as? [String: Any])
            let row = try db.query("SELECT count(*), sum(refused) FROM traces WHERE intent = ? AND prompt_version = ? AND prompt_id = 'support-answer'",
                                   [.text(intent), .text(version)]).rows[0]
            #expect(row[0].int64Value == (expected["n"] as? Int).map(Int64.init), "n under \(version)")
            #expect(row[1].int64Value == (expected["hits"] as? Int).map(Int64.init), "refusals under \(version)")
        }
    }

    @Test func everyVersionDimensionIsMapped() throws {
        let (db, _, _) = try loadedStore()
        for column in ["prompt_id", "prompt_version", "prompt_hash", "model", "provider", "config_hash", "release",
                       "environment", "cohort", "service", "service_version", "intent", "user_id", "session_id", "input", "input_hash"] {
            let missing = try TestSupport.int(db, "SELECT count(*) FROM traces WHERE \(column) IS NULL AND output IS NOT NULL")
            #expect(missing == 0, "traces with an answer but no \(column)")
        }
        #expect(try TestSupport.int(db, "SELECT count(DISTINCT cohort) FROM traces") >= 2)
        #expect(try TestSupport.int(db, "SELECT count(*) FROM traces WHERE index_version IS NOT NULL") > 0)
        #expect(try TestSupport.int(db, "SELECT count(*) FROM traces WHERE tool_version IS NOT NULL") > 0)
        #expect(try TestSupport.int(db, "SELECT count(*) FROM spans WHERE kind = 'retrieval' AND retrieval_top_score IS NULL") == 0)
        // Costs and tokens sum over the LLM spans.
        #expect(try TestSupport.int(db, """
            SELECT count(*) FROM traces t WHERE abs(t.cost_usd - (SELECT coalesce(sum(cost_usd),0) FROM spans s
            WHERE s.trace_id = t.trace_id AND s.kind = 'llm')) > 1e-9
            """) == 0)
    }

    @Test func attributesAreKeptVerbatim() throws {
        let (db, _, native) = try loadedStore()
        let firstLine = try String(contentsOf: native, encoding: .utf8).split(separator: "\n").first.map(String.init) ?? ""
        let original = try JSONSerialization.jsonObject(with: Data(firstLine.utf8)) as? [String: Any] ?? [:]
        let attrs = try #require(original["attributes"] as? [String: Any])
        let stored = try db.scalar("SELECT attrs FROM spans WHERE trace_id = ? AND span_id = ?",
                                   [.text(original["trace_id"] as? String ?? ""), .text(original["span_id"] as? String ?? "")])
        let back = try JSONSerialization.jsonObject(with: Data((stored.stringValue ?? "").utf8)) as? [String: Any] ?? [:]
        #expect(NSDictionary(dictionary: back).isEqual(to: attrs))
    }

    @Test func loadingTheSameFileTwiceAddsNothing() throws {
        let (db, _, native) = try loadedStore()
        let before = try TestSupport.tableCounts(db)
        let again = try Loader(database: db, config: try TestSupport.benchWorkspace()).load(native.path)
        guard case .alreadyLoaded = again.first?.outcome else {
            Issue.record("expected `already loaded`, got \(String(describing: again.first?.outcome))")
            return
        }
        #expect(try TestSupport.tableCounts(db) == before)

        // The same spans in a different file (one line changed): nothing duplicated.
        let dir = TestSupport.temporaryDirectory()
        let copy = dir.appendingPathComponent("copy.jsonl")
        let text = try String(contentsOf: native, encoding: .utf8)
        try TestSupport.write("\n" + text, to: copy)
        let third = try Loader(database: db, config: try TestSupport.benchWorkspace()).load(copy.path)
        guard case .loaded(let summary) = third.first?.outcome else {
            Issue.record("expected a load")
            return
        }
        #expect(summary.spans == 0)
        #expect(summary.duplicates == before["spans"])
        #expect(try TestSupport.int(db, "SELECT count(*) FROM spans") == before["spans"])
        #expect(try TestSupport.int(db, "SELECT count(*) FROM traces") == before["traces"])
    }

    @Test func gzipLoadsTheSame() throws {
        let (native, _, truth) = try Self.corpus.get()
        let dir = TestSupport.temporaryDirectory()
        let gz = dir.appendingPathComponent("corpus.jsonl.gz")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "gzip -c '\(native.path)' > '\(gz.path)'"]
        try process.run()
        process.waitUntilExit()
        let db = try Database(path: dir.appendingPathComponent("gz.db").path)
        _ = try Loader(database: db, config: try TestSupport.benchWorkspace()).load(gz.path)
        let counts = truth["counts"] as? [String: Int] ?? [:]
        #expect(try TestSupport.int(db, "SELECT count(*) FROM spans") == Int64(counts["spans"] ?? -1))
        #expect(try TestSupport.int(db, "SELECT count(*) FROM traces") == Int64(counts["traces"] ?? -1))
    }

    /// Every span's attributes come back from the `spans` view byte for byte as the file wrote
    /// them, though they are stored as a shape and a list of values.
    @Test func attributesComeBackAsTheFileWroteThem() throws {
        let (db, _, native) = try loadedStore()
        #expect(try TestSupport.int(db, "SELECT count(*) FROM span_rows WHERE attr_shape IS NULL") == 0)
        #expect(try TestSupport.int(db, "SELECT count(*) FROM attr_shapes") < 20)
        let lines = try String(contentsOf: native, encoding: .utf8).split(separator: "\n")
        let stored = try db.query("SELECT attrs FROM spans ORDER BY line").rows.compactMap { $0[0].stringValue }
        #expect(stored.count == lines.count)
        for (line, attrs) in zip(lines, stored) {
            let start = try #require(line.range(of: #""attributes":"#)).upperBound
            #expect(attrs == Self.object(at: start, in: line))
        }
    }

    /// The JSON object that starts at `start` (its braces balanced outside strings).
    static func object(at start: Substring.Index, in line: Substring) -> String {
        var depth = 0, inString = false, escaped = false
        var i = start
        while i < line.endIndex {
            let c = line[i]
            if inString {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
            } else if c == "\"" {
                inString = true
            } else if c == "{" {
                depth += 1
            } else if c == "}" {
                depth -= 1
                if depth == 0 { return String(line[start...i]) }
            }
            i = line.index(after: i)
        }
        return ""
    }

    /// Re-derivation reads shaped spans (in Swift) and spans kept whole (stores made before
    /// schema 6) to the same trace rows.
    @Test func rederiveReadsShapedAndWholeAttributesAlike() throws {
        let (shaped, _, _) = try loadedStore()
        let dir = TestSupport.temporaryDirectory()
        let copyPath = dir.appendingPathComponent("whole.db").path
        try shaped.execute("VACUUM INTO '\(copyPath)'")
        let whole = try Database(path: copyPath)
        try whole.execute("""
            UPDATE span_rows SET attr_values = (SELECT attrs FROM spans v WHERE v.trace_id = span_rows.trace_id AND v.span_id = span_rows.span_id),
              attr_shape = NULL
            """)
        #expect(try TestSupport.int(whole, "SELECT count(*) FROM span_rows WHERE attr_shape IS NOT NULL") == 0)
        var config = try TestSupport.benchWorkspace()
        config.signals.refusalPatterns = ["help"]
        for db in [shaped, whole] { _ = try Loader(database: db, config: config).rederive() }
        let columns = "trace_id, prompt_version, model, intent, input, output, input_hash, refused, tool_errors, cost_usd"
        let a = try shaped.query("SELECT \(columns) FROM traces ORDER BY trace_id").rows
        let b = try whole.query("SELECT \(columns) FROM traces ORDER BY trace_id").rows
        #expect(a.count > 500)
        #expect(a == b)
        #expect(try TestSupport.int(shaped, "SELECT count(*) FROM traces WHERE prompt_version IS NULL AND output IS NOT NULL") == 0)
    }

    @Test func rederiveAfterTheRulesChange() throws {
        let (native, _, _) = try Self.corpus.get()
        let dir = TestSupport.temporaryDirectory()
        let db = try Database(path: dir.appendingPathComponent("store.db").path)
        // Loaded without the workspace mappings: no prompt versions, no intents.
        _ = try Loader(database: db).load(native.path)
        #expect(try TestSupport.int(db, "SELECT count(*) FROM traces WHERE prompt_version IS NOT NULL") == 0)
        let refusedBefore = try TestSupport.int(db, "SELECT sum(refused) FROM traces")
        // With the workspace file, the same store is derived again without reading the file.
        let (spans, traces) = try Loader(database: db, config: try TestSupport.benchWorkspace()).rederive()
        #expect(spans == (try TestSupport.int(db, "SELECT count(*) FROM spans")))
        #expect(traces == (try TestSupport.int(db, "SELECT count(*) FROM traces")))
        #expect(try TestSupport.int(db, "SELECT count(*) FROM traces WHERE prompt_version IS NULL AND output IS NOT NULL") == 0)
        #expect(try TestSupport.int(db, "SELECT count(*) FROM traces WHERE intent IS NULL") == 0)
        // A narrower refusal rule gives fewer refusals.
        var config = try TestSupport.benchWorkspace()
        config.signals.refusalPatterns = ["this pattern matches nothing"]
        _ = try Loader(database: db, config: config).rederive()
        let contentFilter = try TestSupport.int(db, "SELECT count(*) FROM traces WHERE finish_reason = 'content_filter'")
        #expect(try TestSupport.int(db, "SELECT sum(refused) FROM traces") == contentFilter)
        #expect(refusedBefore >= contentFilter)
    }
}
