import Foundation
import Replay

/// A must-pass regression case (DESIGN.md, "Case"): one input the incident went wrong on,
/// with what its answer must do from now on. `cases export` makes one per distinct input of a
/// session's pins (`CaseFile.make`); `cases check` evaluates each on the newest stored trace
/// of the same input. docs/cases.md describes every field.
public struct RegressionCase: Sendable, Equatable {
    /// `case-` and the first 12 hex digits of the input hash: exporting again gives the same id.
    public var id: String
    public var severity: Severity
    /// `intent=…` and each cause's `dimension=value`, sorted.
    public var tags: [String]
    public var provenance: Provenance
    public var input: Input
    /// The model the incident's final answer asked for.
    public var model: String?
    /// The version dimensions of the incident's trace (the first pin of this input).
    public var versions: [String: String]
    /// Every expectation of every pin of this input, once each, in pinning order.
    public var expectations: [Expectation]
    /// What the incident's trace did (the first pin of this input): the answer being fixed.
    public var observed: Observed

    /// How much a failing case matters. A case is `critical` when a recorded cause covers one of
    /// its traces (the regression the incident was about), `major` when it only has
    /// expectations, and `minor` when it has none (it only keeps the input).
    public enum Severity: String, Sendable, CaseIterable {
        case critical, major, minor
    }

    /// Where the case came from.
    public struct Provenance: Sendable, Equatable {
        public var session: String
        /// The session's title: the incident.
        public var incident: String
        /// Every pinned trace with this input, in pinning order.
        public var traces: [String]
        /// The causes the session recorded that cover these traces.
        public var causes: [Cause]
        /// The pins' notes, in pinning order.
        public var notes: [String]

        public init(session: String, incident: String, traces: [String], causes: [Cause] = [], notes: [String] = []) {
            self.session = session
            self.incident = incident
            self.traces = traces
            self.causes = causes
            self.notes = notes
        }
    }

    /// A root cause as a case keeps it: `dimension = value` and the investigator's note.
    public struct Cause: Sendable, Equatable {
        public var dimension: String
        public var value: String
        public var note: String?

        public init(dimension: String, value: String, note: String? = nil) {
            self.dimension = dimension
            self.value = value
            self.note = note
        }

        /// `prompt_version=v2`, as a tag.
        public var tag: String { "\(dimension)=\(value)" }
    }

    /// What was asked: the fingerprint that finds the same input among stored traces, the text,
    /// the prompt as sent, and the variables an eval tool fills its template with.
    public struct Input: Sendable, Equatable {
        /// `traces.input_hash`.
        public var hash: String
        public var text: String?
        public var messages: [ChatMessage]
        /// At least `input` and, when known, `intent`.
        public var variables: [String: String]

        public init(hash: String, text: String?, messages: [ChatMessage], variables: [String: String]) {
            self.hash = hash
            self.text = text
            self.messages = messages
            self.variables = variables
        }
    }

    /// The incident's answer and its facts.
    public struct Observed: Sendable, Equatable {
        public var output: String?
        public var refused: Bool?
        public var latencyMs: Double?
        public var costUsd: Double?
        public var tools: [String]

        public init(output: String? = nil, refused: Bool? = nil, latencyMs: Double? = nil, costUsd: Double? = nil, tools: [String] = []) {
            self.output = output
            self.refused = refused
            self.latencyMs = latencyMs
            self.costUsd = costUsd
            self.tools = tools
        }
    }

    public init(id: String, severity: Severity, tags: [String], provenance: Provenance, input: Input, model: String?,
                versions: [String: String], expectations: [Expectation], observed: Observed) {
        self.id = id
        self.severity = severity
        self.tags = tags
        self.provenance = provenance
        self.input = input
        self.model = model
        self.versions = versions
        self.expectations = expectations
        self.observed = observed
    }

    /// The stable id of an input: `case-` and the first 12 characters of its hash.
    public static func id(inputHash: String) -> String {
        "case-" + inputHash.prefix(12).lowercased()
    }
}

/// The cases of one export: the file `cases export` writes in the relops format (`CaseFormat`).
public struct CaseFile: Sendable, Equatable {
    /// The format version `CaseFormat` writes.
    public static let formatVersion = 1

    public var session: String
    public var title: String
    /// The masks applied (`email`, `phone`, `card` and the user's patterns); empty: none.
    public var redactions: [String]
    public var cases: [RegressionCase]

    public init(session: String, title: String, redactions: [String] = [], cases: [RegressionCase]) {
        self.session = session
        self.title = title
        self.redactions = redactions
        self.cases = cases
    }

    /// One case per distinct input of the session's pins, in the order each input was first
    /// pinned. Pins of the same input merge: every trace id is kept, and every expectation once.
    /// Pins without an input hash (a trace without input) cannot become cases; they are returned.
    public static func make(session: Session, name: String) -> (file: CaseFile, skipped: [Pin]) {
        var order: [String] = []
        var groups: [String: [Pin]] = [:]
        var skipped: [Pin] = []
        for pin in session.pins {
            guard let hash = pin.inputHash, !hash.isEmpty else {
                skipped.append(pin)
                continue
            }
            if groups[hash] == nil { order.append(hash) }
            groups[hash, default: []].append(pin)
        }
        let cases = order.map { makeCase(pins: groups[$0] ?? [], hash: $0, session: session, name: name) }
        return (CaseFile(session: name, title: session.title, cases: cases), skipped)
    }

    /// The case of the pins of one input (at least one).
    static func makeCase(pins: [Pin], hash: String, session: Session, name: String) -> RegressionCase {
        precondition(!pins.isEmpty, "a case is made of at least one pin")
        let first = pins[0]
        var expectations: [Expectation] = []
        for e in pins.flatMap(\.expectations) where !expectations.contains(e) { expectations.append(e) }
        let causes = session.causes.filter { cause in covers(cause, pins) }
            .map { RegressionCase.Cause(dimension: $0.dimension, value: $0.value, note: $0.note) }
        var variables: [String: String] = [:]
        variables["input"] = first.input ?? first.messages.last(where: { $0.role == "user" })?.content ?? ""
        if let intent = pins.lazy.compactMap(\.intent).first { variables["intent"] = intent }
        var tags = Set(causes.map(\.tag))
        if let intent = variables["intent"] { tags.insert("intent=\(intent)") }
        let severity: RegressionCase.Severity = !causes.isEmpty ? .critical : expectations.isEmpty ? .minor : .major
        let o = first.observed
        return RegressionCase(
            id: RegressionCase.id(inputHash: hash), severity: severity, tags: tags.sorted(),
            provenance: .init(session: name, incident: session.title, traces: pins.map(\.traceId), causes: causes,
                              notes: pins.compactMap(\.note)),
            input: .init(hash: hash, text: first.input, messages: first.messages, variables: variables),
            model: first.model, versions: first.versions, expectations: expectations,
            observed: .init(output: first.output, refused: o.refused, latencyMs: o.latencyMs, costUsd: o.costUsd, tools: o.tools))
    }

    /// Whether a cause covers any of the pins: it names them, or their versions (or intent)
    /// carry its value.
    static func covers(_ cause: RootCause, _ pins: [Pin]) -> Bool {
        pins.contains { pin in
            cause.pins.contains(pin.traceId) || pin.versions[cause.dimension] == cause.value
                || (cause.dimension == "intent" && pin.intent == cause.value)
        }
    }
}
