import Foundation
import Testing

/// Queries through the real binary: every output mode, errors on stderr with exit status 2,
/// scripts with queries over several lines, saved queries, `sql`, `fields` and `queries`.
@Suite struct QueryCommandLineTests {
    let fixture = RelopsBinary.fixturesDir.appendingPathComponent("otel-genai-latest.jsonl").path

    /// A store holding the fixture's 7 traces.
    func loadedStore() throws -> (dir: URL, db: String) {
        let dir = RelopsBinary.temporaryDirectory()
        let db = dir.appendingPathComponent("t.db").path
        let load = try RelopsBinary.run(["--db", db, "-c", "load \(fixture)"])
        #expect(load.status == 0, "\(load.stderr)")
        return (dir, db)
    }

    @Test func aQueryPrintsRowsInEveryMode() throws {
        let (_, db) = try loadedStore()
        let query = "traces | stats n = count(), tokens = sum(output_tokens) by model | sort model"
        let json = try RelopsBinary.run(["--db", db, "--format", "json", "-c", query])
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.stdout.hasPrefix(#"[{"model":"#), "column order is kept: \(json.stdout)")
        let rows = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(rows.count == 3)
        #expect(rows.compactMap { $0["n"] as? Int }.reduce(0, +) == 7)
        #expect(rows.map { $0["model"] as? String ?? "" } == rows.map { $0["model"] as? String ?? "" }.sorted())

        let csv = try RelopsBinary.run(["--db", db, "--format", "csv", "-c", query])
        let lines = csv.stdout.split(separator: "\r\n").map(String.init)
        #expect(lines.first == "model,n,tokens")
        #expect(lines.count == 4)

        let jsonl = try RelopsBinary.run(["--db", db, "--format", "jsonl", "-c", query])
        #expect(jsonl.stdout.split(separator: "\n").count == 3)
        for line in jsonl.stdout.split(separator: "\n") {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any])
        }

        let markdown = try RelopsBinary.run(["--db", db, "--format", "markdown", "-c", query])
        #expect(markdown.stdout.hasPrefix("| model | n | tokens |\n| --- | ---: | ---: |\n"), "\(markdown.stdout)")

        let table = try RelopsBinary.run(["--db", db, "-c", query])
        #expect(table.stdout.contains("(3 rows)"))
        // Numbers are right-aligned: the `n` column's cells end where its header's rule ends.
        #expect(table.stdout.split(separator: "\n")[0].contains("model"))
    }

    @Test func aQueryErrorExitsTwoWithTheCaretOnStderr() throws {
        let (_, db) = try loadedStore()
        let run = try RelopsBinary.run(["--db", db, "--format", "json", "-c", "traces | where latncy_ms > 100"])
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == """
            error: unknown column `latncy_ms`
             --> query:1:16
              |
            1 | traces | where latncy_ms > 100
              |                ^^^^^^^^^
              = did you mean `latency_ms`?

            """, "\(run.stderr)")
    }

    @Test func scriptsContinueQueriesOverLinesAndNameTheLine() throws {
        let (dir, db) = try loadedStore()
        let good = dir.appendingPathComponent("good.relops")
        try Data("# refusals by model\ntraces\n| where not refused\n| stats n = count()\n.mode csv\ntraces | stats n = count()\n".utf8).write(to: good)
        let run = try RelopsBinary.run(["--db", db, "-f", good.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("n\r\n7\r\n"), "\(run.stdout)")

        let bad = dir.appendingPathComponent("bad.relops")
        try Data("sources\ntraces |\n  where refused\n  | stats count() by modle\n".utf8).write(to: bad)
        let failed = try RelopsBinary.run(["--db", db, "-f", bad.path])
        #expect(failed.status == 2)
        #expect(failed.stderr.contains("--> \(bad.path):4:22"), "\(failed.stderr)")
        #expect(failed.stderr.contains("4 |   | stats count() by modle"), "\(failed.stderr)")
    }

    @Test func savedQueriesRunByNameWithParameters() throws {
        let (dir, db) = try loadedStore()
        let queries = dir.appendingPathComponent("queries")
        try FileManager.default.createDirectory(at: queries, withIntermediateDirectories: true)
        try Data("# The n slowest traces.\nparam n = 5\ntraces | top $n by latency_ms | select trace_id, latency_ms\n".utf8)
            .write(to: queries.appendingPathComponent("slowest.rq"))
        let run = try RelopsBinary.run(["--db", db, "--format", "csv", "-c", "slowest(n = 2) | select trace_id"], directory: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.split(separator: "\r\n").count == 3)

        let list = try RelopsBinary.run(["--db", db, "--format", "csv", "-c", "queries"], directory: dir)
        #expect(list.stdout.contains("slowest,n,The n slowest traces."), "\(list.stdout)")

        let wrong = try RelopsBinary.run(["--db", db, "-c", "slowest(m = 2)"], directory: dir)
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("did you mean `n`?"), "\(wrong.stderr)")
    }

    @Test func sqlFieldsAndCharts() throws {
        let (_, db) = try loadedStore()
        let sql = try RelopsBinary.run(["--db", db, "-c", #"sql traces | where model == "gpt-4o" | stats p95(latency_ms)"#])
        #expect(sql.status == 0, "\(sql.stderr)")
        #expect(sql.stdout == """
            SELECT relops_percentile("latency_ms", ?2) AS "p95_latency_ms" FROM "traces" WHERE ("model" = ?1)
            -- ?1 = 'gpt-4o'
            -- ?2 = 0.95
            -- its first stats reads trace_rollup instead of traces while the rollup is current (docs/query-language.md, "How stats runs")

            """, "\(sql.stdout)")
        let scans = try RelopsBinary.run(["--db", db, "-c", #"sql traces | where latency_ms > 100 | stats count()"#])
        #expect(scans.status == 0 && !scans.stdout.contains("trace_rollup"), "a filter on a signal reads the traces")
        let byInput = try RelopsBinary.run(["--db", db, "-c", #"sql traces | where output is not null | stats n = count() by input_hash"#])
        #expect(byInput.status == 0 && byInput.stdout.contains("-- its first stats reads input_rollup instead of traces"), "\(byInput.stdout)")

        let fields = try RelopsBinary.run(["--db", db, "--format", "csv", "-c", "fields traces"])
        #expect(fields.stdout.contains("traces,ts,time"))
        #expect(fields.stdout.contains("traces,refused,bool"))
        #expect(!fields.stdout.contains("\r\nspans,"), "only the asked source")

        let chart = try RelopsBinary.run(["--db", db, "-c", "traces | stats n = count() by model | chart bar"])
        #expect(chart.status == 0, "\(chart.stderr)")
        #expect(chart.stdout.contains("█"))
        #expect(!chart.stdout.contains("\u{1B}["), "no colour codes without a terminal")
        // Charts are for the terminal: other modes print the rows.
        let rows = try RelopsBinary.run(["--db", db, "--format", "csv", "-c", "traces | stats n = count() by model | chart bar"])
        #expect(rows.stdout.hasPrefix("model,n\r\n"))
    }
}
