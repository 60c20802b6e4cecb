import Store

/// Groups spans into traces as they stream past and summarises each trace once it has gone
/// quiet, so a load never has to read its spans back to build `traces`.
///
/// Exporters write a trace's spans close together, but not always contiguously and not
/// always in one file. A trace is closed when `idleSpans` spans have passed since its last
/// one; a span that arrives for a trace already closed makes that trace "late": it is
/// rebuilt from all its stored spans at the end of the load. Memory stays bounded by the
/// window, not by the file.
final class TraceAssembler {
    private var open: [String: [StoredSpan]] = [:]
    private var lastSeen: [String: Int64] = [:]
    private var queue: [String] = []
    private var head = 0
    private var sequence: Int64 = 0
    private var closed = Set<UInt64>()
    private let idleSpans: Int64
    private let summarizer: TraceSummarizer
    /// Trace ids seen again after they were closed (their rows need a rebuild).
    private(set) var late: [String] = []
    /// Distinct traces seen (a late trace counts once).
    private(set) var distinctTraces: Int64 = 0
    /// Every late trace: its row is not summarised again here (the rebuild writes it).
    private var lateIds = Set<String>()

    init(summarizer: TraceSummarizer, idleSpans: Int64 = 50_000) {
        self.summarizer = summarizer
        self.idleSpans = idleSpans
    }

    /// Adds a span; returns the traces that closed.
    func add(_ span: StoredSpan) -> [TraceRecord] {
        sequence += 1
        if open[span.traceId] != nil {
            open[span.traceId, default: []].append(span)
        } else {
            if closed.contains(Self.hash(span.traceId)) {
                late.append(span.traceId)
                lateIds.insert(span.traceId)
            } else {
                distinctTraces += 1
            }
            open[span.traceId] = [span]
            queue.append(span.traceId)
        }
        lastSeen[span.traceId] = sequence
        return sequence & 0x3FF == 0 ? closeIdle() : []
    }

    /// Takes the late trace ids gathered so far.
    func takeLate() -> [String] {
        defer { late.removeAll() }
        return late
    }

    /// Closes every open trace (at the end of the file).
    func closeAll() -> [TraceRecord] {
        var records: [TraceRecord] = []
        for id in queue[head...] { if let r = close(id) { records.append(r) } }
        queue.removeAll()
        head = 0
        return records
    }

    private func closeIdle() -> [TraceRecord] {
        var records: [TraceRecord] = []
        while head < queue.count {
            let id = queue[head]
            guard let seen = lastSeen[id], sequence - seen >= idleSpans else { break }
            head += 1
            if let r = close(id) { records.append(r) }
        }
        if head > 4096 && head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
        return records
    }

    private func close(_ id: String) -> TraceRecord? {
        guard let spans = open.removeValue(forKey: id) else { return nil }
        lastSeen[id] = nil
        closed.insert(Self.hash(id))
        return lateIds.contains(id) ? nil : summarizer.summarize(spans)
    }

    static func hash(_ id: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in id.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }
}

extension StoredSpan {
    public init(_ span: SpanRecord) {
        self.init(traceId: span.traceId, spanId: span.spanId, parentSpanId: span.parentSpanId, kind: span.kind,
                  name: span.name, startNs: span.startNs, endNs: span.endNs, status: span.status, facts: span.facts)
    }
}
