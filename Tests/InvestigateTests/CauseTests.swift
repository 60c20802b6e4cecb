import Analysis
@testable import Investigate
import Testing

/// The rules that place Adtributor's candidate sets (docs/statistics.md, "Ranking the
/// causes"), on hand-made combinations whose shares are worked out in the comments.
@Suite struct CauseTests {
    typealias Candidate = Adtributor.Candidate

    /// A rollout seen in two slices of 100 traces: release r1 → r2 carries config c1 → c2 (the
    /// same split), and tool t2 arrives with r2 on 30 current traces (t1 had 30 baseline ones);
    /// 40 traces per slice call no tool; intent `a` is 50% of each slice.
    static let rollout = Cause.Membership(
        dimensions: ["release", "config_hash", "tool_version", "intent"],
        combinations: [
            (["r1", "c1", "t1", "a"], 30, 0), (["r1", "c1", nil, "a"], 20, 0), (["r1", "c1", nil, "b"], 20, 0),
            (["r1", "c1", "t0", "b"], 30, 0),
            (["r2", "c2", "t2", "a"], 0, 30), (["r2", "c2", nil, "a"], 0, 20), (["r2", "c2", nil, "b"], 0, 20),
            (["r2", "c2", "t0", "b"], 0, 30),
        ])

    @Test func sharesAndTrafficShift() {
        let tool = Self.rollout.selects("tool_version", ["t2"])
        #expect(Self.rollout.shares(tool) == (baseline: 0, current: 0.3))
        // t2: 0 → 30%, the rest 100% → 70%: half of 30 + 30 points.
        #expect(abs(Self.rollout.trafficShift("tool_version", ["t2"]) - 0.3) < 1e-12)
        #expect(abs(Self.rollout.trafficShift("intent", ["a"])) < 1e-12)
        #expect(abs(Self.rollout.trafficShift("release", ["r1", "r2"]) - 1) < 1e-12)
        #expect(abs(Self.rollout.trafficShift("tool_version", [AttributionRow.missingElement])) < 1e-12)
    }

    @Test func sameSplitIsAnAlias() {
        #expect(Self.rollout.sameSplit("release", "config_hash", tolerance: 0.01))
        #expect(!Self.rollout.sameSplit("release", "tool_version", tolerance: 0.01))
        #expect(!Self.rollout.sameSplit("release", "intent", tolerance: 0.01))
    }

    @Test func aLocalizedChangeRanksBeforeTheReleaseThatShippedIt() {
        let causes = Cause.rank([
            Candidate(dimension: "release", elements: ["r1", "r2"], explanatoryPower: 1, surprise: 1.6),
            Candidate(dimension: "config_hash", elements: ["r1", "r2"].map { $0.replacingOccurrences(of: "r", with: "c") },
                      explanatoryPower: 1, surprise: 1.6),
            Candidate(dimension: "tool_version", elements: ["t2"], explanatoryPower: 1.1, surprise: 0.4),
            Candidate(dimension: "intent", elements: ["a"], explanatoryPower: 0.9, surprise: 0.01),
        ], membership: Self.rollout)
        #expect(causes.map(\.dimension) == ["tool_version", "config_hash", "intent"])
        #expect(causes.map(\.role) == [.change, .change, .facet])
        #expect(!causes[0].spansSlices && causes[1].spansSlices)
        // The release and the config hash are one cause, named by the config hash (more specific).
        #expect(causes[1].aliases == [Cause.Alias(dimension: "release", values: ["r1", "r2"])])
        #expect(causes[1].values == ["c1", "c2"])
    }

    /// A version dimension whose traffic did not move is where the change shows, not a change;
    /// a set holding all of both slices with nothing moved is dropped.
    @Test func unmovedVersionsAreFacetsAndEverywhereIsNoCause() {
        let membership = Cause.Membership(
            dimensions: ["tool_version", "model", "index_version"],
            combinations: [([nil, "m", "i1"], 60, 0), (["t", "m", "i1"], 40, 0), ([nil, "m", "i2"], 0, 61), (["t", "m", "i2"], 0, 39)])
        let causes = Cause.rank([
            Candidate(dimension: "tool_version", elements: [AttributionRow.missingElement], explanatoryPower: 1.04, surprise: 0.0001),
            Candidate(dimension: "model", elements: ["m"], explanatoryPower: 1, surprise: 0),
            Candidate(dimension: "index_version", elements: ["i2"], explanatoryPower: 1, surprise: 1),
        ], membership: membership)
        #expect(causes.map(\.dimension) == ["index_version", "tool_version"])
        #expect(causes.map(\.role) == [.change, .facet])
    }

    /// Among whole-slice changes, a specific dimension before a container, whatever the surprise.
    @Test func specificBeforeContainer() {
        let membership = Cause.Membership(
            dimensions: ["config_hash", "model"],
            combinations: [(["c1", "m1"], 95, 0), (["c1", "m2"], 5, 0), (["c2", "m2"], 0, 90), (["c2", "m3"], 0, 10)])
        let causes = Cause.rank([
            Candidate(dimension: "config_hash", elements: ["c1"], explanatoryPower: 1.6, surprise: 0.98),
            Candidate(dimension: "model", elements: ["m1"], explanatoryPower: 0.97, surprise: 0.95),
        ], membership: membership)
        #expect(causes.map(\.dimension) == ["model", "config_hash"])
        #expect(causes.allSatisfy(\.spansSlices) && causes.allSatisfy { $0.aliases.isEmpty })
    }
}
