@testable import Analysis
import Investigate
@testable import Shell
import Testing

/// The side-by-side bars of `explain` and `drift`: one row per value or bin, both slices' shares
/// as bars scaled to the largest share, and the PSI bins labelled by their edges.
@Suite struct SideBySideTests {
    @Test func barsScaleToTheLargestShare() {
        let text = SideBySide.render([("v1", 0.5, 0), ("v2", 0.25, 1)], title: "share of traces", markdown: false, width: 80)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].contains("baseline share of traces") && lines[0].contains("│ current"))
        // v2's current share (100%) is the peak: a full bar; v1's baseline half as long; v1's current none.
        let full = lines[2].split(separator: "│")[1].filter { $0 == "█" }.count
        let half = lines[1].split(separator: "│")[0].filter { $0 == "█" }.count
        #expect(full > 0 && abs(2 * half - full) <= 1, "\(text)")
        #expect(!lines[1].split(separator: "│")[1].contains("█"))
        #expect(lines[1].contains("50.0%") && lines[2].contains("100.0%"))
        #expect(SideBySide.render([], title: "x", markdown: false, width: 80).isEmpty)
        #expect(SideBySide.render([("a", 0.1, 0.2)], title: "x", markdown: true, width: 80).hasPrefix("\n```\n"))
    }

    @Test func binsAreLabelledByTheirEdges() throws {
        let a = (0..<100).map(Double.init), b = (0..<100).map { Double($0) + 50 }
        let drift = try #require(NumericDrift.compute(baseline: a, current: b))
        let rows = DriftReport.binRows(drift.psi)
        #expect(rows.count == drift.psi.baselineCounts.count)
        #expect(rows.first?.label.hasPrefix("≤ ") == true && rows.last?.label.hasPrefix("> ") == true)
        #expect(abs(rows.map(\.baseline).reduce(0, +) - 1) < 1e-12 && abs(rows.map(\.current).reduce(0, +) - 1) < 1e-12)
        // Half the current values lie above the baseline's largest edge.
        #expect(abs((rows.last?.current ?? 0) - 0.5 - (rows.last?.baseline ?? 0)) < 0.02, "\(rows)")
    }
}
