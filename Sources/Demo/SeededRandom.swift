import Foundation

/// A small seeded generator (xoshiro256**, seeded through SplitMix64) with the draws the demo
/// needs; seeded fuzz tests use it too.
///
/// The demo corpus must be byte-identical for a seed on every run, so it never touches the
/// system generator, and it implements its own uniform, normal and choice draws instead of the
/// standard library's `random(in:using:)`, whose algorithms are not promised to stay the same
/// across Swift releases.
public struct SeededRandom: Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    public init(seed: UInt64) {
        var mixer = seed
        s0 = Self.splitMix(&mixer)
        s1 = Self.splitMix(&mixer)
        s2 = Self.splitMix(&mixer)
        s3 = Self.splitMix(&mixer)
        if s0 | s1 | s2 | s3 == 0 { s0 = 0x9E37_79B9_7F4A_7C15 }
    }

    private static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }

    public mutating func next() -> UInt64 {
        let result = Self.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = Self.rotl(s3, 45)
        return result
    }

    /// A uniform double in [0, 1), from the top 53 bits.
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * unit()
    }

    /// A uniform integer in `0..<bound` (multiply-shift; the bias is far below what a demo shows).
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "SeededRandom.below needs a positive bound")
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    mutating func int(_ low: Int, _ high: Int) -> Int {
        low + below(high - low + 1)
    }

    mutating func chance(_ p: Double) -> Bool {
        unit() < p
    }

    public mutating func pick<T>(_ items: [T]) -> T {
        precondition(!items.isEmpty, "SeededRandom.pick needs a non-empty array")
        return items[below(items.count)]
    }

    /// A standard normal draw (Box–Muller; one value per call keeps the stream simple to reason about).
    mutating func normal(_ mean: Double = 0, _ sigma: Double = 1) -> Double {
        let u1 = max(unit(), 0x1.0p-60)
        let u2 = unit()
        return mean + sigma * (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// A log-normal draw with the given median.
    mutating func logNormal(median: Double, sigma: Double) -> Double {
        median * exp(normal(0, sigma))
    }
}
