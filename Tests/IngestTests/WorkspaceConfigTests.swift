import Analysis
import Store
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

    @Test func readsExplainThresholds() throws {
        let config = try WorkspaceConfig.parse("thresholds:\n  explain:\n    element: 0.2\n    set: 0.8\n    top: 5\n", path: "relops.yaml")
        #expect(config.explainThresholds == AttributionThresholds(element: 0.2, set: 0.8, top: 5))
        #expect(try WorkspaceConfig.parse("thresholds:\n  drift: {}\n", path: "relops.yaml").explainThresholds == AttributionThresholds())
        for (text, message) in [
            ("thresholds:\n  explain:\n    set: 1.5\n", "relops.yaml:3: `thresholds.explain.set` expects a share between 0 and 1"),
            ("thresholds:\n  explain:\n    top: 0\n", "relops.yaml:3: `thresholds.explain.top` expects a whole number of at least 1"),
            ("thresholds:\n  explain:\n    sets: 0.5\n", "relops.yaml:3: unknown setting `thresholds.explain.sets` (did you mean `set`?)"),
            ("thresholds:\n  explain: 3\n", "relops.yaml:2: `thresholds.explain` must be a mapping"),
        ] {
            #expect {
                _ = try WorkspaceConfig.parse(text, path: "relops.yaml")
            } throws: { error in
                "\(error)".hasPrefix(message)
            }
        }
    }

    @Test func readsDriftThresholds() throws {
        let config = try WorkspaceConfig.parse("""
            thresholds:
              gates: {anything: 1}        # read by a later part
              drift:
                p_value: 0.01
                wasserstein: 0.2
                jensen_shannon: 0.15
                psi: 0.05
                psi_moderate: 0.05
                psi_significant: 0.3
                baseline_size_limit: 500
                method: jensen_shannon
                fdr: 0.1
            """, path: "relops.yaml")
        #expect(config.driftThresholds == DriftThresholds(pValue: 0.01, wassersteinNormed: 0.2, jensenShannon: 0.15, psi: 0.05,
                                                          psiModerate: 0.05, psiSignificant: 0.3, baselineSizeLimit: 500,
                                                          method: .jensenShannon, falseDiscoveryRate: 0.1))
        // The names `drift` prints work too; keys left out keep Evidently's defaults.
        let printed = try WorkspaceConfig.parse("thresholds:\n  drift:\n    method: z\n    psi: 1\n", path: "relops.yaml")
        #expect(printed.driftThresholds == DriftThresholds(psi: 1, method: .zTest))
        for empty in ["thresholds:\n", "thresholds:\n  drift:\n", "thresholds:\n  gates: {}\n"] {
            #expect(try WorkspaceConfig.parse(empty, path: "relops.yaml").driftThresholds == DriftThresholds())
        }
    }

    @Test(arguments: [
        ("thresholds:\n  drift:\n    p_valeu: 0.01\n", "relops.yaml:3: unknown setting `thresholds.drift.p_valeu` (did you mean `p_value`?)"),
        ("thresholds:\n  drift:\n    p_value: 1.5\n", "relops.yaml:3: `thresholds.drift.p_value` expects a number between 0 and 1, such as 0.05"),
        ("thresholds:\n  drift:\n    p_value: \"0.01\"\n", "relops.yaml:3: `thresholds.drift.p_value` expects a number between 0 and 1, such as 0.05"),
        ("thresholds:\n  drift:\n    fdr: 0\n", "relops.yaml:3: `thresholds.drift.fdr` expects a false discovery rate between 0 and 1, such as 0.05"),
        ("thresholds:\n  drift:\n    psi: -0.1\n", "relops.yaml:3: `thresholds.drift.psi` expects a positive number, such as 0.1"),
        ("thresholds:\n  drift:\n    wasserstein: .inf\n", "relops.yaml:3: `thresholds.drift.wasserstein` expects a positive number, such as 0.1"),
        ("thresholds:\n  drift:\n    baseline_size_limit: 10.5\n",
         "relops.yaml:3: `thresholds.drift.baseline_size_limit` expects a whole number of at least 0, such as 1000"),
        ("thresholds:\n  drift:\n\n    method: kss\n",
         "relops.yaml:4: `thresholds.drift.method` is `kss` (did you mean `ks`?); expected one of ks, chi_square, z_test, wasserstein, jensen_shannon, psi"),
        ("thresholds:\n  drift:\n    psi_moderate: 0.3\n    psi_significant: 0.2\n",
         "relops.yaml:4: `thresholds.drift.psi_moderate` (0.3) must not be above `psi_significant` (0.2)"),
        ("thresholds:\n  drift: 0.05\n", "relops.yaml:2: `thresholds.drift` must be a mapping such as `{p_value: 0.01}`"),
        ("thresholds: [drift]\n", "relops.yaml:1: `thresholds` must be a mapping, such as `drift: {p_value: 0.01}`"),
    ])
    func badDriftThresholdsNameTheLine(_ text: String, _ expected: String) {
        do {
            _ = try WorkspaceConfig.parse(text, path: "relops.yaml")
            Issue.record("expected an error for \(text)")
        } catch {
            #expect("\(error)" == expected)
        }
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
    @Test func readsTheRubric() throws {
        let config = try WorkspaceConfig.parse("""
            rubric:
              helpfulness: {scale: [1, 5]}
              correct_refusal: {values: [yes, no]}
              tone: {scale: [1, 3], note: "1 rude … 3 friendly"}
              topic: {values: [billing, shipping, other]}
            """, path: "relops.yaml")
        #expect(config.rubric.criteria == [
            Rubric.Criterion(name: "helpfulness", kind: .scale(min: 1, max: 5)),
            Rubric.Criterion(name: "correct_refusal", kind: .values(["yes", "no"])),
            Rubric.Criterion(name: "tone", kind: .scale(min: 1, max: 3), note: "1 rude … 3 friendly"),
            Rubric.Criterion(name: "topic", kind: .values(["billing", "shipping", "other"])),
        ])
        #expect(try WorkspaceConfig.parse("rubric:\n", path: "relops.yaml").rubric == Rubric())
        #expect(try WorkspaceConfig.parse("version: 1\n", path: "relops.yaml").rubric.criteria.isEmpty)
        // What a criterion accepts.
        let tone = try #require(config.rubric.criterion("tone"))
        #expect(tone.read("3") == .success(.number(3)))
        #expect(tone.read("4") == .failure(Rubric.ScoreProblem("`tone` is scored from 1 to 3; 4 is outside the scale")))
        #expect(tone.read("2.5") == .failure(Rubric.ScoreProblem("`tone` takes a whole number from 1 to 3, not `2.5`")))
        let refusal = try #require(config.rubric.criterion("correct_refusal"))
        #expect(refusal.read("YES") == .success(.label("yes")))
        #expect(refusal.read("ye") == .failure(Rubric.ScoreProblem("`correct_refusal` is one of yes, no, not `ye` (did you mean `yes`?)")))
    }

    @Test(arguments: [
        ("rubric:\n  helpfulness: {vaules: [a]}\n", "relops.yaml:2: unknown setting `rubric.helpfulness.vaules` (did you mean `values`?)"),
        ("rubric:\n  helpfulness: {scale: [5, 1]}\n", "relops.yaml:2: `rubric.helpfulness` `scale` [5, 1] must go from a lower to a higher number"),
        ("rubric:\n  helpfulness: {scale: [1, 2, 3]}\n", "relops.yaml:2: `rubric.helpfulness` `scale` expects two whole numbers, such as [1, 5]"),
        ("rubric:\n  helpfulness: {scale: [1, 4.5]}\n", "relops.yaml:2: `rubric.helpfulness` `scale` expects two whole numbers, such as [1, 5]"),
        ("rubric:\n  helpfulness: {scale: 5}\n", "relops.yaml:2: `rubric.helpfulness` `scale` expects two whole numbers, such as [1, 5]"),
        ("rubric:\n  ok: {values: []}\n", "relops.yaml:2: `rubric.ok` `values` is empty: list the labels a reviewer may give"),
        ("rubric:\n  ok: {values: [yes, Yes]}\n", "relops.yaml:2: `rubric.ok` `values` lists `Yes` twice"),
        ("rubric:\n  ok: {values: [yes, \"\"]}\n", "relops.yaml:2: `rubric.ok` `values` expects labels (text), such as [yes, no]"),
        ("rubric:\n  ok: {values: yes}\n", "relops.yaml:2: `rubric.ok` `values` expects a list of labels, such as [yes, no]"),
        ("rubric:\n  ok: {scale: [1, 5], values: [a]}\n", "relops.yaml:2: `rubric.ok` has both `scale` and `values`; a criterion is one or the other"),
        ("rubric:\n  ok:\n    note: hi\n", "relops.yaml:2: `rubric.ok` needs `scale: [min, max]` (whole numbers) or `values: [...]` (labels)"),
        ("rubric:\n  ok: 5\n", "relops.yaml:2: `rubric.ok` must be a mapping with `scale: [min, max]` or `values: [...]`"),
        ("rubric:\n  \"two words\": {scale: [1, 5]}\n", "relops.yaml:2: `two words` cannot name a criterion: use letters, digits and `_`, starting with a letter"),
        ("rubric: [helpfulness]\n", "relops.yaml:1: `rubric` must map criteria to their scales, such as `helpfulness: {scale: [1, 5]}`"),
        ("rubrik: {}\n", "relops.yaml:1: unknown setting `rubrik` (did you mean `rubric`?)"),
    ])
    func badRubricsNameTheLine(_ text: String, _ expected: String) {
        do {
            _ = try WorkspaceConfig.parse(text, path: "relops.yaml")
            Issue.record("expected an error for \(text)")
        } catch {
            #expect("\(error)" == expected)
        }
    }
}
