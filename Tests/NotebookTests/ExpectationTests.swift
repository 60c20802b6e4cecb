@testable import Notebook
import Testing

/// Swift Testing has an `Expectation` of its own.
typealias Expectation = Notebook.Expectation

/// Expectations read from their text, write back the same text, and check answers.
@Suite struct ExpectationTests {
    @Test(arguments: [
        "not refused", "refused", #"contains "refund""#, #"not contains "sorry""#, #"matches "^[A-Z]""#, #"equals "ok""#,
        "json", "tool refund_check", "max_latency 4s", "max_latency 800ms", "max_cost 0.01", #"contains "say \"hi\"""#,
    ])
    func textRoundTrips(_ text: String) throws {
        #expect(try Expectation.parse(text).text == text)
    }

    @Test func checksAnswers() {
        let answer = Expectation.Answer(output: #"{"refund": "ok"}"#, refused: false, latencyMs: 5200, costUsd: 0.002, tools: ["order_lookup"])
        func status(_ e: Expectation) -> Expectation.Outcome.Status { e.check(answer).status }
        #expect(status(.notRefused) == .pass && status(.refused) == .fail)
        #expect(status(.contains("REFUND")) == .pass && status(.notContains("refund")) == .fail)
        #expect(status(.matches("^\\{")) == .pass && status(.equals("nope")) == .fail)
        #expect(status(.validJSON) == .pass && status(.toolCalled("order_lookup")) == .pass && status(.toolCalled("refund_check")) == .fail)
        #expect(status(.maxLatencyMs(4000)) == .fail && status(.maxCostUsd(0.01)) == .pass)
        #expect(Expectation.maxLatencyMs(4000).check(answer).seen == "latency 5.2s")
        let silent = Expectation.Answer(output: nil, refused: nil, latencyMs: nil, costUsd: nil, tools: [])
        #expect(Expectation.contains("x").check(silent).status == .unknown && Expectation.notRefused.check(silent).status == .unknown)
    }

    @Test(arguments: [
        ("refusd", "unknown expectation `refusd`; did you mean `refused`?"),
        ("max_latency soon", "`max_latency` takes a duration such as 4s or 800ms, not `soon`"),
        ("contains", "`contains` needs a text in quotes"),
        (#"matches "(""#, #"`matches "("`: not a valid regular expression"#),
        ("not happy", "`not` goes with `refused` or `contains \"…\"`"),
        ("json please", "`json please`: unexpected `please` after the expectation"),
    ])
    func badExpectationsSayWhy(_ text: String, _ message: String) {
        #expect { try Expectation.parse(text) } throws: { ($0 as? NotebookError)?.message.hasPrefix(message) == true }
    }
}
