import Analysis
import Foundation
import Query
import Store

/// `diff DIM A B [where …]`: what changed for the same inputs between two values of a
/// dimension (docs/replay.md, "diff").
///
/// Inputs are matched by `input_hash`. An input seen several times under a value is
/// represented by its latest trace there, so every matched input is one pair: its outputs are
/// compared (identical, changed, missing), each boolean signal gives one cell of a flip table,
/// and each numeric signal one paired difference.
public struct VersionDiff: Sendable {
    public var dimension: String
    public var a: String
    public var b: String
    /// The `where` expression, as typed.
    public var condition: String?

    /// Distinct inputs (and traces) under each value, after the condition.
    public var inputsA = 0, inputsB = 0
    public var tracesA = 0, tracesB = 0
    /// Inputs seen under both.
    public var matched = 0

    public var outputs = OutputCounts()
    public var flips: [SignalFlip] = []
    public var deltas: [SignalDelta] = []
    /// Matched inputs whose output changed, most recent first.
    public var changedExamples: [DiffExample] = []
    /// How long the comparison took.
    public var elapsedMs = 0.0

    public var onlyA: Int { inputsA - matched }
    public var onlyB: Int { inputsB - matched }

    /// How the outputs of matched inputs compare.
    public struct OutputCounts: Sendable, Equatable {
        /// The same text (byte for byte) under both.
        public var identical = 0
        public var changed = 0
        /// No output under A only, under B only, or under both (failed requests).
        public var missingA = 0, missingB = 0, missingBoth = 0

        public var missing: Int { missingA + missingB + missingBoth }
    }

    /// A boolean signal on matched inputs: the flip table and examples of each flip.
    public struct SignalFlip: Sendable {
        public var signal: String
        /// Pairs where the signal is known under both (retrieval_empty is unknown without retrieval).
        public var table: FlipTable
        /// false → true (answered → refused, ok → error …), most recent first.
        public var raised: [DiffExample]
        /// true → false.
        public var cleared: [DiffExample]
    }

    /// A numeric signal on matched inputs: the paired difference B − A.
    public struct SignalDelta: Sendable {
        public var signal: String
        public var delta: PairedDelta
    }

    /// The boolean signals a flip table is made for: the name shown and the trace column
    /// (`tool_error`: at least one failed tool call).
    public static let booleanSignals = ["refused", "safety_flagged", "error", "tool_error", "retrieval_empty"]
    public static let numericSignals = ["latency_ms", "input_tokens", "output_tokens", "cost_usd", "retrieval_top_score"]

    /// Compares. `examples`: at most this many examples of each flip and of changed outputs.
    /// `parts`: how many rowid ranges to scan at once (nil: one per core on a store of over
    /// 200,000 traces, else one).
    public static func compute(database: Database, queries: QueryEngine, dimension: String, a: String, b: String,
                               condition: QuerySource?, examples: Int = 3, parts: Int? = nil) throws -> VersionDiff {
        let started = Date()
        let (column, suggestion) = try queries.textField(dimension)
        guard let column else {
            throw ReplayError("`\(dimension)` is not a text field of traces" + (suggestion.map { "; did you mean `\($0)`?" } ?? ""))
        }
        guard a != b else { throw ReplayError("compare two different values (both are `\(a)`)") }
        let filter = try condition.map { try queries.condition($0) } ?? .all
        var diff = VersionDiff(dimension: dimension, a: a, b: b, condition: condition?.text)
        let sides = try scan(database: database, dimension: column, a: a, b: b, filter: filter, parts: parts)
        diff.tracesA = sides.0.traces
        diff.tracesB = sides.1.traces
        diff.inputsA = sides.0.rows.count
        diff.inputsB = sides.1.rows.count

        // Matched pairs, most recent (under B) first: examples are the latest evidence.
        var pairs: [(a: Row, b: Row)] = []
        pairs.reserveCapacity(min(diff.inputsA, diff.inputsB))
        for rowB in sides.1.rows {
            if let i = sides.0.index[rowB.input] { pairs.append((sides.0.rows[Int(i)], rowB)) }
        }
        pairs.sort { ($0.b.startNs, $0.b.rowid) > ($1.b.startNs, $1.b.rowid) }
        diff.matched = pairs.count

        var changed: [(Int64, Int64)] = []
        for (ra, rb) in pairs {
            switch (ra.output, rb.output) {
            case (nil, nil): diff.outputs.missingBoth += 1
            case (nil, _): diff.outputs.missingA += 1
            case (_, nil): diff.outputs.missingB += 1
            case let (x?, y?):
                if x == y {
                    diff.outputs.identical += 1
                } else {
                    diff.outputs.changed += 1
                    if changed.count < examples { changed.append((ra.rowid, rb.rowid)) }
                }
            }
        }

        var wanted: Set<Int64> = Set(changed.flatMap { [$0.0, $0.1] })
        var flipRows: [(signal: String, raised: [(Int64, Int64)], cleared: [(Int64, Int64)], table: FlipTable)] = []
        for (index, signal) in booleanSignals.enumerated() {
            var counts = (ff: 0, ft: 0, tf: 0, tt: 0)
            var raised: [(Int64, Int64)] = [], cleared: [(Int64, Int64)] = []
            for (ra, rb) in pairs {
                guard let x = ra.flag(index), let y = rb.flag(index) else { continue }
                switch (x, y) {
                case (false, false): counts.ff += 1
                case (true, true): counts.tt += 1
                case (false, true):
                    counts.ft += 1
                    if raised.count < examples { raised.append((ra.rowid, rb.rowid)) }
                case (true, false):
                    counts.tf += 1
                    if cleared.count < examples { cleared.append((ra.rowid, rb.rowid)) }
                }
            }
            let table = FlipTable(bothFalse: counts.ff, falseToTrue: counts.ft, trueToFalse: counts.tf, bothTrue: counts.tt)
            flipRows.append((signal, raised, cleared, table))
            for (x, y) in raised + cleared { wanted.insert(x); wanted.insert(y) }
        }

        for (index, signal) in numericSignals.enumerated() {
            var xs: [Double] = [], ys: [Double] = []
            xs.reserveCapacity(pairs.count)
            ys.reserveCapacity(pairs.count)
            for (ra, rb) in pairs {
                guard let x = ra.number(index), let y = rb.number(index) else { continue }
                xs.append(x)
                ys.append(y)
            }
            diff.deltas.append(SignalDelta(signal: signal, delta: PairedDelta.compute(baseline: xs, current: ys)))
        }

        let texts = try database.traceTexts(rowids: Array(wanted))
        func example(_ pair: (Int64, Int64)) -> DiffExample? {
            guard let x = texts[pair.0], let y = texts[pair.1] else { return nil }
            return DiffExample(a: x, b: y)
        }
        diff.changedExamples = changed.compactMap(example)
        diff.flips = flipRows.map {
            SignalFlip(signal: $0.signal, table: $0.table, raised: $0.raised.compactMap(example), cleared: $0.cleared.compactMap(example))
        }
        diff.elapsedMs = Date().timeIntervalSince(started) * 1000
        return diff
    }

    /// Scans the store once, split by rowid ranges over the cores on a large store
    /// (`Database.inTraceRanges`), and merges the per-range sides.
    static func scan(database: Database, dimension: String, a: String, b: String, filter: Condition, parts: Int?) throws -> (Side, Side) {
        let results = try database.inTraceRanges(parts: parts) { connection, range in
            try scanRange(connection, PairScan.compile(dimension: dimension, a: a, b: b, condition: filter, rowids: range))
        }
        var merged = (Side(), Side())
        for (x, y) in results {
            merged.0.merge(x)
            merged.1.merge(y)
        }
        return merged
    }

    static func scanRange(_ database: Database, _ scan: CompiledQuery) throws -> (Side, Side) {
        var sides = (Side(), Side())
        let statement = try database.prepare(scan.sql)
        try statement.bind(scan.parameters)
        while try statement.step() {
            let row = Row(statement)
            if statement.int64(at: PairScan.Column.isB.rawValue) == 1 {
                sides.1.add(row)
            } else {
                sides.0.add(row)
            }
        }
        return sides
    }

    /// One side of the comparison: the latest row of each input.
    struct Side: Sendable {
        var rows: [Row] = []
        var index: [Int64: Int32] = [:]
        var traces = 0

        /// Adds another part's rows (its trace count included).
        mutating func merge(_ other: Side) {
            if rows.isEmpty {
                self = other
                return
            }
            traces += other.traces - other.rows.count
            for row in other.rows { add(row) }
        }

        mutating func add(_ row: Row) {
            traces += 1
            if let i = index[row.input] {
                if row.isLater(than: rows[Int(i)]) { rows[Int(i)] = row }
            } else {
                index[row.input] = Int32(rows.count)
                rows.append(row)
            }
        }
    }

    /// One trace of the scan, as numbers (no heap allocation per row: a million rows move).
    struct Row: Sendable {
        var input: Int64
        var rowid: Int64
        var startNs: Int64
        var output: Int64?
        /// Bit i: the i-th of `booleanSignals` is known / is true.
        var known: UInt8 = 0
        var set: UInt8 = 0
        /// The `numericSignals` in order; NaN where null.
        var values = SIMD8<Double>(repeating: .nan)

        static let flagColumns: [PairScan.Column] = [.refused, .safetyFlagged, .error, .toolErrors, .retrievalEmpty]
        static let numberColumns: [PairScan.Column] = [.latencyMs, .inputTokens, .outputTokens, .costUsd, .retrievalTopScore]

        init(_ s: Statement) {
            typealias C = PairScan.Column
            input = s.int64(at: C.input.rawValue) ?? 0
            rowid = s.int64(at: C.rowid.rawValue) ?? 0
            startNs = s.int64(at: C.startNs.rawValue) ?? 0
            output = s.int64(at: C.output.rawValue)
            for (i, c) in Self.flagColumns.enumerated() {
                if let v = s.int64(at: c.rawValue) {
                    known |= 1 << i
                    if v != 0 { set |= 1 << i }
                }
            }
            for (i, c) in Self.numberColumns.enumerated() {
                if let v = s.double(at: c.rawValue) { values[i] = v }
            }
        }

        func flag(_ i: Int) -> Bool? { known & (1 << i) == 0 ? nil : set & (1 << i) != 0 }
        func number(_ i: Int) -> Double? { values[i].isNaN ? nil : values[i] }
        func isLater(than other: Row) -> Bool { (startNs, rowid) > (other.startNs, other.rowid) }
    }
}

/// One matched input shown as evidence: its trace under A and under B, and the word-level
/// difference of their outputs.
public struct DiffExample: Sendable {
    public var a: TraceText
    public var b: TraceText
    public var words: WordDiff

    public init(a: TraceText, b: TraceText) {
        self.a = a
        self.b = b
        words = WordDiff.compute(old: a.output ?? "", new: b.output ?? "")
    }
}

/// A failure of a replay or diff command (bad arguments, a runner that cannot be made …).
public struct ReplayError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
