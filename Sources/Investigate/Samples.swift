import Query
import Store

/// The values of each signal in the baseline and the current slice, read in one scan.
public struct SignalSamples: Sendable {
    /// Per signal, in the order asked: numbers, 0/1 counts, or label counts.
    public var signals: [Signal]
    public var baseline: [Values]
    public var current: [Values]
    /// Traces in each slice (a trace may be in both).
    public var baselineTraces = 0
    public var currentTraces = 0

    public enum Values: Sendable, Equatable {
        case numbers([Double])
        /// `true` count and known count.
        case rate(hits: Int, n: Int)
        /// Count per label (a missing label is not counted).
        case labels([String: Int])

        var count: Int {
            switch self {
            case .numbers(let x): return x.count
            case .rate(_, let n): return n
            case .labels(let c): return c.values.reduce(0, +)
            }
        }
    }

    /// Reads every row of either slice once. The conditions must share their placeholders
    /// (`QueryEngine.conditions`).
    public static func read(_ signals: [Signal], baseline: Condition, current: Condition, database: Database) throws -> SignalSamples {
        var accumulator = Accumulator(signals)
        let scan = SignalScan.samples(signals, baseline: baseline, current: current)
        let statement = try database.prepare(scan.sql)
        try statement.bind(scan.parameters)
        while try statement.step() { accumulator.add(statement) }
        return accumulator.samples
    }

    /// The samples of each value of `dimension` (a store column of `traces`; nil for traces
    /// without it), from the same single scan: `drift … by DIM`.
    public static func read(_ signals: [Signal], by dimension: String, baseline: Condition, current: Condition,
                            database: Database) throws -> [String?: SignalSamples] {
        var accumulators: [String?: Accumulator] = [:]
        let scan = SignalScan.samples(signals, baseline: baseline, current: current, by: dimension)
        let statement = try database.prepare(scan.sql)
        try statement.bind(scan.parameters)
        let column = Int32(signals.count + 2)
        while try statement.step() {
            accumulators[statement.text(at: column), default: Accumulator(signals)].add(statement)
        }
        return accumulators.mapValues(\.samples)
    }

    /// Adds up the rows of `SignalScan.samples` one at a time: plain arrays and counters, which
    /// grow in place (an enum's payload would be copied on every change).
    struct Accumulator {
        let signals: [Signal]
        /// The signals' kinds, read per row without touching the signals' texts.
        let kinds: [Signal.Kind]
        var numbers: [([Double], [Double])]
        var rates: [(Int, Int, Int, Int)]
        var labels: [([String: Int], [String: Int])]
        var baselineTraces = 0
        var currentTraces = 0

        init(_ signals: [Signal]) {
            self.signals = signals
            kinds = signals.map(\.kind)
            numbers = Array(repeating: ([], []), count: signals.count)
            rates = Array(repeating: (0, 0, 0, 0), count: signals.count)
            labels = Array(repeating: ([:], [:]), count: signals.count)
        }

        /// One row: in baseline (0/1), in current (0/1), then each signal.
        mutating func add(_ statement: Statement) {
            let inA = statement.int64(at: 0) == 1, inB = statement.int64(at: 1) == 1
            if inA { baselineTraces += 1 }
            if inB { currentTraces += 1 }
            for i in kinds.indices {
                let column = Int32(i + 2)
                switch kinds[i] {
                case .numeric:
                    guard let x = statement.double(at: column) else { continue }
                    if inA { numbers[i].0.append(x) }
                    if inB { numbers[i].1.append(x) }
                case .boolean:
                    guard let x = statement.int64(at: column) else { continue }
                    if inA { rates[i].0 += x != 0 ? 1 : 0; rates[i].1 += 1 }
                    if inB { rates[i].2 += x != 0 ? 1 : 0; rates[i].3 += 1 }
                case .categorical:
                    guard let x = statement.text(at: column) else { continue }
                    if inA { labels[i].0[x, default: 0] += 1 }
                    if inB { labels[i].1[x, default: 0] += 1 }
                }
            }
        }

        var samples: SignalSamples {
            var samples = SignalSamples(signals: signals, baseline: [], current: [],
                                        baselineTraces: baselineTraces, currentTraces: currentTraces)
            for (i, signal) in signals.enumerated() {
                switch signal.kind {
                case .numeric:
                    samples.baseline.append(.numbers(numbers[i].0))
                    samples.current.append(.numbers(numbers[i].1))
                case .boolean:
                    samples.baseline.append(.rate(hits: rates[i].0, n: rates[i].1))
                    samples.current.append(.rate(hits: rates[i].2, n: rates[i].3))
                case .categorical:
                    samples.baseline.append(.labels(labels[i].0))
                    samples.current.append(.labels(labels[i].1))
                }
            }
            return samples
        }
    }
}
