import Analysis
import Foundation
import Investigate
import Query
import Store
import Testing

/// A writable copy of the demo store for tests that record samples and scores.
enum ReviewStore {
    static func copy(_ name: String = #function) throws -> (Database, QueryEngine) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relops-review-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("review.db").path
        let (source, _) = try DemoStore.open()
        try source.run("VACUUM INTO ?", [.text(path)])
        let db = try Database(path: path)
        return (db, QueryEngine(database: db, library: SavedQueryLibrary(directories: [])))
    }
}

/// `sample`: stratified allocation against plain SQL counts, rotation, seeds, `where`, and errors.
@Suite struct ReviewSampleTests {
    static let monday = Date(timeIntervalSince1970: 1_795_392_000) // 2026-11-23T00:00:00Z

    func draw(_ db: Database, _ engine: QueryEngine, _ n: Int, where condition: String? = nil, by dimension: String? = nil,
              rotation: Int = 28, seed: Int64? = 1, now: Date = monday) throws -> ReviewSample {
        try ReviewSample.draw(database: db, queries: engine, request: ReviewSample.Request(
            count: n, condition: condition.map { QuerySource(text: $0) }, dimension: dimension, rotationDays: rotation, seed: seed, now: now))
    }

    @Test func stratifiesByTheDimensionsCounts() throws {
        let (db, engine) = try ReviewStore.copy()
        let sample = try draw(db, engine, 30, by: "intent")
        let counts = try db.query("SELECT intent, count(*) FROM traces GROUP BY intent ORDER BY intent").rows
        #expect(sample.strata.map(\.value) == counts.map { $0[0].stringValue })
        #expect(sample.strata.map(\.available) == counts.map { Int($0[1].int64Value ?? 0) })
        let expected = Sampling.allocate(30, sizes: sample.strata.map(\.available))
        #expect(sample.strata.map(\.drawn) == expected && expected.allSatisfy { $0 >= 1 })
        #expect(sample.traces.count == 30 && Set(sample.traces.map(\.traceId)).count == 30)
        // Each trace is in the stratum it is listed under, and the sample is recorded as drawn.
        for t in sample.traces {
            #expect(try db.scalar("SELECT intent FROM traces WHERE trace_id = ?", [.text(t.traceId)]).stringValue == t.stratum)
        }
        let stored = try db.query("SELECT trace_id, stratum, seed, rotation_days, drawn_at FROM review_samples WHERE sample_id = ? ORDER BY trace_id",
                                  [.text(sample.sampleId)]).rows
        #expect(stored.map { $0[0].stringValue ?? "" } == sample.traces.map(\.traceId).sorted())
        #expect(stored.allSatisfy { $0[2] == .integer(1) && $0[3] == .integer(28) && $0[4] == .text("2026-11-23T00:00:00.000000Z") })
        #expect(sample.sampleId == "20261123-1")
        // Recording a sample leaves the version catalog current.
        _ = try db.dimensionValues()
        _ = try draw(db, engine, 5, seed: 2)
        #expect(try db.scalar("SELECT value FROM settings WHERE key = 'dimension_values'") == .text("current"))
    }

    @Test func aTraceIsNotDrawnAgainWithinTheRotation() throws {
        let (db, engine) = try ReviewStore.copy()
        let condition = #"intent == "refund""#
        let first = try draw(db, engine, 100, where: condition, seed: 5)
        let second = try draw(db, engine, 100, where: condition, seed: 5, now: Self.monday.addingTimeInterval(7 * 86_400))
        #expect(Set(first.traces.map(\.traceId)).isDisjoint(with: second.traces.map(\.traceId)))
        #expect(second.rotatedOut == 100 && second.traces.count == 100 && second.sampleId == "20261130-1")
        // 29 days after the first draw and 22 after the second: only the second's traces stay out.
        let later = try draw(db, engine, 1000, where: condition, seed: 5, now: Self.monday.addingTimeInterval(29 * 86_400))
        #expect(later.rotatedOut == 100 && Set(later.traces.map(\.traceId)).isSuperset(of: first.traces.map(\.traceId)))
        // Once every draw is older than the rotation (drawn_at moved back), the first draw comes back whole.
        try db.run("UPDATE review_samples SET drawn_at = '2026-01-01T00:00:00.000000Z'")
        let again = try draw(db, engine, 100, where: condition, seed: 5)
        #expect(again.rotatedOut == 0 && again.traces.map(\.traceId) == first.traces.map(\.traceId))
        // `rotation 0` ignores earlier draws.
        let unrotated = try draw(db, engine, 100, where: condition, rotation: 0, seed: 5)
        #expect(unrotated.traces.map(\.traceId) == first.traces.map(\.traceId))
    }

    @Test func theSeedDeterminesTheDraw() throws {
        let (a, engineA) = try ReviewStore.copy("a")
        let (b, engineB) = try ReviewStore.copy("b")
        let one = try draw(a, engineA, 25, by: "model", seed: 42)
        #expect(try draw(b, engineB, 25, by: "model", seed: 42).traces == one.traces)
        let (c, engineC) = try ReviewStore.copy("c")
        #expect(try draw(c, engineC, 25, by: "model", seed: 43).traces != one.traces)
        // Without a seed, the day's: the same day draws the same traces.
        let (d, engineD) = try ReviewStore.copy("d")
        let (e, engineE) = try ReviewStore.copy("e")
        let today = try draw(d, engineD, 10, seed: nil)
        #expect(today.seed == 20_261_123)
        #expect(try draw(e, engineE, 10, seed: nil, now: Self.monday.addingTimeInterval(3600)).traces == today.traces)
    }

    @Test func whereFiltersAndASmallPoolIsDrawnWhole() throws {
        let (db, engine) = try ReviewStore.copy()
        let condition = #"intent == "refund" and refused and prompt_version == "v1""#
        let pool = try db.scalar("SELECT count(*) FROM traces WHERE intent = 'refund' AND refused = 1 AND prompt_version = 'v1'").int64Value ?? 0
        #expect(pool > 0 && pool < 50)
        let sample = try draw(db, engine, 50, where: condition, by: "model")
        #expect(sample.traces.count == Int(pool) && sample.asked == 50 && sample.matching == Int(pool))
        for t in sample.traces {
            #expect(try db.scalar("SELECT intent = 'refund' AND refused = 1 AND prompt_version = 'v1' FROM traces WHERE trace_id = ?",
                                  [.text(t.traceId)]) == .integer(1))
        }
        // Now all are in the rotation: nothing to draw, and the error says why.
        #expect { try draw(db, engine, 5, where: condition) } throws: { "\($0)".contains("were drawn within the rotation (28 days)") }
    }

    @Test func badRequestsAreErrors() throws {
        let (db, engine) = try ReviewStore.copy()
        #expect { try draw(db, engine, 5, by: "intnt") } throws: { "\($0)" == "`intnt` is not a text field of traces; did you mean `intent`?" }
        #expect { try draw(db, engine, 0) } throws: { "\($0)".contains("at least one trace") }
        #expect { try draw(db, engine, 5, where: #"intent == "nothing""#) } throws: { "\($0)".contains("no trace matches") }
        #expect(throws: QueryError.self) { try draw(db, engine, 5, where: "intnt == 1") }
        #expect(try db.scalar("SELECT count(*) FROM review_samples") == .integer(0))
    }
}
