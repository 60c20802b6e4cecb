@testable import Notebook
import Replay
import Testing

/// Cases from pins: one per distinct input, merged expectations and provenance, stable ids,
/// severities from the session's causes.
@Suite struct RegressionCaseTests {
    static func pin(_ id: String, hash: String?, input: String = "Can I get a refund?", expect: [Expectation] = [],
                    versions: [String: String] = ["prompt_version": "v2"], note: String? = nil, intent: String? = "refund") -> Pin {
        Pin(traceId: id, pinnedAt: "2026-11-29T10:00:00.000000Z", note: note, expectations: expect, intent: intent, input: input,
            inputHash: hash, messages: [ChatMessage(role: "user", content: input)], model: "gpt-4.1", output: "no",
            versions: versions, observed: Pin.Observation(refused: true, latencyMs: 900, tools: ["refund_check"]))
    }

    static let session: Session = {
        var s = Session(title: "Refund refusals", created: "2026-11-29T10:00:00.000000Z")
        s.pins = [
            pin("t1", hash: "e35b6778f30f1574", expect: [.notRefused, .contains("refund")], note: "first"),
            pin("t2", hash: "aaaabbbbccccdddd", input: "Where is my parcel?", expect: [.maxLatencyMs(4000)], versions: ["prompt_version": "v1"], intent: "shipping"),
            pin("t3", hash: "e35b6778f30f1574", expect: [.contains("refund"), .toolCalled("refund_check")], versions: ["prompt_version": "v1"], note: "again"),
            pin("t4", hash: nil, input: ""),
            pin("t5", hash: "ffff0000ffff0000", input: "hello", versions: [:], intent: nil),
        ]
        s.causes = [RootCause(dimension: "prompt_version", value: "v2", note: "v2 refuses", at: "2026-11-29T10:05:00.000000Z", pins: ["t1"])]
        return s
    }()

    @Test func oneCasePerInputWithMergedExpectationsAndEveryTrace() throws {
        let (file, skipped) = CaseFile.make(session: Self.session, name: "refunds")
        #expect(file.cases.map(\.id) == ["case-e35b6778f30f", "case-aaaabbbbcccc", "case-ffff0000ffff"])
        #expect(skipped.map(\.traceId) == ["t4"])
        let refund = file.cases[0]
        #expect(refund.provenance.traces == ["t1", "t3"])
        #expect(refund.expectations == [.notRefused, .contains("refund"), .toolCalled("refund_check")])
        #expect(refund.provenance.notes == ["first", "again"])
        #expect(refund.versions == ["prompt_version": "v2"], "the versions of the first pin: the incident")
        #expect(refund.input.variables == ["input": "Can I get a refund?", "intent": "refund"])
        #expect(refund.provenance.causes == [RegressionCase.Cause(dimension: "prompt_version", value: "v2", note: "v2 refuses")])
        #expect(refund.tags == ["intent=refund", "prompt_version=v2"])
    }

    @Test func severityFollowsTheCauses() {
        let cases = CaseFile.make(session: Self.session, name: "refunds").file.cases
        #expect(cases.map(\.severity) == [.critical, .major, .minor])
        #expect(cases[1].provenance.causes.isEmpty && cases[1].tags == ["intent=shipping"])
        #expect(cases[2].tags.isEmpty && cases[2].input.variables == ["input": "hello"])
    }

    @Test func idsAreStableAcrossExportsAndPinOrder() {
        let first = CaseFile.make(session: Self.session, name: "refunds").file
        var reordered = Self.session
        reordered.pins.reverse()
        let second = CaseFile.make(session: reordered, name: "refunds").file
        #expect(first == CaseFile.make(session: Self.session, name: "refunds").file)
        #expect(Set(first.cases.map(\.id)) == Set(second.cases.map(\.id)))
        #expect(RegressionCase.id(inputHash: "E35B6778F30F1574") == "case-e35b6778f30f")
    }
}
