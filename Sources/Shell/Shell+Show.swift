import Store

extension Shell {
    /// `show TRACE_ID [attributes]`.
    func show(_ args: [String]) throws -> CommandResult {
        throw ShellError("`show` is not built yet", usage: CommandTable.find("show")?.usage)
    }
}
