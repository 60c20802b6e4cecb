/// Why the demo corpus could not be made; the one error type of the Demo module.
public enum DemoError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The arguments cannot make a corpus (e.g. no traces).
    case invalidArgument(String)
    /// The file could not be written; `reason` is the system's word for it.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidArgument(let message):
            return message
        case .cannotWrite(let path, let reason):
            return "cannot write the demo corpus to \(path): \(reason)"
        }
    }
}
