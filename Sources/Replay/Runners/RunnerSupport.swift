import Foundation

/// Helpers shared by the runners.
enum RunnerClock {
    /// Unix nanoseconds (the span times of the replay).
    static func wallNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// Nanoseconds of a clock that never goes back (deadlines).
    static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}

enum RawText {
    /// What `ReplayAttempt.raw` keeps of a runner's answer.
    static let limit = 64 * 1024

    /// The bytes as text, cut to `limit` bytes on a character boundary.
    static func cut(_ bytes: [UInt8], limit: Int = RawText.limit) -> String {
        guard bytes.count > limit else { return String(decoding: bytes, as: UTF8.self) }
        var end = limit
        // Step back over UTF-8 continuation bytes so no character is split.
        while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return String(decoding: bytes[..<end], as: UTF8.self) + "…"
    }
}

extension Result where Success == ReplayResponse, Failure == ReplayFailureError {
    static func failed(_ failure: ReplayFailure) -> Self {
        .failure(ReplayFailureError(failure))
    }
}
