import Store

extension Shell {
    /// `replay TRACE_ID [across DIM]`, `replay TRACE_ID using RUNNER …`, `replay where … using RUNNER …`.
    func replay(_ args: [String], line: String, location: String?) throws -> CommandResult {
        throw ShellError("`replay` is not built yet", usage: CommandTable.find("replay")?.usage)
    }

    /// `diff DIM A B [where EXPR]`.
    func diff(_ args: [String], line: String, location: String?) throws -> CommandResult {
        throw ShellError("`diff` is not built yet", usage: CommandTable.find("diff")?.usage)
    }
}
