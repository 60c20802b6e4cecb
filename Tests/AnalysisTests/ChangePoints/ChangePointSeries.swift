/// The series the change-point tests segment: the oracle's examples, pasted, and series drawn
/// from a seeded generator that `ChangePointSeries.generatorPython` repeats line for line.
enum ChangePointSeries {
    /// The series named in a case table.
    static func named(_ name: String) -> [Double] {
        switch name {
        case "stepAt100": return stepAt100
        case "stepAt103": return stepAt103
        case "flat": return flat
        case "steps": return steps
        case "ramp": return ramp
        case "noise": return noise
        case "excursion": return excursion
        case "long": return long
        case "big": return big
        default: preconditionFailure("no test series named \(name)")
        }
    }

    // Generated series. Each was written to NAME.json as {"series": [...]} by the Python below
    // and given to oracle_changepoint.py and ruptures; the values are sums and products of
    // exactly representable numbers, so Swift and Python produce the same bits.

    /// Five levels (1, 3, 2, 5, 4.5) of 40, 35, 50, 25 and 30 values, noise σ = 0.3: changes at
    /// 40, 75, 125 and 150.
    static let steps = stepSeries(seed: 7, levels: [1.0, 3.0, 2.0, 5.0, 4.5], lengths: [40, 35, 50, 25, 30], sigma: 0.3)
    /// A slope of 0.02 per value over 120 values, noise σ = 0.1: no true change points, a staircase.
    static let ramp = rampSeries(seed: 11, count: 120, slope: 0.02, sigma: 0.1)
    /// 300 values of level 10 with noise σ = 1: no change.
    static let noise = stepSeries(seed: 3, levels: [10.0], lengths: [300], sigma: 1.0)
    /// A 6-value excursion (0 → 1.5 → 0) then a small shift (0 → 0.4), noise σ = 0.25: PELT
    /// finds all three changes, binary segmentation's best first split misses the excursion.
    static let excursion = stepSeries(seed: 5, levels: [0.0, 1.5, 0.0, 0.4], lengths: [60, 6, 60, 40], sigma: 0.25)
    /// 2000 latency-like values in 8 runs (one shift of 0.05 σ, not detectable), noise σ = 10.
    static let long = stepSeries(
        seed: 42, levels: [100.0, 130.0, 90.0, 95.0, 200.0, 150.0, 150.5, 80.0],
        lengths: [300, 250, 400, 200, 150, 300, 200, 200], sigma: 10.0)
    /// 10,000 values in 10 runs, noise σ = 4 (the size of the performance requirement).
    static let big = stepSeries(
        seed: 2026, levels: [50.0, 58.0, 45.0, 45.0 + 20, 30.0, 31.0, 70.0, 40.0, 55.0, 52.0],
        lengths: [1200, 800, 1500, 700, 1100, 900, 1300, 1000, 600, 900], sigma: 4.0)

    /// The generator in Python, as run to make the expected values (`SplitMix64` below).
    static let generatorPython = """
        M = (1 << 64) - 1
        class SplitMix64:
            def __init__(self, seed): self.state = seed & M
            def next(self):
                self.state = (self.state + 0x9E3779B97F4A7C15) & M
                z = self.state
                z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
                z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
                return z ^ (z >> 31)
            def uniform(self): return (self.next() >> 11) * 2.0**-53
            def noise(self):
                s = 0.0
                for _ in range(12): s += self.uniform()
                return s - 6.0
        def steps(seed, levels, lengths, sigma):
            g = SplitMix64(seed); out = []
            for level, length in zip(levels, lengths):
                for _ in range(length): out.append(level + sigma * g.noise())
            return out
        def ramp(seed, n, slope, sigma):
            g = SplitMix64(seed)
            return [slope * i + sigma * g.noise() for i in range(n)]
        """

    /// Runs of `levels` with the generator's noise times `sigma` added.
    static func stepSeries(seed: UInt64, levels: [Double], lengths: [Int], sigma: Double) -> [Double] {
        var generator = SplitMix64(seed: seed)
        var values: [Double] = []
        for (level, length) in zip(levels, lengths) {
            for _ in 0..<length { values.append(level + sigma * generator.noise()) }
        }
        return values
    }

    /// slope·i plus the generator's noise times `sigma`.
    static func rampSeries(seed: UInt64, count: Int, slope: Double, sigma: Double) -> [Double] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { slope * Double($0) + sigma * generator.noise() }
    }

    /// Vigna's SplitMix64 with an Irwin–Hall approximate normal (the sum of 12 uniforms less 6):
    /// only integer arithmetic and exact floating-point sums, so every platform and Python agree.
    struct SplitMix64 {
        var state: UInt64
        init(seed: UInt64) { state = seed }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

        mutating func noise() -> Double {
            var sum = 0.0
            for _ in 0..<12 { sum += uniform() }
            return sum - 6.0
        }
    }

    // The oracle's examples (oracles/examples/, made by make_examples.py), pasted.

    /// `examples/step_at_100.csv` (200 values).
    static let stepAt100: [Double] = [
        1.0498, 1.2351, 1.2907, 1.1611, 0.8143, 0.9087, 0.8398, 1.2586, 1.2127, 1.1844, 0.9756, 1.547, 0.6274, 0.844, 0.5766, 0.7647,
        0.871, 0.9357, 1.1579, 0.8137, 0.8755, 0.8182, 0.7817, 0.9685, 1.2575, 0.9663, 1.0436, 0.8669, 0.9613, 0.6698, 0.8053, 0.8643,
        0.9478, 0.7987, 1.0314, 0.7916, 0.7967, 1.1235, 1.3457, 0.8688, 1.1803, 0.7903, 1.0585, 0.9065, 0.9317, 0.8625, 0.7592, 1.4383,
        0.8591, 1.093, 0.9117, 0.8772, 1.0757, 1.0314, 0.7313, 0.9785, 0.4885, 1.0228, 0.7722, 1.0956, 0.9625, 1.0009, 1.2765, 0.8588,
        1.2774, 0.7013, 0.8393, 0.7989, 1.0575, 0.6392, 0.8242, 0.827, 0.8819, 1.0868, 0.9719, 1.227, 1.142, 0.8462, 0.4358, 1.0577,
        0.6058, 0.7389, 1.2993, 1.0516, 0.7421, 0.9539, 1.0088, 0.9882, 0.8195, 1.0617, 1.0582, 0.8569, 1.0984, 1.1979, 0.8157, 1.099,
        0.7239, 0.837, 0.7628, 1.0744, 2.8252, 2.9818, 3.0487, 3.3676, 3.1596, 2.9078, 2.9002, 3.0178, 2.9456, 3.1202, 2.9481, 2.9337,
        2.7665, 2.6165, 2.8228, 3.1158, 3.0434, 2.9516, 2.9065, 3.0319, 2.8739, 3.137, 3.1194, 3.017, 2.7661, 3.0514, 3.2256, 3.2752,
        2.7132, 3.2544, 2.7303, 2.9732, 2.8678, 3.2807, 3.2529, 2.8608, 3.0876, 3.1456, 2.9408, 3.2855, 2.809, 3.2312, 2.7259, 2.876,
        2.9356, 2.6998, 2.7077, 2.9502, 2.9063, 3.2346, 3.1642, 2.9988, 3.0193, 3.1925, 3.4553, 2.8063, 3.1686, 3.1986, 2.8257, 2.8919,
        2.6341, 2.8267, 2.6506, 2.7577, 3.0365, 3.0374, 2.9879, 2.8284, 2.8536, 3.215, 3.1932, 3.1228, 2.965, 2.8865, 2.9639, 3.0006,
        3.015, 3.3248, 2.7871, 2.813, 2.72, 3.1336, 3.0148, 3.0366, 3.2422, 3.2319, 2.6717, 3.3323, 3.0757, 2.9931, 3.1961, 2.7044,
        3.0458, 3.3412, 3.0008, 3.1501, 2.6723, 2.8263, 3.111, 3.181,
    ]

    /// `examples/step_at_103.json` (200 values).
    static let stepAt103: [Double] = [
        1.1287, 1.4319, 1.0596, 1.1868, 0.6212, 1.0361, 1.1224, 1.0751, 0.8778, 1.3258, 0.8661, 0.7945, 1.0278, 1.1192, 1.1935, 0.7755,
        0.8012, 1.2199, 0.903, 1.0001, 1.2252, 1.0054, 1.1308, 1.1127, 0.89, 0.8246, 1.052, 0.6953, 1.0138, 1.0268, 0.9559, 1.0043,
        1.1868, 0.8172, 0.9033, 1.2902, 1.0072, 0.7673, 0.7502, 0.8574, 1.1963, 0.7686, 0.9166, 0.643, 0.9434, 0.6817, 1.0299, 1.0724,
        0.8908, 1.2845, 1.0932, 1.4076, 0.9144, 0.9294, 1.0881, 0.7723, 0.8679, 0.7398, 0.7812, 0.9332, 0.6258, 1.1963, 1.1251, 1.1434,
        1.1729, 1.0013, 1.075, 0.9652, 1.2384, 1.0459, 1.012, 0.7209, 1.1942, 0.8611, 0.7776, 1.1132, 1.307, 1.1211, 0.8541, 1.0727,
        0.8844, 1.0258, 0.9998, 1.3319, 0.9762, 1.1673, 1.1775, 0.7786, 0.9667, 1.1366, 1.1413, 1.1388, 1.245, 1.2594, 1.0453, 1.1465,
        1.3907, 0.8533, 0.7815, 0.922, 1.0351, 1.431, 0.8427, 2.5281, 1.8775, 2.1289, 1.8687, 1.9453, 2.2315, 1.9006, 2.3069, 1.9644,
        1.8436, 2.3529, 2.1415, 1.6371, 2.2014, 2.1321, 2.3207, 2.1736, 2.0924, 2.1185, 2.2407, 2.1237, 1.9782, 2.1342, 1.8084, 1.6669,
        1.9315, 1.8331, 2.2205, 1.9413, 1.9262, 2.0779, 2.0565, 1.8498, 2.0445, 1.9328, 2.4416, 1.8751, 1.8665, 2.1798, 2.0442, 2.4759,
        2.0773, 2.0943, 1.8664, 2.2238, 2.0221, 1.9896, 2.2027, 2.0058, 2.0821, 2.0178, 1.9275, 1.577, 2.2523, 2.3716, 2.4478, 2.1037,
        1.9465, 1.9177, 1.9874, 1.8891, 1.9228, 2.1164, 2.0636, 2.3115, 1.5418, 2.3868, 2.2749, 2.1751, 2.1242, 1.426, 2.3702, 1.7189,
        2.0471, 1.6172, 2.0192, 2.0877, 1.7492, 2.2525, 1.9984, 2.1178, 2.083, 1.9072, 1.6518, 2.0573, 2.2133, 2.1387, 2.0191, 1.9124,
        2.3234, 1.8355, 1.9457, 2.0664, 1.9534, 1.9637, 1.9684, 1.8547,
    ]

    /// `examples/flat.csv` (200 values).
    static let flat: [Double] = [
        1.2367, 0.9022, 1.1588, 1.0063, 1.0475, 0.851, 0.986, 1.1168, 1.3128, 0.6824, 1.2593, 0.9769, 0.9982, 0.7926, 1.1384, 0.6693,
        1.2034, 1.1679, 1.0684, 1.4253, 0.9545, 0.8137, 1.0608, 1.1182, 1.2939, 1.0987, 1.088, 1.3116, 1.0764, 0.7916, 1.3828, 0.9611,
        1.1074, 1.5428, 0.991, 0.8272, 1.1649, 1.3378, 1.0275, 0.7113, 1.1666, 1.0537, 1.2547, 1.0195, 0.8435, 0.925, 1.0022, 0.739,
        1.0275, 1.3782, 0.8885, 1.3134, 1.0383, 0.9554, 1.0024, 1.355, 1.1768, 1.1082, 1.4927, 0.8021, 0.7451, 1.0617, 0.9342, 0.9586,
        0.8727, 0.854, 0.9518, 0.8766, 1.2397, 1.0022, 1.1142, 1.1376, 0.9172, 0.9155, 0.652, 1.0345, 0.7496, 1.1847, 1.1853, 1.2016,
        1.1521, 0.8904, 1.3431, 1.0771, 0.771, 1.0002, 1.0296, 0.7328, 0.8893, 0.7437, 0.9477, 1.2594, 0.8716, 1.1449, 0.6902, 0.8805,
        1.1189, 0.9514, 1.3303, 0.9468, 1.0604, 1.1201, 1.1463, 1.2821, 1.0734, 0.6297, 0.5096, 0.9333, 1.0805, 0.2677, 1.3337, 1.0393,
        1.1715, 0.9009, 0.9886, 1.3031, 0.9077, 1.1102, 0.9813, 1.0432, 1.4651, 0.9078, 1.1302, 0.9476, 1.3044, 0.8595, 1.1527, 0.8518,
        1.1008, 1.3689, 1.0893, 0.817, 1.109, 1.0406, 0.8452, 0.9757, 0.7357, 0.8243, 0.6224, 1.1019, 1.1505, 1.4313, 1.1895, 0.9505,
        1.1552, 0.8007, 0.8222, 0.5265, 1.2574, 0.9348, 0.7514, 0.8224, 1.1437, 0.7965, 0.9889, 1.0001, 1.3049, 1.1461, 0.7603, 1.1206,
        0.5188, 0.575, 1.1046, 1.1003, 1.255, 0.8103, 0.8148, 0.9843, 0.9336, 0.9846, 1.4443, 0.626, 1.0805, 0.9059, 0.6874, 1.1298,
        1.1343, 1.0113, 0.9377, 0.868, 0.7851, 1.0585, 1.6616, 0.9177, 0.8763, 0.9031, 0.803, 1.0755, 1.1011, 1.1212, 0.9026, 1.051,
        2.0714, 0.9405, 0.7053, 0.9937, 1.3512, 1.0153, 1.0056, 1.1022,
    ]
}
