import Analysis
import Testing

extension AttributionTests {
    @Suite struct AttributionRowTests {
        /// The reference's `dim_value`: Python's `str.strip()`, blank or None → "(missing)".
        @Test(arguments: [
            (nil, "(missing)"), ("", "(missing)"), ("  ", "(missing)"), ("\t\n\u{0B}\u{0C}\r", "(missing)"),
            ("\u{1C}\u{1F}\u{85}\u{A0}\u{3000}", "(missing)"), (" v2 ", "v2"), ("a b", "a b"),
            ("\u{200B}x", "\u{200B}x"), ("(missing)", "(missing)"), ("é\u{2028}", "é"),
        ] as [(String?, String)])
        func elementName(_ value: String?, _ expected: String) {
            #expect(AttributionRow.elementName(value) == expected)
            let row = AttributionRow(dimension: "d", element: value, baselineCount: 1, baselineSum: 0,
                                     currentCount: 1, currentSum: 0)
            #expect(row.elementName == expected && row.element == value)
        }
    }
}
