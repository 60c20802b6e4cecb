import Foundation
import Store

/// The parsing side of a load: reads lines, detects the format, decodes and maps records, and
/// hands batches of canonical rows to the writer. Runs on its own thread.
final class Producer: @unchecked Sendable {
    let input: InputFile
    let skipBadLines: Bool
    let mapper: SpanMapper
    let queue: BatchQueue<Loader.Item>
    private var format: InputFormat?
    private var spans: [SpanRecord] = []
    private var logs: [LogRecord] = []

    private let lock = NSLock()
    private var _bytesRead: Int64 = 0

    var bytesRead: Int64 {
        lock.lock()
        defer { lock.unlock() }
        return _bytesRead
    }

    /// Stops the line loop (after a failure was queued, or when the writer gave up).
    struct Stop: Error {}
    /// The first line is not a whole JSON value: the file is one (pretty-printed) document.
    struct WholeDocument: Error {}

    init(input: InputFile, format: InputFormat?, skipBadLines: Bool, mapper: SpanMapper, queue: BatchQueue<Loader.Item>) {
        self.input = input
        self.format = format
        self.skipBadLines = skipBadLines
        self.mapper = mapper
        self.queue = queue
    }

    func run() {
        defer { queue.close() }
        var lines: Int64 = 0
        var sawContent = false
        do {
            do {
                try input.forEachLine { number, bytes in
                    lines = number
                    if number & 0x3FF == 0 {
                        lock.lock(); _bytesRead = input.consumedCompressed; lock.unlock()
                        if queue.isCancelled { throw Stop() }
                    }
                    guard let bytes else {
                        try bad(line: number, "line longer than \(InputFile.maxLineBytes >> 20) MiB", raw: nil)
                        return
                    }
                    if Self.isBlank(bytes) { return }
                    if !sawContent {
                        sawContent = true
                        try detect(bytes, line: number)
                    }
                    try decode(bytes, line: number)
                }
            } catch is WholeDocument {
                lines = try loadDocument()
            }
            try flush()
            _ = queue.put(.finished(lines: lines, format: format ?? .native, digest: input.digest.hex, traces: 0))
        } catch is Stop {
            return
        } catch let error as IngestError {
            _ = queue.put(.failure(error))
        } catch {
            _ = queue.put(.failure(IngestError(path: input.path, message: "\(error)")))
        }
    }

    static func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for b in bytes where b != 0x20 && b != 0x09 && b != 0x0D { return false }
        return true
    }

    /// Decides lines versus one document, and the format if it was not named.
    private func detect(_ bytes: UnsafeRawBufferPointer, line: Int64) throws {
        let value: JSON
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            var parser = JSONParser(bytes)
            let first = parser.peek()
            if line == 1, first == 0x7B || first == 0x5B { throw WholeDocument() }
            if format != nil { return } // the decoder reports the error with its position
            throw IngestError(path: input.path, line: line, column: error.offset + 1,
                              message: first == nil || (first ?? 0) >= 0x80 || (first ?? 0) < 0x20
                                ? "not a JSON trace file (binary or unknown content)"
                                : "not JSON: \(error.reason)")
        }
        if format == nil {
            guard let detected = InputFormat.detect(value) else {
                throw IngestError(path: input.path, line: line, message:
                    "cannot tell the format: the first record has none of `resourceSpans`, `resourceLogs`, `trace_id` (name one: `load PATH format native|otlp|otlp-logs`)")
            }
            format = detected
        }
    }

    private func decode(_ bytes: UnsafeRawBufferPointer, line: Int64) throws {
        switch format ?? .native {
        case .native:
            do {
                add(try NativeDecoder.decode(line: bytes, number: line, filter: mapper.keyFilter))
            } catch {
                try bad(line: line, error.message, offset: error.offset, raw: bytes)
            }
        case .otlp, .otlpLogs:
            let value: JSON
            do {
                value = try JSONParser.parse(bytes)
            } catch {
                try bad(line: line, "malformed JSON: \(error.reason)", offset: error.offset, raw: bytes)
                return
            }
            try decode(value, line: line, raw: bytes)
        }
        if spans.count >= Loader.batchSize || logs.count >= Loader.batchSize { try flush() }
    }

    private func decode(_ value: JSON, line: Int64, raw: UnsafeRawBufferPointer?) throws {
        do {
            switch format ?? .native {
            case .otlp:
                for span in try OTLPDecoder.decodeTraces(value, line: line) { add(span) }
            case .otlpLogs:
                logs.append(contentsOf: try OTLPDecoder.decodeLogs(value, line: line))
            case .native:
                var text = value.serialized
                let span = try text.withUTF8 { (utf8) throws(RecordError) -> RawSpan in
                    try NativeDecoder.decode(line: UnsafeRawBufferPointer(utf8), number: line)
                }
                add(span)
            }
        } catch let error as RecordError {
            try bad(line: line, error.message, offset: raw == nil ? nil : error.offset, raw: raw)
        }
    }

    /// A file that is one JSON document (an OTLP request body, or an array of records).
    private func loadDocument() throws -> Int64 {
        let file = try InputFile(path: input.path)
        let bytes = try file.readAll()
        let parsed: Result<JSON, JSONSyntaxError> = bytes.withUnsafeBytes { b in
            do throws(JSONSyntaxError) { return .success(try JSONParser.parse(b)) } catch { return .failure(error) }
        }
        let value: JSON
        switch parsed {
        case .success(let v): value = v
        case .failure(let error):
            let (line, column) = Self.lineAndColumn(bytes, offset: error.offset)
            throw IngestError(path: input.path, line: line, column: column, message: "malformed JSON: \(error.reason)")
        }
        input.digest = file.digest
        let records = value.array ?? [value]
        if format == nil {
            guard let first = records.first, let detected = InputFormat.detect(first) else {
                throw IngestError(path: input.path, line: 1, message:
                    "cannot tell the format: the document has none of `resourceSpans`, `resourceLogs`, `trace_id` (name one with `format`)")
            }
            format = detected
        }
        for (i, record) in records.enumerated() {
            // In a document, a "line" is the record's index (1-based).
            try decode(record, line: Int64(i + 1), raw: nil)
            if spans.count >= Loader.batchSize || logs.count >= Loader.batchSize { try flush() }
        }
        return Int64(records.count)
    }

    static func lineAndColumn(_ bytes: [UInt8], offset: Int) -> (Int64, Int) {
        var line: Int64 = 1
        var lineStart = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        return (line, offset - lineStart + 1)
    }

    private func add(_ raw: RawSpan) {
        let (kind, facts) = mapper.map(raw)
        spans.append(SpanRecord(
            traceId: raw.traceId, spanId: raw.spanId, parentSpanId: raw.parentSpanId, kind: kind.rawValue, name: raw.name,
            startNs: raw.startNs, endNs: raw.endNs, status: raw.status, statusMessage: raw.statusMessage, facts: facts,
            attributes: raw.attributesJSON, events: raw.events.map(\.serialized), scope: raw.scope,
            resource: raw.resource, line: raw.line))
    }

    private func flush() throws {
        if !spans.isEmpty {
            guard queue.put(.spans(spans)) else { throw Stop() }
            spans.removeAll(keepingCapacity: true)
        }

        if !logs.isEmpty {
            guard queue.put(.logs(logs)) else { throw Stop() }
            logs.removeAll(keepingCapacity: true)
        }
    }

    /// A bad record: a reject when skipping, else the load's error.
    private func bad(line: Int64, _ reason: String, offset: Int? = nil, raw: UnsafeRawBufferPointer?) throws {
        if skipBadLines {
            try flush()
            let text = raw.map { String(decoding: UnsafeRawBufferPointer(rebasing: $0.prefix(LoadWriter.rejectRawLimit)), as: UTF8.self) }
            guard queue.put(.reject(line: line, reason: reason, raw: text)) else { throw Stop() }
            return
        }
        _ = queue.put(.failure(IngestError(path: input.path, line: line, column: offset.map { $0 + 1 }, message: reason)))
        throw Stop()
    }
}
