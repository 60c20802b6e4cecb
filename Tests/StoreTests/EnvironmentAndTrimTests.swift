import Foundation
import Store
import Testing

struct EnvironmentAndTrimTests {
    @Test func trimmedAgreesWithFoundation() {
        for text in ["", "   ", " a ", "\t\n select 1 |\n", "a", "  mixed\u{00A0}space\u{3000}", "é ", "\r\n\r\n", "x\ny"] {
            #expect(text.trimmed() == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(text.debugDescription)")
        }
        #expect("  a b  "[...].trimmed() == "a b")
    }

    @Test func environmentReadsOneVariable() {
        setenv("RELOPS_TEST_VARIABLE", "x y", 1)
        defer { unsetenv("RELOPS_TEST_VARIABLE") }
        #expect(Environment.value("RELOPS_TEST_VARIABLE") == "x y")
        #expect(Environment.value("RELOPS_TEST_UNSET_\(getpid())") == nil)
        #expect(Environment.values(["RELOPS_TEST_VARIABLE", "RELOPS_TEST_UNSET_\(getpid())"]) == ["RELOPS_TEST_VARIABLE": "x y"])
        #expect(Environment.value("PATH") == ProcessInfo.processInfo.environment["PATH"])
    }
}
