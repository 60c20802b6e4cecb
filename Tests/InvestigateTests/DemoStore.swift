import Demo
import Foundation
import Ingest
import Query
import Store

/// The demo corpus (2,000 traces, seeded) in a real store, built once per test process.
enum DemoStore {
    static let path: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relops-investigate-\(getpid())-\(UUID().uuidString.prefix(8))")
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let corpus = dir.appendingPathComponent("demo.jsonl").path
            _ = try DemoCorpus.write(to: corpus, traces: 2000, seed: 2026)
            let config = try WorkspaceConfig.parse(DemoCorpus.workspaceConfig)
            let store = dir.appendingPathComponent("demo.db").path
            _ = try Loader(database: try Database(path: store), config: config).load(corpus)
            return store
        } catch {
            fatalError("cannot build the investigate test store: \(error)")
        }
    }()

    static func open() throws -> (Database, QueryEngine) {
        let db = try Database(path: path, readOnly: true)
        return (db, QueryEngine(database: db, library: SavedQueryLibrary(directories: [])))
    }
}
