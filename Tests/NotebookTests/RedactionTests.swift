import Foundation
@testable import Notebook
import Testing

/// Redaction masks e-mail addresses, phone numbers in their usual shapes, card numbers that
/// pass the Luhn check, and the user's patterns; dates, versions, prices and digit runs that
/// are not card numbers stay.
@Suite struct RedactionTests {
    static let redaction = try! Redaction()

    @Test(arguments: [
        ("write to jane.doe+refunds@example.co.uk today", "write to [email] today"),
        ("A@B.IO", "[email]"),
        ("call +1 (415) 555-2671 now", "call [phone] now"),
        ("call (415) 555-2671", "call [phone]"),
        ("call 415-555-2671.", "call [phone]."),
        ("call 415.555.2671", "call [phone]"),
        ("ring +44 20 7946 0958", "ring [phone]"),
        ("ring +4915112345678", "ring [phone]"),
        ("ring 0151 2345 6789", "ring [phone]"),
        ("card 4111 1111 1111 1111 expired", "card [card] expired"),
        ("card 4111-1111-1111-1111", "card [card]"),
        ("card 4111111111111111.", "card [card]."),
        ("amex 378282246310005", "amex [card]"),
        ("card 4111 1111 1111 1112 is a typo", "card 4111 1111 1111 1112 is a typo"),
        ("order 1234567890123 shipped", "order 1234567890123 shipped"),
        ("on 2026-11-29 at 12:30, version 1.4.2, $12.50, 3.14159265", "on 2026-11-29 at 12:30, version 1.4.2, $12.50, 3.14159265"),
        ("order A9693663", "order A9693663"),
    ])
    func masksPersonalDataAndNothingElse(_ text: String, _ expected: String) {
        #expect(Self.redaction.apply(text) == expected)
    }

    @Test func luhn() {
        #expect(Redaction.luhn([4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]))
        #expect(Redaction.luhn([7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 3]))
        #expect(!Redaction.luhn([7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 4]))
    }

    @Test func userPatternsMaskToo() throws {
        let r = try Redaction(patterns: [#"ORD-\d+"#, "(?i)secret"])
        #expect(r.apply("order ORD-123456 is SECRET, mail a@b.io") == "order [redacted] is [redacted], mail [email]")
        #expect(r.names == ["email", "card", "phone", #"ORD-\d+"#, "(?i)secret"])
        #expect { try Redaction(patterns: ["("]) } throws: { ($0 as? NotebookError)?.message == "`redact \"(\"`: not a valid regular expression" }
        #expect(throws: NotebookError.self) { try Redaction(patterns: [""]) }
    }

    @Test func everyTextOfACaseIsRedacted() throws {
        var session = RegressionCaseTests.session
        let pii = "jane@example.com, +1 415 555 2671, 4111 1111 1111 1111, ORD-77"
        session.title = "Refunds of " + pii
        session.pins[0].input = "refund " + pii
        session.pins[0].messages = [.init(role: "system", content: "about " + pii), .init(role: "user", content: "refund " + pii)]
        session.pins[0].output = "sent to " + pii
        session.pins[0].note = "note " + pii
        session.pins[0].expectations.append(.notContains("jane@example.com"))
        session.causes[0].note = "cause " + pii
        let file = CaseFile.make(session: session, name: "refunds").file.redacted(by: try Redaction(patterns: [#"ORD-\d+"#]))
        for format in CaseExportFormat.allCases {
            let text = format.render(file)
            for secret in ["jane@example.com", "555 2671", "4111 1111", "ORD-77"] {
                #expect(!text.contains(secret), "\(format.rawValue) leaks \(secret)")
            }
        }
        #expect(file.cases[0].input.text == "refund [email], [phone], [card], [redacted]")
        #expect(file.cases[0].input.hash == "e35b6778f30f1574", "the hash still finds the input in the store")
        #expect(file.redactions == ["email", "card", "phone", #"ORD-\d+"#])
    }
}
