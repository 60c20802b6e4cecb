import Foundation
import Ingest
import Investigate
import Store

// How `sample` reads on a terminal, in Markdown and in JSON (docs/review.md).

extension ReviewSample: ResultDocument {
    public func text(_ style: TextStyle) -> String { render(style, markdown: false) }
    public func markdown() -> String { render(TextStyle(), markdown: true) }

    /// The line under the title: the options that made this draw.
    private var settings: String {
        var parts = dimension.map { ["by \($0)"] } ?? []
        parts.append(rotationDays == 0 ? "no rotation" : "rotation \(rotationDays) days")
        parts.append("seed \(seed)")
        return parts.joined(separator: ", ")
    }

    private func render(_ style: TextStyle, markdown: Bool) -> String {
        func table(_ t: ReportTable) -> String { markdown ? t.markdown() : t.text(style) }
        let title = "sample \(sampleId): \(Figures.count(traces.count)) traces (\(settings))"
        var out = markdown ? "## \(title)\n\n" : style.paint(title, "1") + "\n"
        if let condition { out += "where \(condition)\n" }
        let available = matching - rotatedOut
        out += "\(Figures.count(matching)) traces match; \(Figures.count(rotatedOut)) drawn within the rotation are left out; "
            + "\(Figures.count(available)) to draw from\n"
        if traces.count < asked {
            out += style.paint("note: \(Figures.count(asked)) asked, only \(Figures.count(available)) available: all of them are drawn", "33") + "\n"
        }
        if dimension != nil {
            var strata = ReportTable(["stratum", "available", "drawn"], numeric: [1, 2])
            for s in self.strata { strata.add([s.value ?? "(none)", Figures.count(s.available), Figures.count(s.drawn)]) }
            out += "\n" + table(strata)
        }
        // The stratum column only when there are strata.
        var list = ReportTable((dimension == nil ? [] : ["stratum"]) + ["trace_id", "ts", "intent", "input"])
        for t in traces {
            let row = [t.traceId, String(t.ts.prefix(19)), t.intent ?? "", Self.oneLine(t.input ?? "", limit: 60)]
            list.add(dimension == nil ? row : [t.stratum ?? "(none)"] + row)
        }
        out += "\n" + table(list)
        out += "Score with `score TRACE_ID CRITERION=VALUE …`; the sample is `samples | where sample_id == \"\(sampleId)\"`.\n"
        return out
    }

    /// The input on one line, cut to `limit` characters.
    static func oneLine(_ text: String, limit: Int) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ⏎ ")
        return flat.count > limit ? String(flat.prefix(limit - 1)) + "…" : flat
    }

    public func json() -> JSON {
        func text(_ s: String?) -> JSON { s.map(JSON.string) ?? .null }
        return .object([
            ("command", .string("sample")), ("sample_id", .string(sampleId)), ("drawn_at", .string(drawnAt)),
            ("asked", .integer(Int64(asked))), ("where", text(condition)), ("by", text(dimension)),
            ("rotation_days", .integer(Int64(rotationDays))), ("seed", .integer(seed)),
            ("matching", .integer(Int64(matching))), ("rotated_out", .integer(Int64(rotatedOut))),
            ("strata", .array(strata.map { .object([("stratum", text($0.value)), ("available", .integer(Int64($0.available))),
                                                    ("drawn", .integer(Int64($0.drawn)))]) })),
            ("traces", .array(traces.map { .object([("trace_id", .string($0.traceId)), ("stratum", text($0.stratum)), ("ts", .string($0.ts)),
                                                    ("intent", text($0.intent)), ("input", text($0.input))]) })),
        ])
    }
}
