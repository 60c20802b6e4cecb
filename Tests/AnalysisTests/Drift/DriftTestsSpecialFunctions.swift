import Foundation
import Testing
@testable import Analysis

/// The special functions behind the drift statistics against scipy 1.17.1. Expected values:
/// `Tests/AnalysisTests/Drift/Expected/special_functions.py` (run with the oracles' venv), its
/// output pasted into `Reference` below; each row is the inputs then the expected values.
@Suite struct DriftTestsSpecialFunctions {
    enum Reference {
        // kstwoSurvival
        static let kstwoSurvival: [[Double]] = [
            [1.0, 0.3, 1.0],
            [1.0, 0.7, 0.6000000000000001],
            [3.0, 0.2, 0.9982222222222222],
            [3.0, 0.4, 0.5946666666666665],
            [5.0, 0.15, 0.9988],
            [5.0, 0.25, 0.8446],
            [10.0, 0.05, 1.0],
            [10.0, 0.12, 0.9948566839762616],
            [10.0, 0.3, 0.27053557479999946],
            [10.0, 0.55, 0.0022805103214843725],
            [10.0, 0.95, 1.9531250000000172e-13],
            [50.0, 0.05, 0.9990238098461883],
            [50.0, 0.1, 0.6623112704658186],
            [50.0, 0.2, 0.03143877776953241],
            [50.0, 0.35, 5.573523514803185e-06],
            [140.0, 0.02, 0.9999999774822331],
            [140.0, 0.06, 0.6719092248862638],
            [140.0, 0.12, 0.03252638258561632],
            [140.0, 0.2, 2.1981563302200222e-05],
            [141.0, 0.006, 1.0],
            [141.0, 0.05, 0.854845693009663],
            [141.0, 0.2, 2.0276784223976912e-05],
            [500.0, 0.0015, 1.0],
            [500.0, 0.01, 0.9999999991073389],
            [500.0, 0.03, 0.7473166700457021],
            [500.0, 0.08, 0.0031305058199356268],
            [500.0, 0.3, 2.0976835679070943e-40],
            [5143.0, 0.001, 1.0],
            [5143.0, 0.003, 0.9999999999467633],
            [5143.0, 0.012, 0.44594918563202046],
            [5143.0, 0.025, 0.0031736030127571344],
            [5143.0, 0.05, 1.296970791103928e-11],
            [5143.0, 0.2, 8.729475704073197e-181],
            [100000.0, 0.0002, 1.0],
            [100000.0, 0.003, 0.3284563327726956],
            [100000.0, 0.006, 0.0014871489301131564],
            [250000.0, 0.002, 0.26964259864783624],
            [250000.0, 0.004, 0.0006691242219145274],
            [250000.0, 0.01, 3.827782382946494e-22],
            [2000000.0, 0.0015, 0.00024657290508461606],
            [2000000.0, 0.002, 2.247704493692889e-07],
        ]
        // smirnov
        static let smirnov: [[Double]] = [
            [2.0, 0.3, 0.61],
            [5.0, 0.1, 0.85359],
            [5.0, 0.5, 0.056],
            [10.0, 0.05, 0.9224335892010742],
            [10.0, 0.31, 0.11880788678326884],
            [10.0, 0.95, 9.765625000000086e-14],
            [100.0, 0.2, 0.0002775963664037337],
            [1000.0, 0.05, 0.006506037390545166],
            [5000.0, 0.03, 0.00012079617211333408],
            [60000.0, 0.01, 6.102029711247306e-06],
            [300000.0, 0.003, 0.004507526134020265],
            [2000000.0, 0.001, 0.018303432023617325],
        ]
        // exactTwoSample
        static let exactTwoSample: [[Double]] = [
            [10.0, 10.0, 5.0, 0.16782134274394334],
            [10.0, 10.0, 1.0, 1.0],
            [7.0, 13.0, 40.0, 0.23111455108359139],
            [7.0, 13.0, 91.0, 2.5799793601651186e-05],
            [800.0, 600.0, 848.0, 1.7282063621272663e-38],
            [800.0, 600.0, 114.0, 0.4105857234114342],
            [50.0, 30.0, 40.0, 0.11824329092473143],
            [1.0, 7.0, 7.0, 0.25],
            [1.0, 7.0, 4.0, 1.0],
            [3000.0, 2000.0, 300.0, 0.004836257555649373],
            [9999.0, 10000.0, 2000000.0, 0.03589605170521495],
            [9999.0, 10000.0, 3000000.0, 0.0002391995719125069],
            [9999.0, 10000.0, 15305000.0, 1.0856193966674902e-102],
            [600.0, 800.0, 1200.0, 1.9464162607115168e-78],
            [1000.0, 999.0, 300000.0, 2.9621985973084236e-40],
        ]
        // chiSquareSurvival
        static let chiSquareSurvival: [[Double]] = [
            [1.0, 0.5, 0.47950012218695337],
            [1.0, 3.8402457757296466, 0.05003618617623258],
            [1.0, 13.323464100666174, 0.0002621055109992039],
            [1.0, 80.0, 3.744097384202887e-19],
            [2.0, 10.0, 0.006737946999085468],
            [2.0, 0.001, 0.9995001249791693],
            [3.0, 2.5, 0.4752910833430205],
            [3.0, 40.0, 1.065509033425585e-08],
            [9.0, 5.0, 0.8343082601934075],
            [9.0, 40.0, 7.598525229464264e-06],
            [25.0, 20.0, 0.7468253060165366],
            [25.0, 80.0, 1.1410611727198733e-07],
            [100.0, 90.0, 0.7531979655998298],
            [100.0, 300.0, 7.4121008573230175e-22],
            [999.0, 1000.0, 0.48513148927490146],
            [999.0, 1500.0, 8.513135655488133e-23],
            [4.0, 1e-06, 0.999999999999875],
            [30.0, 0.5, 1.0],
        ]
        // chiSquareQuantile
        static let chiSquareQuantile: [[Double]] = [
            [1.0, 0.95, 3.841458820694124],
            [1.0, 0.5, 0.454936423119572],
            [1.0, 0.01, 0.00015708785790970184],
            [1.0, 0.999999, 23.92812697687947],
            [2.0, 0.95, 5.991464547107979],
            [2.0, 0.5, 1.386294361119891],
            [2.0, 0.01, 0.020100671707002873],
            [2.0, 0.999999, 27.631021115871036],
            [3.0, 0.95, 7.814727903251179],
            [3.0, 0.5, 2.3659738843753377],
            [3.0, 0.01, 0.11483180189911707],
            [3.0, 0.999999, 30.66484970615427],
            [9.0, 0.95, 16.918977604620448],
            [9.0, 0.5, 8.342832692252955],
            [9.0, 0.01, 2.0879007358707273],
            [9.0, 0.999999, 44.81093787062026],
            [10.0, 0.95, 18.307038053275146],
            [10.0, 0.5, 9.34181776559197],
            [10.0, 0.01, 2.5582121601872063],
            [10.0, 0.999999, 46.86304684671568],
            [25.0, 0.95, 37.65248413348277],
            [25.0, 0.5, 24.336586697884293],
            [25.0, 0.01, 11.52397537224934],
            [25.0, 0.999999, 73.8945386227859],
            [100.0, 0.95, 124.34211340400407],
            [100.0, 0.5, 99.33412923598846],
            [100.0, 0.01, 70.06489492539978],
            [100.0, 0.999999, 182.12677711942618],
            [999.0, 0.95, 1073.6426506574246],
            [999.0, 0.5, 998.333412482588],
            [999.0, 0.01, 897.9644826908501],
            [999.0, 0.999999, 1226.0461890118645],
        ]
        // hypergeometric
        static let hypergeometric: [[Double]] = [
            [100.0, 50.0, 7.0, 1.0, 0.0496349824890248, 0.05587480885907363, 0.9441251911409264],
            [100.0, 50.0, 7.0, 6.0, 0.0496349824890248, 0.9937601736299512, 0.006239826370048834],
            [100.0, 50.0, 7.0, 3.0, 0.2819842483434452, 0.49999999999999983, 0.5000000000000002],
            [2000.0, 1000.0, 70.0, 20.0, 0.00011056768824178209, 0.00017425967665861983, 0.9998257403233414],
            [2000.0, 1000.0, 70.0, 50.0, 0.00011056768824178209, 0.9999363080115832, 6.369198841683773e-05],
            [2000000.0, 1000000.0, 3000.0, 1400.0, 1.8316468520736624e-05, 0.00013781604056696797, 0.9998621839594337],
            [2000000.0, 1000000.0, 3000.0, 1620.0, 9.663050472935155e-07, 0.9999947251691578, 5.274830842889419e-06],
            [60.0, 10.0, 20.0, 0.0, 0.011243072632748754, 0.011243072632748754, 0.9887569273672513],
            [60.0, 10.0, 20.0, 10.0, 2.4505389347752305e-06, 1.0, 0.0],
        ]
        // fisher
        static let fisher: [[Double]] = [
            [1.0, 49.0, 6.0, 44.0, 0.14965986394557823, 0.11174961771814726],
            [20.0, 980.0, 50.0, 950.0, 0.3877551020408163, 0.00034851935331723966],
            [0.0, 40.0, 0.0, 60.0, -1.0, 1.0],
            [0.0, 200.0, 7.0, 143.0, 0.0, 0.002447282480711027],
            [3.0, 0.0, 0.0, 3.0, .infinity, 0.10000000000000002],
            [5.0, 5.0, 5.0, 5.0, 1.0, 1.0],
            [10.0, 2.0, 3.0, 15.0, 25.0, 0.0005367241191434357],
            [2.0, 7.0, 8.0, 2.0, 0.07142857142857142, 0.02301413756522116],
            [0.0, 5.0, 5.0, 0.0, 0.0, 0.007936507936507938],
            [12.0, 5.0, 3.0, 12.0, 9.6, 0.0060095023229754675],
            [100.0, 900.0, 130.0, 870.0, 0.7435897435897436, 0.041904548383735134],
            [1.0, 0.0, 0.0, 0.0, -1.0, 1.0],
            [4.0, 996.0, 12.0, 988.0, 0.33065595716198126, 0.07564667152556288],
        ]
    }

    /// `scipy.stats.kstwo.sf(x, n)` over every region of scipy's `_kolmogn`.
    @Test func kolmogorovSurvivalMatchesScipy() {
        for row in Reference.kstwoSurvival {
            let n = Int(row[0]), x = row[1]
            expectClose(Kolmogorov.survival(n: n, x: x), row[2], relative: 1e-9, "kstwo.sf(\(x), \(n))")
        }
    }

    /// `scipy.special.smirnov(n, x)`, including n above 10⁶ (scipy's approximation there).
    @Test func smirnovMatchesScipy() {
        for row in Reference.smirnov {
            let n = Int(row[0]), x = row[1]
            expectClose(Kolmogorov.smirnovSurvival(n: n, x: x), row[2], relative: 1e-10, "smirnov(\(n), \(x))")
        }
    }

    /// scipy's `_attempt_exact_2kssamp(n1, n2, gcd, h/lcm, "two-sided")`.
    @Test func exactTwoSampleProbabilityMatchesScipy() {
        for row in Reference.exactTwoSample {
            let n1 = Int(row[0]), n2 = Int(row[1]), h = Int(row[2])
            var g = n1, r = n2
            while r != 0 { (g, r) = (r, g % r) }
            let p = n1 == n2
                ? KolmogorovSmirnovTest.probabilityOutsideSquare(n: n1, h: h)
                : KolmogorovSmirnovTest.probabilityOutsideBand(m: n1, n: n2, g: g, h: h)
            expectClose(p, row[3], relative: 1e-10, absolute: 1e-300, "exact p(\(n1), \(n2), h=\(h))")
        }
    }

    /// `scipy.stats.chi2.sf(x, k)`.
    @Test func chiSquareSurvivalMatchesScipy() {
        for row in Reference.chiSquareSurvival {
            expectClose(ChiSquared.survival(row[1], degreesOfFreedom: row[0]), row[2], relative: 1e-11,
                        "chi2.sf(\(row[1]), \(row[0]))")
        }
    }

    /// `scipy.stats.chi2.ppf(p, k)`.
    @Test func chiSquareQuantileMatchesScipy() {
        for row in Reference.chiSquareQuantile {
            expectClose(ChiSquared.quantile(row[1], degreesOfFreedom: row[0]), row[2], relative: 1e-11,
                        "chi2.ppf(\(row[1]), \(row[0]))")
        }
    }

    /// `scipy.stats.hypergeom.pmf / cdf / sf(k, M, n, N)`.
    @Test func hypergeometricMatchesScipy() {
        for row in Reference.hypergeometric {
            let d = Hypergeometric(population: Int(row[0]), marked: Int(row[1]), draws: Int(row[2]))
            let k = Int(row[3])
            // Boost (behind scipy) loses about 1e-10 at a population of 2·10⁶; see the next test.
            let tolerance = row[0] > 1e6 ? 1e-9 : 1e-11
            expectClose(d.pmf(k), row[4], relative: tolerance, "pmf \(row)")
            expectClose(d.cdf(k), row[5], relative: tolerance, "cdf \(row)")
            expectClose(d.sf(k), row[6], relative: tolerance, "sf \(row)")
        }
    }

    /// At a population of 2·10⁶ the values are checked against exact rational arithmetic, from
    /// `python3 -c "from fractions import Fraction; from math import comb; …"`:
    /// Fraction(comb(n, k)·comb(M − n, N − k), comb(M, N)) and its sums over the tails.
    @Test func hypergeometricIsExactForLargePopulations() {
        let d = Hypergeometric(population: 2_000_000, marked: 1_000_000, draws: 3000)
        expectClose(d.pmf(1400), 1.8316468519542233e-05, relative: 1e-13)
        expectClose(d.pmf(1620), 9.66305047312786e-07, relative: 1e-13)
        expectClose(d.cdf(1400), 0.00013781604055798129, relative: 1e-13)
        expectClose(d.sf(1620), 5.274830843872419e-06, relative: 1e-13)
    }

    /// `scipy.stats.fisher_exact([[a, b], [c, d]])`; an odds ratio of −1 stands for scipy's NaN.
    @Test func fisherExactMatchesScipy() {
        for row in Reference.fisher {
            let r = FisherExactTest.compute(Int(row[0]), Int(row[1]), Int(row[2]), Int(row[3]))
            if row[4] == -1 {
                #expect(r.oddsRatio == nil, "odds ratio \(row)")
            } else {
                expectClose(r.oddsRatio, row[4], relative: 1e-15, "odds ratio \(row)")
            }
            expectClose(r.pValue, row[5], relative: 1e-10, "p \(row)")
        }
    }
}
