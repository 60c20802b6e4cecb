#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// One environment variable, read with `getenv`. `ProcessInfo.processInfo.environment` copies
/// the whole environment into a dictionary on first use (~0.3 ms, a twentieth of relops's
/// start-up), for the three or four variables the shell reads as it starts.
public enum Environment {
    public static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The named variables that are set, as a dictionary (for code that takes one).
    public static func values(_ names: [String]) -> [String: String] {
        var found: [String: String] = [:]
        for name in names { found[name] = value(name) }
        return found
    }
}
