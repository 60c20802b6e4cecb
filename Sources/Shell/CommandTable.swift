/// One entry of the command table: dispatch, `help` and (later) completion all read it, so
/// they cannot disagree (as DuckDB's shell does with its metadata table).
struct CommandSpec: Sendable {
    var name: String
    var usage: String
    var summary: String
    var examples: [String]
    /// Other names dispatch accepts (`.expanded` for `.x`, `.exit` for `.quit`).
    var aliases: [String] = []

    /// The name and every alias.
    var names: [String] { [name] + aliases }
}

enum CommandTable {
    static let commands: [CommandSpec] = [
        CommandSpec(name: "load", usage: "load PATH [format native|otlp|otlp-logs] [on-error abort|skip]",
                    summary: "ingest a trace file, folder or glob (.json, .jsonl, .gz); one transaction per file",
                    examples: ["load traces.jsonl", "load exports/*.jsonl.gz on-error skip", "load otel.json format otlp"]),
        CommandSpec(name: "sources", usage: "sources",
                    summary: "every load: file, digest, format, counts, rejects, timing",
                    examples: ["sources"]),
        CommandSpec(name: "versions", usage: "versions [DIMENSION]",
                    summary: "every version value seen, with traffic and first/last seen",
                    examples: ["versions", "versions prompt_version", "versions model"]),
        CommandSpec(name: "rejects", usage: "rejects [LOAD_ID]",
                    summary: "lines a load skipped (`on-error skip`), with line number and reason",
                    examples: ["rejects", "rejects 3"]),
        CommandSpec(name: "rederive", usage: "rederive",
                    summary: "derive span facts, versions and signals again after relops.yaml changed (no file is re-read)",
                    examples: ["rederive"]),
        CommandSpec(name: "fields", usage: "fields [SOURCE]",
                    summary: "the query language's sources (traces, spans, llm, tools …) and their typed fields",
                    examples: ["fields", "fields traces"]),
        CommandSpec(name: "queries", usage: "queries",
                    summary: "saved queries (queries/*.rq): name, parameters and what each answers",
                    examples: ["queries"]),
        CommandSpec(name: "sql", usage: "sql QUERY",
                    summary: "the SQL a query compiles to, with its bound values",
                    examples: ["sql traces | stats p95(latency_ms) by model"]),
        CommandSpec(name: "schema", usage: "schema [TABLE]",
                    summary: "tables and views of the store with their columns (docs/schema.md)",
                    examples: ["schema", "schema traces"]),
        CommandSpec(name: "show", usage: "show TRACE_ID [attributes]",
                    summary: "a trace as a tree with a timing waterfall: spans, versions, prompts, outputs, tool calls, documents, errors",
                    examples: ["show 4bf92f35", "show 4bf92f3577b34da6a3ce929d0e0e4736 attributes"]),
        CommandSpec(name: "replay", usage: "replay TRACE_ID|where EXPR [across DIM|using RUNNER …]",
                    summary: "the stored answers to a trace's input under each version; or re-run it (or every match of EXPR) through a runner: `using RUNNER [set DIM=VALUE …] [limit N]`",
                    examples: ["replay 4bf92f35", "replay 4bf92f35 across model", "replay 4bf92f35 using local set prompt_version=v3",
                               "replay where intent == \"refund\" and refused using vllm set model=llama-3.1-8b limit 200"]),
        CommandSpec(name: "diff", usage: "diff DIMENSION A B [examples N] [where EXPR]",
                    summary: "inputs seen under both A and B: identical, changed and missing outputs, flips of every boolean signal, paired deltas",
                    examples: ["diff prompt_version v1 v2", "diff model gpt-4o-2024-08-06 gpt-4.1-2025-04-14 where intent == \"refund\""]),
        CommandSpec(name: "drift", usage: "drift [SIGNAL, …] between SLICE and SLICE [by DIM]",
                    summary: "whether each signal moved between two slices: KS, PSI, Wasserstein, Jensen–Shannon, rates, chi-square, verdicts by severity; by DIM: per value, with q-values",
                    examples: ["drift between v1 and v2", "drift latency_ms, refused between ts < \"2026-11-05\" and ts >= \"2026-11-07\"",
                               "drift refused, latency_ms between v1 and v2 by intent"]),
        CommandSpec(name: "changes", usage: "changes SIGNAL [every DURATION] [by DIM] [penalty X] [where EXPR]",
                    summary: "change points of a signal per time bucket (PELT): onset, level before and after, a sparkline with the change marked",
                    examples: ["changes refused every 1h where intent == \"refund\"", "changes latency_ms every 1d by model"]),
        CommandSpec(name: "explain", usage: "explain SIGNAL between SLICE and SLICE [with DIM, …]",
                    summary: "what changed: the version values that explain a signal's change (Adtributor), where it shows, each dimension's mix, evidence trace ids",
                    examples: ["explain refused between ts < \"2026-11-05\" and ts >= \"2026-11-07\"",
                               "explain tool_error between v1 and v2 with user_id, attr.\"gen_ai.tool.name\"",
                               "explain latency_ms between (cohort == \"control\" and last 7d) and (cohort == \"canary\" and last 7d)"]),
        CommandSpec(name: "pin", usage: "pin TRACE_ID [expect EXPECTATION]… [note \"…\"]",
                    summary: "a trace as evidence in the session: input, output, versions, and what the answer should do (not refused, contains \"…\", max_latency 4s, json, tool NAME …)",
                    examples: ["pin 4bf92f35 expect not refused note \"refund question refused under v2\"",
                               "pin 4bf92f35 expect contains \"refund\" expect max_latency 4s"]),
        CommandSpec(name: "unpin", usage: "unpin TRACE_ID", summary: "remove a pin from the session", examples: ["unpin 4bf92f35"]),
        CommandSpec(name: "pins", usage: "pins", summary: "the session's pins, each expectation checked against the pinned trace", examples: ["pins"]),
        CommandSpec(name: "cause", usage: "cause DIM = VALUE [note \"…\"]",
                    summary: "record a root cause, with the pins whose traces carry it",
                    examples: ["cause prompt_version = v2 note \"the new prompt refuses refund questions\""]),
        CommandSpec(name: "note", usage: "note \"…\"", summary: "the investigator's words between cells, kept in the session",
                    examples: ["note \"refusals start with the canary of prompt v2\""]),
        CommandSpec(name: "session", usage: "session [save NAME [title \"…\"] | open NAME [force] | show [NAME] | list | rerun NAME | recover]",
                    summary: "the session as a notebook in sessions/NAME.md: save, open, show, list; rerun runs every cell again and shows what changed",
                    examples: ["session save refund-refusals title \"Refund refusals after prompt v2\"", "session rerun refund-refusals",
                               "session list"]),
        CommandSpec(name: "sample", usage: "sample N [where EXPR] [by DIM] [rotation D] [seed S]",
                    summary: "draw N traces for human review: stratified by DIM, none drawn again within the rotation (default 28d), recorded as `samples`",
                    examples: ["sample 20 by intent", "sample 10 where intent == \"refund\" and refused by model rotation 14d seed 7"]),
        CommandSpec(name: "score", usage: "score TRACE_ID CRITERION=VALUE … [note \"…\"] [as REVIEWER]",
                    summary: "record a reviewer's rubric scores of a trace (criteria from relops.yaml's `rubric`); queried as `scores`, used as `score.NAME` signals",
                    examples: ["score 4bf92f35 helpfulness=4 correct_refusal=yes", "score 4bf92f35 tone=1 note \"curt\" as dana"]),
        CommandSpec(name: "cases", usage: "cases export [NAME] [format F] [to PATH] [redact …] | check FILE [against SLICE]",
                    summary: "a saved (or the current) session's pins as must-pass cases, one per input: format relops (cases/NAME.yaml), promptfoo or openai-evals; redact [PATTERN …] masks e-mails, phones, cards; check runs each case on the newest trace of its input (exit 1 on a failure)",
                    examples: ["cases export refund-refusals", "cases export refund-refusals format promptfoo redact \"ORD-\\d+\"",
                               "cases check cases/refund-refusals.yaml against v2", "cases check refund-refusals against prompt_version == \"v3\""]),
        CommandSpec(name: "help", usage: "help [COMMAND]", summary: "usage and examples of a command",
                    examples: ["help load"]),
    ]

    static let dotCommands: [CommandSpec] = [
        CommandSpec(name: ".help", usage: ".help [PATTERN]", summary: "list commands and settings, or those matching PATTERN",
                    examples: [".help", ".help mode"]),
        CommandSpec(name: ".mode", usage: ".mode table|csv|json|jsonl|markdown|line",
                    summary: "output mode (default table, or --format); line: one `name = value` a line",
                    examples: [".mode csv", ".mode line"]),
        CommandSpec(name: ".headers", usage: ".headers on|off",
                    summary: "column names in table and csv output (default on; the other modes always name columns)",
                    examples: [".headers off"]),
        CommandSpec(name: ".x", usage: ".x [on|off]",
                    summary: "expanded display (psql's \\x): a table row is a block of `name │ value` lines; alone, toggles; also .expanded",
                    examples: [".x", ".x on"], aliases: [".expanded"]),
        CommandSpec(name: ".limit", usage: ".limit N",
                    summary: "at most N rows in table, markdown and line output, then a footer; 0: all (shell 1000, scripts all)",
                    examples: [".limit 20", ".limit 0"]),
        CommandSpec(name: ".output", usage: ".output [FILE]",
                    summary: "results into FILE (emptied first) until `.output` alone; errors stay on stderr",
                    examples: [".output report.md", ".output"]),
        CommandSpec(name: ".once", usage: ".once FILE",
                    summary: "only the next command's results into FILE (emptied first)",
                    examples: [".once slow.csv"]),
        CommandSpec(name: ".pager", usage: ".pager on|off",
                    summary: "results taller than the terminal through $RELOPS_PAGER, $PAGER or less -SRFX (shell only; default on)",
                    examples: [".pager off"]),
        CommandSpec(name: ".timer", usage: ".timer on|off", summary: "print how long each command took, on stderr", examples: [".timer on"]),
        CommandSpec(name: ".show", usage: ".show", summary: "the current settings", examples: [".show"]),
        CommandSpec(name: ".open", usage: ".open STORE", summary: "open (or create) another store", examples: [".open other.db"]),
        CommandSpec(name: ".read", usage: ".read FILE", summary: "run the commands in a file", examples: [".read setup.relops"]),
        CommandSpec(name: ".quit", usage: ".quit", summary: "leave the shell (also .exit, Ctrl-D)", examples: [".quit"], aliases: [".exit"]),
    ]

    static func find(_ name: String) -> CommandSpec? {
        (commands + dotCommands).first { $0.names.contains(name) }
    }
}
