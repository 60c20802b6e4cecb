/// A user error in a command line: unknown command, bad arguments. Rendered as one line with a
/// `Usage:` hint where one helps.
public struct ShellError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var usage: String?

    public init(_ message: String, usage: String? = nil) {
        self.message = message
        self.usage = usage
    }

    public var description: String {
        usage.map { "\(message)\nUsage: \($0)" } ?? message
    }
}
