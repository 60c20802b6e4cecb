import Foundation
import Ingest
import Query
import Store

/// `triggers watch FILE`: follows a growing trace file, loads what was appended since the last
/// round (`FileTail`) and evaluates the rules on the latest window, round after round. The
/// shell owns the clock (the interval, Ctrl-C); this owns what one round does.
public struct TriggerWatch {
    /// One round: what was loaded and the check that followed.
    public struct Round: Sendable {
        public var number: Int
        public var file: String
        public var load: FileTail.Round
        public var check: TriggerCheck
        /// The check of this round fired a rule.
        public var fired: Bool { !check.fired.isEmpty }
        /// Spans and traces the round added (0 when nothing was appended, or the lines were loaded before).
        public var spans: Int64 {
            if case .loaded(let s)? = load.report?.outcome { return s.spans }
            return 0
        }
        public var traces: Int64 {
            if case .loaded(let s)? = load.report?.outcome { return s.traces }
            return 0
        }
    }

    /// The rounds so far, added up: what `watch` reports when it stops.
    public struct Summary: Sendable {
        public var file: String
        public var rules: String
        public var rounds = 0
        public var spans: Int64 = 0
        public var traces: Int64 = 0
        /// Per rule, the rounds in which it fired, in the order of the file.
        public var firings: [(name: String, rounds: Int)] = []
        public var stoppedByInterrupt = false

        public var fired: Bool { firings.contains { $0.rounds > 0 } }

        mutating func add(_ round: Round) {
            rounds += 1
            spans += round.spans
            traces += round.traces
            for e in round.check.evaluations {
                if let i = firings.firstIndex(where: { $0.name == e.rule.name }) {
                    if e.status == .fired { firings[i].rounds += 1 }
                } else {
                    firings.append((e.rule.name, e.status == .fired ? 1 : 0))
                }
            }
        }
    }

    public let config: TriggerConfig
    public private(set) var tail: FileTail
    public private(set) var summary: Summary
    let loader: Loader
    let options: LoadOptions

    public init(file: String, config: TriggerConfig, loader: Loader, options: LoadOptions = LoadOptions()) throws {
        self.config = config
        tail = try FileTail(path: file)
        summary = Summary(file: file, rules: config.path)
        self.loader = loader
        self.options = options
    }

    /// Loads what was appended and evaluates every rule at the newest trace.
    public mutating func round(database: Database, queries: QueryEngine) throws -> Round {
        let load = try tail.poll(loader, options: options)
        let check = try TriggerCheck.run(config, at: nil, database: database, queries: queries)
        let round = Round(number: summary.rounds + 1, file: tail.path, load: load, check: check)
        summary.add(round)
        return round
    }

    /// Marks the summary as ended by Ctrl-C.
    public mutating func interrupted() {
        summary.stoppedByInterrupt = true
    }
}
