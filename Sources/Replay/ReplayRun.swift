import Foundation
import Ingest
import Store

/// What a replay run did.
public struct ReplayRunReport: Sendable {
    public var runId: String
    public var runner: String
    public var requested: Int
    public var succeeded: Int
    public var failed: Int
    /// Failures by `error.type` (`timeout`, `http_500`, `malformed` …).
    public var failures: [String: Int]
    /// Calls that needed more than one attempt.
    public var retried: Int
    public var interrupted: Bool
    public var elapsedMs: Double
    public var settings: [String: String]
    /// For each `set` dimension, the value most of the originals had (what to compare against).
    public var previous: [String: String] = [:]
    /// The first results (original trace, replay trace, output or error), for display.
    public var results: [ReplayResultLine]
}

/// One result of a run, as shown after it.
public struct ReplayResultLine: Sendable {
    public var original: String
    public var originalOutput: String?
    public var originalRefused: Bool
    /// The model and versions the replay ran under.
    public var model: String?
    public var versions: [String: String]
    public var replay: String
    public var ok: Bool
    public var refused: Bool
    public var output: String?
    public var error: String?
    public var latencyMs: Double
}

/// Runs replay targets through a runner with bounded concurrency and records each result as
/// it arrives (docs/replay.md). Calls run on worker threads; only the calling thread touches
/// the store, one short transaction per batch.
public final class ReplayRun {
    let database: Database
    let runner: any Runner
    let recorder: ReplayRecorder
    let concurrency: Int

    public init(database: Database, config: WorkspaceConfig, runner: any Runner, concurrency: Int) {
        self.database = database
        self.runner = runner
        self.concurrency = max(1, concurrency)
        recorder = ReplayRecorder(config: config, runId: Self.newRunId(), runner: runner.name)
    }

    public var runId: String { recorder.runId }

    /// Runs every target. `progress(done, total, failed)` is called on this thread after each
    /// batch; `shouldStop` is polled (Ctrl-C): no new call starts once it says yes, and the
    /// calls under way are waited for and recorded.
    public func run(_ targets: [ReplayTarget], command: String, settings: [String: String],
                    progress: ((Int, Int, Int) -> Void)? = nil, shouldStop: () -> Bool = { false }) throws -> ReplayRunReport {
        let started = Date()
        let settingsJSON = JSON.object(settings.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }).serialized
        let writer = try ReplayWriter(database: database, run: .init(
            runId: recorder.runId, runner: runner.name, kind: runner.kind, command: command, settings: settingsJSON,
            requested: targets.count))
        let queue = WorkQueue(targets: targets)
        let workers = min(concurrency, targets.count)
        for _ in 0..<workers {
            let runner = self.runner
            let thread = Thread {
                while let target = queue.next() {
                    queue.deliver(target, runner.call(target.request))
                }
                queue.workerFinished()
            }
            thread.start()
        }

        var report = ReplayRunReport(runId: recorder.runId, runner: runner.name, requested: targets.count, succeeded: 0,
                                     failed: 0, failures: [:], retried: 0, interrupted: false, elapsedMs: 0,
                                     settings: settings, results: [])
        for key in settings.keys {
            var counts: [String: Int] = [:]
            for target in targets { if let old = target.replaced[key] { counts[old, default: 0] += 1 } }
            report.previous[key] = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
        }
        var done = 0
        var writeError: Error?
        while true {
            let (batch, finished) = queue.take(waitingAtMost: 0.25)
            if shouldStop(), !report.interrupted {
                report.interrupted = true
                queue.stop()
            }
            if !batch.isEmpty && writeError == nil {
                var records: [(spans: [SpanRecord], trace: TraceRecord, ok: Bool)] = []
                for (target, attempt) in batch {
                    let record = recorder.record(target, attempt)
                    records.append(record)
                    if attempt.attempts > 1 { report.retried += 1 }
                    if case .failure(let e) = attempt.result { report.failures[e.failure.errorType, default: 0] += 1 }
                    if report.results.count < 20 {
                        let failure: String? = if case .failure(let e) = attempt.result { e.failure.message } else { nil }
                        report.results.append(ReplayResultLine(
                            original: target.traceId, originalOutput: target.originalOutput, originalRefused: target.originalRefused,
                            model: record.trace.model ?? target.request.model, versions: target.request.versions,
                            replay: record.trace.traceId, ok: record.ok, refused: record.trace.refused,
                            output: record.trace.output, error: failure, latencyMs: record.trace.latencyMs))
                    }
                }
                do {
                    do {
                        try writer.append(records)
                    } catch where error.kind == .interrupted {
                        // Ctrl-C reached SQLite mid-batch (the shell aims SIGINT at the store):
                        // the batch rolled back, so write it again, and stop calling.
                        report.interrupted = true
                        queue.stop()
                        try writer.append(records)
                    }
                } catch {
                    // Stop calling; what was written stays.
                    writeError = error
                    queue.stop()
                }
                done += batch.count
                progress?(done, targets.count, writer.failed)
            }
            if finished { break }
        }
        try writer.finish(interrupted: report.interrupted || writeError != nil)
        if let writeError { throw writeError }
        report.succeeded = writer.succeeded
        report.failed = writer.failed
        report.elapsedMs = Date().timeIntervalSince(started) * 1000
        return report
    }

    /// `r` + UTC time + 4 random hex digits: sortable, readable, unique enough per store.
    static func newRunId() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return "r" + formatter.string(from: Date()) + "-" + ReplayRecorder.randomHex(bytes: 2)
    }
}

/// The targets handed out to workers, and the results handed back, under one lock.
final class WorkQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private let targets: [ReplayTarget]
    private var nextIndex = 0
    private var stopped = false
    private var results: [(ReplayTarget, ReplayAttempt)] = []
    private var started = 0
    private var delivered = 0

    init(targets: [ReplayTarget]) {
        self.targets = targets
    }

    func next() -> ReplayTarget? {
        condition.lock()
        defer { condition.unlock() }
        guard !stopped, nextIndex < targets.count else { return nil }
        defer { nextIndex += 1 }
        started += 1
        return targets[nextIndex]
    }

    func deliver(_ target: ReplayTarget, _ attempt: ReplayAttempt) {
        condition.lock()
        results.append((target, attempt))
        delivered += 1
        condition.broadcast()
        condition.unlock()
    }

    func workerFinished() {
        condition.lock()
        condition.broadcast()
        condition.unlock()
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// The results so far, waiting up to `seconds` for one; `finished`: every started call
    /// was delivered and none will start.
    func take(waitingAtMost seconds: Double) -> (batch: [(ReplayTarget, ReplayAttempt)], finished: Bool) {
        condition.lock()
        defer { condition.unlock() }
        if results.isEmpty && !isFinished {
            _ = condition.wait(until: Date().addingTimeInterval(seconds))
        }
        let batch = results
        results = []
        return (batch, isFinished && results.isEmpty)
    }

    private var isFinished: Bool {
        (stopped || nextIndex >= targets.count) && delivered == started
    }
}
