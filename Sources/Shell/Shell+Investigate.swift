import Foundation
import Investigate
import Query
import Store

extension Shell {
    /// `explain SIGNAL between SLICE and SLICE`.
    func explain(_ args: [String], line: String, location: String?) throws -> CommandResult {
        let spec = CommandTable.find("explain")?.usage
        let (words, rest) = try Words.split(line, until: "between")
        guard words.count == 2, let rest, !rest.text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ShellError("wrong arguments for `explain`", usage: spec)
        }
        guard let signal = Signal.named(words[1]) else {
            let names = Signal.all.map(\.name)
            let hint = Suggest.closest(to: words[1], in: names).map { "; did you mean `\($0)`?" } ?? ""
            throw ShellError("unknown signal `\(words[1])`\(hint) (signals: \(names.joined(separator: ", ")))", usage: spec)
        }
        let slices = try SlicePairSpec.read(QuerySource(location: location, text: rest.text), database: database)
        return .document(try Explanation.compute(database: database, queries: queries, signal: signal, slices: slices))
    }
}
