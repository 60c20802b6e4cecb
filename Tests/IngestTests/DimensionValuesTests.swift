import Foundation
import Ingest
import Store
import Testing

/// The catalog of version values (`dimension_values`): equal to a GROUP BY over `traces` after
/// every write relops makes, rebuilt once and then read, and computed without writing by a
/// read-only reader.
@Suite struct DimensionValuesTests {
    /// The catalog as plain SQL computes it, in the catalog's order.
    static func fromSQL(_ db: Database) throws -> [Database.DimensionValue] {
        try Database.versionDimensions.flatMap { d in
            try db.query("""
                SELECT "\(d)", count(*), min(start_ns), max(start_ns) FROM traces WHERE "\(d)" IS NOT NULL
                GROUP BY 1 ORDER BY min(start_ns), CAST("\(d)" AS BLOB)
                """).rows.map {
                Database.DimensionValue(dimension: d, value: $0[0].stringValue ?? "", traces: $0[1].int64Value ?? 0,
                                        firstNs: $0[2].int64Value ?? 0, lastNs: $0[3].int64Value ?? 0)
            }
        }
    }

    static func isCurrent(_ db: Database) throws -> Bool {
        try db.scalar("SELECT value FROM settings WHERE key = 'dimension_values'") == .text("current")
    }

    @Test func followsEveryLoadAndRederivation() throws {
        let dir = TestSupport.temporaryDirectory()
        let path = dir.appendingPathComponent("store.db").path
        let db = try Database(path: path)
        let config = try TestSupport.benchWorkspace()
        let first = try TestSupport.benchCorpus(traces: 300, seed: 3, days: 4)
        _ = try Loader(database: db, config: config).load(first.native.path)
        #expect(try !Self.isCurrent(db), "a load marks the catalog stale")
        #expect(try db.catalogTraceCount() == nil, "no count while the catalog is stale")
        let built = try db.dimensionValues()
        #expect(try db.catalogTraceCount() == db.scalar("SELECT count(*) FROM traces").int64Value)
        #expect(!built.isEmpty)
        #expect(built == (try Self.fromSQL(db)))
        #expect(try Self.isCurrent(db), "the first reader stores it")
        #expect(try db.scalar("SELECT count(*) FROM dimension_values").int64Value == Int64(built.count))
        #expect(try db.dimensionValues() == built, "read back as built")

        // A second load with later traces (another seed, a later start) changes traffic and last-seen.
        let second = try TestSupport.benchCorpus(traces: 200, seed: 4, days: 2)
        _ = try Loader(database: db, config: config).load(second.native.path)
        #expect(try !Self.isCurrent(db))
        #expect(try db.catalogTraceCount() == nil)
        let after = try db.dimensionValues()
        #expect(after == (try Self.fromSQL(db)))
        #expect(try db.catalogTraceCount() == db.scalar("SELECT count(*) FROM traces").int64Value)
        #expect(after != built)

        // A rederivation under other mappings rewrites every trace row.
        var unmapped = config
        unmapped.mappings["prompt_version"] = []
        _ = try Loader(database: db, config: unmapped).rederive()
        #expect(try !Self.isCurrent(db))
        #expect(try db.dimensionValues() == (try Self.fromSQL(db)))
    }

    @Test func aReadOnlyReaderComputesWithoutWriting() throws {
        let dir = TestSupport.temporaryDirectory()
        let path = dir.appendingPathComponent("store.db").path
        do {
            let db = try Database(path: path)
            let corpus = try TestSupport.benchCorpus(traces: 200, seed: 5, days: 3)
            _ = try Loader(database: db, config: try TestSupport.benchWorkspace()).load(corpus.native.path)
        }
        let reader = try Database(path: path, readOnly: true)
        #expect(try reader.dimensionValues() == (try Self.fromSQL(reader)))
        #expect(try !Self.isCurrent(reader))
        #expect(try reader.scalar("SELECT count(*) FROM dimension_values").int64Value == 0)
    }
}
