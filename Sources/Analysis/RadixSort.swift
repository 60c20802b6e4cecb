/// Sorting many doubles fast: the finite values of a sample in ascending order, by a
/// least-significant-digit radix sort on order-preserving 64-bit keys (16-bit digits, a pass
/// skipped when every key shares its digit). `drift` sorts every numeric signal of both
/// slices — a million values per signal — and this is about five times faster than the
/// comparison sort. The result equals `values.filter(\.isFinite).sorted()`, except that −0.0
/// comes before 0.0 (they compare equal, and no statistic tells them apart).
enum RadixSort {
    static func sortedFinite(_ values: [Double]) -> [Double] {
        var keys: [UInt64] = []
        keys.reserveCapacity(values.count)
        for x in values where x.isFinite { keys.append(key(x)) }
        guard keys.count > 1 else { return keys.map(value) }
        var buffer = [UInt64](repeating: 0, count: keys.count)
        var counts = [Int](repeating: 0, count: 1 << 16)
        for shift in stride(from: UInt64(0), to: 64, by: 16) {
            for i in counts.indices { counts[i] = 0 }
            for k in keys { counts[Int((k >> shift) & 0xFFFF)] += 1 }
            // Every key has this digit: the pass would not move anything.
            if counts[Int((keys[0] >> shift) & 0xFFFF)] == keys.count { continue }
            var total = 0
            for i in counts.indices {
                let c = counts[i]
                counts[i] = total
                total += c
            }
            keys.withUnsafeBufferPointer { source in
                buffer.withUnsafeMutableBufferPointer { target in
                    counts.withUnsafeMutableBufferPointer { offsets in
                        for k in source {
                            let d = Int((k >> shift) & 0xFFFF)
                            target[offsets[d]] = k
                            offsets[d] += 1
                        }
                    }
                }
            }
            swap(&keys, &buffer)
        }
        return keys.map(value)
    }

    /// The bits of `x`, with negative numbers' bits inverted and positive numbers' sign set, so
    /// that unsigned order is numeric order.
    @inline(__always)
    static func key(_ x: Double) -> UInt64 {
        let bits = x.bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    @inline(__always)
    static func value(_ key: UInt64) -> Double {
        Double(bitPattern: key & (1 << 63) != 0 ? key & ~(1 << 63) : ~key)
    }
}
