import Testing
@testable import Analysis

/// The default penalty 3·σ̂²·ln n against the oracle's `penalty` section
/// (`oracle_changepoint.py SERIES` without `--pen`).
@Suite struct ChangePointTestsPenalty {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let series: [Double]
        let value: Double
        let sigma: Double
        let source: ChangePointPenalty.Source
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "step_at_100.csv", series: ChangePointSeries.stepAt100,
             value: 0.6037224122482744, sigma: 0.19488976753814963, source: .differences),
        Case(name: "step_at_103.json", series: ChangePointSeries.stepAt103,
             value: 0.6346354267471532, sigma: 0.19981705052593532, source: .differences),
        Case(name: "flat.csv", series: ChangePointSeries.flat,
             value: 0.9370346037008761, sigma: 0.242799731908744, source: .differences),
        Case(name: "steps", series: ChangePointSeries.steps,
             value: 1.5334667381476126, sigma: 0.31373949690035047, source: .differences),
        Case(name: "ramp", series: ChangePointSeries.ramp,
             value: 0.11555972894393993, sigma: 0.08969920851009272, source: .differences),
        Case(name: "noise", series: ChangePointSeries.noise,
             value: 20.429521649537687, sigma: 1.0926649051009878, source: .differences),
        Case(name: "excursion", series: ChangePointSeries.excursion,
             value: 1.0661819698565935, sigma: 0.2636696457805916, source: .differences),
        Case(name: "long", series: ChangePointSeries.long,
             value: 2351.0670168668767, sigma: 10.154049994264081, source: .differences),
        Case(name: "big", series: ChangePointSeries.big,
             value: 463.3799444444731, sigma: 4.095153160514574, source: .differences),
        // Three values: the MAD of the two differences (2, −1) is 1.5.
        Case(name: "[4, 6, 5]", series: [4, 6, 5], value: 8.150186016827963, sigma: 1.572537123761296, source: .differences),
        // Differences (1, 7, 1): MAD 0, so numpy's std(ddof=0) of the values stands in.
        Case(name: "[1, 2, 9, 10]", series: [1, 2, 9, 10],
             value: 67.58185010459465, sigma: 4.031128874149275, source: .standardDeviation),
        Case(name: "[1, 2, 9, 10, 9.5]", series: [1, 2, 9, 10, 9.5],
             value: 2.9849516758946195, sigma: 0.786268561880648, source: .differences),
        // Two values: no MAD (fewer than 3), so numpy's std(ddof=0) = 1.
        Case(name: "[4, 6]", series: [4, 6], value: 2.0794415416798357, sigma: 1, source: .standardDeviation),
        // Most differences 0, so MAD = 0: the standard deviation √3 stands in.
        Case(name: "[1, 1, 5, 5, 5, 5, 5, 5]", series: [1, 1, 5, 5, 5, 5, 5, 5],
             value: 18.71497387511852, sigma: 1.7320508075688772, source: .standardDeviation),
        // Constant: σ̂ = 1, pen = 3·ln 10.
        Case(name: "[5] × 10", series: Array(repeating: 5, count: 10), value: 6.907755278982138, sigma: 1, source: .unit),
        // One value: ln 1 = 0.
        Case(name: "[4]", series: [4], value: 0, sigma: 1, source: .unit),
    ]

    @Test(arguments: cases)
    func matchesOracle(_ c: Case) {
        let penalty = ChangePointPenalty.estimated(for: c.series)
        expectClose(penalty.value, c.value, relative: 1e-13, "value")
        expectClose(penalty.sigma, c.sigma, relative: 1e-13, "σ̂")
        #expect(penalty.source == c.source)
    }

    @Test func constantSeriesGetsUnitScaleEvenWhenNumpyRoundsItsMeanAway() {
        // The oracle prints sigma_hat 1.3877787807814457e-17 and pen 1.1243059875457971e-33 for
        // [0.1] × 7: numpy's mean of seven 0.1 is not 0.1, so np.std is a rounding residue rather
        // than 0. relops takes the rule's intent: an all-equal series has σ̂ = 1.
        let penalty = ChangePointPenalty.estimated(for: Array(repeating: 0.1, count: 7))
        #expect(penalty.source == .unit)
        expectClose(penalty.value, 3 * 1.9459101490553132, relative: 1e-15)
        #expect(penalty.sigma == 1)
    }

    @Test func emptySeriesGetsZero() {
        let penalty = ChangePointPenalty.estimated(for: [])
        #expect(penalty.value == 0)
        #expect(penalty.source == .unit)
    }

    @Test func givenPenaltyHasNoScale() {
        #expect(ChangePointPenalty.given(2.5) == ChangePointPenalty(value: 2.5, sigma: nil, source: .given))
    }
}
