import Foundation
import Testing

/// The drift fixtures in `Expected/`: inputs and the JSON printed for them by
/// `oracle_drift.py` (scipy 1.17.1, numpy 2.4.6, statsmodels 0.15.0, Evidently 0.7.23).
///
/// `Expected/examples/` holds copies of ../shared/oracles/examples (inputs) and
/// examples/expected/drift_*.json (made by that folder's `regenerate_expected.sh`);
/// `Expected/case_*.json` and `drift_*.json` are this suite's extra cases, made by
/// `Expected/regenerate.sh` (`make_cases.py`, then `oracle_drift.py --pair case_NAME.json --type …`).
enum DriftFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Expected")

    /// The raw values of a `{"baseline": [...], "current": [...]}` file.
    static func pair(_ path: String) -> (baseline: [Any], current: [Any]) {
        guard let object = json(path) as? [String: Any],
              let baseline = object["baseline"] as? [Any], let current = object["current"] as? [Any] else {
            Issue.record("cannot read the pair file \(path)")
            return ([], [])
        }
        return (baseline, current)
    }

    /// The numbers of a pair file.
    static func numericPair(_ path: String) -> (baseline: [Double], current: [Double]) {
        let (b, c) = pair(path)
        return (b.compactMap(number), c.compactMap(number))
    }

    /// The first column of a CSV file with a header row.
    static func csvColumn(_ path: String) -> [String] {
        guard let text = try? String(contentsOf: directory.appendingPathComponent(path), encoding: .utf8) else {
            Issue.record("cannot read \(path)")
            return []
        }
        let lines = text.split(whereSeparator: \.isNewline).map { String($0.split(separator: ",", omittingEmptySubsequences: false)[0]) }
        return Array(lines.dropFirst())
    }

    /// An oracle output file.
    static func oracle(_ path: String) -> OracleValue {
        OracleValue(json(path))
    }

    static func json(_ path: String) -> Any? {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent(path)) else {
            Issue.record("cannot read \(path)")
            return nil
        }
        return try? JSONSerialization.jsonObject(with: data)
    }

    /// A JSON number or boolean as a Double (true = 1).
    ///
    /// swift-corelibs-foundation's `JSONSerialization` returns `NSDecimalNumber`s whose
    /// `doubleValue` is not correctly rounded (2560.22 comes back one ulp off), so numbers are
    /// re-read from their exact decimal text.
    static func number(_ value: Any) -> Double? {
        if let b = value as? Bool { return b ? 1 : 0 }
        if let n = value as? NSNumber, let d = Double(n.description) { return d }
        if let d = value as? Double { return d }
        if let i = value as? Int { return Double(i) }
        if let n = value as? NSNumber { return n.doubleValue }
        if let s = value as? String { return Double(s) }
        return nil
    }

    /// A JSON value as a yes/no (true/false or 1/0).
    static func bool(_ value: Any) -> Bool? {
        if let b = value as? Bool { return b }
        if let d = number(value) { return d != 0 }
        return nil
    }
}

/// A step into the oracle's JSON; missing keys give a value whose accessors return nil.
struct OracleValue {
    let raw: Any?

    init(_ raw: Any?) { self.raw = raw }

    subscript(key: String) -> OracleValue {
        OracleValue((raw as? [String: Any])?[key])
    }

    subscript(index: Int) -> OracleValue {
        guard let array = raw as? [Any], array.indices.contains(index) else { return OracleValue(nil) }
        return OracleValue(array[index])
    }

    /// A number; the oracle writes non-finite values as "inf", "-inf" and "nan".
    var double: Double? {
        switch raw {
        case let s as String where s == "inf": return .infinity
        case let s as String where s == "-inf": return -.infinity
        case let s as String where s == "nan": return .nan
        case let value?: return DriftFixtures.number(value)
        case nil: return nil
        }
    }

    var int: Int? { double.map { Int($0) } }
    var string: String? { raw as? String }
    var bool: Bool? { raw.flatMap(DriftFixtures.bool) }
    var doubles: [Double] { (raw as? [Any] ?? []).map { OracleValue($0).double ?? .nan } }
    var ints: [Int] { doubles.map { Int($0) } }
    var exists: Bool { raw != nil && !(raw is NSNull) }
}

/// Expects `actual` to equal the oracle's number within `relative` (or `absolute`); a NaN in the
/// oracle expects nil.
func expectOracle(_ actual: Double?, _ expected: OracleValue, relative: Double = 1e-9, absolute: Double = 0,
                  _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let e = expected.double else {
        Issue.record("\(what): the oracle has no number here", sourceLocation: sourceLocation)
        return
    }
    if e.isNaN {
        #expect(actual == nil || actual?.isNaN == true, "\(what): expected none, got \(String(describing: actual))",
                sourceLocation: sourceLocation)
        return
    }
    if e.isInfinite {
        #expect(actual == e, "\(what): expected \(e), got \(String(describing: actual))", sourceLocation: sourceLocation)
        return
    }
    expectClose(actual, e, relative: relative, absolute: absolute, what, sourceLocation: sourceLocation)
}

/// Expects each element within `relative` of the oracle's array, and the same length.
func expectOracle(_ actual: [Double], _ expected: OracleValue, relative: Double = 1e-9, absolute: Double = 0,
                  _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let e = expected.doubles
    #expect(actual.count == e.count, "\(what): \(actual.count) values, expected \(e.count)", sourceLocation: sourceLocation)
    for (i, (a, x)) in zip(actual, e).enumerated() {
        expectClose(a, x, relative: relative, absolute: absolute, "\(what)[\(i)]", sourceLocation: sourceLocation)
    }
}
