import Testing
@testable import Ingest

@Suite struct WorkspaceConfigTests {
    @Test func readsMappingsAndSignals() throws {
        let config = try WorkspaceConfig.parse("""
            version: 1
            mappings:
              prompt_version: [app.prompt.version, "metadata#prompt_version"]
              service_version: resource:service.version
            signals:
              refused:
                finish_reasons: [content_filter, safety]
                patterns: ["i will not"]
              error:
                http_status_at_least: 502
            """, path: "relops.yaml")
        #expect(config.mappings["prompt_version"] == [AttributePath(key: "app.prompt.version"),
                                                      AttributePath(key: "metadata", jsonPath: ["prompt_version"])])
        #expect(config.mappings["service_version"] == [AttributePath(key: "service.version", onResource: true)])
        #expect(config.signals.refusedFinishReasons == ["content_filter", "safety"])
        #expect(config.signals.refusalPatterns == ["i will not"])
        #expect(config.signals.errorHTTPStatus == 502)
        #expect(try WorkspaceConfig.parse("", path: "relops.yaml") == WorkspaceConfig(path: "relops.yaml"))
    }

    @Test(arguments: [
        ("mappings:\n  prompt_verison: [x]\n", "relops.yaml:2: unknown field `prompt_verison` in `mappings` (did you mean `prompt_version`?)"),
        ("version: 2\n", "relops.yaml:1: unsupported `version` (this relops reads version 1)"),
        ("mapings: {}\n", "relops.yaml:1: unknown setting `mapings` (did you mean `mappings`?)"),
        ("signals:\n  refused:\n    patterns: [\"(unclosed\"]\n", "relops.yaml:3: `signals.refused.patterns`: not a valid regular expression: (unclosed"),
        ("signals:\n  refused:\n    colour: [red]\n", "relops.yaml:3: unknown rule `signals.refused.colour` (see docs/configuration.md)"),
        ("mappings:\n  model: [\"#x\"]\n", "relops.yaml:2: `mappings.model` expects attribute names such as `app.release` or `metadata#release`"),
        ("a: [1, 2\n", "relops.yaml:2: not valid YAML: did not find expected ',' or ']'"),
    ])
    func errorsNameTheLine(_ text: String, _ expected: String) {
        do {
            _ = try WorkspaceConfig.parse(text, path: "relops.yaml")
            Issue.record("expected an error for \(text)")
        } catch {
            #expect("\(error)" == expected)
        }
    }
}
