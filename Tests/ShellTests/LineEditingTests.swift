import Foundation
import Testing

/// Line editing through a real pseudo-terminal: completion, history, Ctrl-R, continuation
/// lines and Ctrl-C, on the real binary.
@Suite(.serialized) struct LineEditingTests {
    let fixture = RelopsBinary.fixturesDir.appendingPathComponent("otel-genai-latest.jsonl").path

    /// A loaded store and a private history file.
    func workspace() throws -> (dir: URL, db: String, env: [String: String]) {
        let dir = RelopsBinary.temporaryDirectory()
        let db = dir.appendingPathComponent("t.db").path
        let load = try RelopsBinary.run(["--db", db, "-c", "load \(fixture)"])
        #expect(load.status == 0, "\(load.stderr)")
        return (dir, db, ["RELOPS_HISTORY": dir.appendingPathComponent("history").path, "HOME": dir.path, "NO_COLOR": "1"])
    }

    @Test func tabCompletesCommandsStagesFieldsAndValues() throws {
        let (_, db, env) = try workspace()
        let t = try TerminalSession(["--db", db], environment: env)
        try t.waitFor("relops>")
        // (The screen loses trailing spaces, so each check includes what was typed next.)
        try t.type("tra"); try t.keys("Tab")
        try t.type("| wh"); try t.keys("Tab")
        try t.waitFor("relops> traces | where")
        try t.type("mod"); try t.keys("Tab")
        try t.type("== "); try t.keys("Tab")
        // Three models share `gpt-4`: the common prefix goes in, quoted; one more letter decides.
        try t.waitFor("where model == \"gpt-4")
        try t.type(".1"); try t.keys("Tab")
        try t.type("| limit 1")
        try t.waitFor("where model == \"gpt-4.1-2025-04-14\" | limit 1")
        try t.keys("C-a", "C-k")
        // Several candidates are listed.
        try t.type("traces | stats count() by mo"); try t.keys("Tab")
        try t.waitFor("by model")
        try t.keys("C-a", "C-k")
        try t.type("."); try t.keys("Tab")
        let listed = try t.waitFor(".timer")
        #expect(listed.contains(".mode") && listed.contains(".headers"), "\(listed)")
    }

    @Test func tabCompletesPathsAfterLoad() throws {
        let (dir, db, env) = try workspace()
        try Data().write(to: dir.appendingPathComponent("week-48-traces.jsonl"))
        let t = try TerminalSession(["--db", db], environment: env)
        try t.waitFor("relops>")
        try t.type("load \(dir.path)/week-4"); try t.keys("Tab")
        try t.type("format native")
        try t.waitFor("week-48-traces.jsonl format native")
    }

    @Test func continuedLinesHistoryAndReverseSearch() throws {
        let (_, db, env) = try workspace()
        do {
            let t = try TerminalSession(["--db", db], environment: env)
            try t.waitFor("relops>")
            try t.type("traces |"); try t.keys("Enter")
            try t.waitFor("   ...>")
            try t.type("stats n = count()"); try t.keys("Enter")
            let screen = try t.waitFor("(1 row)")
            #expect(screen.contains("7"), "\(screen)")
            try t.type(".mode csv"); try t.keys("Enter")
            try t.keys("C-d")
            try t.waitFor("[exit 0]")
        }
        // The history file holds whole statements, and a new session recalls them.
        let history = try String(contentsOfFile: env["RELOPS_HISTORY"] ?? "", encoding: .utf8)
        #expect(history.contains(#"traces\040|\040stats\040n\040=\040count()"#), "\(history)")
        let t = try TerminalSession(["--db", db], environment: env)
        try t.waitFor("relops>")
        try t.keys("Up")
        try t.waitFor("relops> .mode csv")
        try t.keys("C-a", "C-k", "C-r")
        try t.type("stats")
        try t.waitFor("traces | stats n = count()")
        try t.keys("Enter")
        try t.waitFor("(1 row)")
    }

    @Test func ctrlCAbandonsTheLineAndTwiceOnAnEmptyLineLeaves() throws {
        let (_, db, env) = try workspace()
        let t = try TerminalSession(["--db", db], environment: env)
        try t.waitFor("relops>")
        try t.waitForPrompt()
        try t.type("traces | where refused")
        try t.keys("C-c")
        try t.waitFor("^C")
        try t.type("sources"); try t.keys("Enter")
        let screen = try t.waitFor("(1 row)")
        #expect(!screen.contains("error"), "the abandoned line did not run: \(screen)")
        try t.waitForPrompt()
        try t.keys("C-c")
        try t.waitFor("Ctrl-C again or Ctrl-D to leave")
        try t.keys("C-c")
        try t.waitFor("[exit 0]")
    }

    @Test func ctrlCStopsARunningQueryAndTheShellGoesOn() throws {
        let (dir, db, env) = try workspace()
        // Two million traces take half a gigabyte: not left behind in the temporary folder.
        defer { try? FileManager.default.removeItem(at: dir) }
        // Two million traces written straight into the store, so that grouping them by a
        // unique text takes seconds.
        let fill = Process()
        fill.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        fill.arguments = ["sqlite3", db, """
            WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c LIMIT 2000000)
            INSERT INTO traces (trace_id, ts, start_ns, end_ns, latency_ms, status, input, input_tokens, output_tokens,
                                cost_usd, spans, llm_calls, tool_calls, tool_errors, refused, safety_flagged, error)
            SELECT printf('%032x', i + 1000), '2026-11-01T00:00:00.000000Z', 1793491200000000000 + i, 1793491200000000000 + i,
                   1.0, 'ok', 'question ' || i, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0 FROM c;
            """]
        try fill.run()
        fill.waitUntilExit()
        #expect(fill.terminationStatus == 0)
        let t = try TerminalSession(["--db", db], environment: env)
        try t.waitFor("relops>")
        try t.type("traces | stats n = dcount(strcat(input, trace_id, input, trace_id, input)) by substr(input, 1, 10) | sort n desc | limit 1")
        try t.keys("Enter")
        usleep(1_000_000)
        try t.keys("C-c")
        try t.waitFor("interrupted")
        try t.type("traces | where trace_id == \"00000000000000000000000000000001\" | stats count()"); try t.keys("Enter")
        try t.waitFor("(1 row)")
        // The store is intact and unlocked: another process reads it.
        let count = try RelopsBinary.run(["--db", db, "--format", "csv", "-c", "traces | stats count()"])
        #expect(count.stdout.contains("2000007"), "\(count.stdout) \(count.stderr) in \(dir.path)")
    }
}
