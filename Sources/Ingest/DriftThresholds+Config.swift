import Analysis
import Store
import Yams

/// `thresholds.drift` of relops.yaml: the thresholds of `drift`'s verdicts (docs/configuration.md).
///
/// Every value is checked here, with the file's line, before `DriftThresholds` is built: its
/// initializer stops the process on a value out of range, and a mistyped file must not.
extension DriftThresholds {
    /// The keys of `thresholds.drift`.
    static let configKeys = ["p_value", "wasserstein", "jensen_shannon", "psi", "psi_moderate", "psi_significant",
                             "baseline_size_limit", "method", "fdr"]

    /// The names `method` takes: relops.yaml's spelling, then the one `drift` prints.
    static let configMethods: [(String, DriftMethod)] = [
        ("ks", .kolmogorovSmirnov), ("chi_square", .chiSquare), ("z_test", .zTest), ("wasserstein", .wasserstein),
        ("jensen_shannon", .jensenShannon), ("psi", .psi),
    ] + DriftMethod.allCases.map { ($0.rawValue, $0) }

    /// Reads the `drift` mapping; keys left out keep their defaults.
    init(node: Node, path: String) throws {
        if node.null != nil {
            self.init()
            return
        }
        guard let mapping = node.mapping else {
            throw ConfigError(path: path, line: node.mark?.line, message: "`thresholds.drift` must be a mapping such as `{p_value: 0.01}`")
        }
        self.init()
        var psiLine: Int?
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let line = keyNode.mark?.line
            func fail(_ message: String) -> ConfigError { ConfigError(path: path, line: line, message: "`thresholds.drift.\(key)` \(message)") }
            switch key {
            case "p_value":
                guard let x = Self.number(value), x > 0, x < 1 else { throw fail("expects a number between 0 and 1, such as 0.05") }
                pValue = x
            case "fdr":
                guard let x = Self.number(value), x > 0, x < 1 else { throw fail("expects a false discovery rate between 0 and 1, such as 0.05") }
                falseDiscoveryRate = x
            case "wasserstein", "jensen_shannon", "psi", "psi_moderate", "psi_significant":
                guard let x = Self.number(value), x > 0 else { throw fail("expects a positive number, such as 0.1") }
                switch key {
                case "wasserstein": wassersteinNormed = x
                case "jensen_shannon": jensenShannon = x
                case "psi": psi = x
                case "psi_moderate": psiModerate = x; psiLine = max(psiLine ?? 0, line ?? 0)
                default: psiSignificant = x; psiLine = max(psiLine ?? 0, line ?? 0)
                }
            case "baseline_size_limit":
                guard value.tag.rawValue == Tag.Name.int.rawValue, let n = value.int, n >= 0 else {
                    throw fail("expects a whole number of at least 0, such as 1000")
                }
                baselineSizeLimit = n
            case "method":
                let name = value.scalar != nil && value.null == nil ? value.string ?? "" : ""
                guard let chosen = Self.configMethods.first(where: { $0.0 == name })?.1 else {
                    let names = Self.configMethods.prefix(6).map(\.0)
                    let hint = Suggest.closest(to: name, in: names).map { " (did you mean `\($0)`?)" } ?? ""
                    throw fail("is `\(name)`\(hint); expected one of \(names.joined(separator: ", "))")
                }
                method = chosen
            default:
                let hint = Suggest.closest(to: key, in: Self.configKeys).map { " (did you mean `\($0)`?)" } ?? ""
                throw ConfigError(path: path, line: line, message: "unknown setting `thresholds.drift.\(key)`\(hint)")
            }
        }
        guard psiModerate <= psiSignificant else {
            throw ConfigError(path: path, line: psiLine, message: "`thresholds.drift.psi_moderate` (\(psiModerate)) must not be above `psi_significant` (\(psiSignificant))")
        }
    }

    /// A finite number written as a YAML integer or float (not quoted text).
    static func number(_ node: Node) -> Double? {
        let tag = node.tag.rawValue
        let x: Double? = tag == Tag.Name.int.rawValue ? node.int.map(Double.init) : tag == Tag.Name.float.rawValue ? node.float : nil
        return x.flatMap { $0.isFinite ? $0 : nil }
    }
}

/// `thresholds.explain` of relops.yaml: Adtributor's thresholds (docs/configuration.md).
extension AttributionThresholds {
    static let configKeys = ["element", "set", "top"]

    init(node: Node, path: String) throws {
        self.init()
        if node.null != nil { return }
        guard let mapping = node.mapping else {
            throw ConfigError(path: path, line: node.mark?.line, message: "`thresholds.explain` must be a mapping such as `{set: 0.8}`")
        }
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let line = keyNode.mark?.line
            func fail(_ message: String) -> ConfigError { ConfigError(path: path, line: line, message: "`thresholds.explain.\(key)` \(message)") }
            switch key {
            case "element", "set":
                guard let x = DriftThresholds.number(value), x >= 0, x <= 1 else { throw fail("expects a share between 0 and 1, such as 0.67") }
                if key == "element" { element = x } else { set = x }
            case "top":
                guard value.tag.rawValue == Tag.Name.int.rawValue, let n = value.int, n >= 1 else {
                    throw fail("expects a whole number of at least 1, such as 3")
                }
                top = n
            default:
                let hint = Suggest.closest(to: key, in: Self.configKeys).map { " (did you mean `\($0)`?)" } ?? ""
                throw ConfigError(path: path, line: line, message: "unknown setting `thresholds.explain.\(key)`\(hint)")
            }
        }
    }
}
