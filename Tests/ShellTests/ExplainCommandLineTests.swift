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

    @Test func explainsWithAskedDimensions() throws {
        let db = ReplayCommandLineTests.db
        let json = try RelopsBinary.run(["--db", db, "--format", "json", "-c", #"explain tool_error between v1 and v2 with attr."gen_ai.tool.name", user_id"#])
        #expect(json.status == 0, "\(json.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let names = (doc["dimensions"] as? [[String: Any]])?.compactMap { $0["dimension"] as? String } ?? []
        #expect(names.contains(#"attr."gen_ai.tool.name""#) && names.contains("user_id"), "\(names)")
        let bad = try RelopsBinary.run(["--db", db, "-c", "explain tool_error between v1 and v2 with usr_id"])
        #expect(bad.status == 2 && bad.stderr.contains("did you mean `user_id`?"), "\(bad.stderr)")
        let caret = try RelopsBinary.run(["--db", db, "-c", "explain tool_error between v1 and v2 with user_id model"])
        #expect(caret.status == 2 && caret.stderr.contains("^"), "\(caret.stderr)")
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

    @Test func driftByADimensionInTextAndJSON() throws {
        let db = ReplayCommandLineTests.db
        let command = #"drift refused, latency_ms between v1 and v2 by intent"#
        let text = try RelopsBinary.run(["--db", db, "-c", command])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("drift by intent\nbaseline: prompt_version == \"v1\""), "\(text.stdout)")
        // The new prompt's refusals on refunds are the top row.
        let firstRow = text.stdout.split(separator: "\n").first { $0.hasPrefix("refund ") || $0.hasPrefix("order_status ") }
        #expect(firstRow?.hasPrefix("refund ") == true && firstRow?.contains("refused") == true && firstRow?.hasSuffix("DRIFT") == true,
                "\(text.stdout)")
        #expect(text.stdout.contains("Sorted by q (Benjamini–Hochberg over 18 tests); drift: q < 0.05."))
        let json = try RelopsBinary.run(["--db", db, "--format", "json", "-c", command])
        let doc = try ReplayCommandLineTests.json(json.stdout)
        #expect(doc["command"] as? String == "drift" && doc["by"] as? String == "intent")
        let groups = try #require(doc["groups"] as? [[String: Any]])
        #expect(groups.count == 18)
        let refund = try #require(groups.first { $0["value"] as? String == "refund" && $0["signal"] as? String == "refused" })
        #expect(refund["drift"] as? Bool == true && refund["test"] as? String == "z")
        let check = try RelopsBinary.run(["--db", db, "--format", "csv", "-c",
                                          #"traces | where intent == "refund" and prompt_version == "v2" | stats count(), avg(refused)"#])
        let fields = check.stdout.split(whereSeparator: \.isNewline).last?.split(separator: ",").map(String.init) ?? []
        #expect(refund["n_current"] as? Int == Int(fields.first ?? ""), "\(check.stdout)")
        #expect(abs((refund["current"] as? Double ?? -1) - (Double(fields.last ?? "") ?? 0)) < 1e-9)
        #expect((doc["thresholds"] as? [String: Any])?["fdr"] as? Double == 0.05)
        let markdown = try RelopsBinary.run(["--db", db, "--format", "markdown", "-c", command])
        #expect(markdown.stdout.hasPrefix("## drift by intent\n") && markdown.stdout.contains("| intent | signal | n baseline |"),
                "\(markdown.stdout)")
        // `by` inside a string belongs to the slice.
        let quoted = try RelopsBinary.run(["--db", db, "-c", #"drift refused between intent == "by" and v2"#])
        #expect(quoted.status == 2 && quoted.stderr.contains("the baseline holds 0 traces"), "\(quoted.stderr)")
    }

    @Test func driftByErrorsExitWithStatusTwo() throws {
        let db = ReplayCommandLineTests.db
        let unknown = try RelopsBinary.run(["--db", db, "-c", "drift refused between v1 and v2 by intnet"])
        #expect(unknown.status == 2 && unknown.stderr.contains("`intnet` is not a text field of traces; did you mean `intent`?"), "\(unknown.stderr)")
        let missing = try RelopsBinary.run(["--db", db, "-c", "drift refused between v1 and v2 by"])
        #expect(missing.status == 2 && missing.stderr.contains("`by` needs a dimension"), "\(missing.stderr)")
        let extra = try RelopsBinary.run(["--db", db, "-c", "drift refused between v1 and v2 by intent model"])
        #expect(extra.status == 2 && extra.stderr.contains("expected the end after `by intent`"), "\(extra.stderr)")
    }

    /// relops.yaml's `thresholds.drift` changes the verdicts: judged by PSI ≥ 0.3, the refusal
    /// jump (PSI 0.05) is no longer drift while output tokens (PSI 0.58) still are.
    /// `thresholds.explain.set: 0.999`: no candidate set explains that much, so no cause; the
    /// thresholds used are in the JSON.
    @Test func explainThresholdsComeFromTheWorkspaceFile() throws {
        let db = ReplayCommandLineTests.db
        let config = RelopsBinary.temporaryDirectory().appendingPathComponent("relops.yaml")
        let command = #"explain refused between (intent == "refund" and ts < "2026-11-20") and (intent == "refund" and ts >= "2026-11-22")"#
        let before = try ReplayCommandLineTests.json(try RelopsBinary.run(["--db", db, "--format", "json", "-c", command]).stdout)
        #expect((before["root_causes"] as? [[String: Any]])?.isEmpty == false)
        try "thresholds:\n  explain:\n    element: 0.5\n    set: 2\n".write(to: config, atomically: true, encoding: .utf8)
        let bad = try RelopsBinary.run(["--db", db, "-c", command], environment: ["RELOPS_CONFIG": config.path])
        #expect(bad.status == 2 && bad.stderr.contains("relops.yaml:4: `thresholds.explain.set`"), "\(bad.stderr)")
        try "thresholds:\n  explain:\n    element: 0.5\n    set: 0.999\n".write(to: config, atomically: true, encoding: .utf8)
        let run = try RelopsBinary.run(["--db", db, "--format", "json", "-c", command], environment: ["RELOPS_CONFIG": config.path])
        #expect(run.status == 0, "\(run.stderr)")
        let after = try ReplayCommandLineTests.json(run.stdout)
        let thresholds = after["thresholds"] as? [String: Any]
        #expect(thresholds?["element"] as? Double == 0.5 && thresholds?["set"] as? Double == 0.999)
        let explained = (after["root_causes"] as? [[String: Any]])?.map { $0["explanatory_power"] as? Double ?? 0 } ?? []
        #expect(explained.allSatisfy { $0 > 0.999 }, "\(explained)")
    }

    @Test func driftThresholdsComeFromTheWorkspaceFile() throws {
        let db = ReplayCommandLineTests.db
        let dir = RelopsBinary.temporaryDirectory()
        let config = dir.appendingPathComponent("relops.yaml")
        let command = "drift refused, output_tokens between v1 and v2"
        func signals(_ run: RelopsBinary.Run) throws -> [String: [String: Any]] {
            let list = try #require(try ReplayCommandLineTests.json(run.stdout)["signals"] as? [[String: Any]])
            return Dictionary(uniqueKeysWithValues: list.map { ($0["signal"] as? String ?? "", $0) })
        }
        let before = try signals(try RelopsBinary.run(["--db", db, "--format", "json", "-c", command]))
        #expect(before["refused"]?["drift"] as? Bool == true && before["refused"]?["method"] as? String == "z")
        try "thresholds:\n  drift:\n    method: psi\n    psi: 0.3\n".write(to: config, atomically: true, encoding: .utf8)
        let run = try RelopsBinary.run(["--db", db, "--format", "json", "-c", command], environment: ["RELOPS_CONFIG": config.path])
        #expect(run.status == 0, "\(run.stderr)")
        let after = try signals(run)
        #expect(after["refused"]?["drift"] as? Bool == false && after["refused"]?["method"] as? String == "psi")
        #expect(after["refused"]?["threshold"] as? Double == 0.3)
        #expect(after["output_tokens"]?["drift"] as? Bool == true)
        let thresholds = try ReplayCommandLineTests.json(run.stdout)["thresholds"] as? [String: Any]
        #expect(thresholds?["method"] as? String == "psi" && thresholds?["psi"] as? Double == 0.3)
        let text = try RelopsBinary.run(["--db", db, "-c", command], environment: ["RELOPS_CONFIG": config.path])
        #expect(text.stdout.contains("Thresholds from relops.yaml: psi 0.3, method psi."), "\(text.stdout)")

        try "thresholds:\n  drift:\n    p_value: 2\n".write(to: config, atomically: true, encoding: .utf8)
        let bad = try RelopsBinary.run(["--db", db, "-c", command], environment: ["RELOPS_CONFIG": config.path])
        #expect(bad.status == 2 && bad.stderr.contains("relops.yaml:3: `thresholds.drift.p_value` expects a number between 0 and 1"),
                "\(bad.stderr)")
    }
}
