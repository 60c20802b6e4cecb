import Foundation
import Store
import Testing

/// `gate` through the real binary on the demo store, whose prompt v2 makes refund questions
/// refused: v2 against v1 holds on refusals and on the three must-pass cases that fail under
/// v2; a slice against itself, or generous thresholds, ship; a tiny slice is insufficient
/// evidence (HOLD, or a SHIP with a warning when gates.yaml says `insufficient: warn`). The
/// deltas are checked against SQL run here on the same store.
@Suite(.serialized) struct GateCommandLineTests {
    static var db: String { ReplayCommandLineTests.db }
    static var cases: String { RelopsBinary.packageRoot.appendingPathComponent("cases/demo-refund-refusals.yaml").path }

    /// A folder of its own (no gates.yaml unless the test writes one), removed by the caller.
    static func folder(gates: String? = nil) throws -> URL {
        let dir = RelopsBinary.temporaryDirectory("gate")
        if let gates { try gates.write(to: dir.appendingPathComponent("gates.yaml"), atomically: true, encoding: .utf8) }
        return dir
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func signal(_ doc: [String: Any], _ name: String) throws -> [String: Any] {
        try #require((doc["signals"] as? [[String: Any]])?.first { $0["signal"] as? String == name })
    }

    /// One row of plain SQL on the demo store.
    static func sql(_ query: String) throws -> [SQLValue] {
        let database = try Database(path: db)
        return try #require(try database.query(query).rows.first)
    }

    /// Decreases limit signals where higher is better: v2 costs 5.6% less per trace on the demo,
    /// so a 2% limit on the decrease holds, a 10% one ships, and the trigger fires below.
    @Test func decreasesAreLimitedToo() throws {
        let mean = try Self.sql("SELECT avg(cost_usd) FILTER (WHERE prompt_version = 'v1'), avg(cost_usd) FILTER (WHERE prompt_version = 'v2') FROM traces")
        let (a, b) = (try #require(mean[0].doubleValue), try #require(mean[1].doubleValue))
        #expect(b < a * 0.98 && b > a * 0.90, "the demo's v2 is between 2% and 10% cheaper: \(a) → \(b)")
        let strict = try Self.folder(gates: "version: 1\nsignals:\n  cost_usd: {statistic: mean, max_relative_decrease: 0.02}\n")
        defer { try? FileManager.default.removeItem(at: strict) }
        let held = try RelopsBinary.run(["--db", Self.db, "--format", "json", "-c", "gate v2 against v1"], directory: strict)
        #expect(held.status == 1, "\(held.stderr)")
        let doc = try Self.json(held.stdout)
        let cost = try Self.signal(doc, "cost_usd")
        #expect(cost["status"] as? String == "fail" && (cost["exceeded"] as? [String]) == ["max_relative_decrease"])
        let trigger = try #require((doc["rollout"] as? [String: Any])?["triggers"] as? [[String: Any]]).first
        #expect(trigger?["below"] as? Bool == true && abs((trigger?["limit"] as? Double ?? 0) - a * 0.98) < 1e-9 * a)
        let loose = try Self.folder(gates: "version: 1\nsignals:\n  cost_usd: {statistic: mean, max_relative_decrease: 0.10}\n")
        defer { try? FileManager.default.removeItem(at: loose) }
        let shipped = try RelopsBinary.run(["--db", Self.db, "-c", "gate v2 against v1"], directory: loose)
        #expect(shipped.status == 0 && shipped.stdout.hasPrefix("gate: SHIP"), "\(shipped.stdout)")
        #expect(shipped.stdout.contains("≥ -10.0% rel."), "\(shipped.stdout)")
    }

    @Test func v2AgainstV1HoldsOnRefusalsAndTheFailingCases() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try RelopsBinary.run(["--db", Self.db, "-c", "gate v2 against v1 cases \(Self.cases)"], directory: dir)
        #expect(run.status == 1, "HOLD exits with 1: \(run.stderr)")
        #expect(run.stdout.hasPrefix("gate: HOLD\nHOLD: "), "\(run.stdout)")
        #expect(run.stdout.contains("candidate: prompt_version == \"v2\" (2,229 traces)\nbaseline: prompt_version == \"v1\" (1,771 traces)\n"))
        #expect(run.stdout.contains("- HOLD: refused rate went from 1.0% to 4.3% (+3.2 pt, +319.3%), above max_increase +1 pt\n"), "\(run.stdout)")
        let lines = run.stdout.split(separator: "\n")
        for id in ["case-e35b6778f30f", "case-d047886a1a0e", "case-012050acef0b"] {
            #expect(lines.contains { $0.contains("- HOLD: must-pass case \(id)") && $0.hasSuffix("fails on the candidate") }, "\(id)")
            #expect(lines.contains { $0.contains(id) && $0.contains("│ fail ") && $0.contains("not refused: fail, saw refused") }, "\(id)")
        }
        #expect(lines.contains { $0.hasPrefix("refused ") && $0.hasSuffix("fail (max_increase)") })
        #expect(run.stdout.contains("Roll back when:\n- refused rate above 2.0% (baseline 1.0% + 1 pt) over 1h with ≥ 200 traces\n"))

        let json = try RelopsBinary.run(["--db", Self.db, "--format", "json", "-c", "gate v2 against v1 cases \(Self.cases)"], directory: dir)
        #expect(json.status == 1)
        let doc = try Self.json(json.stdout)
        #expect(doc["verdict"] as? String == "HOLD" && doc["command"] as? String == "gate")
        let cases = try #require(doc["cases"] as? [[String: Any]])
        #expect(cases.count == 3 && cases.allSatisfy { $0["status"] as? String == "fail" && $0["trace_id"] is String })
        let risks = try #require(doc["risks"] as? [[String: Any]])
        #expect(risks.filter { $0["level"] as? String == "hold" }.count == 5, "3 cases, refused and safety_flagged: \(risks)")
        let rollout = try #require(doc["rollout"] as? [String: Any])
        #expect(rollout["canary_steps"] as? [Double] == [5, 25, 100] && rollout["window"] as? String == "1h")
        #expect((rollout["triggers"] as? [[String: Any]])?.map { $0["signal"] as? String } == ["refused", "latency_ms", "cost_usd", "tool_error", "safety_flagged"])
    }

    /// Rates and means from the gate's one scan agree with SQL's own counts and averages.
    @Test func deltasAgreeWithSQL() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let doc = try Self.json(try RelopsBinary.run(["--db", Self.db, "--format", "json", "-c", "gate v2 against v1"], directory: dir).stdout)
        for (name, expression) in [("refused", "refused"), ("tool_error", "(tool_errors > 0)"), ("safety_flagged", "safety_flagged")] {
            let row = try Self.sql("""
                SELECT avg(CASE WHEN prompt_version = 'v1' THEN \(expression) END), avg(CASE WHEN prompt_version = 'v2' THEN \(expression) END),
                       count(CASE WHEN prompt_version = 'v1' THEN \(expression) END), count(CASE WHEN prompt_version = 'v2' THEN \(expression) END)
                FROM traces
                """)
            let s = try Self.signal(doc, name)
            let (b, c) = (try #require(row[0].doubleValue), try #require(row[1].doubleValue))
            #expect(abs((s["baseline"] as? Double ?? .nan) - b) < 1e-12 && abs((s["candidate"] as? Double ?? .nan) - c) < 1e-12, "\(name)")
            #expect(abs((s["delta"] as? Double ?? .nan) - (c - b)) < 1e-12, "\(name)")
            #expect(s["baseline_n"] as? Double == row[2].doubleValue && s["candidate_n"] as? Double == row[3].doubleValue, "\(name)")
            let interval = try #require(s["interval"] as? [Double])
            #expect(interval[0] < c - b && c - b < interval[1], "\(name)")
        }
        let row = try Self.sql("SELECT avg(CASE WHEN prompt_version = 'v1' THEN cost_usd END), avg(CASE WHEN prompt_version = 'v2' THEN cost_usd END) FROM traces")
        let cost = try Self.signal(doc, "cost_usd")
        let (b, c) = (try #require(row[0].doubleValue), try #require(row[1].doubleValue))
        #expect(abs((cost["baseline"] as? Double ?? .nan) - b) < 1e-12 && abs((cost["candidate"] as? Double ?? .nan) - c) < 1e-12)
        #expect(abs((cost["relative"] as? Double ?? .nan) - (c - b) / b) < 1e-9)
        #expect(cost["method"] as? String == "Welch t" && cost["status"] as? String == "pass", "cost went down: \(cost)")
        let refused = try Self.signal(doc, "refused")
        #expect(refused["status"] as? String == "fail" && refused["exceeded"] as? [String] == ["max_increase"])
        #expect((refused["p_value"] as? Double ?? 1) < 1e-6)
        let latency = try Self.signal(doc, "latency_ms")
        #expect(latency["statistic"] as? String == "p95" && (latency["method"] as? String ?? "").hasPrefix("bootstrap"))
    }

    @Test func aSliceAgainstItselfAndGenerousThresholdsShip() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let same = try RelopsBinary.run(["--db", Self.db, "-c", "gate v1 against prompt_version == \"v1\""], directory: dir)
        #expect(same.status == 0, "\(same.stderr)")
        #expect(same.stdout.hasPrefix("gate: SHIP\nSHIP: every threshold passes"), "\(same.stdout)")

        // gates.yaml in the current folder is read without `thresholds`.
        let generous = try Self.folder(gates: """
            version: 1
            signals:
              refused: {max_increase: 0.10}
              latency_ms: {statistic: p99, max_relative_increase: 1}
            """)
        defer { try? FileManager.default.removeItem(at: generous) }
        let ship = try RelopsBinary.run(["--db", Self.db, "--format", "markdown", "-c", "gate v2 against v1"], directory: generous)
        #expect(ship.status == 0, "\(ship.stderr)")
        #expect(ship.stdout.hasPrefix("## Release gate: SHIP\n\n**SHIP**"), "\(ship.stdout)")
        #expect(ship.stdout.contains("thresholds: gates.yaml;"))
        #expect(ship.stdout.contains("| refused | rate | 1.0% | 4.3% | +3.2 pt |"), "\(ship.stdout)")
        #expect(ship.stdout.contains("### Rollout plan\n\nCanary 5% → 25% → 100% of traffic"))
        #expect(ship.stdout.contains("- refused rate above 11.0% (baseline 1.0% + 10 pt) over 1h with ≥ 200 traces"), "\(ship.stdout)")
        #expect(!ship.stdout.contains("cost_usd"), "gates.yaml's signals replace the built-in ones")
    }

    @Test func aTinySliceIsInsufficientEvidence() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let id = try #require(try Self.sql("SELECT trace_id FROM traces WHERE prompt_version = 'v2' ORDER BY trace_id LIMIT 1")[0].stringValue)
        let hold = try RelopsBinary.run(["--db", Self.db, "-c", "gate trace_id == \"\(id)\" against v1"], directory: dir)
        #expect(hold.status == 1, "\(hold.stderr)")
        #expect(hold.stdout.contains("- HOLD: insufficient evidence for refused: 1771 baseline and 1 candidate values, 200 needed on each side"), "\(hold.stdout)")
        #expect(hold.stdout.split(separator: "\n").contains { $0.hasPrefix("refused ") && $0.hasSuffix("insufficient") })

        try "version: 1\ninsufficient: warn\nmin_samples: 5\nsignals:\n  refused: {max_increase: 1}\n  latency_ms: {statistic: p95, max_relative_increase: 100, min_samples: 1}\n"
            .write(to: dir.appendingPathComponent("lenient.yaml"), atomically: true, encoding: .utf8)
        let warn = try RelopsBinary.run(["--db", Self.db, "--format", "json", "-c", "gate trace_id == \"\(id)\" against v1 thresholds lenient.yaml"], directory: dir)
        #expect(warn.status == 0, "WARN ships: \(warn.stderr)")
        let doc = try Self.json(warn.stdout)
        #expect(doc["verdict"] as? String == "SHIP" && doc["thresholds"] as? String == "lenient.yaml")
        #expect(try Self.signal(doc, "refused")["status"] as? String == "insufficient")
        #expect(try Self.signal(doc, "latency_ms")["status"] as? String == "pass", "its own min_samples: 1")
        let risks = try #require(doc["risks"] as? [[String: Any]])
        #expect(risks.contains { $0["level"] as? String == "warn" && ($0["message"] as? String ?? "").hasPrefix("insufficient evidence for refused: 1771 baseline and 1 candidate values, 5 needed") }, "\(risks)")
    }

    /// gates.yaml's `cases` are checked too; under v1 one case passes and two have no trace of
    /// their input: warnings by default, a HOLD with `missing: hold`.
    @Test func missingCasesWarnOrHoldAsConfigured() throws {
        let dir = try Self.folder(gates: "version: 1\ncases: [\"\(Self.cases)\"]\n")
        defer { try? FileManager.default.removeItem(at: dir) }
        let warn = try RelopsBinary.run(["--db", Self.db, "--format", "json", "-c", "gate v1 against v1"], directory: dir)
        #expect(warn.status == 0, "\(warn.stderr)")
        let doc = try Self.json(warn.stdout)
        #expect(doc["verdict"] as? String == "SHIP")
        let statuses = try #require(doc["cases"] as? [[String: Any]]).compactMap { $0["status"] as? String }
        #expect(statuses.sorted() == ["missing", "missing", "pass"], "\(statuses)")
        let risks = try #require(doc["risks"] as? [[String: Any]])
        #expect(risks.filter { $0["level"] as? String == "warn" && ($0["message"] as? String ?? "").hasSuffix("has no trace of its input in the candidate") }.count == 2)

        try "version: 1\nmissing: hold\ncases: [\"\(Self.cases)\"]\n".write(to: dir.appendingPathComponent("strict.yaml"), atomically: true, encoding: .utf8)
        let hold = try RelopsBinary.run(["--db", Self.db, "-c", "gate v1 against v1 cases \(Self.cases) thresholds strict.yaml"], directory: dir)
        #expect(hold.status == 1, "\(hold.stderr)")
        #expect(hold.stdout.hasPrefix("gate: HOLD\nHOLD: 2 reasons"), "the file named twice is checked once: \(hold.stdout)")
    }

    @Test func mistakesExitWithStatus2() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "version: 1\nsignals:\n  refusd: {max_increase: 0.01}\n".write(to: dir.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        for (command, message) in [
            ("gate v2 against v1 thresholds bad.yaml", "bad.yaml:3: unknown signal `refusd` in `signals` (did you mean `refused`?)"),
            ("gate v2 against v1 thresholds none.yaml", "no thresholds file `none.yaml`"),
            ("gate v2 against v1 cases", "`cases` needs one or more case files"),
            ("gate v2 against v1 thresholds a.yaml b.yaml", "`thresholds` needs one gates.yaml file"),
            ("gate v2 against v1 cases x.yaml cases y.yaml", "`cases` is given twice"),
            ("gate v2 against v1 cases nowhere.yaml", "no case file `nowhere.yaml`"),
            ("gate v0-none against v1", "`v0-none` is not a value of any version dimension"),
            ("gate v2", "expected `against` and a second slice"),
            ("gate v2", "e.g. prompt_version == \"v2\" against prompt_version == \"v1\""),
            ("gate", "`gate` needs a candidate and a baseline"),
            ("gate v2 against v1 triggers", "`triggers` needs one file to write the rollback triggers to"),
        ] {
            let run = try RelopsBinary.run(["--db", Self.db, "-c", command], directory: dir)
            #expect(run.status == 2, "\(command): \(run.stdout)")
            #expect(run.stderr.contains(message), "\(command): \(run.stderr)")
        }
    }

    /// `triggers FILE` writes the rollout plan's rollback triggers as triggers.yaml rules that
    /// `triggers check` reads: the same signals, limits, windows and minimums as the report's.
    @Test func rollbackTriggersAreWrittenAsRules() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try RelopsBinary.run(["--db", Self.db, "--format", "json", "-c", "gate v2 against v1 triggers plan/rollback.yaml"], directory: dir)
        #expect(run.status == 1, "\(run.stderr)")
        let rollout = try #require(try Self.json(run.stdout)["rollout"] as? [String: Any])
        #expect(rollout["triggers_file"] as? String == "plan/rollback.yaml")
        let planned = try #require(rollout["triggers"] as? [[String: Any]])
        #expect(!planned.isEmpty)
        let text = try String(contentsOf: dir.appendingPathComponent("plan/rollback.yaml"), encoding: .utf8)
        #expect(text.contains("\nrules:\n  refused:\n    signal: refused\n    statistic: rate\n    above: "), "\(text)")

        let check = try RelopsBinary.run(["--db", Self.db, "--format", "json", "-c", "triggers check plan/rollback.yaml"], directory: dir)
        #expect(check.status == 0 || check.status == 1, "\(check.stderr)")
        let rules = try #require(try Self.json(check.stdout)["triggers"] as? [[String: Any]])
        #expect(rules.count == planned.count)
        for (rule, trigger) in zip(rules, planned) {
            #expect(rule["signal"] as? String == trigger["signal"] as? String && rule["statistic"] as? String == trigger["statistic"] as? String)
            #expect(rule["window"] as? String == trigger["window"] as? String && rule["min_samples"] as? Int == trigger["min_samples"] as? Int)
            let thresholds = try #require(rule["thresholds"] as? [String: Any])
            let limit = try #require(trigger["limit"] as? Double)
            #expect((thresholds[trigger["below"] as? Bool == true ? "below" : "above"] as? Double) == limit, "\(rule)")
        }
    }
}
