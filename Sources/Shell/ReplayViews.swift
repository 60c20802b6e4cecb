import Analysis
import Foundation
import Ingest
import Replay
import Store

// How `diff` and `replay` results read on a terminal, in Markdown and in JSON
// (docs/replay.md lists the JSON keys).

extension VersionDiff: ResultDocument {
    public func text(_ style: TextStyle) -> String {
        sections(style, markdown: false)
    }

    public func markdown() -> String {
        sections(TextStyle(), markdown: true)
    }

    private func sections(_ style: TextStyle, markdown: Bool) -> String {
        func table(_ t: ReportTable) -> String { markdown ? t.markdown() : t.text(style) }
        func heading(_ s: String) -> String { markdown ? "### \(s)\n\n" : style.paint(s, "1") + "\n" }
        var out = markdown ? "## diff \(dimension): \(a) → \(b)\n\n" : style.paint("diff \(dimension): \(a) → \(b)", "1") + "\n"
        if let condition { out += (markdown ? "where `\(condition)`\n\n" : "where \(condition)\n") }
        out += "\(Figures.count(matched)) inputs seen under both (the latest trace of each input under each value)\n"
        out += "\(a): \(Figures.count(inputsA)) inputs in \(Figures.count(tracesA)) traces, \(Figures.count(onlyA)) not seen under \(b)\n"
        out += "\(b): \(Figures.count(inputsB)) inputs in \(Figures.count(tracesB)) traces, \(Figures.count(onlyB)) not seen under \(a)\n\n"
        guard matched > 0 else {
            return out + "No input was seen under both values: nothing to compare.\n"
        }

        out += heading("Outputs")
        var outputs = ReportTable(["outputs", "inputs", "share"], numeric: [1, 2])
        func share(_ n: Int) -> String { Figures.percent(Double(n) / Double(matched)) }
        outputs.add(["identical", Figures.count(self.outputs.identical), share(self.outputs.identical)])
        outputs.add(["changed", Figures.count(self.outputs.changed), share(self.outputs.changed)])
        outputs.add(["missing under \(a)", Figures.count(self.outputs.missingA), share(self.outputs.missingA)])
        outputs.add(["missing under \(b)", Figures.count(self.outputs.missingB), share(self.outputs.missingB)])
        outputs.add(["missing under both", Figures.count(self.outputs.missingBoth), share(self.outputs.missingBoth)])
        out += table(outputs) + "\n"

        out += heading("Flips (on inputs where the signal is known under both)")
        var flipTable = ReportTable(["signal", "inputs", "rate \(a)", "rate \(b)", "change", "false → true", "true → false", "McNemar p"],
                                    numeric: [1, 2, 3, 4, 5, 6, 7])
        for flip in flips {
            let t = flip.table
            flipTable.add([flip.signal, Figures.count(t.n), Self.rate(t.rateA, t.rateAInterval), Self.rate(t.rateB, t.rateBInterval),
                           Figures.points(t.rateDelta), Figures.count(t.falseToTrue), Figures.count(t.trueToFalse),
                           Figures.pValue(t.n > 0 ? t.mcnemarPValue : nil)])
        }
        out += table(flipTable) + "\n"

        out += heading("Paired differences (\(b) − \(a), 95% intervals)")
        var deltaTable = ReportTable(["signal", "pairs", "mean \(a)", "mean \(b)", "Δ mean", "interval", "Δ %", "Δ median", "interval", "p"],
                                     numeric: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        for d in deltas {
            let p = d.delta
            deltaTable.add([d.signal, Figures.count(p.n), Figures.number(p.meanA), Figures.number(p.meanB),
                            Figures.number(p.meanDelta, signed: true), Self.interval(p.meanInterval),
                            p.relativeDelta.map { Figures.percent($0) } ?? "–", Figures.number(p.medianDelta, signed: true),
                            Self.interval(p.medianInterval), Figures.pValue(p.pValue)])
        }
        out += table(deltaTable)

        var examples: [(String, [DiffExample], Int)] = []
        for flip in flips {
            if !flip.raised.isEmpty { examples.append(("\(flip.signal): false → true", flip.raised, flip.table.falseToTrue)) }
            if !flip.cleared.isEmpty { examples.append(("\(flip.signal): true → false", flip.cleared, flip.table.trueToFalse)) }
        }
        if !changedExamples.isEmpty { examples.append(("changed outputs", changedExamples, self.outputs.changed)) }
        for (title, list, total) in examples {
            out += "\n" + heading("\(title) — \(Figures.count(total)) input\(total == 1 ? "" : "s"), latest \(list.count)")
            for example in list {
                out += Self.example(example, a: a, b: b, style: style, markdown: markdown)
            }
        }
        return out
    }

    static func rate(_ rate: Double?, _ interval: ConfidenceInterval?) -> String {
        guard let rate else { return "–" }
        guard let interval else { return Figures.percent(rate) }
        return "\(Figures.percent(rate)) [\(Figures.percent(interval.lower)), \(Figures.percent(interval.upper))]"
    }

    static func interval(_ interval: ConfidenceInterval?) -> String {
        guard let interval else { return "–" }
        return "[\(Figures.number(interval.lower, signed: true)), \(Figures.number(interval.upper, signed: true))]"
    }

    static func example(_ e: DiffExample, a: String, b: String, style: TextStyle, markdown: Bool) -> String {
        let input = Self.oneLine(e.a.input ?? "", limit: 160)
        if markdown {
            return "- `\(e.a.traceId)` (\(a)) → `\(e.b.traceId)` (\(b)): \(input)\n\n  " + e.words.render(color: false)
                .replacingOccurrences(of: "\n", with: " ") + "\n\n"
        }
        var out = "  \(style.paint(e.a.traceId, "33")) \(a) → \(style.paint(e.b.traceId, "33")) \(b)\n"
        out += "    input: \(input)\n"
        // A side without text (a filtered answer, a failed request) would read as a plain deletion.
        for (side, text) in [(a, e.a.output), (b, e.b.output)] where (text ?? "").isEmpty {
            out += "    \(side): " + style.paint(text == nil ? "(no output)" : "(empty output)", "2") + "\n"
        }
        out += "    " + Self.oneLine(e.words.render(color: style.color), limit: nil) + "\n"
        return out
    }

    static func oneLine(_ text: String, limit: Int?) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ⏎ ")
        guard let limit, flat.count > limit else { return flat }
        return String(flat.prefix(limit - 1)) + "…"
    }

    public func json() -> JSON {
        func example(_ e: DiffExample) -> JSON {
            .object([("input", e.a.input.map(JSON.string) ?? .null),
                     ("a", .object([("trace_id", .string(e.a.traceId)), ("ts", .string(e.a.ts)), ("output", e.a.output.map(JSON.string) ?? .null)])),
                     ("b", .object([("trace_id", .string(e.b.traceId)), ("ts", .string(e.b.ts)), ("output", e.b.output.map(JSON.string) ?? .null)])),
                     ("word_diff", .string(e.words.render(color: false)))])
        }
        func number(_ x: Double?) -> JSON { x.map { $0.isFinite ? JSON.double($0) : .null } ?? .null }
        func pair(_ i: ConfidenceInterval?) -> JSON { i.map { .array([number($0.lower), number($0.upper)]) } ?? .null }
        return .object([
            ("command", .string("diff")),
            ("dimension", .string(dimension)), ("a", .string(a)), ("b", .string(b)),
            ("where", condition.map(JSON.string) ?? .null),
            ("inputs", .object([("a", .integer(Int64(inputsA))), ("b", .integer(Int64(inputsB))), ("matched", .integer(Int64(matched))),
                                ("only_a", .integer(Int64(onlyA))), ("only_b", .integer(Int64(onlyB)))])),
            ("traces", .object([("a", .integer(Int64(tracesA))), ("b", .integer(Int64(tracesB)))])),
            ("outputs", .object([("identical", .integer(Int64(outputs.identical))), ("changed", .integer(Int64(outputs.changed))),
                                 ("missing_a", .integer(Int64(outputs.missingA))), ("missing_b", .integer(Int64(outputs.missingB))),
                                 ("missing_both", .integer(Int64(outputs.missingBoth)))])),
            ("flips", .array(flips.map { f in
                let t = f.table
                return .object([("signal", .string(f.signal)), ("n", .integer(Int64(t.n))),
                                ("both_false", .integer(Int64(t.bothFalse))), ("false_to_true", .integer(Int64(t.falseToTrue))),
                                ("true_to_false", .integer(Int64(t.trueToFalse))), ("both_true", .integer(Int64(t.bothTrue))),
                                ("rate_a", number(t.rateA)), ("rate_a_interval", pair(t.rateAInterval)),
                                ("rate_b", number(t.rateB)), ("rate_b_interval", pair(t.rateBInterval)),
                                ("rate_difference", number(t.rateDelta)),
                                ("mcnemar_p", number(t.n > 0 ? t.mcnemarPValue : nil)),
                                ("false_to_true_examples", .array(f.raised.map(example))),
                                ("true_to_false_examples", .array(f.cleared.map(example)))])
            })),
            ("deltas", .array(deltas.map { d in
                let p = d.delta
                return .object([("signal", .string(d.signal)), ("n", .integer(Int64(p.n))),
                                ("mean_a", number(p.meanA)), ("mean_b", number(p.meanB)),
                                ("mean_delta", number(p.meanDelta)), ("mean_delta_interval", pair(p.meanInterval)),
                                ("relative_delta", number(p.relativeDelta)), ("t", number(p.t)), ("p", number(p.pValue)),
                                ("median_delta", number(p.medianDelta)), ("median_delta_interval", pair(p.medianInterval))])
            })),
            ("changed_examples", .array(changedExamples.map(example))),
            ("elapsed_ms", .double(elapsedMs)),
        ])
    }
}

extension ReplayAcross: ResultDocument {
    public func text(_ style: TextStyle) -> String { render(style, markdown: false) }
    public func markdown() -> String { render(TextStyle(), markdown: true) }

    private func render(_ style: TextStyle, markdown: Bool) -> String {
        let id = trace.traceId
        var out = markdown ? "## replay \(id)\n\n" : style.paint("replay \(id)", "1") + "\n"
        out += "input: \(VersionDiff.oneLine(trace.text("input") ?? "", limit: 200))\n"
        out += "\(Figures.count(traces)) trace\(traces == 1 ? "" : "s") answered this input\n"
        guard !dimensions.isEmpty else {
            return out + "\nNo version dimension varies among them: every answer came from the same versions.\n"
        }
        for dimension in dimensions {
            out += "\n" + (markdown ? "### across \(dimension.name)\n\n" : style.paint("across \(dimension.name)", "1") + "\n")
            var table = ReportTable([dimension.name, "traces", "latest", "refused", "error", "latency_ms", "output_tokens", "cost_usd", "same output"],
                                    numeric: [1, 3, 4, 5, 6, 7, 8])
            for g in dimension.groups {
                table.add([(g.value ?? "(none)") + (g.isOwn ? " *" : ""), Figures.count(g.traces), g.latest.traceId,
                           Figures.percent(g.refusedRate), Figures.percent(g.errorRate), Figures.number(g.meanLatencyMs),
                           Figures.number(g.meanOutputTokens), Figures.number(g.meanCostUsd), "\(g.sameOutput)/\(g.traces)"])
            }
            out += (markdown ? table.markdown() : table.text(style))
            out += "* the trace's own value; signals are means over the value's traces; outputs below are each value's latest, against the trace's own\n"
            for g in dimension.groups {
                let value = g.value ?? "(none)"
                if g.isOwn {
                    out += "\n\(value) (own, \(id)):\n    " + VersionDiff.oneLine(trace.text("output") ?? "(no output)", limit: nil) + "\n"
                } else {
                    out += "\n\(value) (\(g.latest.traceId)):\n    "
                        + (g.latest.text("output") == nil ? "(no output)" : VersionDiff.oneLine(g.words.render(color: style.color && !markdown), limit: nil)) + "\n"
                }
            }
        }
        return out
    }

    public func json() -> JSON {
        .object([
            ("command", .string("replay")),
            ("trace_id", .string(trace.traceId)),
            ("input", trace.text("input").map(JSON.string) ?? .null),
            ("output", trace.text("output").map(JSON.string) ?? .null),
            ("traces", .integer(Int64(traces))),
            ("dimensions", .array(dimensions.map { d in
                .object([("dimension", .string(d.name)), ("values", .array(d.groups.map { g in
                    .object([("value", g.value.map(JSON.string) ?? .null), ("own", .bool(g.isOwn)), ("traces", .integer(Int64(g.traces))),
                             ("latest_trace_id", .string(g.latest.traceId)), ("latest_output", g.latest.text("output").map(JSON.string) ?? .null),
                             ("refused_rate", .double(g.refusedRate)), ("error_rate", .double(g.errorRate)),
                             ("mean_latency_ms", .double(g.meanLatencyMs)), ("mean_output_tokens", .double(g.meanOutputTokens)),
                             ("mean_cost_usd", .double(g.meanCostUsd)), ("same_output", .integer(Int64(g.sameOutput))),
                             ("word_diff", .string(g.words.render(color: false)))])
                }))])
            })),
        ])
    }
}

extension ReplayRunReport: ResultDocument {
    public func text(_ style: TextStyle) -> String { render(style, markdown: false) }
    public func markdown() -> String { render(TextStyle(), markdown: true) }

    private func render(_ style: TextStyle, markdown: Bool) -> String {
        var out = markdown ? "## replay run \(runId)\n\n" : style.paint("replay run \(runId)", "1") + " with runner \(runner)\n"
        let set = settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        if !set.isEmpty { out += "set \(set)\n" }
        out += "\(Figures.count(requested)) requested, \(Figures.count(succeeded)) answered, \(Figures.count(failed)) failed"
        out += retried > 0 ? ", \(Figures.count(retried)) retried" : ""
        out += " in \(Renderer.duration(elapsedMs))"
        out += interrupted ? " — interrupted: \(Figures.count(requested - succeeded - failed)) not run\n" : "\n"
        if !failures.isEmpty {
            out += "failures: " + failures.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
        }
        if requested == 1, let r = results.first {
            out += "\n" + line("original", r.original, style) + (r.originalRefused ? "  (refused)" : "") + "\n"
            out += "    " + VersionDiff.oneLine(r.originalOutput ?? "(no output)", limit: nil) + "\n"
            out += line("replay", r.replay, style) + "  " + [r.model, r.ok ? nil : "failed", r.refused ? "refused" : nil]
                .compactMap { $0 }.joined(separator: ", ") + ", \(Figures.number(r.latencyMs)) ms\n"
            if let error = r.error {
                out += "    " + style.paint("error: \(error)", "31") + "\n"
            } else {
                let words = WordDiff.compute(old: r.originalOutput ?? "", new: r.output ?? "")
                out += "    " + VersionDiff.oneLine(words.render(color: style.color && !markdown), limit: nil) + "\n"
            }
        } else if !results.isEmpty {
            var table = ReportTable(["original", "replay", "status", "refused", "latency_ms", "output"], numeric: [4])
            for r in results {
                table.add([r.original, r.replay, r.ok ? "ok" : "failed", r.refused ? "yes" : "no", Figures.number(r.latencyMs),
                           VersionDiff.oneLine(r.error ?? r.output ?? "", limit: 80)])
            }
            out += "\n" + (markdown ? table.markdown() : table.text(style))
            if results.count < requested { out += "(first \(results.count) of \(Figures.count(requested)))\n" }
        }
        out += "\nThe replays are traces with replay_run == \"\(runId)\" (cohort `replay` unless set)."
        if let (dimension, value) = settings.sorted(by: { $0.key < $1.key }).first(where: { $0.key != "cohort" }),
           let old = previous[dimension], old != value {
            out += " Compare them with their originals: diff \(dimension) \(Self.quoted(old)) \(Self.quoted(value))"
        } else if settings["cohort"] == nil {
            out += " Compare them with their originals: diff cohort <the originals' cohort> replay"
        }
        return out + "\n"
    }

    static func quoted(_ value: String) -> String {
        value.contains(where: { $0.isWhitespace || $0 == "\"" }) ? "'\(value)'" : value
    }

    private func line(_ label: String, _ id: String, _ style: TextStyle) -> String {
        "\(label) \(style.paint(id, "33"))"
    }

    public func json() -> JSON {
        .object([
            ("command", .string("replay")),
            ("run_id", .string(runId)), ("runner", .string(runner)),
            ("settings", .object(settings.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("requested", .integer(Int64(requested))), ("succeeded", .integer(Int64(succeeded))), ("failed", .integer(Int64(failed))),
            ("retried", .integer(Int64(retried))), ("interrupted", .bool(interrupted)), ("elapsed_ms", .double(elapsedMs)),
            ("failures", .object(failures.sorted { $0.key < $1.key }.map { ($0.key, .integer(Int64($0.value))) })),
            ("results", .array(results.map { r in
                .object([("original_trace_id", .string(r.original)), ("replay_trace_id", .string(r.replay)), ("ok", .bool(r.ok)),
                         ("refused", .bool(r.refused)), ("model", r.model.map(JSON.string) ?? .null),
                         ("output", r.output.map(JSON.string) ?? .null), ("error", r.error.map(JSON.string) ?? .null),
                         ("latency_ms", .double(r.latencyMs)), ("original_output", r.originalOutput.map(JSON.string) ?? .null)])
            })),
        ])
    }
}
