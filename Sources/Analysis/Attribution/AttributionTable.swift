/// The rows of an attribution grouped by dimension, with each dimension's elements merged by
/// name and in the reference's order.
///
/// Shared by `Adtributor`, `SliceProportionTest` and `DimensionMix` so that all three see the
/// same elements: names compared and sorted by their UTF-8 bytes, i.e. by code point, as Python
/// (and SQLite's BINARY collation) do, not by Swift's canonical equivalence, which would merge
/// values the store keeps apart.
struct AttributionTable {
    /// One element: the merged aggregates of the rows with one element name.
    struct Cell {
        let element: String
        var baselineCount: Int
        var baselineSum: Double
        var currentCount: Int
        var currentSum: Double
    }

    /// One dimension and its elements, sorted by name.
    struct Dimension {
        let name: String
        let cells: [Cell]

        /// The number of baseline traces the dimension accounts for.
        var baselineCount: Int { cells.reduce(0) { $0 + $1.baselineCount } }
        /// The number of current traces the dimension accounts for.
        var currentCount: Int { cells.reduce(0) { $0 + $1.currentCount } }
    }

    /// The dimensions in the order they first appear in the rows.
    let dimensions: [Dimension]

    init(_ rows: [AttributionRow]) {
        var order: [[UInt8]] = []
        var byDimension: [[UInt8]: (name: String, cells: [Cell], index: [[UInt8]: Int])] = [:]
        for row in rows {
            let dimensionKey = Array(row.dimension.utf8)
            let name = row.elementName
            let key = Array(name.utf8)
            var entry = byDimension[dimensionKey] ?? {
                order.append(dimensionKey)
                return (row.dimension, [], [:])
            }()
            if let i = entry.index[key] {
                entry.cells[i].baselineCount += row.baselineCount
                entry.cells[i].baselineSum += row.baselineSum
                entry.cells[i].currentCount += row.currentCount
                entry.cells[i].currentSum += row.currentSum
            } else {
                entry.index[key] = entry.cells.count
                entry.cells.append(Cell(
                    element: name, baselineCount: row.baselineCount, baselineSum: row.baselineSum,
                    currentCount: row.currentCount, currentSum: row.currentSum))
            }
            byDimension[dimensionKey] = entry
        }
        dimensions = order.compactMap { key in
            guard let entry = byDimension[key] else { return nil }
            let cells = entry.cells.sorted { Self.precedes($0.element, $1.element) }
            return Dimension(name: entry.name, cells: cells)
        }
    }

    /// Code-point order, Python's `<` on `str`: UTF-8 byte order is the same order.
    static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
