/// A line diff of two outputs, for `session rerun`: removed lines as `- `, added as `+ `, with
/// one line of context around each change and `…` between distant changes.
public enum LineDiff {
    public static func render(old: String, new: String, context: Int = 1) -> String {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var removed = Set<Int>(), inserted = Set<Int>()
        for change in b.difference(from: a) {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        // Walk both texts: (marker, line) for every line of the merged listing.
        var listing: [(Character, String)] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, removed.contains(i) {
                listing.append(("-", a[i])); i += 1
            } else if j < b.count, inserted.contains(j) {
                listing.append(("+", b[j])); j += 1
            } else {
                listing.append((" ", i < a.count ? a[i] : b[j])); i += 1; j += 1
            }
        }
        let changed = listing.indices.filter { listing[$0].0 != " " }
        guard !changed.isEmpty else { return "" }
        var shown = Set<Int>()
        for k in changed { for d in -context...context where listing.indices.contains(k + d) { shown.insert(k + d) } }
        var out: [String] = []
        var last = -1
        for k in shown.sorted() {
            if last >= 0, k > last + 1 { out.append("…") }
            out.append("\(listing[k].0) \(listing[k].1)")
            last = k
        }
        return out.joined(separator: "\n") + "\n"
    }
}
