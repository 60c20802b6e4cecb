/// The input formats relops reads (DESIGN.md, Loading).
public enum InputFormat: String, CaseIterable, Sendable {
    /// relops' native JSON lines, one span per line (docs/native-format.md).
    case native
    /// OTLP/JSON traces: an `ExportTraceServiceRequest` document, or one per line.
    case otlp
    /// OTLP/JSON logs (`ExportLogsServiceRequest`), e.g. GenAI message events beside the spans.
    case otlpLogs = "otlp-logs"

    /// Recognises the format from the first record's members.
    static func detect(_ first: JSON) -> InputFormat? {
        guard case .object(let members) = first else { return nil }
        for (key, _) in members {
            switch key {
            case "resourceSpans", "resource_spans": return .otlp
            case "resourceLogs", "resource_logs": return .otlpLogs
            case "trace_id", "span_id": return .native
            default: continue
            }
        }
        return nil
    }
}
