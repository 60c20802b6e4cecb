import Foundation
import Store

/// Options of one `load`.
public struct LoadOptions: Sendable {
    /// nil: detect from the first record.
    public var format: InputFormat?
    /// Keep going past bad lines, recording each in `rejects` (`on-error skip`).
    public var skipBadLines = false
    /// Called about every quarter second while a file loads (for a progress line).
    public var progress: (@Sendable (LoadProgress) -> Void)?
    /// The path the `loads` row and error messages name, when the bytes read are a copy of
    /// part of it (the appended lines `triggers watch` loads), and the lines before that part.
    public var recordedPath: String?
    public var lineOffset: Int64 = 0

    public init(format: InputFormat? = nil, skipBadLines: Bool = false, progress: (@Sendable (LoadProgress) -> Void)? = nil) {
        self.format = format
        self.skipBadLines = skipBadLines
        self.progress = progress
    }
}

public struct LoadProgress: Sendable {
    public var path: String
    public var bytesRead: Int64
    public var totalBytes: Int64
    public var spans: Int64
    public var elapsed: Double
    /// The phase after reading: "indexing", "summarizing".
    public var phase: String?
}

/// What loading one file did.
public struct LoadReport: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case loaded(LoadWriter.Summary)
        /// The same bytes were loaded before (by digest): nothing added.
        case alreadyLoaded(loadId: Int64)
    }
    public var path: String
    public var format: InputFormat
    public var outcome: Outcome
}

/// Loads trace files into the store: detection, decoding, mapping, writing and trace
/// summaries, one transaction per file (DESIGN.md, Loading; docs/loading.md).
///
/// One thread reads and parses while the calling thread writes to SQLite.
public final class Loader {
    let db: Database
    public let config: WorkspaceConfig
    let mapper: SpanMapper
    let summarizer: TraceSummarizer
    /// Spans per hand-off between the threads.
    static let batchSize = 1024

    public init(database: Database, config: WorkspaceConfig = WorkspaceConfig()) {
        db = database
        self.config = config
        mapper = SpanMapper(config: config)
        summarizer = TraceSummarizer(rules: config.signals)
    }

    /// Loads a file, a folder (its `.json`, `.jsonl` and `.gz` files) or a glob; companion
    /// OTLP log files (`X.logs.jsonl` beside `X.json`) are loaded first.
    public func load(_ pattern: String, options: LoadOptions = LoadOptions()) throws -> [LoadReport] {
        let paths = try InputPaths.expand(pattern)
        var reports: [LoadReport] = []
        var done = Set<String>()
        for path in paths where !done.contains(path) {
            if options.format != .otlpLogs, let companion = InputPaths.companionLogs(of: path), !done.contains(companion) {
                var logOptions = options
                logOptions.format = .otlpLogs
                reports.append(try loadFile(companion, options: logOptions))
                done.insert(companion)
            }
            reports.append(try loadFile(path, options: options))
            done.insert(path)
        }
        return reports
    }

    enum Item: Sendable {
        case spans([SpanRecord])
        case traces([TraceRecord])
        /// Traces whose spans came out of order: rebuilt from the store at the end.
        case late([String])
        case logs([LogRecord])
        case reject(line: Int64, reason: String, raw: String?)
        case failure(IngestError)
        /// The end of the file; `traces`: how many distinct traces it held.
        case finished(lines: Int64, format: InputFormat, digest: String, traces: Int64)
    }

    /// Loads one file as one transaction.
    public func loadFile(_ path: String, options: LoadOptions) throws -> LoadReport {
        guard !db.isReadOnly else {
            throw StoreError(kind: .readOnly, message: "cannot load \(path) into it", path: db.path)
        }
        let input = try InputFile(path: path)
        // Three stages, each on its own thread: parse and map → summarise traces → write.
        let parsed = BatchQueue<Item>(capacity: 8)
        let queue = BatchQueue<Item>(capacity: 8)
        let producer = Producer(input: input, format: options.format, skipBadLines: options.skipBadLines,
                                mapper: mapper, queue: parsed)
        let stage = TraceStage(input: parsed, output: queue, summarizer: summarizer)
        for body in [producer.run, stage.run] {
            let thread = Thread(block: body)
            thread.stackSize = 8 << 20
            thread.start()
        }
        defer {
            queue.cancel()
            parsed.cancel()
        }

        let writer = try LoadWriter(database: db, source: .init(
            path: options.recordedPath ?? path, sha256: "", bytes: input.size, format: options.format?.rawValue ?? "detecting",
            skipBadLines: options.skipBadLines))
        var distinctTraces: Int64 = 0
        var lines: Int64 = 0
        var format = options.format ?? .native
        var digest = ""
        let started = Date()
        var lastProgress = Date()
        do {
            while let item = queue.take() {
                switch item {
                case .spans(let spans):
                    for span in spans {
                        do {
                            try writer.insert(span)
                        } catch let duplicate as LoadWriter.DuplicateSpan {
                            let reason = "duplicate span id \(duplicate.spanId) in trace \(duplicate.traceId) (first at line \(duplicate.firstLine))"
                            guard options.skipBadLines else {
                                throw IngestError(path: path, line: duplicate.line, message: reason)
                            }
                            try writer.reject(line: duplicate.line, reason: reason, raw: nil)
                            // Its trace was summarised with the copy: summarise it again.
                            try writer.markForRebuild(duplicate.traceId)
                        }
                    }
                case .traces(let traces):
                    for trace in traces { try writer.insert(trace) }
                case .late(let ids):
                    for id in ids { try writer.markForRebuild(id) }
                case .logs(let logs):
                    for log in logs { try writer.insert(log) }
                case .reject(let line, let reason, let raw):
                    try writer.reject(line: line, reason: reason, raw: raw)
                case .failure(let error):
                    throw error
                case .finished(let n, let detected, let sha, let traces):
                    lines = n
                    format = detected
                    digest = sha
                    distinctTraces = traces
                }
                if let progress = options.progress, Date().timeIntervalSince(lastProgress) > 0.25 {
                    lastProgress = Date()
                    progress(LoadProgress(path: path, bytesRead: producer.bytesRead, totalBytes: input.size,
                                          spans: writer.spans, elapsed: Date().timeIntervalSince(started)))
                }
            }
            if let existing = try db.load(withDigest: digest), existing != writer.loadId {
                writer.rollback()
                return LoadReport(path: path, format: format, outcome: .alreadyLoaded(loadId: existing))
            }
            if writer.spans + writer.logRecords == 0 && writer.rejected == 0 && writer.duplicates == 0 {
                throw IngestError(path: path, message: lines == 0 ? "empty file: nothing to load" : "no spans or log records in the file")
            }
            options.progress?(LoadProgress(path: path, bytesRead: input.size, totalBytes: input.size, spans: writer.spans,
                                           elapsed: Date().timeIntervalSince(started), phase: "indexing"))
            do {
                try writer.finishSpans()
            } catch let duplicate as LoadWriter.DuplicateSpan {
                throw IngestError(path: path, line: duplicate.line,
                                  message: "duplicate span id \(duplicate.spanId) in trace \(duplicate.traceId) (first at line \(duplicate.firstLine))")
            }
            try db.run("UPDATE loads SET sha256 = ?, format = ? WHERE load_id = ?",
                       [.text(digest), .text(format.rawValue), .integer(writer.loadId)])
            options.progress?(LoadProgress(path: path, bytesRead: input.size, totalBytes: input.size, spans: writer.spans,
                                           elapsed: Date().timeIntervalSince(started), phase: "summarizing"))
            // Traces whose rows cannot come from this file alone are derived from the store:
            // spans from other loads or out of order, and spans whose message content is in
            // OTLP log records.
            if format == .otlpLogs {
                try db.run("""
                    INSERT OR IGNORE INTO temp.rebuild_traces SELECT DISTINCT trace_id FROM logs
                    WHERE load_id = ? AND trace_id IN (SELECT trace_id FROM spans)
                    """, [.integer(writer.loadId)])
            } else if let range = writer.spanRowids, try db.scalar("SELECT EXISTS (SELECT 1 FROM logs)").int64Value == 1 {
                try db.run("""
                    INSERT OR IGNORE INTO temp.rebuild_traces SELECT DISTINCT s.trace_id FROM span_rows s
                    WHERE s.rowid BETWEEN ? AND ? AND EXISTS (SELECT 1 FROM logs l WHERE l.trace_id = s.trace_id)
                    """, [.integer(range.lowerBound), .integer(range.upperBound)])
            }
            var rebuilt: Int64 = 0
            if try writer.tracesToRebuild() > 0 {
                rebuilt = try rederive(traceIDsSQL: LoadWriter.rebuildSelection, inTransaction: true).traces
            }
            let summary = try writer.commit(lines: lines, traces: format == .otlpLogs ? rebuilt : distinctTraces)
            return LoadReport(path: path, format: format, outcome: .loaded(summary))
        } catch var error as IngestError {
            writer.rollback()
            if let recorded = options.recordedPath {
                error.path = recorded
                error.line = error.line.map { $0 + options.lineOffset }
            }
            throw error
        } catch {
            writer.rollback()
            throw error
        }
    }

    /// Derives span facts and trace rows again from the stored originals, with this loader's
    /// workspace rules (after `relops.yaml` changed). All traces unless `traceIDsSQL` selects.
    @discardableResult
    public func rederive(traceIDsSQL: String? = nil, inTransaction: Bool = false) throws -> (spans: Int64, traces: Int64) {
        try db.rederive(traceIDsSQL: traceIDsSQL, inTransaction: inTransaction, span: { raw, logs in
            let attributes = (try? JSONParser.parse(raw.attributes))?.object ?? []
            let resource = raw.resourceAttributes.flatMap { try? JSONParser.parse($0) }?.object ?? []
            let events = raw.events.flatMap { try? JSONParser.parse($0) }
            let span = RawSpan(traceId: raw.traceId, spanId: raw.spanId, parentSpanId: raw.parentSpanId, name: raw.name,
                               startNs: 0, endNs: 0, status: raw.status, statusMessage: nil,
                               declaredKind: raw.format == InputFormat.native.rawValue ? raw.kind : nil,
                               attributes: attributes, attributesJSON: raw.attributes, events: events, scope: raw.scope,
                               resourceAttributes: resource, line: 0)
            let (kind, facts) = mapper.map(span, logs: logs)
            return (kind.rawValue, facts)
        }, trace: { summarizer.summarize($0) })
    }
}
