import Foundation

/// Named queries: `queries/NAME.rq` files, run by name with `NAME(param = value, …)`. A file
/// opens with `#` comment lines saying what it answers, then `param NAME [= DEFAULT]` lines,
/// then the pipeline, which refers to its parameters as `$NAME`.
public struct SavedQueryLibrary: Sendable {
    /// Folders searched in order; the first file with the name wins.
    public var directories: [String]

    public init(directories: [String]) {
        self.directories = directories
    }

    public struct Entry: Sendable, Equatable {
        public var name: String
        public var path: String
        /// The first comment line, without `#`: what the query answers.
        public var description: String
        public var parameters: [String]
    }

    struct Loaded {
        var source: QuerySource
        var query: Query
    }

    func path(of name: String) -> String? {
        guard !name.isEmpty, !name.contains("/") else { return nil }
        for directory in directories {
            let path = (directory as NSString).appendingPathComponent(name + ".rq")
            if FileManager.default.isReadableFile(atPath: path) { return path }
        }
        return nil
    }

    /// The saved query with this name, parsed; nil if there is none. A file that cannot be read
    /// or parsed is an error, reported at `range` of the text that named it or in the file.
    func find(_ name: String, from source: QuerySource, range: Range<Int>) throws(QueryError) -> Loaded? {
        guard let path = path(of: name) else { return nil }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw QueryError(source, range, "cannot read \(path)")
        }
        let file = QuerySource(name: path, text: text)
        return Loaded(source: file, query: try Parser.parse(file))
    }

    public func names() throws -> [String] {
        try entries().map(\.name)
    }

    /// Every saved query, first folder first, with its description and parameters.
    public func entries() throws -> [Entry] {
        var seen = Set<String>()
        var out: [Entry] = []
        for directory in directories {
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: directory) else { continue }
            for file in files.sorted() where file.hasSuffix(".rq") {
                let name = String(file.dropLast(3))
                guard seen.insert(name).inserted else { continue }
                let path = (directory as NSString).appendingPathComponent(file)
                let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                let comment = lines.prefix { $0.hasPrefix("#") }
                    .map { $0.dropFirst().trimmingCharacters(in: .whitespaces) }
                let parameters = lines.compactMap { line -> String? in
                    let words = line.split(separator: " ", omittingEmptySubsequences: true)
                    guard words.count >= 2, words[0] == "param" else { return nil }
                    return String(words[1])
                }
                out.append(Entry(name: name, path: path, description: comment.first ?? "", parameters: parameters))
            }
        }
        return out
    }
}
