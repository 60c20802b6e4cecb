import Foundation
import Testing
@testable import Ingest
import Store

/// The OTLP/JSON rules the fixtures do not exercise: base64 ids, enum names, numbers where
/// strings are usual, older field names, and clear errors for wrong shapes.
@Suite struct OTLPDecoderTests {
    static func request(span: String, resource: String = #"{"attributes":[{"key":"service.name","value":{"stringValue":"api"}}]}"#,
                        scope: String = #""scope":{"name":"lib","version":"1.0"}"#, list: String = "scopeSpans") -> String {
        #"{"resourceSpans":[{"resource":\#(resource),"\#(list)":[{\#(scope),"spans":[\#(span)]}]}]}"#
    }

    static let minimal = #"{"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174","name":"x","startTimeUnixNano":"1000","endTimeUnixNano":"2000"}"#

    func decode(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [RawSpan] {
        try OTLPDecoder.decodeTraces(try JSONParser.parse(text), line: 1)
    }

    func error(_ text: String) -> String? {
        do {
            _ = try OTLPDecoder.decodeTraces(try JSONParser.parse(text), line: 1)
            return nil
        } catch let error as RecordError {
            return error.message
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func hexIdsAreLowercased() throws {
        let span = try #require(try decode(Self.request(span: Self.minimal)).first)
        #expect(span.traceId == "5b8efff798038103d269b633813fc60c")
        #expect(span.spanId == "eee19b7ec3c1b174")
        #expect(span.parentSpanId == nil)
        #expect(span.scope == "lib 1.0")
        #expect(span.status == "unset")
        #expect(span.otelKind == 0)
        #expect(span.startNs == 1000 && span.endNs == 2000)
        #expect(span.resource?.service == "api")
    }

    /// protobuf's canonical JSON writes bytes as base64; relops stores hex either way.
    @Test(arguments: [
        ("W47/95gDgQPSabYzgT/GDA==", "7uGbfsPBsXQ=", "5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174"),
        ("W47_95gDgQPSabYzgT_GDA", "7uGbfsPBsXQ", "5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174"),
    ])
    func base64Ids(_ trace: String, _ span: String, _ traceHex: String, _ spanHex: String) throws {
        let text = #"{"traceId":"\#(trace)","spanId":"\#(span)","parentSpanId":"\#(span)","startTimeUnixNano":5}"#
        let decoded = try #require(try decode(Self.request(span: text)).first)
        #expect(decoded.traceId == traceHex)
        #expect(decoded.spanId == spanHex)
        #expect(decoded.parentSpanId == spanHex)
    }

    @Test func emptyOrZeroParentIsARoot() throws {
        for parent in ["\"\"", "\"0000000000000000\"", "null"] {
            let text = Self.minimal.replacingOccurrences(of: #""name""#, with: #""parentSpanId":\#(parent),"name""#)
            #expect(try decode(Self.request(span: text)).first?.parentSpanId == nil, "\(parent)")
        }
    }

    @Test func enumsByNameOrNumber() throws {
        let named = #"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","kind":"SPAN_KIND_CLIENT","startTimeUnixNano":1,"status":{"code":"STATUS_CODE_ERROR","message":"boom"}}"#
        let a = try #require(try decode(Self.request(span: named)).first)
        #expect(a.otelKind == 3 && a.status == "error" && a.statusMessage == "boom")
        #expect(a.name == "" && a.endNs == 1, "missing name is empty, missing end is the start")
        let numbered = named.replacingOccurrences(of: #""SPAN_KIND_CLIENT""#, with: "2")
            .replacingOccurrences(of: #""STATUS_CODE_ERROR""#, with: "1")
        let b = try #require(try decode(Self.request(span: numbered)).first)
        #expect(b.otelKind == 2 && b.status == "ok")
    }

    @Test func anyValues() throws {
        let attributes = #"""
            [{"key":"s","value":{"stringValue":"text"}},
             {"key":"i","value":{"intValue":"9007199254740993"}},
             {"key":"n","value":{"intValue":42}},
             {"key":"d","value":{"doubleValue":0.25}},
             {"key":"b","value":{"boolValue":true}},
             {"key":"a","value":{"arrayValue":{"values":[{"stringValue":"x"},{"intValue":"1"}]}}},
             {"key":"e","value":{"arrayValue":{}}},
             {"key":"k","value":{"kvlistValue":{"values":[{"key":"inner","value":{"boolValue":false}}]}}},
             {"key":"y","value":{"bytesValue":"AAE="}},
             {"key":"z","value":{}}]
            """#
        let text = Self.minimal.replacingOccurrences(of: #""name":"x""#, with: #""name":"x","attributes":\#(attributes)"#)
        let span = try #require(try decode(Self.request(span: text)).first)
        #expect(span.attributesJSON == #"{"s":"text","i":9007199254740993,"n":42,"d":0.25,"b":true,"a":["x",1],"e":[],"k":{"inner":false},"y":"AAE=","z":null}"#)
    }

    @Test func events() throws {
        let text = Self.minimal.replacingOccurrences(of: #""name":"x""#, with: #""name":"x","events":[{"name":"exception","timeUnixNano":"7","attributes":[{"key":"exception.type","value":{"stringValue":"TimeoutError"}}]}]"#)
        let span = try #require(try decode(Self.request(span: text)).first)
        #expect(span.events?.serialized == #"[{"name":"exception","time_unix_nano":7,"attributes":{"exception.type":"TimeoutError"}}]"#)
        #expect(SpanMapper().map(span).facts.errorType == "TimeoutError")
    }

    @Test func olderAndProtoFieldNames() throws {
        let text = #"{"resource_spans":[{"instrumentation_library_spans":[{"instrumentation_library":{"name":"old"},"spans":[{"trace_id":"5b8efff798038103d269b633813fc60c","span_id":"eee19b7ec3c1b174","start_time_unix_nano":"3"}]}]}]}"#
        let span = try #require(try decode(text).first)
        #expect(span.scope == "old" && span.startNs == 3 && span.resource == nil)
        let legacy = Self.request(span: Self.minimal, scope: #""instrumentationLibrary":{"name":"lib"}"#, list: "instrumentationLibrarySpans")
        #expect(try decode(legacy).first?.scope == "lib")
    }

    @Test func resourceDigestIsStable() throws {
        let a = try #require(try decode(Self.request(span: Self.minimal)).first?.resource)
        let b = try #require(try decode(Self.request(span: Self.minimal)).first?.resource)
        let other = try #require(try decode(Self.request(span: Self.minimal, resource: #"{"attributes":[{"key":"service.name","value":{"stringValue":"web"}},{"key":"deployment.environment","value":{"stringValue":"staging"}}]}"#)).first?.resource)
        #expect(a.digest == b.digest && a.digest.count == 64)
        #expect(a.digest != other.digest)
        #expect(other.environment == "staging" && other.service == "web")
        #expect(a.attributes == #"{"service.name":"api"}"#)
    }

    @Test(arguments: [
        (#"[]"#, "expected an OTLP traces request (an object with `resourceSpans`), found a list"),
        (#"{"resourceLogs":[]}"#, "`resourceSpans` is missing (not an OTLP traces request)"),
        (#"{"resourceSpans":{}}"#, "`resourceSpans` is not a list"),
        (#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":"eee19b7ec3c1b174","startTimeUnixNano":"1"}]}]}]}"#,
         "span 1 of scope 1: `traceId` is missing"),
        (#"{"resourceSpans":[{"scopeSpans":[{"spans":[1,{"traceId":"5b8efff798038103d269b633813fc60c","startTimeUnixNano":"1"}]}]}]}"#,
         "span 1 of scope 1: expected an object, found a number"),
        (#"{"resourceSpans":[{},{"scopeSpans":[{},{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","startTimeUnixNano":"1"}]}]}]}"#,
         "span 1 of scope 2 of resource 2: `spanId` is missing"),
        (#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174"}]}]}]}"#,
         "span 1 of scope 1: `startTimeUnixNano` is missing"),
        (#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","startTimeUnixNano":"soon"}]}]}]}"#,
         "span 1 of scope 1: `startTimeUnixNano` is not a number"),
        (#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"xyz","spanId":"eee19b7ec3c1b174","startTimeUnixNano":"1"}]}]}]}"#,
         "span 1 of scope 1: `traceId` is not 16 bytes of hex or base64 (`xyz`)"),
        (#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","startTimeUnixNano":"1","kind":"SPAN_KIND_SIDEWAYS"}]}]}]}"#,
         "span 1 of scope 1: `kind` is not a span kind (`SPAN_KIND_SIDEWAYS`)"),
        (#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","startTimeUnixNano":"1","status":{"code":7}}]}]}]}"#,
         "span 1 of scope 1: `status.code` is not a status code (0, 1, 2 or `STATUS_CODE_*`)"),
        (#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","startTimeUnixNano":"1","attributes":[{"key":"n","value":{"intValue":"many"}}]}]}]}]}"#,
         "span 1 of scope 1: `attributes`: `n`: `intValue` is not an integer"),
        (#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","startTimeUnixNano":"1","attributes":[{"value":{"intValue":"1"}}]}]}]}]}"#,
         "span 1 of scope 1: `attributes`: item 1 has no `key`"),
        (#"{"resourceSpans":[{"resource":[],"scopeSpans":[]}]}"#, "resource 1: `resource` is not an object"),
    ])
    func wrongShapes(_ text: String, _ message: String) {
        #expect(error(text) == message)
    }

    @Test func emptyRequestHasNoSpans() throws {
        #expect(try decode("{}").isEmpty)
        #expect(try decode(#"{"resourceSpans":[]}"#).isEmpty)
    }

    @Test func logs() throws {
        let text = #"""
            {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"api"}}]},
              "scopeLogs":[{"scope":{"name":"lib"},"logRecords":[
                {"observedTimeUnixNano":"9","eventName":"gen_ai.choice","traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174",
                 "body":{"kvlistValue":{"values":[{"key":"finish_reason","value":{"stringValue":"stop"}},{"key":"message","value":{"kvlistValue":{"values":[{"key":"content","value":{"stringValue":"hi"}}]}}}]}}},
                {"timeUnixNano":"5","severityNumber":17,"attributes":[{"key":"event.name","value":{"stringValue":"old.event"}}],"body":{"stringValue":"plain"}},
                {"severityText":"WARN","severityNumber":"SEVERITY_NUMBER_ERROR"}]}]}]}
            """#
        let logs = try OTLPDecoder.decodeLogs(try JSONParser.parse(text), line: 4)
        #expect(logs.count == 3)
        #expect(logs[0].traceId == "5b8efff798038103d269b633813fc60c" && logs[0].spanId == "eee19b7ec3c1b174")
        #expect(logs[0].timeNs == 9 && logs[0].eventName == "gen_ai.choice" && logs[0].line == 4)
        #expect(logs[0].body == #"{"finish_reason":"stop","message":{"content":"hi"}}"#)
        #expect(logs[0].resource?.service == "api")
        #expect(logs[1].timeNs == 5 && logs[1].eventName == "old.event" && logs[1].severity == "ERROR" && logs[1].body == #""plain""#)
        #expect(logs[2].severity == "WARN" && logs[2].traceId == nil && logs[2].body == nil)

        // The choice log record gives a span its output and finish reason.
        let span = try #require(try decode(Self.request(span: Self.minimal.replacingOccurrences(of: #""name":"x""#, with: #""name":"chat","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}}]"#))).first)
        let (kind, facts) = SpanMapper().map(span, logs: [logs[0]])
        #expect(kind == .llm && facts.output == "hi" && facts.finishReason == "stop")
    }

    @Test func logErrors() {
        func message(_ text: String) -> String? {
            do {
                _ = try OTLPDecoder.decodeLogs(try JSONParser.parse(text), line: 1)
                return nil
            } catch let error as RecordError {
                return error.message
            } catch {
                return "\(error)"
            }
        }
        #expect(message(#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"traceId":"12"}]}]}]}"#)
                == "log record 1 of scope 1: `traceId` is not 16 bytes of hex or base64 (`12`)")
        #expect(message(#"{"resourceSpans":[]}"#) == "`resourceLogs` is missing (not an OTLP logs request)")
    }
}
