@testable import Notebook
import Store
import Testing

/// What `session rerun` compares: equal results give equal digests, any changed value, type,
/// column or row boundary a different one, and timings do not count.
@Suite struct ResultDigestTests {
    @Test func rowsDigestsTellResultsApart() {
        let base = Rows(columns: ["a", "b"], rows: [[.integer(1), .text("x")], [.real(2.5), .null]])
        let same = Rows(columns: ["a", "b"], rows: [[.integer(1), .text("x")], [.real(2.5), .null]])
        #expect(ResultDigest.of(rows: base) == ResultDigest.of(rows: same))
        let variants = [
            Rows(columns: ["a", "c"], rows: base.rows),
            Rows(columns: ["a", "b"], rows: [[.text("1"), .text("x")], [.real(2.5), .null]]),
            Rows(columns: ["a", "b"], rows: [[.integer(1), .text("x")], [.real(2.5000001), .null]]),
            Rows(columns: ["a", "b"], rows: [[.integer(1), .text("x")], [.real(2.5), .text("")]]),
            Rows(columns: ["a", "b"], rows: [[.integer(1), .text("x")]]),
            Rows(columns: ["a", "b"], rows: [[.integer(1)], [.text("x"), .real(2.5), .null]]),
            Rows(columns: ["ab"], rows: base.rows),
        ]
        let digests = Set(([base] + variants).map(ResultDigest.of(rows:)))
        #expect(digests.count == variants.count + 1)
        #expect(ResultDigest.of(rows: base).count == 16)
    }

    @Test func jsonDigestsLeaveTimingsOut() {
        let a = ResultDigest.of(json: #"{"command":"drift","signals":[{"d":0.3}],"elapsed_ms":12.5}"#)
        let b = ResultDigest.of(json: #"{"command":"drift","signals":[{"d":0.3}],"elapsed_ms":99}"#)
        let c = ResultDigest.of(json: #"{"command":"drift","signals":[{"d":0.31}],"elapsed_ms":12.5}"#)
        #expect(a != nil && a == b && a != c)
        #expect(ResultDigest.of(json: "not json") == nil)
    }
}
