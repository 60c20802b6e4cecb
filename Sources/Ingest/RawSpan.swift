import Store

/// A span as a decoder read it, before any convention is applied: ids, times, status and the
/// original attributes. Every format decodes to this; `SpanMapper` turns it into a `SpanRecord`.
public struct RawSpan: Sendable {
    public var traceId: String
    public var spanId: String
    public var parentSpanId: String?
    public var name: String
    public var startNs: Int64
    public var endNs: Int64
    /// `ok`, `error` or `unset`.
    public var status: String
    public var statusMessage: String?
    /// OTLP `SpanKind` (0 unspecified … 5 consumer), if the format has it.
    public var otelKind: Int?
    /// The span class the file states (the native shape's `kind`), if any.
    public var declaredKind: String?
    /// Original attributes, in source order.
    public var attributes: [(String, JSON)]
    /// The attributes as stored (`spans.attrs`): the original object text where the format
    /// has one (native), else `attributes` written as a JSON object.
    public var attributesJSON: String
    /// Span events (OTLP), as a JSON array value.
    public var events: JSON?
    public var scope: String?
    public var resource: ResourceRecord?
    public var resourceAttributes: [(String, JSON)]
    /// 1-based line (or document) in the file.
    public var line: Int64

    public init(traceId: String, spanId: String, parentSpanId: String?, name: String, startNs: Int64, endNs: Int64,
                status: String, statusMessage: String?, otelKind: Int? = nil, declaredKind: String? = nil,
                attributes: [(String, JSON)], attributesJSON: String? = nil, events: JSON? = nil, scope: String? = nil,
                resource: ResourceRecord? = nil, resourceAttributes: [(String, JSON)] = [], line: Int64) {
        self.traceId = traceId
        self.spanId = spanId
        self.parentSpanId = parentSpanId
        self.name = name
        self.startNs = startNs
        self.endNs = endNs
        self.status = status
        self.statusMessage = statusMessage
        self.otelKind = otelKind
        self.declaredKind = declaredKind
        self.attributes = attributes
        self.attributesJSON = attributesJSON ?? JSON.object(attributes).serialized
        self.events = events
        self.scope = scope
        self.resource = resource
        self.resourceAttributes = resourceAttributes
        self.line = line
    }
}

/// The span classes of DESIGN.md's vocabulary.
public enum SpanKind: String, CaseIterable, Sendable {
    case llm, tool, retrieval, embedding, agent, chain, root, other
}
