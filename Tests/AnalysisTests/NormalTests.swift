import Testing
@testable import Analysis

/// Expected values: scipy 1.17 `special.ndtri` via oracle/paired_oracle.py.
@Suite struct NormalTests {
    @Test(arguments: [
        (1e-300, -37.0470962993612), (1e-20, -9.262340089798409), (1e-10, -6.361340902404056),
        (0.001, -3.090232306167813), (0.025, -1.9599639845400545), (0.3, -0.5244005127080409),
        (0.5, 0.0), (0.6, 0.2533471031357997), (0.975, 1.959963984540054),
        (0.995, 2.5758293035489004), (0.999999, 4.753424308817087),
    ])
    func quantileMatchesScipy(p: Double, expected: Double) {
        expectClose(Normal.quantile(p), expected, relative: 1e-12, "ndtri(\(p))")
    }

    @Test func quantileInvertsTheCDF() {
        for p in stride(from: 0.001, to: 1, by: 0.0137) {
            expectClose(Normal.cdf(Normal.quantile(p)), p, relative: 1e-13, "Φ(Φ⁻¹(\(p)))")
        }
    }

    @Test func endpoints() {
        #expect(Normal.quantile(0) == -.infinity)
        #expect(Normal.quantile(1) == .infinity)
    }
}
