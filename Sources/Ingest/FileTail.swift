import Foundation
import Store

/// A trace file that grows while it is followed (`triggers watch`): where the last load
/// stopped, so each round loads only the complete lines appended since.
///
/// The loader identifies a load by the SHA-256 of its bytes, so re-loading a grown file would
/// be a new load of every span in it; instead the appended lines are copied to a temporary file
/// and loaded as their own load, recorded under the followed file's path. A line still being
/// written (no newline yet) waits for the next round. A file that shrank was truncated or
/// rotated: it is followed again from its start (spans already stored are not duplicated).
public struct FileTail: Sendable {
    public let path: String
    /// Bytes of the file loaded (or found already loaded) so far: always at a line's end.
    public private(set) var offset: Int64 = 0
    /// Lines before `offset`, so that an error in appended lines names the file's line.
    public private(set) var lines: Int64 = 0

    /// What one round loaded.
    public struct Round: Sendable {
        /// The bytes `(from, to]` read this round; equal when nothing new was complete.
        public var from: Int64
        public var to: Int64
        /// nil when nothing was appended.
        public var report: LoadReport?
        /// The file shrank and was read again from its start.
        public var restarted: Bool
    }

    public init(path: String) throws(IngestError) {
        guard !path.hasSuffix(".gz") else {
            throw IngestError(path: path, message: "cannot follow a .gz file: a compressed file cannot be read while it grows")
        }
        self.path = path
    }

    /// Loads the complete lines appended since the last round.
    public mutating func poll(_ loader: Loader, options: LoadOptions) throws -> Round {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw IngestError(path: path, message: "cannot open the file")
        }
        defer { try? handle.close() }
        let size = Int64((try? handle.seekToEnd()) ?? 0)
        var restarted = false
        if size < offset {
            offset = 0
            lines = 0
            restarted = true
        }
        let from = offset
        guard size > from else { return Round(from: from, to: from, report: nil, restarted: restarted) }
        try handle.seek(toOffset: UInt64(from))
        let data = try handle.read(upToCount: Int(size - from)) ?? Data()
        guard let lastNewline = data.lastIndex(of: UInt8(ascii: "\n")) else {
            return Round(from: from, to: from, report: nil, restarted: restarted)
        }
        let complete = data[data.startIndex...lastNewline]
        let newLines = Int64(complete.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) })
        let to = from + Int64(complete.count)
        // Whitespace only: nothing to load, but the bytes are consumed.
        guard complete.contains(where: { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: " ") }) else {
            offset = to
            lines += newLines
            return Round(from: from, to: to, report: nil, restarted: restarted)
        }
        var options = options
        let report: LoadReport
        if from == 0 && to == size {
            // The whole file: loaded as itself, so a file loaded before by `load` is found by its digest.
            report = try loader.loadFile(path, options: options)
        } else {
            let copy = FileManager.default.temporaryDirectory
                .appendingPathComponent("relops-tail-\(getpid())-\(UUID().uuidString)" + Self.suffix(path)).path
            guard FileManager.default.createFile(atPath: copy, contents: Data(complete)) else {
                throw IngestError(path: copy, message: "cannot write a temporary copy of the appended lines")
            }
            defer { try? FileManager.default.removeItem(atPath: copy) }
            options.recordedPath = path
            options.lineOffset = lines
            report = try loader.loadFile(copy, options: options)
        }
        offset = to
        lines += newLines
        var recorded = report
        recorded.path = path
        return Round(from: from, to: to, report: recorded, restarted: restarted)
    }

    /// The file's extension for the copy (`.jsonl`, `.json`), which format detection does not
    /// need but a person looking at a leftover copy does.
    static func suffix(_ path: String) -> String {
        let name = PathText.name(of: path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return ".jsonl" }
        return String(name[dot...])
    }
}
