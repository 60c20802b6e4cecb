/// One token of a text for word-level diffs: a word, a run of whitespace, or one punctuation
/// mark or symbol. Concatenating a text's tokens gives the text back, which is what lets a diff
/// of tokens be shown as a diff of the text.
struct WordToken: Equatable {
    enum Kind: Equatable {
        case word, space, punctuation
    }

    var text: Substring
    var kind: Kind

    /// Whitespace that stays on one line: the only kind a change may be folded across.
    var isInlineSpace: Bool {
        kind == .space && !text.contains(where: \.isNewline)
    }

    /// Splits `text` into words, whitespace runs and single punctuation marks.
    ///
    /// A word is a run of letters, digits, marks and `_`, kept whole across an apostrophe or hyphen
    /// between letters ("don't", "well-known") and a point or comma between digits ("3.14",
    /// "1,000"), so that such words change as one. Ideographs are words of one character each,
    /// since those scripts do not separate words by spaces. Works on characters (grapheme
    /// clusters), so an emoji or an accented letter is never cut in two.
    static func tokenize(_ text: String) -> [WordToken] {
        var tokens: [WordToken] = []
        var i = text.startIndex
        let end = text.endIndex
        while i < end {
            let start = i
            let c = text[i]
            let kind: Kind
            switch CharacterClass(c) {
            case .space:
                kind = .space
                i = text.index(after: i)
                while i < end, CharacterClass(text[i]) == .space { i = text.index(after: i) }
            case .ideograph:
                kind = .word
                i = text.index(after: i)
            case .word:
                kind = .word
                var previous = c
                i = text.index(after: i)
                while i < end {
                    let next = text[i]
                    if CharacterClass(next) == .word {
                        previous = next
                        i = text.index(after: i)
                        continue
                    }
                    // A joiner stays inside the word only between two fitting characters.
                    let after = text.index(after: i)
                    guard after < end, joins(next, previous, text[after]) else { break }
                    previous = text[after]
                    i = text.index(after: after)
                }
            case .other:
                kind = .punctuation
                i = text.index(after: i)
            }
            tokens.append(WordToken(text: text[start..<i], kind: kind))
        }
        return tokens
    }

    /// What a character can be part of. ASCII is classified by its code, since Unicode property
    /// look-ups dominate the time on long texts otherwise.
    private enum CharacterClass: Equatable {
        case space, word, ideograph, other

        init(_ c: Character) {
            if let ascii = c.asciiValue {
                switch ascii {
                case 9...13, 32: self = .space
                case 48...57, 65...90, 97...122, 95: self = .word
                default: self = .other
                }
            } else if c.isWhitespace {
                self = .space
            } else if c.unicodeScalars.first?.properties.isIdeographic ?? false {
                self = .ideograph
            } else if c.isLetter || c.isNumber {
                self = .word
            } else {
                self = .other
            }
        }
    }

    /// Whether `joiner` between `before` and `after` keeps them in one word.
    private static func joins(_ joiner: Character, _ before: Character, _ after: Character) -> Bool {
        switch joiner {
        case "'", "\u{2019}", "-":
            return before.isLetter && after.isLetter && CharacterClass(after) == .word
        case ".", ",":
            return before.isNumber && after.isNumber && CharacterClass(after) == .word
        default:
            return false
        }
    }
}
