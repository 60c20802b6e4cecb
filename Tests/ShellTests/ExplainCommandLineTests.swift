import Foundation
import Testing

/// `explain` and `changes` through the real binary on the demo store: text, JSON, errors.
@Suite struct ExplainCommandLineTests {
    @Test func explainsInTextAndJSON() throws {
        let db = ReplayCommandLineTests.db
        let command = #"explain refused between (intent == "refund" and ts < "2026-11-20") and (intent == "refund" and ts >= "2026-11-22")"#
        let text = try RelopsBinary.run(["--db", db, "-c", command])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("explain refused\nbaseline: "))
        #expect(text.stdout.contains("\nLikely causes: what changed"))
        #expect(text.stdout.contains("baseline share of traces"), "side-by-side bars of the first cause's mix")
        #expect(text.stdout.contains("\nMix: share of traces per value"))
        let json = try RelopsBinary.run(["--db", db, "--format", "json", "-c", command])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(doc["command"] as? String == "explain" && doc["measure"] as? String == "rate")
        let causes = try #require(doc["root_causes"] as? [[String: Any]])
        #expect(causes.first?["role"] as? String == "change")
        #expect(causes.first?["spans_slices"] is Bool && causes.first?["aliases"] is [[String: Any]])
        #expect((doc["adtributor_ranking"] as? [[String: Any]])?.isEmpty == false)
        let evidence = try #require(causes.first?["evidence"] as? [String: Any])
        let ids = try #require(evidence["trace_ids"] as? [String])
        #expect(!ids.isEmpty)
        let check = try RelopsBinary.run(["--db", db, "--format", "csv", "-c", "traces | where trace_id == \"\(ids[0])\" | select refused, intent"])
        #expect(check.stdout.contains("1,refund"), "\(check.stdout)")
        #expect((doc["mix"] as? [[String: Any]])?.isEmpty == false)
    }

    @Test func errorsExitWithStatusTwo() throws {
        let db = ReplayCommandLineTests.db
        let unknown = try RelopsBinary.run(["--db", db, "-c", "explain refusd between v1 and v2"])
        #expect(unknown.status == 2 && unknown.stderr.contains("did you mean `refused`?"), "\(unknown.stderr)")
        let label = try RelopsBinary.run(["--db", db, "-c", "explain finish_reason between v1 and v2"])
        #expect(label.status == 2 && label.stderr.contains("is a label"), "\(label.stderr)")
        let ambiguous = try RelopsBinary.run(["--db", db, "-c", #"explain refused between a == 1 and b == 2 and c == 3"#])
        #expect(ambiguous.status == 2 && ambiguous.stderr.contains("parentheses"), "\(ambiguous.stderr)")
        let missing = try RelopsBinary.run(["--db", db, "-c", "explain refused"])
        #expect(missing.status == 2 && missing.stderr.contains("Usage: explain SIGNAL between"), "\(missing.stderr)")
    }

    @Test func changesInTextAndJSON() throws {
        let db = ReplayCommandLineTests.db
        let command = #"changes refused every 6h where intent == "refund""#
        let text = try RelopsBinary.run(["--db", db, "-c", command])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("changes refused\nrate per 6h bucket where intent == \"refund\"\n"), "\(text.stdout)")
        #expect(text.stdout.contains("▲"))
        #expect(text.stdout.contains("PELT, L2 cost, penalty "))
        let json = try RelopsBinary.run(["--db", db, "--format", "json", "-c", command])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(doc["command"] as? String == "changes" && doc["bucket_ms"] as? Double == 21_600_000)
        let series = try #require((doc["series"] as? [[String: Any]])?.first)
        #expect(((series["changes"] as? [[String: Any]])?.count ?? 0) >= 1)
        #expect(((series["buckets"] as? [[String: Any]])?.count ?? 0) > 20)
        let bad = try RelopsBinary.run(["--db", db, "-c", "changes refused every 5x"])
        #expect(bad.status == 2 && bad.stderr.contains("takes a duration"), "\(bad.stderr)")
    }

    @Test func driftInTextAndJSON() throws {
        let db = ReplayCommandLineTests.db
        let text = try RelopsBinary.run(["--db", db, "-c", "drift between v1 and v2"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("drift\nbaseline: prompt_version == \"v1\""), "\(text.stdout)")
        #expect(text.stdout.contains("DRIFT"))
        let json = try RelopsBinary.run(["--db", db, "--format", "json", "-c", "drift refused, latency_ms between v1 and v2"])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let signals = try #require(doc["signals"] as? [[String: Any]])
        #expect(Set(signals.compactMap { $0["signal"] as? String }) == ["refused", "latency_ms"])
        let refused = try #require(signals.first { $0["signal"] as? String == "refused" })
        #expect(refused["drift"] as? Bool == true && refused["method"] as? String == "z")
        let bad = try RelopsBinary.run(["--db", db, "-c", "drift refusd between v1 and v2"])
        #expect(bad.status == 2 && bad.stderr.contains("did you mean `refused`?"), "\(bad.stderr)")
    }
}
