import Foundation
import Query

extension Gate {
    /// The rollout plan's rollback triggers as a triggers.yaml (`gate … triggers FILE`): one
    /// rule per trigger, its limit as `above` (or `below`), its window and minimum as they
    /// are — the same words, so `triggers check FILE` evaluates what the report promises.
    /// The limits are absolute: the baseline the gate measured plus the stricter threshold.
    public func triggersYAML() -> String {
        var out = """
            # Rollback triggers from `gate \(candidate) against \(baseline)` (relops).
            # Each limit is the baseline's value the gate measured plus the stricter of its
            # thresholds in \(config.path ?? "the built-in gate"). Add `where:` to a rule to watch
            # only the new version's traffic. docs/release-gates.md, Rollback triggers.
            version: 1
            rules:

            """
        for t in triggers {
            let name = t.statistic == (Signal.named(t.signal)?.kind == .boolean ? .rate : .mean) ? t.signal : "\(t.signal)-\(t.statistic.rawValue)"
            out += "  \(name):\n"
            out += "    signal: \(t.signal)\n"
            out += "    statistic: \(t.statistic.rawValue)\n"
            out += "    \(t.below ? "below" : "above"): \(t.limit)\n"
            out += "    window: \(t.window)\n"
            out += "    min_samples: \(t.minSamples)\n"
            out += "    action: rollback\n"
            out += "    description: \(Self.quoted(t.rule))\n"
        }
        return out
    }

    /// A YAML double-quoted scalar.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
