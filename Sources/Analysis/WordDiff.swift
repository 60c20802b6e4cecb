/// A word-level diff of two texts for display, like `git diff --word-diff`: what a changed
/// answer, prompt or tool argument lost and gained between two versions.
///
/// The texts are cut into words, whitespace runs and punctuation (`WordToken`), the token
/// sequences are diffed with the standard library's `CollectionDifference` (Myers' O(ND)
/// algorithm), and the result is tidied for reading: neighbouring pieces of one kind are merged,
/// and two changes separated only by a space on the same line are shown as one change
/// (`[-quick brown-]{+slow red+}` rather than `[-quick-]{+slow+} [-brown-]{+red+}`).
///
/// Joining the `.same` and `.removed` segments in order gives the old text back, and joining
/// `.same` and `.added` gives the new one.
public struct WordDiff: Sendable, Equatable {
    /// A piece of the diff, in reading order; a removal comes before the addition that replaces it.
    public enum Segment: Sendable, Equatable, Hashable {
        case same(String)
        case removed(String)
        case added(String)
    }

    public let segments: [Segment]
    /// Words (not spaces or punctuation) in the old text that are not in the new one.
    public let wordsRemoved: Int
    /// Words in the new text that are not in the old one.
    public let wordsAdded: Int
    /// Words the two texts share in the alignment.
    public let wordsSame: Int
    /// 2 · shared words / (words in old + words in new), in 0...1; 1 when neither has words.
    public let similarity: Double
    /// True when part of the texts differed too much to align word by word within the time
    /// allowed and is shown as one removal and one addition; the similarity then undercounts.
    public let isCoarse: Bool

    /// Diffs `old` against `new`.
    ///
    /// Long texts stay fast: a shared beginning and end are set aside first; a middle of more
    /// than 2,000 tokens is first lined up at anchors (shared sentences or lines, else words that
    /// occur once in each text) and only the stretches between them are diffed word by word; a
    /// part still too large or too different for the time allowed is shown whole (`isCoarse`).
    public static func compute(old: String, new: String) -> WordDiff {
        let alignment = WordAlignment(old: old, new: new)
        let blocks = alignment.foldedBlocks()
        var segments: [Segment] = []
        var same = 0, removed = 0, added = 0
        for block in blocks {
            switch block {
            case .same(let o, _):
                segments.append(.same(alignment.oldText(o)))
                same += alignment.oldWords(o)
            case .change(let o, let n):
                if !o.isEmpty { segments.append(.removed(alignment.oldText(o))) }
                if !n.isEmpty { segments.append(.added(alignment.newText(n))) }
                removed += alignment.oldWords(o)
                added += alignment.newWords(n)
            }
        }
        let total = (same + removed) + (same + added)
        return WordDiff(
            segments: segments, wordsRemoved: removed, wordsAdded: added, wordsSame: same,
            similarity: total == 0 ? 1 : Double(2 * same) / Double(total),
            isCoarse: alignment.isCoarse)
    }
}
