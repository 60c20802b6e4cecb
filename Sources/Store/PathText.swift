/// A path's folder and last component, split at its last `/` — what `NSString`'s
/// `deletingLastPathComponent` and `lastPathComponent` give, without their trap on a
/// one-character path in swift-corelibs-foundation (`relops --db x` crashed in it).
public enum PathText {
    /// `a/b/c` → `a/b`; `c` → ``; `/c` → `/`; a trailing `/` is ignored (`a/b/` → `a`).
    public static func folder(of path: String) -> String {
        let trimmed = trimmingTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    /// `a/b/c` → `c`; `c` → `c`; `a/b/` → `b`; `/` → `/`.
    public static func name(of path: String) -> String {
        let trimmed = trimmingTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return trimmed }
        let name = String(trimmed[trimmed.index(after: slash)...])
        return name.isEmpty ? "/" : name
    }

    /// `folder` and `name` joined with one `/` (just `name` when `folder` is empty).
    public static func join(_ folder: String, _ name: String) -> String {
        folder.isEmpty ? name : folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    static func trimmingTrailingSlashes(_ path: String) -> String {
        var s = Substring(path)
        while s.count > 1, s.hasSuffix("/") { s = s.dropLast() }
        return String(s)
    }
}
