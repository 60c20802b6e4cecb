import Store

/// The scans `triggers check`, `backtest` and `watch` make: one rule's signal over a time range
/// in time order, read once and evaluated window by window in memory (`WindowSeries`).
public enum TriggerScan {
    /// Every trace of the condition with `start_ns` in `(from, to]` and the signal known, oldest
    /// first: start_ns, the signal's value (1 for every trace when `signal` is nil: a count of
    /// traces). The time bounds are bound after the condition's values.
    public static func values(_ signal: Signal?, condition: Condition, from: Int64, to: Int64) -> CompiledQuery {
        let k = condition.parameters.count
        let value = signal?.sql ?? "1"
        return CompiledQuery(sql: """
            SELECT start_ns, \(value) FROM traces
            WHERE start_ns > ?\(k + 1) AND start_ns <= ?\(k + 2) AND (\(condition.sql)) AND \(value) IS NOT NULL
            ORDER BY start_ns
            """, parameters: condition.parameters + [.integer(from), .integer(to)])
    }

    /// The oldest and newest trace start (`traces_ts` answers each end in one step).
    public static let ends = "SELECT (SELECT min(start_ns) FROM traces), (SELECT max(start_ns) FROM traces)"
}
