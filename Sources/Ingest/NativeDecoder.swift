import Store

/// Decodes relops' native JSON-lines shape: one span per line (docs/native-format.md).
///
/// The `attributes` object is kept byte for byte as the stored `attrs` (it is already the flat
/// JSON object relops stores), so the native path parses each line once and never re-writes it.
public enum NativeDecoder {
    /// - Parameter filter: when given, only attributes whose keys it holds are decoded into
    ///   `RawSpan.attributes` (the rest are only syntax-checked); `attributesJSON` always keeps
    ///   the whole object.
    public static func decode(line bytes: UnsafeRawBufferPointer, number: Int64) throws(RecordError) -> RawSpan {
        try decode(line: bytes, number: number, filter: nil)
    }

    static func decode(line bytes: UnsafeRawBufferPointer, number: Int64, filter: KeyFilter?) throws(RecordError) -> RawSpan {
        var parser = JSONParser(bytes)
        var traceId: String?, spanId: String?, parentSpanId: String?
        var kind: String?, name = "", status = "unset", statusMessage: String?
        var start: Int64?, end: Int64?
        var attributes: [(String, JSON)] = []
        var attributesRange: Range<Int>?
        var extras: [(String, JSON)] = []
        var events: JSON?
        do {
            try parser.expect(0x7B, "a JSON object (one span per line)")
            if !parser.consume(0x7D) {
                repeat {
                    guard parser.peek() == 0x22 else {
                        throw JSONSyntaxError(offset: parser.position, reason: "expected a member name in quotes")
                    }
                    let keyOffset = parser.position
                    let key = try parser.parseString()
                    try parser.expect(0x3A, "`:` after a member name")
                    if key == "attributes" {
                        guard parser.peek() == 0x7B else {
                            throw RecordError("`attributes` must be an object", offset: parser.position)
                        }
                        let start = parser.position
                        attributes = try decodeAttributes(&parser, bytes, filter: filter)
                        attributesRange = start..<parser.position
                        continue
                    }
                    // Times are parsed straight from the line's bytes (no string in between).
                    if key == "start_time" || key == "end_time", parser.peek() == 0x22, let range = parser.rawString() {
                        guard let ns = Timestamp.parse(UnsafeRawBufferPointer(rebasing: bytes[range])) else {
                            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
                            throw RecordError("`\(key)` is not an RFC 3339 timestamp: \"\(text.prefix(40))\"", offset: keyOffset)
                        }
                        if key == "start_time" { start = ns } else { end = ns }
                        continue
                    }
                    let value = try parser.parseValue()
                    func text(_ what: String) throws(RecordError) -> String? {
                        switch value {
                        case .null: return nil
                        case .string(let s): return s
                        default: throw RecordError("`\(key)` must be \(what)", offset: keyOffset)
                        }
                    }
                    func time() throws(RecordError) -> Int64? {
                        switch value {
                        case .null: return nil
                        case .string(let s):
                            guard let ns = Timestamp.parse(s) else {
                                throw RecordError("`\(key)` is not an RFC 3339 timestamp: \"\(s.prefix(40))\"", offset: keyOffset)
                            }
                            return ns
                        case .integer(let i):
                            // Unix nanoseconds, or seconds when too small to be nanoseconds.
                            if i > 100_000_000_000_000 { return i }
                            let (ns, overflow) = i.multipliedReportingOverflow(by: 1_000_000_000)
                            guard !overflow else { throw RecordError("`\(key)` is out of range", offset: keyOffset) }
                            return ns
                        case .double(let d):
                            let ns = d > 1e14 ? d : d * 1e9
                            guard ns.isFinite, abs(ns) < 9.2e18 else { throw RecordError("`\(key)` is out of range", offset: keyOffset) }
                            return Int64(ns)
                        default: throw RecordError("`\(key)` must be an RFC 3339 timestamp", offset: keyOffset)
                        }
                    }
                    switch key {
                    case "trace_id": traceId = try text("a string of hex digits")
                    case "span_id": spanId = try text("a string of hex digits")
                    case "parent_span_id": parentSpanId = try text("a string of hex digits or null")
                    case "kind": kind = try text("a string")
                    case "name": name = try text("a string") ?? ""
                    case "start_time", "start_time_unix_nano": start = try time()
                    case "end_time", "end_time_unix_nano": end = try time()
                    case "status":
                        let s = try text("`ok`, `error` or `unset`")?.lowercased() ?? "unset"
                        guard ["ok", "error", "unset"].contains(s) else {
                            throw RecordError("`status` must be `ok`, `error` or `unset`, found \"\(s.prefix(20))\"", offset: keyOffset)
                        }
                        status = s
                    case "status_message": statusMessage = try text("a string")
                    case "events": events = value
                    default:
                        // Unknown top-level members are kept, as attributes under `native.<key>`.
                        extras.append(("native." + key, value))
                    }
                } while parser.consume(0x2C)
                try parser.expect(0x7D, "`,` or `}` in the span object")
            }
            parser.skipWhitespace()
            if parser.position < bytes.count {
                throw JSONSyntaxError(offset: parser.position, reason: "unexpected \(parser.describe(parser.position)) after the span object")
            }
        } catch let error as JSONSyntaxError {
            throw RecordError("malformed JSON: \(error.reason)", offset: error.offset)
        } catch let error as RecordError {
            throw error
        } catch {
            throw RecordError("\(error)")
        }
        // The stored attributes: the object's original text, or with extras, the whole object
        // (not only the decoded members) plus the extras.
        var attributesText = "{}"
        if let range = attributesRange {
            let slice = UnsafeRawBufferPointer(rebasing: bytes[range])
            if extras.isEmpty {
                attributesText = String(decoding: slice, as: UTF8.self)
            } else {
                let all = (try? JSONParser.parse(slice))?.object ?? []
                attributesText = JSON.object(all + extras).serialized
            }
        } else if !extras.isEmpty {
            attributesText = JSON.object(extras).serialized
        }
        attributes += extras
        guard let traceId, !traceId.isEmpty else { throw RecordError("missing `trace_id`") }
        guard let spanId, !spanId.isEmpty else { throw RecordError("missing `span_id`") }
        guard let start else { throw RecordError("missing `start_time`") }
        return RawSpan(
            traceId: lowercased(traceId), spanId: lowercased(spanId),
            parentSpanId: parentSpanId.flatMap { $0.isEmpty ? nil : lowercased($0) },
            name: name, startNs: start, endNs: max(end ?? start, start), status: status, statusMessage: statusMessage,
            declaredKind: kind, attributes: attributes, attributesJSON: attributesText,
            events: events, line: number)
    }

    /// Ids are stored lower-case; most already are, so they are not copied then.
    static func lowercased(_ id: String) -> String {
        id.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) ? id.lowercased() : id
    }

    /// The members of the attributes object at the cursor; with a filter, only those it holds.
    static func decodeAttributes(_ parser: inout JSONParser, _ bytes: UnsafeRawBufferPointer,
                                 filter: KeyFilter?) throws(JSONSyntaxError) -> [(String, JSON)] {
        try parser.expect(0x7B, "`{`")
        var members: [(String, JSON)] = []
        if parser.consume(0x7D) { return members }
        repeat {
            guard parser.peek() == 0x22 else {
                throw JSONSyntaxError(offset: parser.position, reason: "expected a member name in quotes, found \(parser.describe(parser.position))")
            }
            var key: String?
            if let filter, let range = parser.rawString() {
                let raw = UnsafeRawBufferPointer(rebasing: bytes[range])
                if filter.contains(raw) { key = String(decoding: raw, as: UTF8.self) }
                try parser.expect(0x3A, "`:` after a member name")
                if let key {
                    members.append((key, try parser.parseValue(depth: 1)))
                } else {
                    _ = try parser.skipValue(depth: 1)
                }
            } else {
                key = try parser.parseString()
                try parser.expect(0x3A, "`:` after a member name")
                members.append((key ?? "", try parser.parseValue(depth: 1)))
            }
        } while parser.consume(0x2C)
        try parser.expect(0x7D, "`,` or `}` in an object")
        return members
    }
}
