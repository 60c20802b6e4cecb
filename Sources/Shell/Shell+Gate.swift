import Foundation
import Ingest
import Investigate
import Notebook
import Query
import Replay
import Store

extension Shell {
    /// The option words after `gate CANDIDATE against BASELINE`.
    static let gateOptions = ["cases", "thresholds", "triggers", "to", "using"]

    /// `gate CANDIDATE against BASELINE [cases FILE …] [thresholds FILE] [triggers FILE] [to PATH] [using RUNNER]`: slices as
    /// `drift` takes them (bare version values or `where` expressions); the thresholds are
    /// gates.yaml in the current folder when there is one, else the built-in ones. `to PATH`
    /// writes the Markdown report and its SVG chart beside it, and prints the verdict. `using
    /// RUNNER` first replays the must-pass inputs the candidate has no answer to.
    func gate(line: String, location: String?) throws -> CommandResult {
        let spec = CommandTable.find("gate")?.usage
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        let afterName = String(trimmed.dropFirst(4))
        let optionsStart = Self.gateOptions.compactMap { Words.keyword($0, in: afterName) }.min()
        let slicesText = String(afterName[..<(optionsStart ?? afterName.endIndex)])
        guard !slicesText.trimmingCharacters(in: .whitespaces).isEmpty else { throw ShellError("`gate` needs a candidate and a baseline", usage: spec) }
        let options = try optionsStart.map { try Words.split(String(afterName[$0...])) } ?? []
        let (casePaths, thresholdsPath, triggersPath, reportPath, runnerName) = try Self.gateOptionWords(options, usage: spec)
        let (candidateText, baselineText) = try SlicePair.split(QuerySource(location: location, text: slicesText), at: "against")
        let candidate = try SlicePairSpec.resolve(candidateText, database: database)
        let baseline = try SlicePairSpec.resolve(baselineText, database: database)
        let config = try gateConfig(thresholdsPath)
        var seen = Set<String>()
        let files = try (casePaths + config.cases).filter { seen.insert($0).inserted }
            .map { try CaseFiles.open($0, directory: notebook.casesDirectory) }
        var replayed: Gate.Risk?
        if let runnerName {
            guard !files.isEmpty else { throw ShellError("`using` replays must-pass cases: give them with `cases FILE …` (or `cases:` in gates.yaml)", usage: spec) }
            replayed = try replayMissingCases(files, candidate: candidate, baseline: baseline, runner: runnerName, line: line)
        }
        var gate = try Gate.run(database: database, queries: queries, candidate: candidate, baseline: baseline,
                                config: config, caseFiles: files)
        if let replayed { gate.risks.append(replayed) }
        if let triggersPath {
            try CaseFiles.save(gate.triggersYAML(), to: triggersPath)
            gate.triggersFile = triggersPath
        }
        guard let reportPath else { return .document(gate) }
        return .document(try GateReportFiles.write(gate, to: reportPath))
    }

    /// `cases FILE …` (each at most once as a keyword, any number of files), `thresholds FILE`,
    /// `triggers FILE` (where to write the rollback triggers as triggers.yaml rules), `to PATH`
    /// (the Markdown report) and `using RUNNER`.
    static func gateOptionWords(_ words: [String], usage spec: String?) throws
        -> (cases: [String], thresholds: String?, triggers: String?, to: String?, using: String?) {
        var cases: [String] = [], thresholds: String?, triggers: String?, to: String?, using: String?
        for (option, values) in try Words.options(words, allowed: gateOptions, oneValue: false, usage: spec) {
            if option == "cases" {
                guard !values.isEmpty else { throw ShellError("`cases` needs one or more case files", usage: spec) }
                cases = values
            } else if option == "using" {
                guard values.count == 1, !values[0].isEmpty else { throw ShellError("`using` needs one runner's name (relops.yaml `runners`)", usage: spec) }
                using = values[0]
            } else if option == "to" {
                guard values.count == 1, !values[0].isEmpty else { throw ShellError("`to` needs one report file, such as gate.md", usage: spec) }
                to = values[0]
            } else if option == "thresholds" {
                guard values.count == 1 else { throw ShellError("`thresholds` needs one gates.yaml file", usage: spec) }
                thresholds = values[0]
            } else {
                guard values.count == 1 else { throw ShellError("`triggers` needs one file to write the rollback triggers to", usage: spec) }
                triggers = values[0]
            }
        }
        return (cases, thresholds, triggers, to, using)
    }

    /// `using RUNNER`: replays the must-pass inputs without an answer in the candidate, under
    /// the candidate's versions, and says what it did as a note of the report.
    func replayMissingCases(_ files: [(path: String, file: CaseFile)], candidate: QuerySource, baseline: QuerySource,
                            runner name: String, line: String) throws -> Gate.Risk {
        let runner = try RunnerFactory.make(named: name, in: config)
        let plan = try GateReplay.plan(database: database, queries: queries, candidate: candidate, baseline: baseline,
                                       caseFiles: files, runnerModel: config.runners[name]?.model)
        var message: String
        if plan.targets.isEmpty {
            message = "every must-pass input has an answer in the candidate: nothing replayed through \(name)"
        } else {
            let report = try runReplay(plan.targets, runner: runner, settings: plan.settings, line: line)
            let versions = plan.settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            message = "\(report.requested) must-pass input\(report.requested == 1 ? "" : "s") had no answer in the candidate: replayed through "
                + "\(name) with \(versions) (replay run \(report.runId)): \(report.succeeded) answered, \(report.failed) failed"
            if report.interrupted { message += ", interrupted" }
        }
        if !plan.unreplayable.isEmpty {
            message += "; no stored trace to replay for \(plan.unreplayable.joined(separator: ", "))"
        }
        return Gate.Risk(level: .note, message: message)
    }

    /// The gate's thresholds: the file named, else ./gates.yaml when it exists, else the built-in
    /// gate (docs/release-gates.md).
    func gateConfig(_ path: String?) throws -> GateConfig {
        let known = Signal.all + scoreSignals
        if let path {
            guard FileManager.default.fileExists(atPath: path) else { throw ShellError("no thresholds file `\(path)`") }
            return try GateConfig.load(path: path, signals: known)
        }
        guard FileManager.default.fileExists(atPath: GateConfig.defaultPath) else { return GateConfig() }
        return try GateConfig.load(path: GateConfig.defaultPath, signals: known)
    }
}
