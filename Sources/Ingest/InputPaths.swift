import Foundation
import Store

/// Expands what `load` was given (a file, a folder or a glob) into files, in a stable order.
enum InputPaths {
    static let extensions = [".json", ".jsonl", ".ndjson", ".json.gz", ".jsonl.gz", ".ndjson.gz", ".gz"]

    static func expand(_ pattern: String) throws -> [String] {
        let path = (pattern as NSString).expandingTildeInPath
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { return [path] }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            let files = names.filter { name in extensions.contains { name.hasSuffix($0) } }.sorted()
            guard !files.isEmpty else {
                throw IngestError(path: pattern, message: "is a directory with no .json, .jsonl or .gz files")
            }
            return files.map { (path as NSString).appendingPathComponent($0) }
        }
        if path.contains("*") || path.contains("?") || path.contains("[") {
            var g = glob_t()
            defer { globfree(&g) }
            guard glob(path, 0, nil, &g) == 0 else {
                throw IngestError(path: pattern, message: "no files match")
            }
            var files: [String] = []
            for i in 0..<Int(g.gl_pathc) {
                if let p = g.gl_pathv[i] { files.append(String(cString: p)) }
            }
            let regular = files.filter { (try? FileManager.default.attributesOfItem(atPath: $0)[.type] as? FileAttributeType) == .typeRegular }
            guard !regular.isEmpty else { throw IngestError(path: pattern, message: "no files match") }
            return regular.sorted()
        }
        throw IngestError(path: pattern, message: "no such file")
    }

    /// `X.logs.jsonl` (or `.logs.json`, `.gz`) beside a trace file `X.json` / `X.jsonl`.
    static func companionLogs(of path: String) -> String? {
        let name = PathText.name(of: path)
        if name.contains(".logs.") { return nil }
        var stem = name
        for ext in [".json.gz", ".jsonl.gz", ".json", ".jsonl"] where stem.hasSuffix(ext) {
            stem = String(stem.dropLast(ext.count))
            break
        }
        guard stem != name else { return nil }
        let folder = PathText.folder(of: path)
        for ext in [".logs.jsonl", ".logs.json", ".logs.jsonl.gz", ".logs.json.gz"] {
            let candidate = (folder as NSString).appendingPathComponent(stem + ext)
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        return nil
    }
}
