import Demo
import Foundation
import Ingest
import Store

/// `relops demo`: a workspace folder with a realistic trace file holding a known incident,
/// its `relops.yaml`, and a store loaded from them (reused when it is already there).
enum DemoWorkspace {
    struct Prepared {
        var storePath: String
        var tour: String
    }

    /// The folder: `$RELOPS_DEMO_DIR`, else `relops-demo` in the current folder.
    static var folder: String {
        let env = Environment.value("RELOPS_DEMO_DIR") ?? ""
        return env.isEmpty ? "relops-demo" : env
    }

    static func prepare(storePath: String?, progress: (@Sendable (LoadProgress) -> Void)?) throws -> Prepared {
        let dir = folder
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let store = storePath ?? (dir as NSString).appendingPathComponent("demo.db")
        let configPath = (dir as NSString).appendingPathComponent("relops.yaml")
        let tracesPath = (dir as NSString).appendingPathComponent("demo-traces.jsonl")
        if !FileManager.default.fileExists(atPath: configPath) {
            try DemoCorpus.workspaceConfig.write(toFile: configPath, atomically: true, encoding: .utf8)
        }
        let database = try Database(path: store)
        let traces = try database.scalar("SELECT count(*) FROM traces").int64Value ?? 0
        if traces == 0 {
            FileHandle.standardError.write(Data("building the demo store in \(dir)/ …\n".utf8))
            _ = try DemoCorpus.write(to: tracesPath)
            let config = try WorkspaceConfig.load(path: configPath)
            _ = try Loader(database: database, config: config).load(tracesPath, options: LoadOptions(progress: progress))
        }
        // The shell reads the workspace's relops.yaml from beside the store.
        if storePath == nil {
            setenv("RELOPS_CONFIG", configPath, 0)
        }
        return Prepared(storePath: store, tour: DemoCorpus.tour)
    }
}
