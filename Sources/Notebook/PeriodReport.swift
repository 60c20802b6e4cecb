import Analysis
import Foundation
import Investigate
import Query
import Store

/// `report weekly` / `report monthly`: the stability memo of a period against the period
/// before it (docs/reports.md). It gathers what changed — versions first seen, signals that
/// drifted, incidents — what the team recorded — pins, causes, cases — and which gate
/// thresholds the last periods kept well inside, with a tighter value to propose.
///
/// Everything is read from the store and the workspace's files, and the period is whole UTC
/// days, so the same store and end day give the same memo (its tests compare it whole).
public struct PeriodReport: Sendable {
    public var period: ReportPeriod
    public var previous: ReportPeriod
    /// Traces in each period.
    public var traces: Int
    public var previousTraces: Int
    /// The gate thresholds the incidents and the ratchet read (nil path: the built-in gate).
    public var gates: GateConfig
    public var firstSeen: [Database.DimensionValue]
    /// `drift` between the previous period and this one; nil with `driftProblem` when a
    /// period has no traces.
    public var drift: DriftReport?
    public var driftProblem: String?
    public var incidents: [Incident]
    public var pins: [RecordedPin]
    public var causes: [RecordedCause]
    public var cases: [AddedCase]
    public var ratchets: [Ratchet]
    /// Session or case files that could not be read, with why: listed, not fatal.
    public var problems: [String]
    /// `where EXPR`: the traces the signals are read over (the versions, pins and cases are
    /// the workspace's whatever it says); nil: every trace.
    public var scope: String?

    /// The signals whose drift verdict says they moved, the most severe first.
    public var moved: [DriftReport.Result] { drift?.results.filter { $0.verdict?.detected == true } ?? [] }

    /// A change point of a gated signal inside the period whose step goes past the signal's
    /// gate threshold in the worse direction.
    public struct Incident: Sendable {
        public var rule: GateConfig.SignalRule
        /// The first day of the new level (Unix ns).
        public var onsetNs: Int64
        /// The daily mean (a rate for 0/1 signals) before and after the change.
        public var before: Double
        public var after: Double
        /// The thresholds the step goes past (`max_increase` …).
        public var exceeded: [String]
        /// Version values first seen in the seven days up to the onset's day: where to look first.
        public var related: [Database.DimensionValue]
    }

    /// A pin whose `pinned_at` falls in the period.
    public struct RecordedPin: Sendable {
        public var session: String
        public var pin: Pin
    }

    /// A cause whose `at` falls in the period.
    public struct RecordedCause: Sendable {
        public var session: String
        public var cause: RootCause
    }

    /// A case whose pin was recorded in the period.
    public struct AddedCase: Sendable {
        public var file: String
        public var regressionCase: RegressionCase
        /// When it was added: its first pin's `pinned_at`, or the file's modification time when
        /// the session is not in the workspace.
        public var at: String
        public var datedBy: DatedBy

        public enum DatedBy: String, Sendable { case pin, file }
    }

    /// One threshold of gates.yaml held against the change each of the last periods saw.
    public struct Ratchet: Sendable {
        public enum Status: String, Sendable {
            /// Every period stayed within half the threshold: tighten it.
            case tighten
            /// A period used more than half of it: keep it.
            case keep
            /// A period had too few values (or none) to say.
            case insufficient
        }

        public var rule: GateConfig.SignalRule
        /// `max_increase`, `max_relative_increase`, `max_decrease` or `max_relative_decrease`.
        public var threshold: String
        public var limit: Double
        /// Newest first: each period against the one before it.
        public var observations: [Observation]
        public var status: Status
        /// The largest change against the threshold's direction (0 when none went that way).
        public var worst: Double?
        public var proposed: Double?

        public var isRelative: Bool { threshold.contains("relative") }
        public var isDecrease: Bool { threshold.contains("decrease") }
    }

    /// One period's level of a gated statistic and its change from the period before.
    public struct Observation: Sendable {
        public var period: ReportPeriod
        public var level: Double?
        public var previousLevel: Double?
        /// In the threshold's unit: the difference, or the difference relative to the previous level.
        public var change: Double?
        public var count: Int
        public var previousCount: Int
    }

    /// How many periods the ratchet looks back over, the report's own included.
    public static let ratchetPeriods = 4
    /// A threshold is tightened when every period's change stays within this share of it.
    public static let ratchetShare = 0.5

    /// Builds the memo. `lastDay` is the period's last day (days since 1970); nil: the newest
    /// trace's day. Sessions are read from `sessions`, cases from `casesDirectory`.
    public static func make(database: Database, queries: QueryEngine, kind: ReportPeriod.Kind, lastDay: Int64?,
                            gates: GateConfig, driftSignals: [Signal], driftThresholds: DriftThresholds = DriftThresholds(),
                            scope: QuerySource? = nil, sessions: SessionFiles, casesDirectory: String) throws -> PeriodReport {
        let range = try database.traceTimeRange()
        guard let last = lastDay ?? range.map({ ReportPeriod.day(ofNs: $0.last) }) else {
            throw NotebookError("the store holds no traces: load some first, or give the period with `ending DATE`")
        }
        let scopeText = scope.map { $0.text.trimmingCharacters(in: .whitespaces) }
        func slice(_ p: ReportPeriod) -> QuerySource { p.slice(scope) }
        let period = ReportPeriod.ending(kind, lastDay: last)
        let values = try database.dimensionValues()
        var report = PeriodReport(period: period, previous: period.previous, traces: 0, previousTraces: 0, gates: gates,
                                  firstSeen: values.filter { period.contains($0.firstNs) }, drift: nil, driftProblem: nil,
                                  incidents: [], pins: [], causes: [], cases: [], ratchets: [], problems: [], scope: scopeText)
        report.ratchets = try ratchets(database: database, queries: queries, period: period, gates: gates, scope: scope) { counts in
            report.traces = counts.current
            report.previousTraces = counts.previous
        }
        if report.traces > 0, report.previousTraces > 0 {
            report.drift = try DriftReport.compute(database: database, queries: queries, signals: driftSignals,
                                                   slices: SlicePairSpec(baseline: slice(period.previous), current: slice(period)),
                                                   thresholds: driftThresholds)
        } else {
            report.driftProblem = "the \(report.traces == 0 ? "period" : "previous period") holds no traces: nothing to compare"
        }
        // Values seen on the store's first day were there before the data began: not new.
        let firstDay = range.map { ReportPeriod.day(ofNs: $0.first) } ?? period.startDay
        let newValues = values.filter { ReportPeriod.day(ofNs: $0.firstNs) > firstDay }
        report.incidents = try incidents(database: database, queries: queries, period: period, gates: gates, versions: newValues, scope: scope)
        report.readWorkspace(sessions: sessions, casesDirectory: casesDirectory)
        return report
    }

    // MARK: incidents

    /// Change points (PELT on daily values, as `changes … every 1d` finds them) over the two
    /// periods, kept when the onset is inside the period and the step goes past the gate
    /// threshold. One scan reads every gated signal's daily means.
    static func incidents(database: Database, queries: QueryEngine, period: ReportPeriod, gates: GateConfig,
                          versions: [Database.DimensionValue], scope: QuerySource?) throws -> [Incident] {
        let rules = gates.signals.filter { $0.signal.kind != .categorical }
        guard !rules.isEmpty else { return [] }
        let window = ReportPeriod(kind: period.kind, startDay: period.previous.startDay, endDay: period.endDay).slice(scope)
        let scan = SignalScan.series(rules.map(\.signal), every: ReportPeriod.dayNs, in: try queries.condition(window))
        let statement = try database.prepare(scan.sql)
        try statement.bind(scan.parameters)
        var starts = Array(repeating: [Int64](), count: rules.count), values = Array(repeating: [Double](), count: rules.count)
        while try statement.step() {
            let start = statement.int64(at: 0) ?? 0
            for i in rules.indices {
                guard let mean = statement.double(at: Int32(i + 1)) else { continue }
                starts[i].append(start)
                values[i].append(mean)
            }
        }
        var found: [Incident] = []
        for (i, rule) in rules.enumerated() {
            // Too few days for a segmentation: no incident can be told.
            guard let pelt = try? ChangePoints.pelt(values[i], penalty: nil) else { continue }
            for change in pelt.changes where change.index < starts[i].count {
                let onset = starts[i][change.index]
                guard period.contains(onset), change.before.isFinite, change.after.isFinite else { continue }
                let exceeded = Gate.exceededThresholds(rule, delta: change.delta, relative: change.before != 0 ? change.delta / abs(change.before) : nil,
                                                       baseline: change.before)
                guard !exceeded.isEmpty else { continue }
                let related = versions.filter { $0.firstNs >= onset - 7 * ReportPeriod.dayNs && $0.firstNs < onset + ReportPeriod.dayNs }
                found.append(Incident(rule: rule, onsetNs: onset, before: change.before, after: change.after, exceeded: exceeded, related: related))
            }
        }
        return found.sorted { ($0.onsetNs, $0.rule.signal.name) < ($1.onsetNs, $1.rule.signal.name) }
    }

    // MARK: ratchet

    /// Each gated signal's statistic in the last `ratchetPeriods` periods against the period
    /// before each (one scan per pair of periods), and per threshold whether all of them stayed
    /// well inside it. `counts` receives the trace counts of the report's own pair.
    static func ratchets(database: Database, queries: QueryEngine, period: ReportPeriod, gates: GateConfig, scope: QuerySource?,
                         counts: (_ counts: (current: Int, previous: Int)) -> Void) throws -> [Ratchet] {
        let rules = gates.signals
        var periods = [period]
        for _ in 0..<ratchetPeriods { periods.append(periods[periods.count - 1].previous) }
        // observations[rule] newest first.
        var observations = Array(repeating: [Observation](), count: rules.count)
        for k in 0..<ratchetPeriods {
            let (current, before) = (periods[k], periods[k + 1])
            let conditions = try queries.conditions([before.slice(scope), current.slice(scope)])
            let samples = try SignalSamples.read(rules.map(\.signal), baseline: conditions[0], current: conditions[1], database: database)
            if k == 0 { counts((samples.currentTraces, samples.baselineTraces)) }
            for (i, rule) in rules.enumerated() {
                var observation = Observation(period: current, level: nil, previousLevel: nil, change: nil, count: 0, previousCount: 0)
                if let delta = pointDelta(rule, baseline: samples.baseline[i], current: samples.current[i]) {
                    observation.level = delta.candidate
                    observation.previousLevel = delta.baseline
                    observation.count = delta.candidateCount
                    observation.previousCount = delta.baselineCount
                    observation.change = delta.delta
                }
                observations[i].append(observation)
            }
        }
        var out: [Ratchet] = []
        for (i, rule) in rules.enumerated() {
            let limits: [(String, Double?)] = [("max_increase", rule.maxIncrease), ("max_relative_increase", rule.maxRelativeIncrease),
                                              ("max_decrease", rule.maxDecrease), ("max_relative_decrease", rule.maxRelativeDecrease)]
            for case let (name, limit?) in limits {
                out.append(ratchet(rule, threshold: name, limit: limit, observations: observations[i], minSamples: rule.minSamples ?? gates.minSamples))
            }
        }
        return out
    }

    /// The statistic of both sides without an interval (no bootstrap: only the point is read).
    static func pointDelta(_ rule: GateConfig.SignalRule, baseline: SignalSamples.Values, current: SignalSamples.Values) -> GateDelta? {
        switch (baseline, current) {
        case let (.rate(xb, nb), .rate(xc, nc)):
            return GateDelta.rate(baselineTrue: xb, baselineTotal: nb, candidateTrue: xc, candidateTotal: nc)
        case let (.numbers(a), .numbers(b)):
            return GateDelta.numbers(baseline: a, candidate: b, statistic: rule.statistic, resamples: 0)
        default:
            return nil
        }
    }

    /// One threshold's verdict: tighten when every period has enough values and its change the
    /// threshold's way stays within half of it; the proposal is half the threshold, or twice
    /// the worst change when that is larger, rounded up to two significant digits.
    static func ratchet(_ rule: GateConfig.SignalRule, threshold: String, limit: Double, observations: [Observation], minSamples: Int) -> Ratchet {
        let relative = threshold.contains("relative"), decrease = threshold.contains("decrease")
        var shown = observations
        for j in shown.indices {
            guard let change = shown[j].change else { continue }
            if relative {
                shown[j].change = shown[j].previousLevel.flatMap { $0 != 0 ? change / abs($0) : nil }
            }
        }
        var result = Ratchet(rule: rule, threshold: threshold, limit: limit, observations: shown, status: .insufficient, worst: nil, proposed: nil)
        let enough = shown.allSatisfy { $0.change != nil && $0.count >= minSamples && $0.previousCount >= minSamples }
        guard enough, !shown.isEmpty else { return result }
        let adverse = shown.map { max(0, (decrease ? -1 : 1) * ($0.change ?? 0)) }
        let worst = adverse.max() ?? 0
        result.worst = worst
        guard limit > 0, worst <= limit * ratchetShare + Gate.tolerance else {
            result.status = .keep
            return result
        }
        let proposal = roundUp(max(limit * ratchetShare, 2 * worst))
        guard proposal < limit - Gate.tolerance else {
            result.status = .keep
            return result
        }
        result.status = .tighten
        result.proposed = proposal
        return result
    }

    /// `x` rounded up to two significant digits: 0.0031 → 0.0031, 0.00312 → 0.0032, 47.2 → 48.
    static func roundUp(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return x }
        let scale = pow(10, floor(log10(x)) - 1)
        return (x / scale - 1e-9).rounded(.up) * scale
    }

    // MARK: the workspace's files

    /// Pins and causes recorded in the period (sessions/*.md) and the cases whose first pin was
    /// (cases/*.yaml); files that cannot be read go into `problems`.
    mutating func readWorkspace(sessions: SessionFiles, casesDirectory: String) {
        var opened: [String: Session] = [:]
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: sessions.directory)) ?? [])
            .filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") && $0 != "README.md" }.sorted()
        for file in names {
            let name = String(file.dropLast(3))
            do {
                opened[name] = try sessions.open(name)
            } catch {
                problems.append("\(PathText.join(sessions.directory, file)): \(error)")
            }
        }
        for name in opened.keys.sorted() {
            guard let session = opened[name] else { continue }
            for pin in session.pins where inPeriod(pin.pinnedAt) { pins.append(RecordedPin(session: name, pin: pin)) }
            for cause in session.causes where inPeriod(cause.at) { causes.append(RecordedCause(session: name, cause: cause)) }
        }
        pins.sort { ($0.pin.pinnedAt, $0.session) < ($1.pin.pinnedAt, $1.session) }
        causes.sort { ($0.cause.at, $0.session) < ($1.cause.at, $1.session) }

        let caseFiles = ((try? FileManager.default.contentsOfDirectory(atPath: casesDirectory)) ?? [])
            .filter { $0.hasSuffix(".yaml") && !$0.hasSuffix(".promptfoo.yaml") && !$0.hasPrefix(".") }.sorted()
        for file in caseFiles {
            let path = PathText.join(casesDirectory, file)
            let parsed: CaseFile
            do {
                guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                    throw NotebookError("cannot read the file")
                }
                parsed = try CaseFormat.read(text, path: path)
            } catch {
                problems.append("\(path): \(error)")
                continue
            }
            let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date).map {
                Timestamp.iso8601(nanoseconds: Int64($0.timeIntervalSince1970 * 1e9))
            }
            for c in parsed.cases {
                let session = opened[c.provenance.session]
                let pinned = session?.pins.first { c.provenance.traces.contains($0.traceId) }?.pinnedAt
                guard let at = pinned ?? modified, inPeriod(at) else { continue }
                cases.append(AddedCase(file: path, regressionCase: c, at: at, datedBy: pinned == nil ? .file : .pin))
            }
        }
        cases.sort { ($0.at, $0.file, $0.regressionCase.id) < ($1.at, $1.file, $1.regressionCase.id) }
    }

    private func inPeriod(_ timestamp: String) -> Bool {
        Timestamp.parse(timestamp).map(period.contains) ?? false
    }
}
