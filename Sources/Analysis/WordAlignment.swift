/// The token-level alignment behind `WordDiff`: which tokens of the old and new text correspond.
///
/// All diffing is done by `CollectionDifference` on integer token ids (equal text, equal id), so
/// comparisons are cheap; this type only decides what to diff, within a work budget, and turns
/// the result into alternating same/change blocks.
struct WordAlignment {
    /// A stretch of the alignment: equal tokens, or old tokens replaced by new ones (either
    /// side may be empty, not both). Ranges index the token arrays.
    enum Block: Equatable {
        case same(Range<Int>, Range<Int>)
        case change(Range<Int>, Range<Int>)
    }

    /// Above this many tokens (old + new) a stretch is split at anchors before it is diffed.
    /// Myers' cost is about (N + M) · D steps, so one token-level diff stays under ~4M steps.
    static let flatLimit = 2_000
    /// The most anchor candidates (sentences or unique words, old + new) one split considers.
    static let anchorLimit = 2_000
    /// How deeply stretches between anchors are split again.
    static let depthLimit = 8
    /// The steps, estimated as (N + M) · (D + 1), that all diffs of one comparison may take
    /// together (~0.1 s in the worst case; ordinary texts use a small fraction).
    static let workLimit = 10_000_000

    let oldTokens: [WordToken]
    let newTokens: [WordToken]
    private let oldIDs: [Int]
    private let newIDs: [Int]
    private let oldWordCounts: [Int]  // prefix sums: words among the first i tokens
    private let newWordCounts: [Int]
    /// Matched (old, new) token index pairs, increasing in both.
    private(set) var matches: [(Int, Int)] = []
    private(set) var isCoarse = false
    private var work = 0

    init(old: String, new: String) {
        oldTokens = WordToken.tokenize(old)
        newTokens = WordToken.tokenize(new)
        var ids: [Substring: Int] = [:]
        func intern(_ tokens: [WordToken]) -> [Int] {
            tokens.map { token in
                if let id = ids[token.text] { return id }
                let id = ids.count
                ids[token.text] = id
                return id
            }
        }
        oldIDs = intern(oldTokens)
        newIDs = intern(newTokens)
        func wordCounts(_ tokens: [WordToken]) -> [Int] {
            var counts = [0]
            counts.reserveCapacity(tokens.count + 1)
            for token in tokens { counts.append(counts[counts.count - 1] + (token.kind == .word ? 1 : 0)) }
            return counts
        }
        oldWordCounts = wordCounts(oldTokens)
        newWordCounts = wordCounts(newTokens)
        alignMiddle(old: 0..<oldIDs.count, new: 0..<newIDs.count)
    }

    // MARK: - Reading the result

    func oldText(_ range: Range<Int>) -> String { Self.text(oldTokens, range) }
    func newText(_ range: Range<Int>) -> String { Self.text(newTokens, range) }
    func oldWords(_ range: Range<Int>) -> Int { oldWordCounts[range.upperBound] - oldWordCounts[range.lowerBound] }
    func newWords(_ range: Range<Int>) -> Int { newWordCounts[range.upperBound] - newWordCounts[range.lowerBound] }

    private static func text(_ tokens: [WordToken], _ range: Range<Int>) -> String {
        guard let first = range.first, let last = range.last else { return "" }
        // Tokens are consecutive slices of one string: take the span in one go.
        let base = tokens[first].text.base
        return String(base[tokens[first].text.startIndex..<tokens[last].text.endIndex])
    }

    /// The alignment as alternating same/change blocks, straight from the matches.
    func blocks() -> [Block] {
        var blocks: [Block] = []
        var i = 0, j = 0
        for (mi, mj) in matches {
            if mi > i || mj > j { blocks.append(.change(i..<mi, j..<mj)) }
            if case .same(let o, let n)? = blocks.last, o.upperBound == mi, n.upperBound == mj {
                blocks[blocks.count - 1] = .same(o.lowerBound..<mi + 1, n.lowerBound..<mj + 1)
            } else {
                blocks.append(.same(mi..<mi + 1, mj..<mj + 1))
            }
            i = mi + 1
            j = mj + 1
        }
        if i < oldIDs.count || j < newIDs.count { blocks.append(.change(i..<oldIDs.count, j..<newIDs.count)) }
        return blocks
    }

    /// The blocks tidied for reading: changes joined across single-line whitespace where that
    /// reads as one replacement (`[-a-]{+b+} [-c-]{+d+}` becomes `[-a c-]{+b d+}`), then pure
    /// insertions and deletions slid to start with a word.
    ///
    /// Two changes fold only if the joined change, after any whitespace common to both of its ends
    /// is handed back to the surrounding text, has words on both sides and starts and ends with
    /// them; otherwise it would show stray spaces inside the brackets (`[-a -]{+ b+}`).
    func foldedBlocks() -> [Block] {
        var out: [Block] = []
        for block in blocks() {
            append(block, to: &out)
            while out.count >= 3,
                  case .change(let o1, let n1) = out[out.count - 3],
                  case .same(let os, _) = out[out.count - 2],
                  case .change(let o2, let n2) = out[out.count - 1],
                  os.allSatisfy({ oldTokens[$0].isInlineSpace }),
                  let folded = fold(old: o1.lowerBound..<o2.upperBound, new: n1.lowerBound..<n2.upperBound) {
                out.removeLast(3)
                if !folded.lead.isEmpty {
                    append(.same(folded.lead, n1.lowerBound..<n1.lowerBound + folded.lead.count), to: &out)
                }
                append(.change(folded.old, folded.new), to: &out)
                if !folded.trail.isEmpty {
                    append(.same(folded.trail, n2.upperBound - folded.trail.count..<n2.upperBound), to: &out)
                }
            }
        }
        return slidSpaces(out)
    }

    /// The blocks with pure insertions and deletions moved so that they start with a word rather
    /// than a space: `three[- four-] five` becomes `three [-four -]five`, as `[-two -]` is shown
    /// elsewhere. Sliding past a token equal to the one given up leaves both texts unchanged.
    private func slidSpaces(_ input: [Block]) -> [Block] {
        var blocks = input
        var out: [Block] = []
        for k in blocks.indices {
            if case .same(let o, _) = blocks[k] {
                if !o.isEmpty { append(blocks[k], to: &out) }
                continue
            }
            guard case .change(var o, var n) = blocks[k], o.isEmpty != n.isEmpty,
                  k + 1 < blocks.count, case .same(let so, let sn) = blocks[k + 1], !so.isEmpty
            else {
                append(blocks[k], to: &out)
                continue
            }
            let first = o.isEmpty ? newTokens[n.lowerBound] : oldTokens[o.lowerBound]
            let firstID = o.isEmpty ? newIDs[n.lowerBound] : oldIDs[o.lowerBound]
            if first.kind == .space, firstID == oldIDs[so.lowerBound] {
                append(.same(o.lowerBound..<o.lowerBound + 1, n.lowerBound..<n.lowerBound + 1), to: &out)
                o = o.lowerBound + 1..<o.upperBound + 1
                n = n.lowerBound + 1..<n.upperBound + 1
                blocks[k + 1] = .same(so.dropFirst(), sn.dropFirst())
            }
            append(.change(o, n), to: &out)
        }
        return out
    }

    /// Appends a block, merging it into the last one if that is of the same kind (a change meets
    /// a change when sliding emptied the same block between them).
    private func append(_ block: Block, to blocks: inout [Block]) {
        switch (blocks.last, block) {
        case (.same(let po, let pn)?, .same(let o, let n)):
            blocks[blocks.count - 1] = .same(po.lowerBound..<o.upperBound, pn.lowerBound..<n.upperBound)
        case (.change(let po, let pn)?, .change(let o, let n)):
            blocks[blocks.count - 1] = .change(po.lowerBound..<o.upperBound, pn.lowerBound..<n.upperBound)
        default:
            blocks.append(block)
        }
    }

    /// The change old → new with common whitespace peeled off both ends (returned as the old-side
    /// ranges `lead` and `trail`), or nil if it would not read as one clean replacement.
    private func fold(old: Range<Int>, new: Range<Int>) -> (lead: Range<Int>, old: Range<Int>, new: Range<Int>, trail: Range<Int>)? {
        var o = old, n = new
        while let a = o.first, let b = n.first, oldTokens[a].kind == .space, oldIDs[a] == newIDs[b] {
            o = o.dropFirst()
            n = n.dropFirst()
        }
        while let a = o.last, let b = n.last, oldTokens[a].kind == .space, oldIDs[a] == newIDs[b] {
            o = o.dropLast()
            n = n.dropLast()
        }
        guard let of = o.first, let ol = o.last, let nf = n.first, let nl = n.last,
              oldTokens[of].kind != .space, oldTokens[ol].kind != .space,
              newTokens[nf].kind != .space, newTokens[nl].kind != .space
        else { return nil }
        return (old.lowerBound..<o.lowerBound, o, n, o.upperBound..<old.upperBound)
    }

    // MARK: - Aligning

    /// Aligns old[o] with new[n] and appends the matches, in order.
    ///
    /// A shared beginning and end are matched first. What is left is diffed token by token when
    /// small; otherwise it is split at anchors — equal sentences, else words found exactly once
    /// on each side (the idea of patience diff), each list aligned by `CollectionDifference` —
    /// and the stretches between anchors are aligned the same way. Whatever cannot be aligned
    /// within the limits stays unmatched: a whole removal and addition (`isCoarse`).
    private mutating func alignMiddle(old o: Range<Int>, new n: Range<Int>, depth: Int = 0) {
        var o = o, n = n
        var head: [(Int, Int)] = []
        while let a = o.first, let b = n.first, oldIDs[a] == newIDs[b] {
            head.append((a, b))
            o = o.dropFirst()
            n = n.dropFirst()
        }
        var tail: [(Int, Int)] = []
        while let a = o.last, let b = n.last, oldIDs[a] == newIDs[b] {
            tail.append((a, b))
            o = o.dropLast()
            n = n.dropLast()
        }
        matches += head
        if !o.isEmpty && !n.isEmpty {
            if o.count + n.count <= Self.flatLimit {
                alignTokens(old: o, new: n)
            } else if depth < Self.depthLimit,
                      let anchors = sentenceAnchors(old: o, new: n) ?? uniqueWordAnchors(old: o, new: n) {
                var i = o.lowerBound, j = n.lowerBound
                for anchor in anchors {
                    alignMiddle(old: i..<anchor.old.lowerBound, new: j..<anchor.new.lowerBound, depth: depth + 1)
                    for k in 0..<anchor.old.count {
                        matches.append((anchor.old.lowerBound + k, anchor.new.lowerBound + k))
                    }
                    i = anchor.old.upperBound
                    j = anchor.new.upperBound
                }
                alignMiddle(old: i..<o.upperBound, new: j..<n.upperBound, depth: depth + 1)
            } else {
                isCoarse = true
            }
        }
        matches += tail.reversed()
    }

    /// One `CollectionDifference` over the tokens, unless the budget says it would take too long.
    private mutating func alignTokens(old o: Range<Int>, new n: Range<Int>) {
        let size = o.count + n.count
        let bound = Self.editLowerBound(oldIDs[o], newIDs[n])
        guard work + size * bound <= Self.workLimit else {
            isCoarse = true
            return
        }
        let (pairs, edits) = Self.lcs(oldIDs[o], newIDs[n])
        work += size * (edits + 1)
        matches += pairs
    }

    /// Equal token runs on both sides that the alignment keeps: old and new ranges of one length.
    private typealias Anchor = (old: Range<Int>, new: Range<Int>)

    /// The sentences (and lines) the two sides share, in a longest common order; nil if none.
    private mutating func sentenceAnchors(old o: Range<Int>, new n: Range<Int>) -> [Anchor]? {
        let oldChunks = chunks(oldTokens, o), newChunks = chunks(newTokens, n)
        guard oldChunks.count + newChunks.count <= Self.anchorLimit else { return nil }
        var ids: [ArraySlice<Int>: Int] = [:]
        func intern(_ chunks: [Range<Int>], _ tokenIDs: [Int]) -> [Int] {
            chunks.map { chunk in
                let key = tokenIDs[chunk]
                if let id = ids[key] { return id }
                let id = ids.count
                ids[key] = id
                return id
            }
        }
        let oldChunkIDs = intern(oldChunks, oldIDs), newChunkIDs = intern(newChunks, newIDs)
        guard let pairs = anchorPairs(oldChunkIDs[...], newChunkIDs[...]) else { return nil }
        return pairs.map { (oldChunks[$0.0], newChunks[$0.1]) }
    }

    /// The words found exactly once on each side, in a longest common order; nil if none.
    /// Rare words are what a reader lines two versions up by, and they cannot be mismatched.
    /// When there are too many, every k-th word by id is kept: the same words on both sides,
    /// and the stretches between them are split again.
    private mutating func uniqueWordAnchors(old o: Range<Int>, new n: Range<Int>) -> [Anchor]? {
        var counts: [Int: (old: Int, new: Int)] = [:]
        for k in o where oldTokens[k].kind == .word { counts[oldIDs[k], default: (0, 0)].old += 1 }
        for k in n where newTokens[k].kind == .word { counts[newIDs[k], default: (0, 0)].new += 1 }
        let shared = counts.values.reduce(0) { $0 + ($1 == (1, 1) ? 2 : 0) }
        guard shared > 0 else { return nil }
        let stride = (shared + Self.anchorLimit - 1) / Self.anchorLimit
        func isAnchor(_ id: Int) -> Bool { id % stride == 0 && counts[id].map { $0 == (1, 1) } ?? false }
        let oldUnique = o.filter { isAnchor(oldIDs[$0]) }
        let newUnique = n.filter { isAnchor(newIDs[$0]) }
        guard let pairs = anchorPairs(oldUnique.map { oldIDs[$0] }[...], newUnique.map { newIDs[$0] }[...])
        else { return nil }
        return pairs.map { (oldUnique[$0.0]..<oldUnique[$0.0] + 1, newUnique[$0.1]..<newUnique[$0.1] + 1) }
    }

    /// The LCS pairs of two anchor candidate lists (as offsets into them), charged to the budget;
    /// nil when there are none or the budget is spent.
    private mutating func anchorPairs(_ old: ArraySlice<Int>, _ new: ArraySlice<Int>) -> [(Int, Int)]? {
        let size = old.count + new.count
        guard work + size * Self.editLowerBound(old, new) <= Self.workLimit else { return nil }
        let (pairs, edits) = Self.lcs(old, new)
        work += size * (edits + 1)
        return pairs.isEmpty ? nil : pairs
    }

    /// Cuts tokens[range] into sentences: a chunk ends after whitespace that holds a line break
    /// or follows `.`, `!`, `?` or `;`, and after an ideographic full stop.
    private func chunks(_ tokens: [WordToken], _ range: Range<Int>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = range.lowerBound
        for k in range {
            let token = tokens[k]
            let ends: Bool
            switch token.kind {
            case .space:
                ends = !token.isInlineSpace || (k > range.lowerBound && Self.endsSentence(tokens[k - 1]))
            case .punctuation:
                ends = token.text == "。" || token.text == "！" || token.text == "？"
            case .word:
                ends = false
            }
            if ends {
                result.append(start..<k + 1)
                start = k + 1
            }
        }
        if start < range.upperBound { result.append(start..<range.upperBound) }
        return result
    }

    private static func endsSentence(_ token: WordToken) -> Bool {
        token.kind == .punctuation && (token.text == "." || token.text == "!" || token.text == "?" || token.text == ";")
    }

    /// The matched index pairs of a longest common subsequence, from the standard library's
    /// `CollectionDifference`, and the number of edits it took.
    private static func lcs(_ old: ArraySlice<Int>, _ new: ArraySlice<Int>) -> (pairs: [(Int, Int)], edits: Int) {
        let difference = Array(new).difference(from: Array(old))
        var removed = [Bool](repeating: false, count: old.count)
        var inserted = [Bool](repeating: false, count: new.count)
        for change in difference {
            switch change {
            case .remove(let offset, _, _): removed[offset] = true
            case .insert(let offset, _, _): inserted[offset] = true
            }
        }
        var pairs: [(Int, Int)] = []
        var i = 0, j = 0
        while i < old.count && j < new.count {
            if removed[i] {
                i += 1
            } else if inserted[j] {
                j += 1
            } else {
                pairs.append((old.startIndex + i, new.startIndex + j))
                i += 1
                j += 1
            }
        }
        return (pairs, difference.count)
    }

    /// A lower bound on the edits between two token sequences: tokens one has more often than the
    /// other can never be matched. It spots wholly different texts before any diff is run.
    private static func editLowerBound(_ old: ArraySlice<Int>, _ new: ArraySlice<Int>) -> Int {
        var counts: [Int: Int] = [:]
        counts.reserveCapacity(old.count)
        for id in old { counts[id, default: 0] += 1 }
        for id in new { counts[id, default: 0] -= 1 }
        return counts.values.reduce(0) { $0 + abs($1) }
    }
}
