import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// The gate report's charts through the real binary on the demo store: the text forest plot in
/// the terminal and the Markdown, and `gate … to PATH`, which writes the Markdown and a
/// well-formed SVG beside it whose values are the gate's own (read back from its JSON).
@Suite(.serialized) struct GateChartTests {
    static var db: String { ReplayCommandLineTests.db }

    /// The SVG's `<g class="signal">` elements: their signal and change, and how many threshold
    /// lines the document holds.
    final class SVGReader: NSObject, XMLParserDelegate {
        var signals: [(String, Double)] = []
        var thresholds = 0
        var root: String?
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if root == nil { root = name }
            if name == "g", attributes["class"] == "signal", let s = attributes["data-signal"], let d = attributes["data-delta"].flatMap(Double.init) {
                signals.append((s, d))
            }
            if name == "line", attributes["class"] == "threshold" { thresholds += 1 }
        }
    }

    @Test func theTextChartPlacesEachChangeAgainstItsThreshold() throws {
        let dir = RelopsBinary.temporaryDirectory("gatechart")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try RelopsBinary.run(["--db", Self.db, "-c", "gate v2 against v1"], directory: dir)
        #expect(run.status == 1, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        func row(_ label: String) throws -> String { try #require(lines.first { $0.hasPrefix(label + "  ") }, "no chart row \(label)") }
        func at(_ mark: Character, _ line: String) -> Int { line.firstIndex(of: mark).map { line.distance(from: line.startIndex, to: $0) } ?? -1 }
        // refused went up past its threshold: the change right of the threshold, right of zero.
        let refused = try row("refused rate")
        #expect(at("●", refused) > at("│", refused) && at("│", refused) > at("┆", refused) && at("┆", refused) >= 0, "\(refused)")
        #expect(refused.hasSuffix("+3.2 pt [+2.3, +4.2]  FAIL"), "\(refused)")
        // cost went down: the change left of zero, the threshold on the right.
        let cost = try row("cost_usd mean")
        #expect(at("●", cost) < at("┆", cost) && at("┆", cost) < at("│", cost), "\(cost)")
        #expect(!cost.hasSuffix("FAIL"))
        #expect(run.stdout.contains("┆ no change  │ threshold  ━ interval  ● change (each row on its own scale)\n"))

        let markdown = try RelopsBinary.run(["--db", Self.db, "--format", "markdown", "-c", "gate v2 against v1"], directory: dir)
        #expect(markdown.stdout.contains("\n```text\nrefused rate  "), "\(markdown.stdout)")
        #expect(!markdown.stdout.contains("!["), "no image without a report file")
    }

    @Test func toPathWritesTheMarkdownAndAWellFormedSVG() throws {
        let dir = RelopsBinary.temporaryDirectory("gatesvg")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try RelopsBinary.run(["--db", Self.db, "-c", "gate v2 against v1 to reports/gate.md"], directory: dir)
        #expect(run.status == 1, "HOLD still fails the step: \(run.stderr)")
        #expect(run.stdout == "gate: HOLD\nwrote the report to reports/gate.md and its chart to reports/gate.svg\n")
        let markdown = try String(contentsOf: dir.appendingPathComponent("reports/gate.md"), encoding: .utf8)
        #expect(markdown.hasPrefix("## Release gate: HOLD\n"))
        #expect(markdown.contains("![Each signal's change with its interval against its thresholds](gate.svg)"))

        let data = try Data(contentsOf: dir.appendingPathComponent("reports/gate.svg"))
        let reader = SVGReader()
        let parser = XMLParser(data: data)
        parser.delegate = reader
        #expect(parser.parse(), "well-formed XML: \(String(describing: parser.parserError))")
        #expect(reader.root == "svg")
        // The values are the gate's: one group per signal, the change as the JSON gives it.
        let json = try RelopsBinary.run(["--db", Self.db, "--format", "json", "-c", "gate v2 against v1 to reports/gate2.md"], directory: dir)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((doc["report"] as? [String: Any])?["svg"] as? String == "reports/gate2.svg")
        let signals = try #require(doc["signals"] as? [[String: Any]])
        #expect(reader.signals.count == signals.count && signals.count == 5)
        for (drawn, s) in zip(reader.signals, signals) {
            #expect(drawn.0 == "\(s["signal"] as? String ?? "") \(s["statistic"] as? String ?? "")")
            #expect(abs(drawn.1 - (s["delta"] as? Double ?? .nan)) <= 1e-12 * max(1, abs(drawn.1)), "\(drawn) vs \(s)")
        }
        #expect(reader.thresholds == 5, "one threshold per signal of the built-in gate")
        let svg = String(decoding: data, as: UTF8.self)
        #expect(svg.contains(">+3.2 pt [+2.3, +4.2] FAIL</text>"))
        #expect(svg.contains("<title>Release gate HOLD: prompt_version == &quot;v2&quot; against prompt_version == &quot;v1&quot;</title>"))
    }
}
