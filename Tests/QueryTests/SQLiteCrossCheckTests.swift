import Foundation
import Query
import Store
import Testing

/// Each relops query is checked against SQL written by hand and run by the sqlite3 CLI on the
/// same store: another program, another author of the SQL, the same rows. Percentiles are
/// cross-checked with numpy's linear interpolation written in plain SQL.
@Suite struct SQLiteCrossCheckTests {
    struct Pair: CustomTestStringConvertible, Sendable {
        var query: String
        var sql: String
        var testDescription: String { query }
    }

    static let numpyP95 = """
        WITH r AS (SELECT model, latency_ms AS x,
                     row_number() OVER (PARTITION BY model ORDER BY latency_ms) - 1 AS i,
                     count(*) OVER (PARTITION BY model) AS n
                   FROM traces WHERE latency_ms IS NOT NULL),
             h AS (SELECT model, x, i, (n - 1) * 0.95 AS h FROM r)
        SELECT model,
               sum(CASE WHEN i = CAST(h AS INTEGER) THEN x * (1 - (h - CAST(h AS INTEGER)))
                        WHEN i = CAST(h AS INTEGER) + 1 THEN x * (h - CAST(h AS INTEGER)) ELSE 0 END) AS p95
        FROM h GROUP BY model ORDER BY model
        """

    static let pairs: [Pair] = [
        Pair(query: "traces | stats count(), rate(refused) by prompt_version",
             sql: "SELECT prompt_version, count(*), avg(refused) FROM traces GROUP BY prompt_version ORDER BY prompt_version"),
        Pair(query: "traces | stats p95(latency_ms) by model", sql: numpyP95),
        Pair(query: "tools | stats count(), countif(status == \"error\") by tool_name, tool_version",
             sql: "SELECT tool_name, tool_version, count(*), sum(status = 'error') FROM spans WHERE kind = 'tool' GROUP BY 1, 2 ORDER BY 1, 2"),
        Pair(query: "traces | where ts >= \"2026-11-20\" and ts < \"2026-11-22\" | stats count()",
             sql: "SELECT count(*) FROM traces WHERE ts >= '2026-11-20' AND ts < '2026-11-22'"),
        Pair(query: "traces | where output contains \"can't help\" | stats n = count() by intent | sort n desc, intent",
             sql: "SELECT intent, count(*) AS n FROM traces WHERE output LIKE '%can''t help%' GROUP BY intent ORDER BY n DESC, intent"),
        Pair(query: "traces | top 5 by latency_ms | select trace_id, ts, latency_ms",
             sql: "SELECT trace_id, ts, latency_ms FROM traces ORDER BY latency_ms DESC LIMIT 5"),
        Pair(query: "traces | stats count(), sum(refused) by bin(ts, 1d)",
             sql: "SELECT substr(ts, 1, 10) || 'T00:00:00.000000Z', count(*), sum(refused) FROM traces GROUP BY 1 ORDER BY 1"),
        Pair(query: "traces | stats stddev(latency_ms), stddev_pop(latency_ms), avg(latency_ms) by intent",
             sql: """
                SELECT intent, sqrt((sum(latency_ms * latency_ms) - sum(latency_ms) * sum(latency_ms) / count(latency_ms)) / (count(latency_ms) - 1)),
                       sqrt((sum(latency_ms * latency_ms) - sum(latency_ms) * sum(latency_ms) / count(latency_ms)) / count(latency_ms)),
                       avg(latency_ms)
                FROM traces GROUP BY intent ORDER BY intent
                """),
        Pair(query: "llm | stats count() by t = attr.\"gen_ai.request.temperature\"",
             sql: "SELECT json_extract(attrs, '$.\"gen_ai.request.temperature\"') AS t, count(*) FROM spans WHERE kind = 'llm' GROUP BY t ORDER BY t"),
        Pair(query: "traces | stats dcount(input_hash), dcount(model) by cohort",
             sql: "SELECT cohort, count(DISTINCT input_hash), count(DISTINCT model) FROM traces GROUP BY cohort ORDER BY cohort"),
        Pair(query: "traces | where intent in (\"refund\", \"returns\") and not refused | stats avg(output_tokens / input_tokens) by intent",
             sql: "SELECT intent, avg(output_tokens * 1.0 / input_tokens) FROM traces WHERE intent IN ('refund', 'returns') AND NOT refused GROUP BY intent ORDER BY intent"),
        Pair(query: "traces | stats n = count() by intent | where n > 150 | sort intent",
             sql: "SELECT intent, count(*) AS n FROM traces GROUP BY intent HAVING n > 150 ORDER BY intent"),
    ]

    @Test(arguments: pairs) func sameRowsAsTheSQLiteCLI(_ pair: Pair) throws {
        let engine = try QueryStore.engine()
        let ours = try engine.run(QuerySource(text: pair.query)).rows.rows
        let theirs = try Self.sqlite3(pair.sql)
        #expect(ours.count == theirs.count, "row counts differ")
        for (a, b) in zip(ours, theirs) {
            #expect(a.count == b.count)
            for (x, y) in zip(a, b) {
                #expect(Self.same(x, y), "\(x) vs sqlite3's \(y) in \(pair.query)")
            }
        }
        #expect(!ours.isEmpty, "a cross-check over no rows proves nothing")
    }

    static func same(_ a: SQLValue, _ b: Any) -> Bool {
        switch a {
        case .null: return b is NSNull
        case .text(let s): return (b as? String) == s
        case .integer(let i):
            if let n = b as? NSNumber { return n.int64Value == i && n.doubleValue == Double(i) }
            return false
        case .real(let d):
            guard let n = b as? NSNumber else { return false }
            return abs(n.doubleValue - d) <= 1e-9 * max(1, abs(d))
        case .blob: return false
        }
    }

    /// Rows from `sqlite3 -json STORE SQL`, columns in order (the CLI's JSON keeps them).
    static func sqlite3(_ sql: String) throws -> [[Any]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", "-readonly", "-cmd", ".timeout 10000", QueryStore.path, ".mode list", ".separator \u{1F} \u{1E}", ".nullvalue \u{1D}NULL", sql]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "sqlite3 failed on: \(sql)")
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\u{1E}", omittingEmptySubsequences: true).compactMap { record -> [Any]? in
            let line = record.hasPrefix("\n") ? record.dropFirst() : record[...]
            if line.isEmpty { return nil }
            return line.split(separator: "\u{1F}", omittingEmptySubsequences: false).map { field -> Any in
                let s = String(field)
                if s == "\u{1D}NULL" { return NSNull() }
                if let i = Int64(s) { return NSNumber(value: i) }
                if let d = Double(s), s.contains(".") || s.contains("e") { return NSNumber(value: d) }
                return s
            }
        }
    }
}
