import Foundation
import Store

/// The sessions of a workspace: `sessions/NAME.md` (DESIGN.md, "Files of a workspace").
public struct SessionFiles: Sendable {
    public var directory: String

    public init(directory: String = "sessions") {
        self.directory = directory
    }

    /// A session name is a file name without folders: letters, digits, `-`, `_`, `.`.
    public static func validate(_ name: String) throws {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        guard !name.isEmpty, !name.hasPrefix("."), name.unicodeScalars.allSatisfy(allowed.contains) else {
            throw NotebookError("`\(name)` is not a session name: use letters, digits, `-`, `_` and `.`")
        }
    }

    public func path(of name: String) -> String {
        (directory as NSString).appendingPathComponent(name.hasSuffix(".md") ? name : name + ".md")
    }

    /// Writes the session atomically: a temporary file in the same folder, flushed to disk, then
    /// renamed over the old one — a crash leaves the old file or the new one, never half of one.
    public func save(_ session: Session, as name: String) throws -> String {
        try Self.validate(name.hasSuffix(".md") ? String(name.dropLast(3)) : name)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let target = path(of: name)
        try Self.writeAtomically(Data(SessionFormat.write(session).utf8), to: target)
        return target
    }

    public func open(_ name: String) throws -> Session {
        let file = path(of: name)
        guard let data = FileManager.default.contents(atPath: file) else {
            let known = (try? list().map(\.name)) ?? []
            let hint = Suggest.closest(to: name, in: known).map { "; did you mean `\($0)`?" } ?? ""
            throw NotebookError("no session `\(name)` (\(file))\(hint)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw SessionFileError(path: file, line: nil, message: "not UTF-8 text") }
        return try SessionFormat.read(text, path: file)
    }

    /// Every session file, by name, with its title and size; unreadable ones say why.
    public func list() throws -> [(name: String, title: String?, updated: String?, cells: Int, pins: Int, problem: String?)] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") }.sorted().map { file in
            let name = String(file.dropLast(3))
            do {
                let s = try open(name)
                return (name, s.title, s.updated, s.cells.count, s.pins.count, nil)
            } catch {
                return (name, nil, nil, 0, 0, "\(error)")
            }
        }
    }

    static func writeAtomically(_ data: Data, to path: String) throws {
        let folder = PathText.folder(of: path)
        let temporary = (folder.isEmpty ? "." : folder) + "/.\(PathText.name(of: path)).\(getpid()).tmp"
        let fd = Foundation.open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw NotebookError("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        var ok = data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(temporary)
            throw NotebookError("cannot write \(path): \(why)")
        }
        // The rename itself is durable once the folder is.
        let dir = Foundation.open(folder.isEmpty ? "." : folder, O_RDONLY)
        if dir >= 0 { fsync(dir); close(dir) }
    }
}
