import Store
import XCTest
@testable import Shell

/// Charts for the `chart` stage, as exact text.
final class ChartTests: XCTestCase {
    /// A daily bucket as `bin(ts, 1d)` returns it.
    func day(_ d: Int) -> SQLValue { .text(String(format: "2026-11-%02dT00:00:00.000000Z", d)) }

    func chart(_ columns: [String], _ rows: [[SQLValue]], _ kind: ChartKind = .auto, width: Int? = 40, color: Bool = false) -> String {
        Chart.render(Rows(columns: columns, rows: rows), kind: kind, width: width, color: color)
    }

    /// Display columns as a terminal counts them, measured independently of `Chart`: CJK
    /// ideographs take two columns, everything else in these tests one.
    func displayWidth(_ line: Substring) -> Int {
        line.count + line.unicodeScalars.filter { (0x4E00...0x9FFF).contains($0.value) }.count
    }

    // MARK: - bar

    func testBarWithIntegers() {
        let rows: [[SQLValue]] = [[.text("refund"), .integer(120)], [.text("billing"), .integer(61)],
                                  [.text("other"), .integer(0)], [.text("neg"), .integer(-5)]]
        XCTAssertEqual(chart(["intent", "count()"], rows, .bar), """
            intent   count()
            refund   ███████████████████████████ 120
            billing  █████████████▊               61
            other                                  0
            neg                                   -5

            """)
    }

    func testBarWithReals() {
        let rows: [[SQLValue]] = [[.text("v1"), .real(0.25)], [.text("v2"), .real(0.0123)], [.text("v3"), .real(0.125)]]
        XCTAssertEqual(chart(["prompt_version", "rate(refused)"], rows, .bar), """
            prompt_version  rate(refused)
            v1              █████████████████   0.25
            v2              ▉                 0.0123
            v3              ████████▌          0.125

            """)
    }

    func testBarShortensTimeLabels() {
        let rows: [[SQLValue]] = [[.text("2026-11-20T14:00:00Z"), .integer(2)], [.text("2026-11-20T15:30:00Z"), .integer(4)]]
        XCTAssertEqual(chart(["hour", "n"], rows, .bar), """
            hour              n
            2026-11-20 14:00  ██████████           2
            2026-11-20 15:30  ████████████████████ 4

            """)
    }

    func testBarDrawsOneBlockPerValueColumnAndCutsLongLabels() {
        let rows: [[SQLValue]] = [[.text("gpt-4o"), .integer(10), .real(1234.5)],
                                  [.text("claude-sonnet-4-5-a-very-long-model-name"), .integer(3), .real(88.25)]]
        XCTAssertEqual(chart(["model", "count()", "p95"], rows), """
            model               count()
            gpt-4o              █████████████████ 10
            claude-sonnet-4-5…  █████▏             3

            model               p95
            gpt-4o              █████████████ 1234.5
            claude-sonnet-4-5…  ▉              88.25

            """)
    }

    func testBarWithoutLabelColumnNumbersTheRows() {
        XCTAssertEqual(chart(["n"], [[.integer(3)], [.integer(1)]], width: 30), """
            #  n
            1  █████████████████████████ 3
            2  ████████▍                 1

            """)
    }

    func testBarWithHugeCounts() {
        let rows: [[SQLValue]] = [[.text("max"), .integer(.max)], [.text("min"), .integer(.min)], [.text("half"), .integer(.max / 2)]]
        XCTAssertEqual(chart(["k", "v"], rows, .bar, width: 50), """
            k     v
            max   ███████████████████████  9223372036854775807
            min                           -9223372036854775808
            half  ███████████▌             4611686018427387903

            """)
    }

    // MARK: - spark

    func testSparkWithOneSeries() {
        let values: [Int64] = [3, 5, 9, 4, 0, 7, 8, 2]
        let rows = values.enumerated().map { [day($0 + 1), SQLValue.integer($1)] }
        XCTAssertEqual(chart(["day", "count()"], rows, .spark, width: 60), """
            count()  ▃▅█▄▁▆▇▃  0 … 9  2026-11-01 … 2026-11-08

            """)
    }

    func testSparkAlignsSeriesOnTheUnionOfBuckets() {
        let rows: [[SQLValue]] = [[day(1), .text("v1"), .real(0.1)], [day(2), .text("v1"), .real(0.2)],
                                  [day(2), .text("v2"), .real(0.5)], [day(3), .text("v2"), .real(0.3)],
                                  [day(4), .text("v1"), .real(0.4)]]
        XCTAssertEqual(chart(["day", "prompt_version", "rate"], rows, .spark, width: 70), """
            rate by prompt_version
            v1  ▁▃ █  0.1 … 0.4  2026-11-01 … 2026-11-04
            v2   █▁   0.3 … 0.5  2026-11-01 … 2026-11-04

            """)
    }

    func testSparkAveragesAdjacentBucketsToFit() {
        // 60 buckets into the 10 columns left: six buckets each.
        let rows = (0..<60).map { [SQLValue.text("b\($0)"), .integer($0 < 30 ? 0 : 9)] }
        XCTAssertEqual(chart(["bucket", "n"], rows, .spark, width: 30), """
            n  ▁▁▁▁▁█████  0 … 9  b0 … b59

            """)
        // Averaging, not sampling: the middle character is (0 + 6) / 2 (first would give ▁, last ▆).
        // No room for the x labels at this width, so they are left out.
        let uneven = (0..<6).map { [SQLValue.text("b\($0)"), .integer([0, 0, 0, 6, 8, 8][$0])] }
        XCTAssertEqual(chart(["bucket", "n"], uneven, .spark, width: 13), """
            n  ▁▄█  0 … 8

            """)
    }

    func testSparkWithoutLabelColumnUsesRowNumbers() {
        XCTAssertEqual(chart(["n"], [[.integer(3)], [.integer(1)], [.integer(2)]], .spark), """
            n  █▁▅  1 … 3  row 1 … row 3

            """)
    }

    // MARK: - auto

    func testAutoChoosesSparkForMoreThanTwelveTimeBuckets() {
        let rows = (1...13).map { [day($0), SQLValue.integer(Int64($0))] }
        XCTAssertEqual(chart(["day", "n"], rows, width: 50), """
            n  ▁▂▂▃▃▄▅▅▆▆▇▇█  1 … 13  2026-11-01 … 2026-11-13

            """)
    }

    func testAutoChoosesBarForTwelveTimeBuckets() {
        let rows = (1...12).map { [day($0), SQLValue.integer(Int64($0))] }
        XCTAssertEqual(chart(["day", "n"], rows), """
            day         n
            2026-11-01  ██▏                        1
            2026-11-02  ████▏                      2
            2026-11-03  ██████▎                    3
            2026-11-04  ████████▍                  4
            2026-11-05  ██████████▍                5
            2026-11-06  ████████████▌              6
            2026-11-07  ██████████████▋            7
            2026-11-08  ████████████████▋          8
            2026-11-09  ██████████████████▊        9
            2026-11-10  ████████████████████▉     10
            2026-11-11  ██████████████████████▉   11
            2026-11-12  █████████████████████████ 12

            """)
    }

    func testAutoChoosesBarForManyCategories() {
        let rows = (1...20).map { [SQLValue.text("intent\($0)"), .integer(1)] }
        let out = chart(["intent", "n"], rows)
        XCTAssertTrue(out.hasPrefix("intent    n\nintent1   ████"), out)
        XCTAssertEqual(out.split(separator: "\n").count, 21)
    }

    // MARK: - nulls, NaN, nothing to chart

    func testNullValuesAreBlank() {
        let rows: [[SQLValue]] = [[.text("a"), .integer(1)], [.null, .null], [.text("c"), .integer(3)]]
        XCTAssertEqual(chart(["k", "v"], rows, .bar, width: 20), """
            k       v
            a       ███▍       1
            (null)
            c       ██████████ 3

            """)
        XCTAssertEqual(chart(["k", "v"], rows, .spark), """
            v  ▁ █  1 … 3  a … c

            """)
    }

    func testNaNAndInfinityDrawNothingButPrint() {
        let rows: [[SQLValue]] = [[.text("a"), .real(2)], [.text("b"), .real(.infinity)], [.text("c"), .real(-.infinity)],
                                  [.text("d"), .real(.nan)], [.text("e"), .real(1)]]
        XCTAssertEqual(chart(["k", "v"], rows, .bar, width: 30), """
            k  v
            a  ██████████████████████    2
            b                          inf
            c                         -inf
            d                          NaN
            e  ███████████               1

            """)
        XCTAssertEqual(chart(["k", "v"], rows, .spark), """
            v  █   ▁  1 … 2  a … e

            """)
    }

    func testNoNumericColumn() {
        XCTAssertEqual(chart(["intent", "model"], [[.text("refund"), .text("gpt-4o")], [.text("other"), .integer(3)]], width: nil),
                       "chart needs a numeric column; found only `intent`, `model`\n")
        XCTAssertEqual(chart([], [[]], width: nil), "chart needs a numeric column; the result has no columns\n")
        XCTAssertEqual(chart(["intent"], [[.text("refund")]], width: 20), "chart needs a numer…\n")
    }

    func testNoRows() {
        XCTAssertEqual(chart(["day", "n"], []), "(no rows)\n")
        XCTAssertEqual(chart([], [], .spark), "(no rows)\n")
    }

    // MARK: - width and colour

    func testEveryLineFitsTheWidth() {
        let inputs: [(columns: [String], rows: [[SQLValue]])] = [
            (["intent", "n"], [[.text(String(repeating: "退款", count: 40)), .integer(5)],
                               [.text("line\nbreak\u{1B}[31m" + String(repeating: "x", count: 300)), .real(2.5)]]),
            (["day", "prompt_version", "rate", "n"], (1...30).map { [day($0), .text("v\($0 % 3)-" + String(repeating: "y", count: 90)), .real(Double($0) / 7), .integer(Int64($0) * 1_000_000_007)] }),
            (["n"], (1...100).map { [.integer(Int64($0))] }),
            (["k", "v"], [[.text("x"), .real(.nan)], [.text("y"), .integer(.min)]]),
        ]
        for input in inputs {
            for kind in [ChartKind.auto, .bar, .spark] {
                for width in [1, 2, 5, 10, 17, 24, 40, 80, 133] {
                    let out = chart(input.columns, input.rows, kind, width: width)
                    XCTAssertFalse(out.contains("\u{1B}"), "escape code without colour")
                    for line in out.split(separator: "\n", omittingEmptySubsequences: false) {
                        XCTAssertLessThanOrEqual(displayWidth(line), width, "\(kind) at \(width): \(line)")
                    }
                }
            }
        }
        XCTAssertEqual(chart(["intent", "n"], [[.text("退款退款退款退款退款退款退款退款退款退款"), .integer(5)], [.text("a\tb"), .integer(2)]], width: 30), """
            intent            n
            退款退款退款退…   ██████████ 5
            a b               ████       2

            """)
        XCTAssertEqual(chart(["intent", "n"], [[.text("refund"), .integer(5)]], width: 5), "…  n\n…  █…\n")
    }

    func testColourOnlyWhenAllowed() {
        let rows: [[SQLValue]] = [[day(1), .text("v1"), .real(0.1)], [day(2), .text("v1"), .real(0.2)],
                                  [day(2), .text("v2"), .real(0.5)], [day(3), .text("v2"), .real(0.3)]]
        let plain = chart(["day", "prompt_version", "rate"], rows, .spark, width: 70)
        let coloured = chart(["day", "prompt_version", "rate"], rows, .spark, width: 70, color: true)
        XCTAssertFalse(plain.contains("\u{1B}"))
        XCTAssertEqual(coloured, """
            rate by prompt_version
            v1  \u{1B}[36m▁█ \u{1B}[0m  0.1 … 0.2  2026-11-01 … 2026-11-03
            v2  \u{1B}[33m █▁\u{1B}[0m  0.3 … 0.5  2026-11-01 … 2026-11-03

            """)
        let stripped = coloured.replacingOccurrences(of: "\u{1B}\\[[0-9]+m", with: "", options: .regularExpression)
        XCTAssertEqual(stripped, plain)
    }

    // MARK: - pieces

    func testNumberFormat() {
        let cases: [(Double, String)] = [
            (1234.5, "1234.5"), (0.0123, "0.0123"), (0.0123456, "0.01235"), (1.0 / 3, "0.3333"), (12.345678, "12.3457"),
            (2, "2"), (-0.5, "-0.5"), (0, "0"), (-0.00001, "-0.00001"), (1e-9, "1e-09"), (2.5e15, "2.5e+15"),
            (.nan, "NaN"), (.infinity, "inf"), (-.infinity, "-inf"),
        ]
        for (value, expected) in cases { XCTAssertEqual(Chart.format(value), expected, "\(value)") }
        XCTAssertEqual(Chart.format(.integer(-42)), "-42")
    }

    func testShortTime() {
        let cases: [(String, String?)] = [
            ("2026-11-20T00:00:00.000000Z", "2026-11-20"), ("2026-11-20T14:00:00Z", "2026-11-20 14:00"),
            ("2026-11-20 14:00:30", "2026-11-20 14:00:30"), ("2026-11-20T14:00:00.250Z", "2026-11-20 14:00:00.25"),
            ("2026-11-20T00:00:00+02:00", "2026-11-20 +02:00"), ("2026-11-20T00:00:00+00:00", "2026-11-20"),
            ("2026-11-20", "2026-11-20"), ("2026-11-20T14", nil), ("refund", nil), ("2026-11-20Tx", nil),
            ("2026-11-20T14:00:00Zjunk", nil), ("", nil),
        ]
        for (text, expected) in cases { XCTAssertEqual(Chart.shortTime(text), expected, text) }
    }
}
