import Foundation

/// The data behind `relops demo`: a fortnight of a support assistant's traces with one known incident.
///
/// A new user needs something worth investigating before they have traces of their own, and the
/// project needs a corpus whose answer is known, so that the demo can say "you found it". The
/// corpus is written in the bench's native JSON-lines shape (bench/README.md), from a fixed
/// start date and a seeded generator: the same seed gives the same bytes, with no wall clock.
public enum DemoCorpus {
    /// The window's first instant; fixed, so that the demo never depends on today's date.
    static let windowStart = DemoTime.micros(year: 2026, month: 11, day: 15)
    static let windowDays = 14

    /// Writes the corpus to `path` (replacing it) and returns what it is known to contain.
    ///
    /// - Parameters:
    ///   - traces: exactly this many traces (user requests), spread over 14 days.
    ///   - seed: the same seed and count give a byte-identical file.
    public static func write(to path: String, traces: Int = 4000, seed: UInt64 = 2026) throws -> DemoTruth {
        guard traces > 0 else {
            throw DemoError.invalidArgument("the demo corpus needs at least one trace (got \(traces))")
        }
        let timeline = DemoTimeline(start: windowStart, days: windowDays)
        var generator = DemoGenerator(timeline: timeline, traces: traces, seed: seed)
        var text = ""
        text.reserveCapacity(traces * 3_600)
        let tally = generator.generate(into: &text)
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw DemoError.cannotWrite(path: path, reason: (error as NSError).localizedDescription)
        }
        return truth(path: path, timeline: timeline, tally: tally)
    }

    private static func truth(path: String, timeline: DemoTimeline, tally: DemoGenerator.Tally) -> DemoTruth {
        let prompt = timeline.prompt
        let seconds = DemoTime.rfc3339Seconds
        let previous = DemoTruth.Rate(n: tally.refundAnswers[prompt.from] ?? 0, hits: tally.refundRefusals[prompt.from] ?? 0)
        let affected = DemoTruth.Rate(n: tally.refundAnswers[prompt.to] ?? 0, hits: tally.refundRefusals[prompt.to] ?? 0)
        let incident = DemoTruth.Incident(
            dimension: prompt.dimension, value: prompt.to, previousValue: prompt.from, promptID: prompt.component,
            intent: DemoGenerator.incidentIntent, signal: "refused",
            onset: seconds(prompt.canary), fullRollout: seconds(prompt.everyone),
            previous: previous, affected: affected,
            description: "prompt \(prompt.component) \(prompt.to) refuses \(DemoGenerator.incidentIntent) questions about "
                + "\(Int(DemoGenerator.incidentRefusalRate * 100))% of the time (\(prompt.from): about 2%); other intents are unaffected")
        let rollouts = timeline.changes.map { change in
            DemoTruth.Rollout(dimension: change.dimension, component: change.component, from: change.from, to: change.to,
                              staging: seconds(change.staging), canary: seconds(change.canary),
                              everyone: seconds(change.everyone), release: change.release)
        }
        return DemoTruth(path: path, traceCount: tally.traces, spanCount: tally.spans, spanCountsByKind: tally.byKind,
                         windowStart: seconds(timeline.start), windowEnd: seconds(timeline.end),
                         incident: incident, rollouts: rollouts)
    }

    /// The demo workspace's `relops.yaml`: where this team keeps its version facts.
    ///
    /// shopassist records prompt, index, tool and cohort facts in `app.*` attributes that no
    /// convention names, so the workspace maps them; the refusal rule is spelled out so that a
    /// user reading the file sees what `refused` means.
    public static let workspaceConfig: String = #"""
        # relops workspace for the shopassist demo: where this team's custom attributes live.
        version: 1
        mappings:
          prompt_id: [app.prompt.id]
          prompt_version: [app.prompt.version]
          prompt_hash: [app.prompt.hash]
          config_hash: [app.config.hash]
          index_version: [app.retrieval.index_version]
          tool_version: [app.tool.version]
          release: [app.release]
          cohort: [app.cohort]
          intent: [app.intent]
          cost_usd: [app.cost_usd]
          retrieval_top_score: ["app.retrieval.scores#0"]
          retrieval_returned: [app.retrieval.returned]
          safety_flagged: [app.safety.flagged]
          feedback: [app.feedback.score]
        signals:
          refused:
            finish_reasons: [content_filter]
            patterns: ["(can['’]t|cannot|can not|unable to) (help|assist)"]
        rubric:                         # the weekly review: `sample 20 by intent`, then `score TRACE_ID helpfulness=4 …`
          helpfulness: {scale: [1, 5], note: "1 no help … 5 solved it"}
          correct_refusal: {values: [yes, no], note: "refused exactly when it should have"}

        """#

    /// A short guided tour printed by `relops demo`: what to type first, and why.
    ///
    /// It names the symptom, not the cause, so that the user still gets to find it.
    public static let tour: String = """
        A tour of the demo: two weeks of "shopassist", an online shop's support assistant.
        The complaint: refund questions are refused more often since a rollout. Which one?

        1. sources
           See what was loaded: one file, its traces and spans, and the window they cover.
        2. versions prompt_version
           When each prompt version was first seen; `versions` alone lists every suspect.
        3. traces | where intent == "refund" | stats rate(refused) by bin(ts, 1d) | chart
           The refusal rate of refund questions, day by day: when did it start?
        4. traces | where intent == "refund" | stats traces = count(), rate(refused) by model
           Slice by each suspect in turn: model, prompt_version, index_version, release.
        5. traces | where intent == "refund" | stats rate(refused) by bin(ts, 1d), cohort | chart
           Rollouts reach the canary cohort first: which cohort moved first?
        6. diff DIMENSION OLD NEW where intent == "refund"
           A suspect's old and new value on the same questions: which answers flipped.
        7. replay TRACE_ID  (and show TRACE_ID)
           One refused request from step 6: every stored answer to it, per version.

        Hints: rollouts reach staging, then the canary cohort, then everyone, so a cause shows
        in the canary a day early; a change that hit everyone at once cannot explain it.
        Refusals include content-filtered answers (relops.yaml). `queries` lists saved ones.
        """
}
