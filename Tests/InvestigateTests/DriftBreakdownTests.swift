import Analysis
import Foundation
@testable import Investigate
import Query
import Store
import Testing

/// `drift … by DIM` on the demo store: per value, the counts and rates are those of plain SQL;
/// the p-values and Benjamini–Hochberg q-values are scipy's and statsmodels' on the same counts;
/// values in one slice only are counted, not tested.
@Suite struct DriftBreakdownTests {
    func breakdown(_ signals: [String], _ slices: String, by dimension: String,
                   thresholds: DriftThresholds = DriftThresholds()) throws -> DriftBreakdown {
        let (db, engine) = try DemoStore.open()
        return try DriftBreakdown.compute(database: db, queries: engine, signals: signals.compactMap(Signal.named),
                                          slices: try SlicePairSpec.read(QuerySource(text: slices), database: db),
                                          by: dimension, thresholds: thresholds)
    }

    @Test func countsAndRatesPerValueAreThoseOfPlainSQL() throws {
        let report = try breakdown(["refused", "latency_ms"], "v1 and v2", by: "intent")
        let (db, _) = try DemoStore.open()
        let intents = try db.query("""
            SELECT intent FROM traces WHERE intent IS NOT NULL GROUP BY intent
            HAVING sum(prompt_version = 'v1') > 0 AND sum(prompt_version = 'v2') > 0
            """).rows.compactMap { $0[0].stringValue }
        #expect(intents.count >= 5)
        #expect(Set(report.tests.map(\.value)) == Set(intents))
        #expect(report.tests.count == 2 * intents.count)
        for test in report.tests where test.signal.name == "refused" {
            let row = try db.query("""
                SELECT sum(prompt_version = 'v1'), sum(CASE WHEN prompt_version = 'v1' THEN refused END),
                       sum(prompt_version = 'v2'), sum(CASE WHEN prompt_version = 'v2' THEN refused END)
                FROM traces WHERE intent = ?
                """, [.text(test.value ?? "")]).rows[0].map { Int($0.int64Value ?? -1) } as [Int]
            #expect(test.baselineTraces == row[0] && test.currentTraces == row[2], "\(test.value ?? "")")
            #expect(test.baselineValue == Double(row[1]) / Double(row[0]))
            #expect(test.currentValue == Double(row[3]) / Double(row[2]))
        }
        for test in report.tests where test.signal.name == "latency_ms" {
            let mean = try db.scalar("SELECT avg(latency_ms) FROM traces WHERE prompt_version = 'v2' AND intent = ?", [.text(test.value ?? "")])
            #expect(abs((test.currentValue ?? 0) - (mean.doubleValue ?? -1)) < 1e-9 * (mean.doubleValue ?? 1))
            #expect(test.method == .kolmogorovSmirnov)
        }
        #expect(report.baselineTraces == Int(try db.scalar("SELECT count(*) FROM traces WHERE prompt_version = 'v1'").int64Value ?? -1))
    }

    @Test func sortedByQWithVerdictsAtTheFalseDiscoveryRate() throws {
        let report = try breakdown(Signal.all.map(\.name), "v1 and v2", by: "intent")
        let q = report.tests.compactMap(\.qValue)
        #expect(q == q.sorted())
        #expect(report.tests.allSatisfy { $0.drifted == (($0.qValue ?? 1) < 0.05) })
        #expect(report.tests.contains { $0.drifted })
        // A q-value is never below its p-value.
        #expect(report.tests.allSatisfy { ($0.qValue ?? 1) >= ($0.pValue ?? 0) })
        let strict = try breakdown(Signal.all.map(\.name), "v1 and v2", by: "intent",
                                   thresholds: DriftThresholds(falseDiscoveryRate: 1e-9))
        #expect(strict.tests.filter(\.drifted).count < report.tests.filter(\.drifted).count)
    }

    /// `refused` and `latency_ms` by intent, v1 against v2: the p-values of scipy's
    /// `fisher_exact` (a cell expects fewer than 5), statsmodels' pooled `proportions_ztest`,
    /// scipy's `ks_2samp`, and the q-values of `multipletests(p, method="fdr_bh")` over all 18
    /// tests, computed from the demo store with plain SQL (oracles venv, not relops).
    static let scipy: [(String, String, DriftBreakdown.Method, Double, Double)] = [
        ("account", "refused", .fisher, 1.0, 1.0),
        ("account", "latency_ms", .kolmogorovSmirnov, 0.0034658623382469666, 0.01559638052211135),
        ("billing", "refused", .fisher, 0.38666666666666666, 0.87),
        ("billing", "latency_ms", .kolmogorovSmirnov, 0.0001554586092207524, 0.0009327516553245145),
        ("complaint", "refused", .fisher, 1.0, 1.0),
        ("complaint", "latency_ms", .kolmogorovSmirnov, 0.11251193636737744, 0.2893164078018277),
        ("order_status", "refused", .fisher, 0.5029859600553688, 1.0),
        ("order_status", "latency_ms", .kolmogorovSmirnov, 0.04737161212694511, 0.14211483638083533),
        ("product_question", "refused", .fisher, 1.0, 1.0),
        ("product_question", "latency_ms", .kolmogorovSmirnov, 1.2106349770003475e-06, 2.1791429586006255e-05),
        ("refund", "refused", .zTest, 1.3963760988791306e-05, 0.00012567384889912176),
        ("refund", "latency_ms", .kolmogorovSmirnov, 0.744757409160891, 1.0),
        ("returns", "refused", .fisher, 1.0, 1.0),
        ("returns", "latency_ms", .kolmogorovSmirnov, 0.038096199512822275, 0.1371463182461602),
        ("shipping", "refused", .fisher, 1.0, 1.0),
        ("shipping", "latency_ms", .kolmogorovSmirnov, 0.6302301220546209, 1.0),
        ("troubleshooting", "refused", .fisher, 1.0, 1.0),
        ("troubleshooting", "latency_ms", .kolmogorovSmirnov, 0.9233465078896749, 1.0),
    ]

    @Test func pAndQValuesAreScipys() throws {
        let report = try breakdown(["refused", "latency_ms"], "v1 and v2", by: "intent")
        #expect(report.tests.count == Self.scipy.count)
        func close(_ x: Double?, _ y: Double) -> Bool { x.map { abs($0 - y) <= 1e-9 * max(abs(y), 1e-12) } ?? false }
        for (value, signal, method, p, q) in Self.scipy {
            let test = try #require(report.tests.first { $0.value == value && $0.signal.name == signal })
            #expect(test.method == method, "\(value) \(signal)")
            #expect(close(test.pValue, p), "\(value) \(signal): p \(test.pValue ?? .nan) vs \(p)")
            #expect(close(test.qValue, q), "\(value) \(signal): q \(test.qValue ?? .nan) vs \(q)")
        }
        // Four latency values and the refund refusals are discoveries at q < 0.05; the first row is the smallest q.
        #expect(Set(report.tests.filter(\.drifted).map { "\($0.value ?? "") \($0.signal.name)" })
                == ["account latency_ms", "billing latency_ms", "product_question latency_ms", "refund refused"])
        #expect(report.tests.first.map { "\($0.value ?? "") \($0.signal.name)" } == "product_question latency_ms")
    }

    @Test func valuesInOneSliceAreCountedNotTested() throws {
        let slices = #"(intent == "refund" or intent == "billing") and (intent == "billing" or intent == "shipping")"#
        let report = try breakdown(["refused"], slices, by: "intent")
        #expect(report.tests.map(\.value) == ["billing"])
        let (db, _) = try DemoStore.open()
        func count(_ intent: String) throws -> Int { Int(try db.scalar("SELECT count(*) FROM traces WHERE intent = ?", [.text(intent)]).int64Value ?? -1) }
        #expect(report.onlyInBaseline == [DriftBreakdown.ValueCount(value: "refund", traces: try count("refund"))])
        #expect(report.onlyInCurrent == [DriftBreakdown.ValueCount(value: "shipping", traces: try count("shipping"))])
    }

    /// Traces without the dimension are a value of their own (nil), tested like any other.
    @Test func tracesWithoutTheDimensionAreTheirOwnValue() throws {
        let report = try breakdown(["refused"], "v1 and v2", by: "index_version")
        let (db, _) = try DemoStore.open()
        let missing = try #require(report.tests.first { $0.value == nil })
        let row = try db.query("""
            SELECT sum(prompt_version = 'v1'), sum(prompt_version = 'v2') FROM traces WHERE index_version IS NULL
            """).rows[0].map { Int($0.int64Value ?? -1) } as [Int]
        #expect(missing.baselineTraces == row[0] && missing.currentTraces == row[1] && row[0] > 0)
        let onlyBaseline = try db.query("""
            SELECT index_version, count(*) FROM traces WHERE index_version IS NOT NULL GROUP BY 1
            HAVING sum(prompt_version = 'v1') > 0 AND sum(prompt_version = 'v2') = 0
            """).rows.map { DriftBreakdown.ValueCount(value: $0[0].stringValue, traces: Int($0[1].int64Value ?? -1)) }
        #expect(!onlyBaseline.isEmpty && report.onlyInBaseline == onlyBaseline)
    }

    @Test func tooFewValuesGetAProblemAndNoQ() throws {
        // One baseline trace per value: every test lacks values.
        let (db, _) = try DemoStore.open()
        let id = try db.scalar("SELECT trace_id FROM traces WHERE prompt_version = 'v1' AND intent = 'refund' LIMIT 1").stringValue ?? ""
        let report = try breakdown(["refused"], #"trace_id == "\#(id)" and v2"#, by: "intent")
        #expect(report.tests.count == 1)
        #expect(report.tests[0].pValue == nil && report.tests[0].qValue == nil && report.tests[0].drifted == false)
        #expect(report.tests[0].problem?.contains("needs 2 a side") == true)
    }

    @Test func unknownDimensionsSuggestAName() throws {
        #expect {
            _ = try breakdown(["refused"], "v1 and v2", by: "intnet")
        } throws: { error in
            "\(error)" == "`intnet` is not a text field of traces; did you mean `intent`?"
        }
        #expect(throws: InvestigateError.self) { _ = try breakdown(["refused"], "v1 and v2", by: "latency_ms") }
    }
}
