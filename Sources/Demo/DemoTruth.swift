/// What the demo corpus is known to contain: its size, its window, its rollouts and its incident.
///
/// `relops demo` uses it to check that an investigation found the planted cause, and tests use
/// it to compare what they recompute from the file. Counts are realized while writing, not the
/// configured rates, so they match the file exactly.
public struct DemoTruth: Sendable, Equatable {
    /// The JSON-lines file that was written.
    public var path: String
    public var traceCount: Int
    public var spanCount: Int
    /// Spans per kind (`root`, `llm`, `retrieval`, `tool`).
    public var spanCountsByKind: [String: Int]
    /// The window, as RFC 3339 instants (`2026-11-15T00:00:00Z`); every trace starts inside it.
    public var windowStart: String
    public var windowEnd: String
    /// The one planted incident.
    public var incident: Incident
    /// The version changes over the window, in the order they reached staging.
    public var rollouts: [Rollout]

    public init(path: String, traceCount: Int, spanCount: Int, spanCountsByKind: [String: Int],
                windowStart: String, windowEnd: String, incident: Incident, rollouts: [Rollout]) {
        self.path = path
        self.traceCount = traceCount
        self.spanCount = spanCount
        self.spanCountsByKind = spanCountsByKind
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.incident = incident
        self.rollouts = rollouts
    }

    /// A signal that moved because of one dimension value, within one intent.
    public struct Incident: Sendable, Equatable {
        /// The responsible dimension (`prompt_version`) and its value (`v2`).
        public var dimension: String
        public var value: String
        /// The value it replaced (`v1`).
        public var previousValue: String
        /// The prompt the version belongs to (`support-answer`).
        public var promptID: String
        /// The affected intent (`refund`); other intents keep their baseline.
        public var intent: String
        /// The signal that moved (`refused`).
        public var signal: String
        /// First user-facing exposure: when the canary cohort got the value.
        public var onset: String
        /// When everyone had it.
        public var fullRollout: String
        /// The refusal counts of the intent's final answers under the previous value…
        public var previous: Rate
        /// …and under the responsible value, every cohort and environment included.
        public var affected: Rate
        /// One sentence, for a reveal at the end of the tour.
        public var description: String

        public init(dimension: String, value: String, previousValue: String, promptID: String, intent: String,
                    signal: String, onset: String, fullRollout: String, previous: Rate, affected: Rate, description: String) {
            self.dimension = dimension
            self.value = value
            self.previousValue = previousValue
            self.promptID = promptID
            self.intent = intent
            self.signal = signal
            self.onset = onset
            self.fullRollout = fullRollout
            self.previous = previous
            self.affected = affected
            self.description = description
        }
    }

    /// How many of `n` traces showed the signal.
    public struct Rate: Sendable, Equatable {
        public var n: Int
        public var hits: Int

        public init(n: Int, hits: Int) {
            self.n = n
            self.hits = hits
        }

        /// hits / n, or 0 for an empty slice.
        public var rate: Double { n == 0 ? 0 : Double(hits) / Double(n) }
    }

    /// One version change and when each audience first saw it.
    public struct Rollout: Sendable, Equatable {
        public var dimension: String
        /// What changed: a prompt id, a tool name, the index, the answer model.
        public var component: String
        public var from: String
        public var to: String
        public var staging: String
        public var canary: String
        public var everyone: String
        /// The release that shipped it; nil for an index rebuild, which is not a deploy.
        public var release: String?

        public init(dimension: String, component: String, from: String, to: String,
                    staging: String, canary: String, everyone: String, release: String?) {
            self.dimension = dimension
            self.component = component
            self.from = from
            self.to = to
            self.staging = staging
            self.canary = canary
            self.everyone = everyone
            self.release = release
        }
    }
}
