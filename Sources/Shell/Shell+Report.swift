import Foundation
import Ingest
import Notebook
import Query
import Store

extension Shell {
    /// The option words after `report weekly|monthly`.
    static let reportOptions = ["ending", "thresholds", "to"]

    /// `report weekly|monthly [ending DATE] [thresholds FILE] [to PATH] [where EXPR]`: the
    /// stability memo (docs/reports.md). `to PATH` writes it to a file — JSON when PATH ends in
    /// `.json`, else Markdown — and says so; without it the memo is the command's result.
    /// `where EXPR` (last, as in `changes`) narrows the traces the signals are read over.
    func report(line: String, location: String?) throws -> CommandResult {
        let spec = CommandTable.find("report")?.usage
        let (words, expression) = try Words.split(line, until: "where")
        let args = Array(words.dropFirst())
        if let expression, expression.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ShellError("`where` needs an expression", usage: spec)
        }
        guard let first = args.first else { throw ShellError("`report` needs `weekly` or `monthly`", usage: spec) }
        guard let kind = ReportPeriod.Kind(rawValue: first.lowercased()) else {
            let names = ReportPeriod.Kind.allCases.map(\.rawValue)
            let hint = Suggest.closest(to: first.lowercased(), in: names).map { " (did you mean `\($0)`?)" } ?? ""
            throw ShellError("unknown report `\(first)`\(hint); expected `weekly` or `monthly`", usage: spec)
        }
        var lastDay: Int64?, thresholds: String?, path: String?
        for (option, values) in try Words.options(Array(args.dropFirst()), allowed: Self.reportOptions, oneValue: true, usage: spec) {
            guard let value = values.first, !value.isEmpty else {
                let what = ["ending": "a day, such as 2026-11-30", "thresholds": "a gates.yaml file", "to": "a file path"][option] ?? "a value"
                throw ShellError("`\(option)` needs \(what)", usage: spec)
            }
            switch option {
            case "ending":
                guard let day = ReportPeriod.day(of: value) else {
                    throw ShellError("`ending` expects a day such as 2026-11-30, not `\(value)`", usage: spec)
                }
                lastDay = day
            case "thresholds": thresholds = value
            default: path = value
            }
        }
        let report = try PeriodReport.make(database: database, queries: queries, kind: kind, lastDay: lastDay,
                                           gates: try gateConfig(thresholds), driftSignals: try defaultDriftSignals(),
                                           driftThresholds: config.driftThresholds,
                                           scope: expression.map { QuerySource(location: location, text: $0) }, sessions: notebook.files,
                                           casesDirectory: notebook.casesDirectory)
        guard let path else { return .document(report) }
        let text = path.lowercased().hasSuffix(".json") ? report.json().serialized + "\n" : report.markdown()
        try CaseFiles.save(text, to: path)
        return .message("wrote the \(kind.rawValue) report for \(report.period.label) to \(path)")
    }
}
