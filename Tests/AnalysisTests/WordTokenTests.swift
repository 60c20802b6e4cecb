import Testing
@testable import Analysis

@Suite struct WordTokenTests {
    private func split(_ text: String) -> [String] {
        WordToken.tokenize(text).map { String($0.text) }
    }

    @Test(arguments: [
        ("Hello, world!", ["Hello", ",", " ", "world", "!"]),
        ("don't stop", ["don't", " ", "stop"]),
        ("a well-known fact", ["a", " ", "well-known", " ", "fact"]),
        ("pi is 3.14, or 1,000.5", ["pi", " ", "is", " ", "3.14", ",", " ", "or", " ", "1,000.5"]),
        ("end.  \n\tNext", ["end", ".", "  \n\t", "Next"]),
        ("snake_case x2", ["snake_case", " ", "x2"]),
        ("'quoted' -dash- 3.", ["'", "quoted", "'", " ", "-", "dash", "-", " ", "3", "."]),
        ("日本語です", ["日", "本", "語", "です"]),
        ("naïve café", ["naïve", " ", "café"]),
        ("e\u{301}t\u{301}e", ["e\u{301}t\u{301}e"]),
        ("hi 👩‍👩‍👧!", ["hi", " ", "👩‍👩‍👧", "!"]),
        ("", []),
    ])
    func splitsWordsSpacesAndPunctuation(text: String, expected: [String]) {
        #expect(split(text) == expected)
    }

    @Test func kinds() {
        let kinds = WordToken.tokenize("Hi, you").map(\.kind)
        #expect(kinds == [.word, .punctuation, .space, .word])
        #expect(WordToken.tokenize(" \t").first?.isInlineSpace == true)
        #expect(WordToken.tokenize(" \n ").first?.isInlineSpace == false)
    }
}
