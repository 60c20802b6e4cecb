import Foundation
@testable import Notebook
import Testing
import Yams

/// promptfoo and OpenAI evals exports parse as their tools read them and hold what they need.
/// (promptfoo itself is not run: it needs npx and the network.)
@Suite struct CaseExportTests {
    static let file = CaseFormatTests.file

    @Test func promptfooYAMLHoldsTestsVarsAndAssertions() throws {
        let text = PromptfooExport.write(Self.file)
        let root = try #require(try Yams.load(yaml: text) as? [String: Any])
        let tests = try #require(root["tests"] as? [[String: Any]])
        #expect(tests.count == Self.file.cases.count)
        let first = try #require(tests.first)
        let vars = try #require(first["vars"] as? [String: String])
        #expect(vars["input"] == Self.file.cases[0].input.text && vars["intent"] == "refund" && vars["yes"] == "on")
        let messagesText = try #require(vars["messages"])
        let messages = try #require(try JSONSerialization.jsonObject(with: Data(messagesText.utf8)) as? [[String: String]])
        #expect(messages.map { $0["role"] } == ["system", "user"])
        let asserts = try #require(first["assert"] as? [[String: Any]])
        #expect(asserts.map { $0["type"] as? String } == ["not-is-refusal", "icontains", "latency", "cost", "regex", "equals", "is-json",
                                                         "not-icontains", "trajectory:tool-used"])
        #expect(asserts[1]["value"] as? String == "refund")
        #expect(asserts[2]["threshold"] as? Int == 4000 && asserts[3]["threshold"] as? Double == 0.01)
        #expect(asserts[4]["value"] as? String == #"\d+ days"#)
        #expect(asserts[5]["value"] as? String == "Yes — \"sure\"\n")
        #expect(asserts[8]["value"] as? String == "refund_check")
        let metadata = try #require(first["metadata"] as? [String: Any])
        #expect(metadata["relops_id"] as? String == "case-e35b6778f30f" && metadata["severity"] as? String == "critical")
        #expect((tests[1]["assert"] as? [Any])?.isEmpty == true)
    }

    @Test func openAIEvalsJSONLinesHoldChatInputs() throws {
        let text = OpenAIEvalsExport.write(Self.file)
        let lines = text.split(separator: "\n")
        #expect(lines.count == Self.file.cases.count && text.hasSuffix("\n"))
        let samples = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let input = try #require(samples[0]["input"] as? [[String: String]])
        #expect(input == [["role": "system", "content": "Be kind.\nNo refunds talk."], ["role": "user", "content": "Can I get a refund?"]])
        #expect(samples[0]["ideal"] as? String == "Yes — \"sure\"\n", "equals gives the ideal answer")
        let relops = try #require(samples[0]["relops"] as? [String: Any])
        #expect(relops["id"] as? String == "case-e35b6778f30f")
        #expect((relops["expect"] as? [String])?.first == "not refused")
        // A case without messages still has a user turn; without equals or contains, no ideal.
        let bare = try #require(samples[1]["input"] as? [[String: String]])
        #expect(bare == [["role": "user", "content": ""]] && samples[1]["ideal"] == nil)
    }

    @Test func idealIsTheContainedTextsWithoutEquals() {
        #expect(OpenAIEvalsExport.ideal([.contains("a"), .notRefused, .contains("b")]) == .array([.string("a"), .string("b")]))
        #expect(OpenAIEvalsExport.ideal([.notRefused]) == nil)
    }

    @Test func defaultPaths() {
        #expect(CaseExportFormat.relops.defaultPath(session: "s") == "cases/s.yaml")
        #expect(CaseExportFormat.promptfoo.defaultPath(session: "s") == "cases/s.promptfoo.yaml")
        #expect(CaseExportFormat.openaiEvals.defaultPath(session: "s") == "cases/s.jsonl")
    }
}
