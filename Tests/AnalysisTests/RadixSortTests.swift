@testable import Analysis
import Testing

/// The radix sort `drift` uses is the comparison sort's result, value for value.
@Suite struct RadixSortTests {
    func check(_ values: [Double]) {
        let expected = values.filter(\.isFinite).sorted()
        let got = RadixSort.sortedFinite(values)
        #expect(got.count == expected.count)
        // −0.0 and 0.0 compare equal, so == on the arrays is the right test.
        #expect(got == expected)
        #expect(zip(got, got.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test func edgeCases() {
        check([])
        check([3])
        check([.nan, .infinity, -.infinity])
        check([2, 1, 2, 1, .nan, 0, -0.0, -1, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
               .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1e-310, -1e-310])
        check(Array(repeating: 7.5, count: 1000))
    }

    @Test func randomSamplesOfEveryShape() {
        var g = SeededGenerator(seed: 42)  // the bootstrap's generator: a failure repeats
        // Latencies (positive, one exponent range), mixed signs, raw bit patterns, integers.
        let latencies = (0..<50_000).map { _ in 200 + Double(g.next() % 1_000_000) / 100 }
        let mixed = (0..<50_000).map { _ in (Double(g.next() % 2_000_001) - 1_000_000) / 7 }
        let bits = (0..<50_000).map { _ in Double(bitPattern: g.next()) }
        let counts = (0..<50_000).map { _ in Double(g.next() % 5) }
        for sample in [latencies, mixed, bits, counts] { check(sample) }
    }
}
