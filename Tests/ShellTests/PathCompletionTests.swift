import Foundation
@testable import Shell
import Testing

/// Path completion (`load`, `.read`, `cases export … to`): folders and names split at the last
/// `/`, one-character words included (Foundation's path functions trap on them on Linux).
@Suite struct PathCompletionTests {
    @Test func completesNamesInTheTypedFolder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relops-paths-\(getpid())-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("x-folder"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data().write(to: dir.appendingPathComponent("x.jsonl"))
        try Data().write(to: dir.appendingPathComponent(".hidden"))
        #expect(Completer.paths(matching: dir.path + "/x") == [dir.path + "/x-folder/", dir.path + "/x.jsonl"])
        #expect(Completer.paths(matching: dir.path + "/") == [dir.path + "/x-folder/", dir.path + "/x.jsonl"])
        #expect(Completer.paths(matching: dir.path + "/.h") == [dir.path + "/.hidden"])
        for word in ["x", "", "/", "\"", "-", ".", "/nonexistent-folder/x"] { _ = Completer.paths(matching: word) }
        #expect(Completer.splitAtLastSlash("a/b/c") == ("a/b/", "c") && Completer.splitAtLastSlash("c") == ("", "c"))
    }
}
