import Store
import Foundation
import Testing
@testable import Shell

/// Completion's decisions without a terminal: which words, from where, and when a statement
/// continues on the next line.
@Suite struct CompletionTests {
    func completer() -> Completer {
        var v = Completer.Vocabulary()
        v.sources = ["traces", "spans", "llm"]
        v.savedQueries = ["slowest-traces", "p95-latency-by-model"]
        v.fields = ["traces": ["trace_id", "ts", "model", "prompt_version", "latency_ms"], "llm": ["model", "attrs"]]
        v.attributeKeys = { ["gen_ai.request.model", "gen_ai.request.temperature", "app.intent"] }
        v.values = { field in field == "model" ? ["gpt-4o", "gpt-4.1"] : field == "release" ? ["2026.11 rc"] : [] }
        v.runners = ["local", "vllm"]
        v.sessions = { ["refund-refusals", "latency-week-48"] }
        v.pins = ["ae1991fe0f9b", "f48382eefba2"]
        return Completer(vocabulary: v)
    }

    func complete(_ line: String) -> Completer.Result {
        completer().complete(line, cursor: line.utf8.count)
    }

    @Test(arguments: [
        ("tr", ["traces", "triggers"]),
        ("slow", ["slowest-traces"]),
        (".mo", [".mode"]),
        (".mode c", ["csv"]),
        ("versions prompt_", ["prompt_hash", "prompt_id", "prompt_version"]),
        ("traces | so", ["sort"]),
        ("traces | where lat", ["latency_ms"]),
        ("traces | stats p9", ["p90(", "p95(", "p99("]),
        ("traces | where model == ", ["\"gpt-4o\"", "\"gpt-4.1\""]),  // most frequent first
        ("traces | where model in (\"gpt-4o\", ", ["\"gpt-4o\"", "\"gpt-4.1\""]),
        ("traces | where model in (", ["\"gpt-4o\"", "\"gpt-4.1\""]),
        ("llm | where attr.\"gen_ai.request.t", ["gen_ai.request.temperature\""]),
        ("llm | where attr.app", ["app.intent"]),
        // diff, replay and show: dimensions, their values, keywords, runners, `set` dimensions.
        ("diff prompt_v", ["prompt_version"]),
        ("diff model ", ["gpt-4o", "gpt-4.1"]),
        ("diff model gpt-4o gpt-4.", ["gpt-4.1"]),
        ("diff release ", ["'2026.11 rc'"]),
        // drift, changes and explain: signals, keywords, dimensions after `by` and `with`.
        ("drift ref", ["refused"]),
        ("drift refused, lat", ["latency_ms"]),
        ("drift refused bet", ["between"]),
        ("drift refused between v1 and v2 by mod", ["model"]),
        ("changes tool_e", ["tool_error", "tool_errors"]),
        ("changes refused ev", ["every"]),
        ("changes refused every ", ["15m", "1d", "1h", "6h"]),
        ("explain refused ", ["between"]),
        ("explain refused between v1 and v2 with us", ["user_id"]),
        ("explain refused between v1 and v2 with user_id, at", ["attr."]),
        ("drift refused between lat", ["latency_ms"]),
        // gate: the options after the baseline slice.
        ("gate v2 against v1 ca", ["cases"]),
        ("gate v2 against v1 th", ["thresholds"]),
        ("gate v2 against v1 tr", ["triggers"]),
        ("gate v2 against lat", ["latency_ms"]),
        // triggers: actions, then each action's keywords (files are PathCompletionTests' business).
        ("triggers ", ["backtest", "check", "watch"]),
        ("triggers ch", ["check"]),
        ("triggers check triggers.yaml ", ["at"]),
        ("triggers check triggers.yaml at ", []),
        ("triggers backtest triggers.yaml ", ["between"]),
        ("triggers backtest between 2026-11-01 ", ["and"]),
        ("triggers watch live.jsonl ", ["every", "for", "once", "rules"]),
        ("triggers watch live.jsonl every ", ["1m", "30s", "5m", "5s"]),
        ("triggers watch live.jsonl every 5s ", ["for", "once", "rules"]),
        ("gate v2 against v1 t", ["thresholds", "to", "triggers"]),
        ("gate v2 against v1 cases x.yaml using ", ["local", "vllm"]),
        // report: the kind, its options (each once), then the query after `where`.
        ("report ", ["monthly", "weekly"]),
        ("report weekly ", ["ending", "thresholds", "to", "where"]),
        ("report weekly ending 2026-11-30 ", ["thresholds", "to", "where"]),
        ("report weekly ending ", []),
        ("report monthly where mod", ["model"]),
        // The notebook's commands: actions, session names, expectation words, pins, causes.
        ("session ", ["list", "open", "recover", "rerun", "save", "show"]),
        ("session open re", ["refund-refusals"]),
        ("session rerun ", ["latency-week-48", "refund-refusals"]),
        ("session open refund-refusals ", ["force"]),
        ("pin ae19 ", ["expect", "note"]),
        ("pin ae19 expect ", ["contains", "equals", "json", "matches", "max_cost", "max_latency", "not", "refused", "tool"]),
        ("pin ae19 expect not ", ["contains", "refused"]),
        ("pin ae19 expect not refused ", ["expect", "note"]),
        ("unpin f", ["f48382eefba2"]),
        ("cause mod", ["model"]),
        ("cause model = ", ["gpt-4o", "gpt-4.1"]),  // most frequent first
        ("cause model = gpt-4o ", ["note"]),
        ("diff model gpt-4o gpt-4.1 ", ["examples", "where"]),
        ("diff model gpt-4o gpt-4.1 where lat", ["latency_ms"]),
        ("diff model gpt-4o gpt-4.1 where model == ", ["\"gpt-4o\"", "\"gpt-4.1\""]),
        ("replay ", ["where"]),
        ("replay 4bf92f35 ", ["across", "using"]),
        ("replay 4bf92f35 across mod", ["model"]),
        ("replay 4bf92f35 using ", ["local", "vllm"]),
        ("replay 4bf92f35 using local set prompt_v", ["prompt_version="]),
        ("replay where model == ", ["\"gpt-4o\"", "\"gpt-4.1\""]),
        ("replay where model == \"gpt-4o\" using v", ["vllm"]),
        ("show 4bf92f35 ", ["attributes"]),
        // cases: actions, export's keywords and formats, check's `against` and then the query's words.
        ("cases ", ["check", "export"]),
        ("cases export refunds ", ["format", "redact", "to"]),
        ("cases export format p", ["promptfoo"]),
        ("cases check x.yaml ", ["against"]),
        ("cases check x.yaml against model == ", ["\"gpt-4o\"", "\"gpt-4.1\""]),
    ])
    func candidates(_ line: String, _ expected: [String]) {
        #expect(complete(line).candidates == expected)
    }

    @Test func theReplacedWordStartsAfterTheDelimiter() {
        let result = complete("traces | where lat")
        #expect(result.start == "traces | where ".utf8.count)
        #expect(Completer.Result(start: 0, candidates: ["p90(", "p95(", "p99("]).commonPrefix == "p9")
    }

    @Test(arguments: [
        ("traces | stats count()", true),
        ("traces |", false),
        ("traces |   # then stats", false),
        ("traces | where intent in (\"a\",", false),
        ("traces | where output contains \"can't", false),
        ("traces | where output contains \"a|\"", true),
        ("traces | where x == 'it''s' |", false),
        ("sources", true),
        (".mode csv", true),
    ])
    func continuation(_ text: String, _ complete: Bool) {
        #expect(Completer.isComplete(text) == complete)
    }
}

/// The byte scanners of completion against the regular expressions they replaced, as oracles.
struct CompletionScannerTests {
    static let inputs = [
        "", "attr.", "attr.\"", "spans | where attr.\"gen_ai.re", "spans | where attr.gen_ai", "attr.attr.x", "x attr.\"a b", "attr.\"k\" == 1 and attr.\"",
        "where attr.k|", "attr.\"a\"b", "traces | where model == ", "x != ", "a = ", "a === ", "9abc == ", "model==", "prompt_version in (",
        "prompt_version in (\"v1\", ", "x join (", "a in (x) and b in (", "(foo in (", "f in(", "é == ", "in (", " in (",
        "model == \"gpt\" and intent == ", "traces | stats n = count() by ",
    ]

    @Test(arguments: inputs) func attributeKeysAsThePatternFindsThem(_ text: String) {
        let expected: (Bool, String)? = text.range(of: #"attr\.("?)([^"\s|]*)$"#, options: .regularExpression).map { range in
            let match = String(text[range])
            let quoted = match.hasPrefix("attr.\"")
            return (quoted, String(match.dropFirst(quoted ? 6 : 5)))
        }
        let found = Completer.attributeKeyBeingTyped(text)
        #expect(found?.quoted == expected?.0 && found?.partial == expected?.1, "\(text.debugDescription)")
    }

    @Test(arguments: inputs) func comparedFieldsAsThePatternsFindThem(_ head: String) {
        func name(_ text: Substring) -> String { String(text.prefix { $0.isLetter || $0.isNumber || $0 == "_" }) }
        var expected: String?
        if head.hasSuffix(",") || head.hasSuffix("(") {
            // The old pattern took the leftmost `x in (`; the scanner takes the last open one,
            // the list being typed. They agree whenever one list is open.
            if head.filter({ $0 == "(" }).count == 1, let r = head.range(of: #"([A-Za-z_][A-Za-z0-9_]*)\s+in\s*\([^)]*$"#, options: .regularExpression) {
                expected = name(head[r])
            } else if head.filter({ $0 == "(" }).count > 1 {
                return
            }
        } else if let r = head.range(of: #"([A-Za-z_][A-Za-z0-9_]*)\s*(==|!=|=)\s*$"#, options: .regularExpression) {
            expected = name(head[r])
        }
        #expect(Completer.comparedField(before: head) == expected, "\(head.debugDescription)")
    }

    @Test func trailingWhiteSpaceAsThePatternRemovesIt() {
        for text in ["", "  ", "a  ", "a\t\n", " a b ", "a", "│ x │  "] {
            #expect(text.trimmedTrailing() == text.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression), "\(text.debugDescription)")
        }
    }
}
