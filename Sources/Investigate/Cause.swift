import Analysis

/// A candidate cause of `explain`: one dimension's Adtributor candidate set, placed for an
/// investigator who asks "what changed?" (docs/statistics.md, "Ranking the causes").
///
/// Adtributor ranks candidate sets by surprise alone, and during a rollout every version
/// dimension that moved with the slices is surprising: the release that replaced the old one
/// covers the whole current slice and "explains" any change. Three rules on top of Adtributor's
/// candidates make the list say what changed:
///
/// 1. **Changes before facets.** Dimensions that are deployed (`Explanation.changeDimensions`:
///    prompt, model, provider, index, tool, config, release) are candidate causes; the others
///    (intent, cohort, environment, finish reason, service, attributes) say where the change
///    shows, and are listed apart.
/// 2. **Localized before whole-slice.** A set holding at least `wholeSlice` (90%) of the current
///    slice's traces cannot be told apart from anything else that changed between the slices; a
///    set that explains the change from a part of the traffic is the narrower, testable claim
///    and ranks first. Within each group, the more surprising first (Adtributor's order).
/// 3. **Aliases are one cause.** Sets of different dimensions that select the same traces in both
///    slices (all but `aliasTolerance` of them) cannot be separated by these data: they are one
///    cause named by its most specific dimension (the order of `changeDimensions`), the others
///    listed as aliases.
public struct Cause: Sendable {
    public enum Role: String, Sendable {
        /// A deployed version dimension: a candidate for what changed.
        case change
        /// Any other dimension: where the change shows.
        case facet
    }

    public struct Alias: Sendable, Equatable {
        public var dimension: String
        public var values: [String]
    }

    public var dimension: String
    /// The values of the candidate set, most surprising first.
    public var values: [String]
    public var explanatoryPower: Double
    public var surprise: Double
    public var role: Role
    /// Share of the baseline's and of the current slice's traces under `values`.
    public var baselineShare: Double
    public var currentShare: Double
    /// Other dimensions whose candidate sets select the same traces.
    public var aliases: [Alias]
    /// Trace ids of the current slice that show it (filled in by `Explanation`).
    public var evidence: Explanation.Evidence

    /// Whether the set holds (nearly) the whole baseline or current slice: a cause that cannot
    /// be told apart from anything else that changed between the slices.
    public var spansSlices: Bool { baselineShare >= Self.wholeSlice || currentShare >= Self.wholeSlice }

    /// Whether the dimension bundles other changes (a config hash, a release): named after the
    /// specific dimensions it carries.
    public var isContainer: Bool { Explanation.containerDimensions.contains(dimension) }

    /// The share of a slice from which a cause counts as spanning it.
    public static let wholeSlice = 0.9
    /// The share of traffic that must move onto or off a version dimension's values for it to
    /// count as a change between the slices.
    public static let movedTraffic = 0.05
    /// The share of the selected traces two sets may differ by and still be aliases.
    public static let aliasTolerance = 0.01
    /// How many causes of each role are kept.
    public static let kept = 3
}

extension Cause {
    /// Which traces a dimension's values select: the combinations of values seen in the two
    /// slices, each with its baseline and current trace counts.
    struct Membership {
        var dimensions: [String]
        var combinations: [(values: [String?], baseline: Int, current: Int)]

        /// Per combination, whether it lies under one of `elements` of `dimension`.
        func selects(_ dimension: String, _ elements: [String]) -> [Bool] {
            guard let d = dimensions.firstIndex(of: dimension) else { return combinations.map { _ in false } }
            let chosen = Set(elements)
            return combinations.map { chosen.contains($0.values[d] ?? AttributionRow.missingElement) }
        }

        /// Whether dimensions `a` and `b` split the traces of both slices the same way: each
        /// value of one goes with one value of the other for all but `tolerance` of the traces.
        func sameSplit(_ a: String, _ b: String, tolerance: Double) -> Bool {
            guard let i = dimensions.firstIndex(of: a), let j = dimensions.firstIndex(of: b) else { return false }
            var pairs: [[String?]: Int] = [:]
            var total = 0
            for c in combinations {
                pairs[[c.values[i], c.values[j]], default: 0] += c.baseline + c.current
                total += c.baseline + c.current
            }
            func agreement(_ from: Int) -> Int {
                var best: [String?: Int] = [:]
                for (pair, n) in pairs { best[pair[from]] = max(best[pair[from]] ?? 0, n) }
                return best.values.reduce(0, +)
            }
            let limit = (1 - tolerance) * Double(total)
            return total > 0 && Double(agreement(0)) >= limit && Double(agreement(1)) >= limit
        }

        /// How much traffic moved onto or off the `elements` of `dimension`: half the summed
        /// absolute differences between each element's share of the baseline and of the current
        /// slice, all other values counted as one (0 … 1).
        func trafficShift(_ dimension: String, _ elements: [String]) -> Double {
            guard let d = dimensions.firstIndex(of: dimension) else { return 0 }
            let chosen = Set(elements)
            var shares: [String?: (Int, Int)] = [:]
            var tb = 0, tc = 0
            for c in combinations {
                let name = c.values[d] ?? AttributionRow.missingElement
                let key: String? = chosen.contains(name) ? name : nil
                let old = shares[key] ?? (0, 0)
                shares[key] = (old.0 + c.baseline, old.1 + c.current)
                tb += c.baseline
                tc += c.current
            }
            guard tb > 0, tc > 0 else { return 0 }
            return 0.5 * shares.values.reduce(0) { $0 + abs(Double($1.0) / Double(tb) - Double($1.1) / Double(tc)) }
        }

        /// The shares of the baseline's and the current slice's traces `selected`.
        func shares(_ selected: [Bool]) -> (baseline: Double, current: Double) {
            var b = 0, c = 0, tb = 0, tc = 0
            for (k, combination) in combinations.enumerated() {
                tb += combination.baseline
                tc += combination.current
                if selected[k] { b += combination.baseline; c += combination.current }
            }
            return (tb > 0 ? Double(b) / Double(tb) : 0, tc > 0 ? Double(c) / Double(tc) : 0)
        }
    }

    /// Places Adtributor's candidate sets by the rules: at most `kept` causes per role,
    /// changes first.
    static func rank(_ candidates: [Adtributor.Candidate], membership: Membership) -> [Cause] {
        let order = Explanation.changeDimensions
        func role(_ dimension: String) -> Role { order.contains(dimension) ? .change : .facet }
        var causes: [Cause] = candidates.compactMap { candidate in
            let shares = membership.shares(membership.selects(candidate.dimension, candidate.elements))
            var cause = Cause(dimension: candidate.dimension, values: candidate.elements,
                              explanatoryPower: candidate.explanatoryPower, surprise: candidate.surprise,
                              role: role(candidate.dimension), baselineShare: shares.baseline, currentShare: shares.current,
                              aliases: [], evidence: Explanation.Evidence(values: [], traceIds: []))
            let shift = membership.trafficShift(candidate.dimension, candidate.elements)
            // Nearly all traffic of both slices, none of it moved: "everywhere" is no cause.
            if shares.baseline >= wholeSlice && shares.current >= wholeSlice && shift < movedTraffic { return nil }
            // A version dimension whose traffic did not move was not deployed between the slices.
            if shift < movedTraffic { cause.role = .facet }
            return cause
        }
        causes.sort { a, b in
            if a.role != b.role { return a.role == .change }
            if a.spansSlices != b.spansSlices { return !a.spansSlices }
            if a.role == .change, a.isContainer != b.isContainer { return !a.isContainer }
            if a.surprise != b.surprise { return a.surprise > b.surprise }
            return a.dimension < b.dimension
        }
        // Merge aliases into the first of them, then name the group by its most specific member.
        var merged: [Cause] = []
        for next in causes {
            if let i = merged.firstIndex(where: { membership.sameSplit($0.dimension, next.dimension, tolerance: aliasTolerance) }) {
                merged[i].aliases.append(Alias(dimension: next.dimension, values: next.values))
            } else {
                merged.append(next)
            }
        }
        let named = merged.map { merged -> Cause in
            var cause = merged
            let members = [Alias(dimension: cause.dimension, values: cause.values)] + cause.aliases
            let specificity = { (a: Alias) in order.firstIndex(of: a.dimension) ?? order.count }
            guard let lead = members.min(by: { specificity($0) < specificity($1) }), lead.dimension != cause.dimension,
                  let candidate = candidates.first(where: { $0.dimension == lead.dimension }) else { return cause }
            cause.aliases = members.filter { $0.dimension != lead.dimension }
            cause.dimension = lead.dimension
            cause.values = lead.values
            cause.explanatoryPower = candidate.explanatoryPower
            cause.surprise = candidate.surprise
            return cause
        }
        return Array(named.filter { $0.role == .change }.prefix(kept)) + named.filter { $0.role == .facet }.prefix(kept)
    }
}
