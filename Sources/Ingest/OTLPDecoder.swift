import Store

/// Reads OTLP/JSON: one `ExportTraceServiceRequest` or `ExportLogsServiceRequest` (a line of the
/// collector's file exporter, or a whole request body) into `RawSpan`s and `LogRecord`s.
///
/// It follows the OTLP/JSON encoding (opentelemetry-proto `docs/specification.md`, "JSON
/// Protobuf Encoding") and accepts what real producers write beside it: hex ids as OTLP asks
/// and base64 ids as protobuf's canonical mapping writes, 64-bit integers as strings or
/// numbers, enums as integers or names, the proto field names (`trace_id`) besides the
/// lowerCamel ones, and the pre-1.0 `instrumentationLibrarySpans`. A wrong shape is a
/// `RecordError` naming the span and the field, so one bad line is reported, not fatal.
public enum OTLPDecoder {
    /// The spans of one `ExportTraceServiceRequest`.
    public static func decodeTraces(_ document: JSON, line: Int64) throws(RecordError) -> [RawSpan] {
        try walk(document, .traces) { (item, scope, resource, at) throws(RecordError) in
            try decodeSpan(item, scope: scope, resource: resource, at: at, line: line)
        }
    }

    /// The log records of one `ExportLogsServiceRequest`.
    public static func decodeLogs(_ document: JSON, line: Int64) throws(RecordError) -> [LogRecord] {
        try walk(document, .logs) { (item, _, resource, at) throws(RecordError) in
            try decodeLog(item, resource: resource, at: at, line: line)
        }
    }

    /// The member names of the two request shapes (lowerCamel, the proto names, and the
    /// pre-1.0 instrumentation-library names).
    struct Shape {
        var what: String
        var noun: String
        var resourceList: [String]
        var scopeList: [String]
        var olderScopeList: [String]
        var itemList: [String]

        static let traces = Shape(what: "traces", noun: "span", resourceList: ["resourceSpans", "resource_spans"],
                                  scopeList: ["scopeSpans", "scope_spans"],
                                  olderScopeList: ["instrumentationLibrarySpans", "instrumentation_library_spans"],
                                  itemList: ["spans"])
        static let logs = Shape(what: "logs", noun: "log record", resourceList: ["resourceLogs", "resource_logs"],
                                scopeList: ["scopeLogs", "scope_logs"],
                                olderScopeList: ["instrumentationLibraryLogs", "instrumentation_library_logs"],
                                itemList: ["logRecords", "log_records"])
    }

    /// Walks resources → scopes → items of a request, decoding each item with its scope,
    /// resource and location (for error messages).
    static func walk<Item>(_ document: JSON, _ shape: Shape,
                           _ decode: (JSON, String?, DecodedResource, Location) throws(RecordError) -> Item) throws(RecordError) -> [Item] {
        let resourceKey = shape.resourceList[0]
        guard case .object(let request) = document else {
            throw RecordError("expected an OTLP \(shape.what) request (an object with `\(resourceKey)`), found \(describe(document))")
        }
        guard let resourceEntries = member(request, shape.resourceList) else {
            if request.isEmpty { return [] }
            throw RecordError("`\(resourceKey)` is missing (not an OTLP \(shape.what) request)")
        }
        let resources = try list(resourceEntries, "`\(resourceKey)`")
        var items: [Item] = []
        for (r, entry) in resources.enumerated() {
            var at = Location(resource: r + 1, resources: resources.count)
            at.noun = shape.noun
            guard case .object(let members) = entry else {
                throw RecordError("\(at.resourceText): expected an object, found \(describe(entry))")
            }
            let resource = try decodeResource(members, at)
            let scopes = try list(member(members, shape.scopeList) ?? member(members, shape.olderScopeList) ?? .array([]),
                                  "\(at.resourceText): `\(shape.scopeList[0])`")
            for (s, scopeEntry) in scopes.enumerated() {
                var here = at
                here.scope = s + 1
                guard case .object(let scopeMembers) = scopeEntry else {
                    throw RecordError("\(here.scopeText): expected an object, found \(describe(scopeEntry))")
                }
                let scope = try decodeScope(scopeMembers, here)
                let entries = try list(member(scopeMembers, shape.itemList) ?? .array([]), "\(here.scopeText): `\(shape.itemList[0])`")
                items.reserveCapacity(items.count + entries.count)
                for (i, item) in entries.enumerated() {
                    here.item = i + 1
                    items.append(try decode(item, scope, resource, here))
                }
            }
        }
        return items
    }

    // MARK: - Spans

    static func decodeSpan(_ value: JSON, scope: String?, resource: DecodedResource, at: Location, line: Int64) throws(RecordError) -> RawSpan {
        guard case .object(let members) = value else {
            throw RecordError("\(at.itemText): expected an object, found \(describe(value))")
        }
        var traceId: String?
        var spanId: String?
        var parentSpanId: String?
        var name = ""
        var start: Int64?
        var end: Int64?
        var kind = 0
        var status = "unset"
        var statusMessage: String?
        var attributes: [(String, JSON)] = []
        var events: JSON?
        // One pass over the members: spans are the bulk of a file.
        for (key, field) in members {
            switch key {
            case "traceId", "trace_id":
                traceId = try id(field, bytes: 16, "`traceId`", at)
            case "spanId", "span_id":
                spanId = try id(field, bytes: 8, "`spanId`", at)
            case "parentSpanId", "parent_span_id":
                // An all-zero parent is how some SDKs write "no parent".
                parentSpanId = try id(field, bytes: 8, "`parentSpanId`", at).flatMap { $0.allSatisfy { $0 == "0" } ? nil : $0 }
            case "name":
                guard case .string(let s) = field else {
                    if field.isNull { continue }
                    throw RecordError("\(at.itemText): `name` is not a string")
                }
                name = s
            case "startTimeUnixNano", "start_time_unix_nano":
                start = try nanos(field, "`startTimeUnixNano`", at)
            case "endTimeUnixNano", "end_time_unix_nano":
                end = try nanos(field, "`endTimeUnixNano`", at)
            case "kind":
                kind = try spanKind(field, at)
            case "status":
                (status, statusMessage) = try decodeStatus(field, at)
            case "attributes":
                attributes = try keyValues(field, "\(at.itemText): `attributes`")
            case "events":
                events = try decodeEvents(field, at)
            default:
                continue // flags, traceState, links, dropped counts: not used by relops
            }
        }
        guard let traceId else { throw RecordError("\(at.itemText): `traceId` is missing") }
        guard let spanId else { throw RecordError("\(at.itemText): `spanId` is missing") }
        guard let start else { throw RecordError("\(at.itemText): `startTimeUnixNano` is missing") }
        return RawSpan(traceId: traceId, spanId: spanId, parentSpanId: parentSpanId, name: name,
                       startNs: start, endNs: end ?? start, status: status, statusMessage: statusMessage,
                       otelKind: kind, attributes: attributes, events: events, scope: scope,
                       resource: resource.record, resourceAttributes: resource.attributes, line: line)
    }

    /// OTLP `Span.SpanKind`, by number or by name.
    static func spanKind(_ value: JSON, _ at: Location) throws(RecordError) -> Int {
        if case .string(let s) = value, Int(s) == nil {
            let names = ["SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT",
                         "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"]
            let upper = s.uppercased()
            if let i = names.firstIndex(where: { $0 == upper || $0 == "SPAN_KIND_" + upper }) { return i }
            throw RecordError("\(at.itemText): `kind` is not a span kind (`\(s)`)")
        }
        if value.isNull { return 0 }
        guard let n = value.int64, (0...5).contains(n) else {
            throw RecordError("\(at.itemText): `kind` is not a span kind (0 to 5 or `SPAN_KIND_*`)")
        }
        return Int(n)
    }

    /// `Status`: the code (0 unset, 1 ok, 2 error; by number or `STATUS_CODE_*` name) as
    /// relops' `unset`/`ok`/`error`, and the message if not empty.
    static func decodeStatus(_ value: JSON, _ at: Location) throws(RecordError) -> (String, String?) {
        if value.isNull { return ("unset", nil) }
        guard case .object(let members) = value else {
            throw RecordError("\(at.itemText): `status` is not an object")
        }
        var code = 0
        var message: String?
        for (key, field) in members {
            switch key {
            case "code":
                if case .string(let s) = field, Int(s) == nil {
                    switch s.uppercased() {
                    case "STATUS_CODE_UNSET", "UNSET": code = 0
                    case "STATUS_CODE_OK", "OK": code = 1
                    case "STATUS_CODE_ERROR", "ERROR": code = 2
                    default: throw RecordError("\(at.itemText): `status.code` is not a status code (`\(s)`)")
                    }
                } else if field.isNull {
                    code = 0
                } else if let n = field.int64, (0...2).contains(n) {
                    code = Int(n)
                } else {
                    throw RecordError("\(at.itemText): `status.code` is not a status code (0, 1, 2 or `STATUS_CODE_*`)")
                }
            case "message":
                if case .string(let s) = field, !s.isEmpty { message = s }
                else if !field.isNull, field.string == nil { throw RecordError("\(at.itemText): `status.message` is not a string") }
            default:
                continue
            }
        }
        return (["unset", "ok", "error"][code], message)
    }

    /// Span events as relops stores them: `[{"name", "time_unix_nano", "attributes": {…}}]`.
    static func decodeEvents(_ value: JSON, _ at: Location) throws(RecordError) -> JSON? {
        let items = try list(value, "\(at.itemText): `events`")
        if items.isEmpty { return nil }
        var events: [JSON] = []
        events.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            let what = "\(at.itemText): event \(i + 1)"
            guard case .object(let members) = item else {
                throw RecordError("\(what): expected an object, found \(describe(item))")
            }
            var name = ""
            var time: Int64 = 0
            var attributes: [(String, JSON)] = []
            for (key, field) in members {
                switch key {
                case "name":
                    guard case .string(let s) = field else { throw RecordError("\(what): `name` is not a string") }
                    name = s
                case "timeUnixNano", "time_unix_nano":
                    guard let t = nanosValue(field) else { throw RecordError("\(what): `timeUnixNano` is not a number") }
                    time = t
                case "attributes":
                    attributes = try keyValues(field, "\(what): `attributes`")
                default:
                    continue
                }
            }
            events.append(.object([("name", .string(name)), ("time_unix_nano", .integer(time)), ("attributes", .object(attributes))]))
        }
        return .array(events)
    }

    // MARK: - Logs

    static func decodeLog(_ value: JSON, resource: DecodedResource, at: Location, line: Int64) throws(RecordError) -> LogRecord {
        guard case .object(let members) = value else {
            throw RecordError("\(at.itemText): expected an object, found \(describe(value))")
        }
        var traceId: String?
        var spanId: String?
        var time: Int64?
        var observed: Int64?
        var eventName: String?
        var severityText: String?
        var severityNumber: Int64?
        var body: String?
        var attributes: [(String, JSON)] = []
        for (key, field) in members {
            switch key {
            case "traceId", "trace_id":
                traceId = try id(field, bytes: 16, "`traceId`", at)
            case "spanId", "span_id":
                spanId = try id(field, bytes: 8, "`spanId`", at)
            case "timeUnixNano", "time_unix_nano":
                time = try nanos(field, "`timeUnixNano`", at)
            case "observedTimeUnixNano", "observed_time_unix_nano":
                observed = try nanos(field, "`observedTimeUnixNano`", at)
            case "eventName", "event_name":
                if case .string(let s) = field, !s.isEmpty { eventName = s }
            case "severityText", "severity_text":
                if case .string(let s) = field, !s.isEmpty { severityText = s }
            case "severityNumber", "severity_number":
                if case .string(let s) = field, Int(s) == nil {
                    severityNumber = severityNumbers[s.uppercased()]
                } else {
                    severityNumber = field.int64
                }
            case "body":
                let decoded = try anyValue(field, "\(at.itemText): `body`")
                if !decoded.isNull { body = decoded.serialized }
            case "attributes":
                attributes = try keyValues(field, "\(at.itemText): `attributes`")
            default:
                continue
            }
        }
        // Before `eventName` existed (logs data model 1.x), events carried an `event.name` attribute.
        if eventName == nil {
            for (key, value) in attributes where key == "event.name" { eventName = value.text }
        }
        // OTLP: a zero or absent time means unknown; the observed time is then the best estimate.
        let when = (time ?? 0) != 0 ? time : ((observed ?? 0) != 0 ? observed : nil)
        return LogRecord(traceId: traceId, spanId: spanId, timeNs: when, eventName: eventName,
                         severity: severityText ?? severityNumber.flatMap(severityName),
                         body: body, attributes: JSON.object(attributes).serialized,
                         resource: resource.record, line: line)
    }

    static let severityNumbers: [String: Int64] = {
        var table: [String: Int64] = [:]
        let names = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"]
        for (i, name) in names.enumerated() {
            for step in 1...4 {
                table["SEVERITY_NUMBER_\(name)\(step == 1 ? "" : String(step))"] = Int64(i * 4 + step)
            }
        }
        return table
    }()

    /// The short name of a `SeverityNumber` (1–4 TRACE … 21–24 FATAL), as the data model prints it.
    static func severityName(_ number: Int64) -> String? {
        guard (1...24).contains(number) else { return nil }
        let names = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"]
        let step = (number - 1) % 4
        return names[Int((number - 1) / 4)] + (step == 0 ? "" : String(step + 1))
    }

    // MARK: - Resource and scope

    /// A resource decoded once per `resourceSpans` entry and shared by its spans.
    struct DecodedResource {
        var record: ResourceRecord?
        var attributes: [(String, JSON)]
    }

    static func decodeResource(_ members: [(String, JSON)], _ at: Location) throws(RecordError) -> DecodedResource {
        let schemaURL = member(members, "schemaUrl", "schema_url")?.string.flatMap { $0.isEmpty ? nil : $0 }
        guard let resource = member(members, "resource") else {
            if schemaURL == nil { return DecodedResource(record: nil, attributes: []) }
            return DecodedResource(record: record(attributes: [], schemaURL: schemaURL), attributes: [])
        }
        guard case .object(let resourceMembers) = resource else {
            throw RecordError("\(at.resourceText): `resource` is not an object")
        }
        let attributes = try keyValues(member(resourceMembers, "attributes") ?? .array([]), "\(at.resourceText): `resource.attributes`")
        return DecodedResource(record: record(attributes: attributes, schemaURL: schemaURL), attributes: attributes)
    }

    /// The stored resource: identified by a digest of its attributes and schema URL, so the
    /// same process seen in many lines (or files) is stored once.
    static func record(attributes: [(String, JSON)], schemaURL: String?) -> ResourceRecord {
        let text = JSON.object(attributes).serialized
        let digest = SHA256.hex(of: text + "\n" + (schemaURL ?? ""))
        func find(_ key: String) -> String? {
            for (k, v) in attributes where k == key { return v.text }
            return nil
        }
        return ResourceRecord(digest: digest, service: find("service.name"), serviceVersion: find("service.version"),
                              environment: find("deployment.environment.name") ?? find("deployment.environment"),
                              attributes: text, schemaURL: schemaURL)
    }

    /// The scope as relops names it: `name version`, or `name`; nil when it has neither.
    static func decodeScope(_ members: [(String, JSON)], _ at: Location) throws(RecordError) -> String? {
        guard let scope = member(members, "scope") ?? member(members, "instrumentationLibrary", "instrumentation_library") else { return nil }
        if scope.isNull { return nil }
        guard case .object = scope else { throw RecordError("\(at.scopeText): `scope` is not an object") }
        let name = scope["name"]?.string ?? ""
        let version = scope["version"]?.string ?? ""
        if name.isEmpty && version.isEmpty { return nil }
        return version.isEmpty ? name : name.isEmpty ? version : "\(name) \(version)"
    }

    // MARK: - Values

    /// A list of OTLP `KeyValue`s as ordered members.
    static func keyValues(_ value: JSON, _ what: String) throws(RecordError) -> [(String, JSON)] {
        if value.isNull { return [] }
        guard case .array(let items) = value else { throw RecordError("\(what) is not a list") }
        var out: [(String, JSON)] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            guard case .object(let members) = item else {
                throw RecordError("\(what): item \(i + 1) is not a `{key, value}` object")
            }
            var key: String?
            var raw: JSON = .null
            for (k, v) in members {
                if k == "key" { key = v.string } else if k == "value" { raw = v }
            }
            guard let key else { throw RecordError("\(what): item \(i + 1) has no `key`") }
            out.append((key, try anyValue(raw, "\(what): `\(key)`")))
        }
        return out
    }

    /// An OTLP `AnyValue` as plain JSON: `intValue` (a string in OTLP/JSON) becomes an integer,
    /// `kvlistValue` an object, `bytesValue` its base64 text; an empty value is null.
    static func anyValue(_ value: JSON, _ what: String) throws(RecordError) -> JSON {
        guard case .object(let members) = value else {
            if value.isNull { return .null }
            throw RecordError("\(what): the value is not an `AnyValue` object")
        }
        guard let (kind, inner) = members.first else { return .null }
        switch kind {
        case "stringValue", "string_value":
            guard case .string = inner else { throw RecordError("\(what): `stringValue` is not a string") }
            return inner
        case "intValue", "int_value":
            guard let n = integer(inner) else { throw RecordError("\(what): `intValue` is not an integer") }
            return .integer(n)
        case "doubleValue", "double_value":
            switch inner {
            case .double, .integer: return inner
            case .string(let s):
                // Protobuf JSON writes non-finite doubles as "NaN", "Infinity", "-Infinity";
                // JSON has no such numbers, so they stay text.
                if let d = Double(s), d.isFinite { return .double(d) }
                if ["NaN", "Infinity", "-Infinity"].contains(s) { return .string(s) }
                throw RecordError("\(what): `doubleValue` is not a number")
            default:
                throw RecordError("\(what): `doubleValue` is not a number")
            }
        case "boolValue", "bool_value":
            switch inner {
            case .bool: return inner
            case .string("true"): return .bool(true)
            case .string("false"): return .bool(false)
            default: throw RecordError("\(what): `boolValue` is not a boolean")
            }
        case "arrayValue", "array_value":
            if inner.isNull { return .array([]) }
            guard case .object = inner else { throw RecordError("\(what): `arrayValue` is not an object") }
            let items = try list(inner["values"] ?? .null, "\(what): `arrayValue.values`")
            var out: [JSON] = []
            out.reserveCapacity(items.count)
            for (i, item) in items.enumerated() { out.append(try anyValue(item, "\(what)[\(i)]")) }
            return .array(out)
        case "kvlistValue", "kvlist_value":
            if inner.isNull { return .object([]) }
            guard case .object = inner else { throw RecordError("\(what): `kvlistValue` is not an object") }
            return .object(try keyValues(inner["values"] ?? .array([]), "\(what): `kvlistValue.values`"))
        case "bytesValue", "bytes_value":
            guard case .string = inner else { throw RecordError("\(what): `bytesValue` is not a base64 string") }
            return inner
        default:
            // A value type newer than this reader: kept as null rather than failing the span.
            return .null
        }
    }

    /// A 64-bit integer written as a number or a decimal string (protobuf JSON's int64).
    static func integer(_ value: JSON) -> Int64? {
        switch value {
        case .integer(let n): return n
        case .double(let d): return d.isFinite && d == d.rounded() && abs(d) < 9.2e18 ? Int64(d) : nil
        case .string(let s): return Int64(s)
        default: return nil
        }
    }

    /// Nanoseconds since the epoch: a `fixed64` as a decimal string or a number. Values past
    /// Int64 (after the year 2262) are rejected.
    static func nanosValue(_ value: JSON) -> Int64? {
        guard let n = integer(value), n >= 0 else { return nil }
        return n
    }

    static func nanos(_ value: JSON, _ what: String, _ at: Location) throws(RecordError) -> Int64? {
        if value.isNull { return nil }
        guard let n = nanosValue(value) else { throw RecordError("\(at.itemText): \(what) is not a number") }
        return n
    }

    /// A trace or span id as lowercase hex. OTLP/JSON writes hex; protobuf's canonical JSON
    /// writes base64 of the bytes (standard or URL alphabet, padded or not). An empty id is
    /// "none" (nil): for a parent that means a root span; the caller reports a missing trace
    /// or span id.
    static func id(_ value: JSON, bytes count: Int, _ what: String, _ at: Location) throws(RecordError) -> String? {
        guard case .string(let text) = value else {
            if value.isNull { return nil }
            throw RecordError("\(at.itemText): \(what) is not a string")
        }
        if text.isEmpty { return nil }
        let utf8 = Array(text.utf8)
        var hex: String?
        if utf8.count == count * 2, utf8.allSatisfy(isHexDigit) {
            hex = text.lowercased()
        } else if let decoded = base64(utf8), decoded.count == count {
            hex = hexString(decoded)
        }
        guard let hex else {
            throw RecordError("\(at.itemText): \(what) is not \(count) bytes of hex or base64 (`\(text.prefix(64))`)")
        }
        return hex
    }

    static func isHexDigit(_ c: UInt8) -> Bool {
        (0x30...0x39).contains(c) || (0x41...0x46).contains(c) || (0x61...0x66).contains(c)
    }

    static func hexString(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Base64 (standard or URL-safe alphabet, padding optional); nil if not base64.
    static func base64(_ text: [UInt8]) -> [UInt8]? {
        var chars = text[...]
        while chars.last == UInt8(ascii: "=") { chars = chars.dropLast() }
        guard text.count - chars.count <= 2, chars.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for c in chars {
            let v: UInt32
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(c - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(c - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(c - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"), UInt8(ascii: "-"): v = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): v = 63
            default: return nil
            }
            buffer = (buffer << 6) | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
            }
        }
        return out
    }

    // MARK: - Helpers

    /// Where in a request a value is, for messages: "span 3 of scope 1" (and "of resource 2"
    /// when the request has several resources).
    struct Location {
        var resource: Int
        var resources: Int
        var scope = 0
        var item = 0
        var noun = "span"

        var resourceText: String { "resource \(resource)" }
        var scopeText: String { "scope \(scope)" + (resources > 1 ? " of resource \(resource)" : "") }
        var itemText: String { "\(noun) \(item) of \(scopeText)" }
    }

    static func member(_ members: [(String, JSON)], _ names: String...) -> JSON? {
        member(members, names)
    }

    static func member(_ members: [(String, JSON)], _ names: [String]) -> JSON? {
        for (key, value) in members where names.contains(key) { return value }
        return nil
    }

    static func list(_ value: JSON, _ what: String) throws(RecordError) -> [JSON] {
        if value.isNull { return [] }
        guard case .array(let items) = value else { throw RecordError("\(what) is not a list") }
        return items
    }

    static func describe(_ value: JSON) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer, .double: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}
