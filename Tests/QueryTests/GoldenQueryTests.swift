import Foundation
import Query
import Store
import Testing

/// Every `Golden/*.rq` is compiled and run on the test store; its SQL, bound values and rows
/// must equal `Golden/NAME.golden`. Re-record with `RELOPS_RECORD=1` and review the diff.
@Suite struct GoldenQueryTests {
    static let directory = QueryStore.testsDir.appendingPathComponent("Golden")
    static let cases: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
        .filter { $0.hasSuffix(".rq") }.map { String($0.dropLast(3)) }.sorted()

    @Test func thereAreCases() {
        #expect(Self.cases.count >= 40)
    }

    @Test(arguments: cases) func golden(_ name: String) throws {
        let input = Self.directory.appendingPathComponent(name + ".rq")
        let text = try String(contentsOf: input, encoding: .utf8)
        let engine = try QueryStore.engine(library: [QueryStore.packageRoot.appendingPathComponent("queries").path])
        let result = try engine.run(QuerySource(name: "Golden/\(name).rq", text: text))
        var actual = "-- sql\n\(result.compiled.sql)\n-- parameters\n"
        for (i, p) in result.compiled.parameters.enumerated() { actual += "?\(i + 1) = \(QueryStore.literal(p))\n" }
        actual += "-- rows: \(result.rows.rows.count)\n" + QueryStore.text(result.rows)
        let goldenURL = Self.directory.appendingPathComponent(name + ".golden")
        if QueryStore.recording {
            try Data(actual.utf8).write(to: goldenURL)
        }
        let expected = try String(contentsOf: goldenURL, encoding: .utf8)
        #expect(actual == expected, "\(name): compiled SQL or rows differ from \(name).golden")
    }
}

/// Every `Errors/*.rq` must fail with the rendered error in `Errors/NAME.golden`.
@Suite struct GoldenErrorTests {
    static let directory = QueryStore.testsDir.appendingPathComponent("Errors")
    static let cases: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
        .filter { $0.hasSuffix(".rq") }.map { String($0.dropLast(3)) }.sorted()

    @Test func thereAreCases() {
        #expect(Self.cases.count >= 25)
    }

    @Test(arguments: cases) func golden(_ name: String) throws {
        let input = Self.directory.appendingPathComponent(name + ".rq")
        let text = try String(contentsOf: input, encoding: .utf8)
        let engine = try QueryStore.engine(library: [QueryStore.testsDir.appendingPathComponent("Saved").path])
        var actual = ""
        do {
            _ = try engine.run(QuerySource(name: "Errors/\(name).rq", text: text))
            actual = "no error\n"
        } catch let error as QueryError {
            // Saved queries are named by path: keep golden files free of this checkout's location.
            actual = error.rendered.replacingOccurrences(of: QueryStore.testsDir.path + "/", with: "")
        }
        let goldenURL = Self.directory.appendingPathComponent(name + ".golden")
        if QueryStore.recording {
            try Data(actual.utf8).write(to: goldenURL)
        }
        let expected = try String(contentsOf: goldenURL, encoding: .utf8)
        #expect(actual == expected, "\(name): rendered error differs from \(name).golden")
    }
}
