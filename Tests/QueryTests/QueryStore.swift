import Demo
import Foundation
import Ingest
import Query
import Store

/// A small real store shared by the query tests: 1,500 traces of the demo corpus (seeded, so
/// every run holds the same rows), loaded through the real loader with the demo's mappings.
enum QueryStore {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let testsDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    /// Built once per test process; each test opens its own connection.
    static let path: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relops-query-tests-\(getpid())-\(UUID().uuidString.prefix(8))")
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let corpus = dir.appendingPathComponent("demo.jsonl").path
            _ = try DemoCorpus.write(to: corpus, traces: 1500, seed: 2026)
            let configPath = dir.appendingPathComponent("relops.yaml").path
            try Data(DemoCorpus.workspaceConfig.utf8).write(to: URL(fileURLWithPath: configPath))
            let store = dir.appendingPathComponent("query.db").path
            let database = try Database(path: store)
            _ = try Loader(database: database, config: try WorkspaceConfig.load(path: configPath)).load(corpus)
            return store
        } catch {
            fatalError("cannot build the query test store: \(error)")
        }
    }()

    static func open() throws -> Database {
        try Database(path: path, readOnly: true)
    }

    static func engine(library: [String] = []) throws -> QueryEngine {
        QueryEngine(database: try open(), library: SavedQueryLibrary(directories: library))
    }

    /// Rows as tab-separated text, the way golden files hold them.
    static func text(_ rows: Rows, limit: Int = 40) -> String {
        var out = rows.columns.joined(separator: "\t") + "\n"
        for row in rows.rows.prefix(limit) {
            out += row.map(cell).joined(separator: "\t") + "\n"
        }
        if rows.rows.count > limit { out += "… \(rows.rows.count - limit) more\n" }
        return out
    }

    static func cell(_ value: SQLValue) -> String {
        switch value {
        case .null: return "NULL"
        case .integer(let i): return String(i)
        case .real(let d):
            // Fixed precision keeps golden files stable across platforms' last-digit formatting.
            return String(format: "%.10g", d)
        case .text(let s): return s.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t")
        case .blob(let b): return "<\(b.count) bytes>"
        }
    }

    static func literal(_ value: SQLValue) -> String {
        switch value {
        case .text(let s): return "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
        default: return cell(value)
        }
    }

    /// Golden files are re-recorded with `RELOPS_RECORD=1 swift test --filter QueryTests`.
    static var recording: Bool { ProcessInfo.processInfo.environment["RELOPS_RECORD"] == "1" }
}
