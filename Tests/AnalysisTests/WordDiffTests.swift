import Testing
@testable import Analysis

@Suite struct WordDiffTests {
    // MARK: exact renderings

    @Test(arguments: [
        ("the quick brown fox jumps", "the slow red fox jumps", "the [-quick brown-]{+slow red+} fox jumps"),
        ("Hello, world.", "Hello, there world!", "Hello, {+there +}world[-.-]{+!+}"),
        ("keep this line\nold line\nkeep", "keep this line\nnew line\nkeep", "keep this line\n[-old-]{+new+} line\nkeep"),
        ("a b c", "a b c", "a b c"),
        ("", "added text", "{+added text+}"),
        ("removed text", "", "[-removed text-]"),
        ("", "", ""),
        ("I can't help with that.", "I can help with that.", "I [-can't-]{+can+} help with that."),
        ("total: 3.14 ms", "total: 3.15 ms", "total: [-3.14-]{+3.15+} ms"),
        ("one two three four five", "one three five", "one [-two -]three [-four -]five"),
        ("I cannot help with that request.", "I can help with that.", "I [-cannot-]{+can+} help with that[- request-]."),
        ("Paris is the capital of France.", "The capital of France is Paris.",
         "[-Paris is the-]{+The+} capital of France{+ is Paris+}."),
    ])
    func plainRendering(old: String, new: String, expected: String) {
        #expect(WordDiff.compute(old: old, new: new).render(color: false) == expected)
    }

    @Test func colorRendering() {
        let diff = WordDiff.compute(old: "a b", new: "a c")
        #expect(diff.render(color: true) == "a \u{1B}[31mb\u{1B}[0m\u{1B}[32mc\u{1B}[0m")
        // Colour is closed before each line break and reopened after it.
        let lines = WordDiff.render([.same("x "), .removed("one\ntwo")], color: true)
        #expect(lines == "x \u{1B}[31mone\u{1B}[0m\n\u{1B}[31mtwo\u{1B}[0m")
    }

    @Test func segmentsOfAReplacement() {
        let diff = WordDiff.compute(old: "the quick brown fox", new: "the slow red fox")
        #expect(diff.segments == [.same("the "), .removed("quick brown"), .added("slow red"), .same(" fox")])
        #expect(diff.wordsRemoved == 2 && diff.wordsAdded == 2 && diff.wordsSame == 2)
        #expect(diff.similarity == 0.5)
        #expect(!diff.isCoarse)
    }

    /// A change next to a pure addition reads as one change, with the shared space outside it.
    @Test func foldsAnAdditionIntoANeighbouringReplacement() {
        let diff = WordDiff.compute(old: "the quick fox", new: "the slow red fox")
        #expect(diff.render(color: false) == "the [-quick-]{+slow red+} fox")
    }

    @Test func doesNotFoldAcrossLines() {
        let diff = WordDiff.compute(old: "a\nb", new: "c\nd")
        #expect(diff.render(color: false) == "[-a-]{+c+}\n[-b-]{+d+}")
    }

    @Test func similarity() {
        #expect(WordDiff.compute(old: "", new: "").similarity == 1)
        #expect(WordDiff.compute(old: "same words", new: "same words").similarity == 1)
        #expect(WordDiff.compute(old: "alpha beta", new: "gamma delta").similarity == 0)
        #expect(WordDiff.compute(old: "a b c d", new: "a b x d").similarity == 0.75)
        #expect(WordDiff.compute(old: " ", new: "!").similarity == 1)  // no words on either side
    }

    // MARK: round trip

    /// Deterministic texts with words, punctuation, several kinds of space and non-ASCII text.
    private struct TextMaker {
        var state: UInt64
        static let vocabulary = [
            "the", "a", "model", "refused", "answer", "tool", "call", "latency", "3.14", "don't",
            "well-known", "naïve", "日本語", "e\u{301}", "👩‍👩‍👧", "Привет", "x_1", "",
        ]
        static let separators = [" ", " ", " ", ", ", ". ", "\n", "  ", "\t", "!", "?\n\n", "—", ""]

        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }

        mutating func text(words: Int) -> [String] {
            var pieces: [String] = []
            for _ in 0..<words {
                pieces.append(Self.vocabulary[next(Self.vocabulary.count)])
                pieces.append(Self.separators[next(Self.separators.count)])
            }
            return pieces
        }

        /// A copy with some pieces replaced, dropped or inserted.
        mutating func edit(_ pieces: [String], rate: Int) -> [String] {
            var out: [String] = []
            for piece in pieces {
                switch next(100) {
                case ..<rate: out.append(Self.vocabulary[next(Self.vocabulary.count)])
                case rate..<(2 * rate): continue
                case (2 * rate)..<(3 * rate): out.append(piece); out.append(Self.separators[next(Self.separators.count)])
                default: out.append(piece)
                }
            }
            return out
        }
    }

    private func checkInvariants(_ old: String, _ new: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let diff = WordDiff.compute(old: old, new: new)
        var oldBack = "", newBack = ""
        for segment in diff.segments {
            switch segment {
            case .same(let s): oldBack += s; newBack += s
            case .removed(let s): oldBack += s
            case .added(let s): newBack += s
            }
        }
        #expect(oldBack == old, "old text round trip", sourceLocation: sourceLocation)
        #expect(newBack == new, "new text round trip", sourceLocation: sourceLocation)
        // No empty segments, no two neighbours of one kind, and removals before additions.
        for (a, b) in zip(diff.segments, diff.segments.dropFirst()) {
            switch (a, b) {
            case (.same, .same), (.removed, .removed), (.added, .added), (.added, .removed):
                Issue.record("segments \(a) then \(b)", sourceLocation: sourceLocation)
            default: break
            }
        }
        #expect(!diff.segments.contains(.same("")) && !diff.segments.contains(.removed("")) && !diff.segments.contains(.added("")),
                sourceLocation: sourceLocation)
        let wordsOld = WordToken.tokenize(old).filter { $0.kind == .word }.count
        let wordsNew = WordToken.tokenize(new).filter { $0.kind == .word }.count
        #expect(diff.wordsSame + diff.wordsRemoved == wordsOld, sourceLocation: sourceLocation)
        #expect(diff.wordsSame + diff.wordsAdded == wordsNew, sourceLocation: sourceLocation)
        #expect((0...1).contains(diff.similarity), sourceLocation: sourceLocation)
        if old == new {
            #expect(diff.segments.allSatisfy { if case .same = $0 { true } else { false } }, sourceLocation: sourceLocation)
            #expect(diff.similarity == 1, sourceLocation: sourceLocation)
        }
    }

    @Test func roundTripsGeneratedTexts() {
        var maker = TextMaker(state: 2026)
        for round in 0..<1000 {
            let pieces = maker.text(words: maker.next(40))
            let edited = maker.edit(pieces, rate: 1 + round % 20)
            checkInvariants(pieces.joined(), edited.joined())
        }
    }

    @Test(arguments: [
        ("", ""), ("", "x"), ("x", ""), (" ", ""), ("\n", "\n\n"), ("a", "a"), ("a b", "b a"),
        ("👩‍👩‍👧 x", "👩‍👩 x"), ("e\u{301}", "é"), ("日本語", "日本人"), ("a  b", "a b"),
    ])
    func roundTripsEdgeCases(old: String, new: String) {
        checkInvariants(old, new)
    }

    // MARK: long texts

    /// Texts over the 2,000-token limit, so the alignment goes through sentence and word anchors.
    @Test func roundTripsLongGeneratedTexts() {
        var maker = TextMaker(state: 4242)
        for round in 0..<8 {
            let pieces = maker.text(words: 600 + maker.next(1500))
            let edited = maker.edit(pieces, rate: 1 + round * 4)
            checkInvariants(pieces.joined(), edited.joined())
        }
    }

    /// Over 5,000 tokens each with scattered edits: aligned sentence by sentence, still exact.
    @Test func longSimilarTextsStayExact() {
        var maker = TextMaker(state: 7)
        let pieces = maker.text(words: 4000)
        let edited = maker.edit(pieces, rate: 1)
        let old = pieces.joined(), new = edited.joined()
        #expect(WordToken.tokenize(old).count > 5000)
        let diff = WordDiff.compute(old: old, new: new)
        #expect(!diff.isCoarse)
        #expect(diff.similarity > 0.9)
        checkInvariants(old, new)
    }

    /// Unrelated long texts are shown as one removal and one addition.
    @Test func longUnrelatedTextsFallBack() {
        let old = (0..<3000).map { "alpha\($0)" }.joined(separator: " ")
        let new = (0..<3000).map { "beta\($0)" }.joined(separator: " ")
        let diff = WordDiff.compute(old: old, new: new)
        #expect(diff.isCoarse)
        #expect(diff.segments == [.removed(old), .added(new)])
        #expect(diff.wordsRemoved == 3000 && diff.wordsAdded == 3000 && diff.similarity == 0)
    }

    /// Long prose that differs in its first and last sentence: the sentences in between anchor
    /// the alignment, and the two changes are found exactly.
    @Test func longProseChangedAtBothEnds() {
        var maker = TextMaker(state: 99)
        let body = maker.text(words: 3000).joined()
        let old = "Start here. " + body + " End.", new = "Begin here. " + body + " Finish."
        let diff = WordDiff.compute(old: old, new: new)
        #expect(!diff.isCoarse)
        #expect(diff.wordsRemoved == 2 && diff.wordsAdded == 2)
        #expect(diff.segments.first == .removed("Start") && diff.segments.dropFirst().first == .added("Begin"))
        checkInvariants(old, new)
    }

    /// One long line without sentences (a JSON-like object): words that occur once on each side
    /// anchor the alignment instead.
    @Test func longSingleLineAnchoredByUniqueWords() {
        let items = (0..<800).map { "\"key\($0)\": \($0)" }
        var edited = items
        edited[5] = "\"key5\": 5000"
        edited[790] = "\"key790\": 7900"
        let old = "{" + items.joined(separator: ", ") + "}", new = "{" + edited.joined(separator: ", ") + "}"
        #expect(WordToken.tokenize(old).count > 5000)
        let diff = WordDiff.compute(old: old, new: new)
        #expect(!diff.isCoarse)
        #expect(diff.wordsRemoved == 2 && diff.wordsAdded == 2)
        #expect(diff.segments.contains(.removed("790")) && diff.segments.contains(.added("7900")))
        checkInvariants(old, new)
    }
}
