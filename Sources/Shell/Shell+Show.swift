import Replay
import Store

extension Shell {
    /// `show TRACE_ID [attributes]`: the trace a trace id (or a unique prefix of one) names, as a
    /// tree with a waterfall; `attributes` adds every span's original attributes.
    func show(_ args: [String]) throws -> CommandResult {
        let usage = CommandTable.find("show")?.usage
        guard let id = args.first else { throw ShellError("`show` needs a trace id (or its first characters)", usage: usage) }
        var attributes = false
        for option in args.dropFirst() {
            switch option.lowercased() {
            case "attributes": attributes = true
            default: throw ShellError("unexpected `\(option)`", usage: usage)
            }
        }
        var tree = try TraceTree.load(database: database, idPrefix: id)
        tree.showsAttributes = attributes
        return .document(tree)
    }
}
