import Foundation
import Ingest
import Store

/// The autosave of the interactive shell's session: each change (a cell, a note, a pin …) is
/// the whole session written again to `sessions/.autosave/ID.md` — the session format itself,
/// atomically — so a crash or a closed terminal loses nothing. `session save` or a clean exit
/// with nothing unsaved removes it; the next interactive start offers what is left.
public struct Journal: Sendable {
    public var path: String

    public init(files: SessionFiles, id: String = "\(getpid())-\(Int(Date().timeIntervalSince1970))") {
        path = PathText.join(Self.folder(files), id + ".md")
    }

    static func folder(_ files: SessionFiles) -> String { PathText.join(files.directory, ".autosave") }

    public func record(_ session: Session) {
        try? FileManager.default.createDirectory(atPath: PathText.folder(of: path), withIntermediateDirectories: true)
        try? SessionFiles.writeAtomically(Data(SessionFormat.write(session).utf8), to: path)
    }

    public func discard() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Autosaves left by sessions that ended without saving, newest first.
    public static func leftovers(files: SessionFiles) -> [(path: String, session: Session)] {
        let folder = Self.folder(files)
        // Checked first: a missing folder (the usual case) costs Foundation an error object
        // with a localized message, a tenth of the shell's start-up.
        guard access(folder, F_OK) == 0 else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") }.compactMap { name in
            let path = PathText.join(folder, name)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8), let session = try? SessionFormat.read(text, path: path),
                  !session.isEmpty else { return nil }
            return (path, session)
        }.sorted { $0.session.updated > $1.session.updated }
    }
}
