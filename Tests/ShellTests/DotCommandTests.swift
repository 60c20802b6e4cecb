import Foundation
import Ingest
import Store
import Testing
@testable import Shell

/// The display settings: each output mode as exact text, the row limit's footer, headers off,
/// expanded display, the pager's decision, and the dot-commands that set them.
@Suite struct DotCommandTests {
    let rows = Rows(columns: ["trace_id", "model", "latency_ms"], rows: [
        [.text("t1"), .text("gpt-4o"), .real(120.5)],
        [.text("t2"), .null, .integer(98)],
        [.text("t3"), .text("gpt-4.1"), .real(3071.0938)],
    ])

    func render(_ rows: Rows, _ format: OutputFormat, headers: Bool = true, expanded: Bool = false,
                limit: Int? = nil, width: Int? = nil, color: Bool = false) -> String {
        var renderer = Renderer(format: format, width: width, color: color)
        renderer.headers = headers
        renderer.expanded = expanded
        renderer.limit = limit
        return renderer.render(rows)
    }

    // MARK: - line mode

    @Test func lineModeRightAlignsNamesAndLeavesABlankLineBetweenRows() {
        // NULL is empty, as sqlite3 prints it by default.
        #expect(render(rows, .line) == [
            "  trace_id = t1", "     model = gpt-4o", "latency_ms = 120.5", "",
            "  trace_id = t2", "     model = ", "latency_ms = 98", "",
            "  trace_id = t3", "     model = gpt-4.1", "latency_ms = 3071.09", "",
        ].joined(separator: "\n"))
    }

    @Test func lineModeContinuesAValueOverSeveralLinesUnderItself() {
        let text = Rows(columns: ["id", "output"], rows: [[.integer(1), .text("first line\nsecond line")]])
        #expect(render(text, .line) == "    id = 1\noutput = first line\n         second line\n")
    }

    @Test func lineModePrintsNothingForNoRows() {
        #expect(render(Rows(columns: ["a"], rows: []), .line) == "")
    }

    // MARK: - expanded display

    @Test func expandedDisplayShowsEachRowAsABlock() {
        #expect(render(rows, .table, expanded: true) == """
            ─[ RECORD 1 ]───────
            trace_id   │ t1
            model      │ gpt-4o
            latency_ms │ 120.5
            ─[ RECORD 2 ]───────
            trace_id   │ t2
            model      │
            latency_ms │ 98
            ─[ RECORD 3 ]───────
            trace_id   │ t3
            model      │ gpt-4.1
            latency_ms │ 3071.09

            """)
    }

    @Test func expandedDisplayKeepsLongAndMultiLineValuesWhole() {
        let long = String(repeating: "x", count: 150)
        let text = Rows(columns: ["id", "output"], rows: [[.integer(7), .text("one\ntwo")], [.integer(8), .text(long)]])
        let out = render(text, .table, expanded: true, width: 60)
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The rule stops at the terminal's width; the value does not.
        #expect(lines[0] == "─[ RECORD 1 ]" + String(repeating: "─", count: 60 - 13))
        #expect(lines[1] == "id     │ 7")
        #expect(lines[2] == "output │ one")
        #expect(lines[3] == "       │ two")
        #expect(lines[6] == "output │ " + long)
    }

    @Test func expandedDisplaySaysWhenThereAreNoRowsAndOnlyAppliesToTableMode() {
        #expect(render(Rows(columns: ["a"], rows: []), .table, expanded: true) == "(0 rows)\n")
        #expect(render(rows, .csv, expanded: true) == render(rows, .csv))
        #expect(render(rows, .markdown, expanded: true) == render(rows, .markdown))
    }

    // MARK: - limit

    @Test(arguments: [
        (OutputFormat.table, "(showing 2 of 3 rows; .limit 0 shows all)\n"),
        (.markdown, "|\n\n(showing 2 of 3 rows; .limit 0 shows all)\n"),
        (.line, "= 98\n\n(showing 2 of 3 rows; .limit 0 shows all)\n"),
    ])
    func limitCutsDisplayModesAndSaysSoInAFooter(format: OutputFormat, ending: String) {
        let out = render(rows, format, limit: 2)
        #expect(out.hasSuffix(ending), "\(out)")
        #expect(!out.contains("t3"))
        #expect(out.contains("t2"))
    }

    @Test func limitCutsExpandedDisplay() {
        let out = render(rows, .table, expanded: true, limit: 1)
        #expect(out.hasSuffix("latency_ms │ 120.5\n(showing 1 of 3 rows; .limit 0 shows all)\n"), "\(out)")
        #expect(!out.contains("RECORD 2"))
    }

    @Test(arguments: [OutputFormat.csv, .json, .jsonl])
    func limitLeavesModesForProgramsWhole(format: OutputFormat) {
        #expect(render(rows, format, limit: 1) == render(rows, format))
    }

    @Test func aResultWithinTheLimitHasTheUsualFooter() {
        #expect(render(rows, .table, limit: 3).hasSuffix("(3 rows)\n"))
        #expect(render(rows, .line, limit: 3) == render(rows, .line))
    }

    @Test func footerNumbersAreGrouped() {
        let many = Rows(columns: ["n"], rows: (0..<1234).map { [.integer(Int64($0))] })
        #expect(render(many, .table, limit: 20).hasSuffix("(showing 20 of 1,234 rows; .limit 0 shows all)\n"))
        #expect(Renderer.grouped(0) == "0")
        #expect(Renderer.grouped(999) == "999")
        #expect(Renderer.grouped(1000) == "1,000")
        #expect(Renderer.grouped(1_000_000) == "1,000,000")
        #expect(Renderer.grouped(-12345) == "-12,345")
    }

    // MARK: - headers and colour

    @Test func headersOffLeavesOnlyTheValuesInTableAndCSV() {
        #expect(render(rows, .table, headers: false) == """
            t1 │ gpt-4o  │   120.5
            t2 │         │      98
            t3 │ gpt-4.1 │ 3071.09

            """)
        #expect(render(rows, .csv, headers: false) == "t1,gpt-4o,120.5\r\nt2,,98\r\nt3,gpt-4.1,3071.0938\r\n")
        // Markdown needs its header row to be a table.
        #expect(render(rows, .markdown, headers: false).hasPrefix("| trace_id | model | latency_ms |\n"))
        #expect(render(rows, .line, headers: false) == render(rows, .line))
    }

    @Test func theTableHeaderIsBoldOnlyWithColour() {
        #expect(render(rows, .table, color: true).hasPrefix("\u{1B}[1mtrace_id │ model   │ latency_ms\u{1B}[0m\n"))
        #expect(!render(rows, .table).contains("\u{1B}["))
        #expect(!render(rows, .line, color: true).contains("\u{1B}["))
    }

    @Test(arguments: [
        ([:], true),
        (["NO_COLOR": ""], true),
        (["NO_COLOR": "1"], false),
        (["NO_COLOR": "anything"], false),
    ])
    func noColorTurnsColourOff(environment: [String: String], allowed: Bool) {
        #expect(Console.colorAllowed(environment) == allowed)
    }

    // MARK: - pager

    @Test(arguments: [
        ("", 24, 80, false),
        ("a\nb\n", 3, 80, false),
        ("a\nb\nc\n", 3, 80, true),
        (String(repeating: "x", count: 161) + "\n", 3, 80, true),
        (String(repeating: "x", count: 160) + "\n", 3, 80, false),
        ("a\nb\nc\nd\n", 0, 80, false),
    ])
    func thePagerIsForTextLongerThanTheScreen(text: String, rows: Int, columns: Int, pages: Bool) {
        #expect(Pager.needsPaging(text, rows: rows, columns: columns) == pages)
    }

    @Test(arguments: [
        ([:], "less -SRFX"),
        (["PAGER": "more"], "more"),
        (["PAGER": "more", "RELOPS_PAGER": "less -R"], "less -R"),
        (["PAGER": "more", "RELOPS_PAGER": ""], nil),
        (["PAGER": "  "], nil),
    ] as [([String: String], String?)])
    func thePagerComesFromTheEnvironment(environment: [String: String], command: String?) {
        #expect(Pager.configured(environment)?.command == command)
    }

    @Test func aPagerThatCannotStartIsReported() {
        #expect(!Pager(command: "relops-no-such-pager --flag").show("text\n"))
        #expect(!Pager(command: "/nonexistent/pager").show("text\n"))
        #expect(Pager(command: "true").show("text\n"))
    }

    // MARK: - dot-commands

    func shell() throws -> (Shell, URL) {
        let dir = RelopsBinary.temporaryDirectory()
        let database = try Database(path: dir.appendingPathComponent("t.db").path)
        return (Shell(database: database, config: WorkspaceConfig()), dir)
    }

    func message(_ result: CommandResult) -> String? {
        if case .message(let text) = result { return text }
        return nil
    }

    @Test func expandedDisplayTogglesAndSaysSoAsPsqlDoes() throws {
        let (shell, _) = try shell()
        #expect(message(try shell.run(".x")) == "Expanded display is on.")
        #expect(shell.settings.expanded)
        #expect(message(try shell.run(".x")) == "Expanded display is off.")
        #expect(message(try shell.run(".expanded on")) == "Expanded display is on.")
        #expect(message(try shell.run(".x OFF")) == "Expanded display is off.")
        #expect(!shell.settings.expanded)
    }

    @Test func settingsChangeWhatTheRendererIsGiven() throws {
        let (shell, _) = try shell()
        _ = try shell.run(".mode line")
        _ = try shell.run(".headers off")
        _ = try shell.run(".limit 20")
        _ = try shell.run(".pager on")
        _ = try shell.run(".timer on")
        var expected = OutputSettings(format: .line)
        expected.headers = false
        expected.limit = 20
        expected.pager = true
        expected.timer = true
        #expect(shell.settings == expected)
        _ = try shell.run(".limit 0")
        #expect(shell.settings.limit == nil)
        #expect(message(try shell.run(".show")) == """
                mode: line
             headers: off
            expanded: off
               limit: none
              output: stdout
               pager: on
               timer: on
            """)
    }

    @Test(arguments: [
        (".limit", "Usage: .limit N"),
        (".limit -1", "Usage: .limit N"),
        (".limit ten", "Usage: .limit N"),
        (".headers maybe", "Usage: .headers on|off"),
        (".x on off", "Usage: .x [on|off]"),
        (".mode xml", "Usage: .mode table|csv|json|jsonl|markdown|line"),
        (".once", "Usage: .once FILE"),
        (".output a b", "Usage: .output [FILE]"),
        (".pager", "Usage: .pager on|off"),
        (".show all", "Usage: .show"),
        (".modes csv", "unknown setting `.modes` (did you mean `.mode`?)"),
        (".expand on", "unknown setting `.expand` (did you mean `.expanded`?)"),
    ])
    func wrongSettingsSayHowToWriteThem(line: String, message: String) throws {
        let (shell, _) = try shell()
        #expect {
            _ = try shell.run(line)
        } throws: { error in
            (error as? ShellError)?.description.contains(message) == true
        }
    }

    @Test func outputGoesToAFileUntilOutputAloneAndOnceForOneCommand() throws {
        let (shell, dir) = try shell()
        let path = dir.appendingPathComponent("out.txt").path
        try Data("old contents\n".utf8).write(to: URL(fileURLWithPath: path))
        _ = try shell.run(".output \(path)")
        #expect(shell.output.path == path)
        #expect(try shell.output.writeToFile("new\n"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n", "emptied first, as sqlite3 does")
        _ = try shell.run(".output")
        #expect(shell.output.isStandardOutput)
        #expect(try !shell.output.writeToFile("more\n"))
        _ = try shell.run(".once \(path)")
        let once = shell.output.pendingOnce
        #expect(once != nil)
        shell.output.endOnce(once)
        #expect(shell.output.isStandardOutput)
    }

    @Test func outputRefusesAFileItCannotWriteAndTheStoreItself() throws {
        let (shell, dir) = try shell()
        #expect {
            _ = try shell.run(".output \(dir.path)/missing/out.txt")
        } throws: { error in
            (error as? ShellError)?.message == "cannot write to `\(dir.path)/missing/out.txt`: no such file or directory"
        }
        let store = shell.database.path
        let before = try Data(contentsOf: URL(fileURLWithPath: store))
        #expect {
            _ = try shell.run(".once \(store)")
        } throws: { error in
            (error as? ShellError)?.message.hasPrefix("refusing to write results over the store") == true
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == before)
        #expect(shell.output.isStandardOutput)
    }

    @Test func quitAndExitLeave() throws {
        let (shell, _) = try shell()
        #expect(throws: ShellExit.self) { _ = try shell.run(".quit") }
        #expect(throws: ShellExit.self) { _ = try shell.run(".exit") }
    }

    @Test func everySettingIsInTheTableWithUsageAndExamples() throws {
        let names = CommandTable.dotCommands.flatMap(\.names)
        for expected in [".help", ".mode", ".headers", ".x", ".expanded", ".limit", ".output", ".once", ".pager",
                         ".timer", ".show", ".open", ".read", ".quit", ".exit"] {
            #expect(names.contains(expected), "\(expected)")
        }
        for spec in CommandTable.dotCommands {
            #expect(spec.usage.hasPrefix(spec.name), "\(spec.usage)")
            #expect(!spec.examples.isEmpty, "\(spec.name)")
            #expect(spec.examples.allSatisfy { $0.hasPrefix(spec.name) }, "\(spec.name)")
        }
        let (shell, _) = try shell()
        #expect(shell.help("expanded").hasPrefix("Usage: .x [on|off]\n"))
        #expect(shell.help(".exit").hasPrefix("Usage: .quit\n"))
        #expect(shell.help("line").contains("Usage: .mode table|csv|json|jsonl|markdown|line"))
    }

    // MARK: - on a terminal

    static let fixture = RelopsBinary.fixturesDir.appendingPathComponent("otel-genai-latest.jsonl").path

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Runs the interactive shell on a pseudo-terminal `rows` high (util-linux `script`),
    /// typing `input`; returns everything the terminal showed.
    static func onTerminal(db: String, input: String, rows: Int = 8, environment: [String: String]) throws -> (screen: String, status: Int32) {
        let env = environment.map { "\($0.key)=\(quote($0.value))" }.sorted().joined(separator: " ")
        let command = "stty rows \(rows) cols 100; env -u NO_COLOR \(env) \(quote(RelopsBinary.path)) --db \(quote(db))"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qefc", command, "/dev/null"]
        let out = Pipe(), stdin = Pipe()
        process.standardOutput = out
        process.standardInput = stdin
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: data, as: UTF8.self), process.terminationStatus)
    }

    func loadedStore() throws -> (dir: URL, db: String) {
        let dir = RelopsBinary.temporaryDirectory()
        let db = dir.appendingPathComponent("t.db").path
        let load = try RelopsBinary.run(["--db", db, "-c", "load \(Self.fixture)"])
        #expect(load.status == 0, "\(load.stderr)")
        return (dir, db)
    }

    @Test func aResultTallerThanTheTerminalGoesThroughThePager() throws {
        let (dir, db) = try loadedStore()
        let paged = dir.appendingPathComponent("paged.txt").path
        let env = ["RELOPS_PAGER": "cat > \(Self.quote(paged))", "PAGER": "false", "RELOPS_HISTORY": dir.appendingPathComponent("h").path, "NO_COLOR": "1"]
        let run = try Self.onTerminal(db: db, input: "traces | select trace_id | sort trace_id\n.quit\n", environment: env)
        #expect(run.status == 0, "\(run.screen)")
        let text = try String(contentsOfFile: paged, encoding: .utf8)
        #expect(text.hasPrefix("trace_id\n────"), "\(text)")
        #expect(text.hasSuffix("(7 rows)\n"))
        #expect(!run.screen.contains("09158549f2338c9a7a0027b2345cfd06"), "the pager had it, not the screen: \(run.screen)")
    }

    @Test func shortResultsPagerOffAndAMissingPagerPrintDirectly() throws {
        let (dir, db) = try loadedStore()
        let paged = dir.appendingPathComponent("paged.txt").path
        var env = ["RELOPS_PAGER": "cat > \(Self.quote(paged))", "RELOPS_HISTORY": dir.appendingPathComponent("h").path, "NO_COLOR": "1"]
        let short = try Self.onTerminal(db: db, input: "traces | stats n = count()\n.pager off\ntraces | select trace_id | sort trace_id\n.quit\n", environment: env)
        #expect(short.status == 0, "\(short.screen)")
        #expect(short.screen.contains("(1 row)"))
        #expect(short.screen.contains("bfd1b4c9326b40d5657d08ccef809fc9"))
        #expect(!FileManager.default.fileExists(atPath: paged))

        env["RELOPS_PAGER"] = "relops-no-such-pager -R"
        let missing = try Self.onTerminal(db: db, input: "traces | select trace_id | sort trace_id\n.quit\n", environment: env)
        #expect(missing.status == 0, "\(missing.screen)")
        #expect(missing.screen.contains("bfd1b4c9326b40d5657d08ccef809fc9"), "\(missing.screen)")
        #expect(!missing.screen.contains("not found"), "\(missing.screen)")
    }

    @Test func theShellStartsWithThePagerAndALimitAndScriptsDoNot() throws {
        let (dir, db) = try loadedStore()
        let env = ["RELOPS_HISTORY": dir.appendingPathComponent("h").path, "NO_COLOR": "1", "RELOPS_PAGER": ""]
        let shell = try Self.onTerminal(db: db, input: ".show\n.quit\n", rows: 40, environment: env)
        #expect(shell.screen.contains("limit: 1000 rows"), "\(shell.screen)")
        #expect(shell.screen.contains("pager: on"), "\(shell.screen)")
        let paged = dir.appendingPathComponent("paged.txt").path
        let script = try RelopsBinary.run(["--db", db], stdin: ".show\n.pager on\ntraces | select trace_id\n",
                                          environment: ["RELOPS_PAGER": "cat > \(Self.quote(paged))", "LINES": "3"])
        #expect(script.stdout.contains("limit: none"))
        #expect(script.stdout.contains("pager: off"))
        #expect(script.stdout.contains("(7 rows)"), "a pipe is never paged")
        #expect(!FileManager.default.fileExists(atPath: paged))
    }

    @Test func theBannerAndTableHeaderAreBoldOnATerminalUnlessNoColor() throws {
        let (dir, db) = try loadedStore()
        let env = ["RELOPS_HISTORY": dir.appendingPathComponent("h").path, "RELOPS_PAGER": ""]
        let input = "traces | stats n = count()\n.quit\n"
        let colour = try Self.onTerminal(db: db, input: input, rows: 40, environment: env)
        #expect(colour.screen.contains("\u{1B}[1mrelops "), "\(colour.screen)")
        #expect(colour.screen.contains(" · 7 traces · "), "\(colour.screen)")
        #expect(colour.screen.contains("\u{1B}[1mn\u{1B}[0m"), "\(colour.screen)")
        var plain = env
        plain["NO_COLOR"] = "1"
        let noColor = try Self.onTerminal(db: db, input: input, rows: 40, environment: plain)
        #expect(noColor.screen.contains("relops "), "\(noColor.screen)")
        #expect(!noColor.screen.contains("\u{1B}[1m"), "\(noColor.screen)")
        #expect(!noColor.screen.contains("\u{1B}[0m"), "\(noColor.screen)")
    }
}
