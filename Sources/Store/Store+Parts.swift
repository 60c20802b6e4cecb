import Foundation

extension Database {
    /// Runs `body` over `traces` split into rowid ranges, one per core on a store of more than
    /// 200,000 traces (or `parts`), each range on its own thread with its own read-only
    /// connection; nil ranges mean one part on this connection. Results come back in range
    /// order. A long scan so takes every core (`diff`, `explain`, hash aggregations); a SIGINT
    /// stops each part.
    public func inTraceRanges<T: Sendable>(parts: Int? = nil, _ body: @Sendable (Database, ClosedRange<Int64>?) throws -> T) throws -> [T] {
        if parts == 1 { return [try body(self, nil)] }
        // Two look-ups at the ends of the table: `min(rowid), max(rowid)` in one SELECT would
        // read a whole index (SQLite optimises a lone min or max only).
        let bounds = try query("SELECT (SELECT min(rowid) FROM traces), (SELECT max(rowid) FROM traces)").rows.first
        let low = bounds?[0].int64Value ?? 0, high = bounds?[1].int64Value ?? 0
        let count = max(1, parts ?? (high - low > 200_000 ? min(ProcessInfo.processInfo.activeProcessorCount, 4) : 1))
        if count == 1 { return [try body(self, nil)] }
        let step = (high - low) / Int64(count) + 1
        return try Parallel.map(count) { i in
            let from = low + Int64(i) * step
            // Ctrl-C stops every part, not only the statement on the shell's connection.
            let part = try reader()
            Interrupt.watch(part)
            return try body(part, from...min(high, from + step - 1))
        }
    }
}

/// Work spread over the cores.
public enum Parallel {
    /// `body` of each index in `0..<count`, run concurrently (as many at once as there are
    /// cores); the results in index order. The first error, by index, is thrown.
    public static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) throws -> T) throws -> [T] {
        guard count > 1 else { return try (0..<count).map(body) }
        let results = PartResults<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { i in
            results.set(i, Result { try body(i) })
        }
        return try results.values.map { try $0!.get() }
    }
}

/// Results of the parallel parts, by part.
private final class PartResults<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Result<T, Error>?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: Result<T, Error>) {
        lock.lock()
        values[i] = value
        lock.unlock()
    }
}
