import Testing

/// Whether `actual` is within `relative` of `expected` (or within `absolute`, for values near 0).
func isClose(_ actual: Double?, _ expected: Double, relative: Double = 1e-9, absolute: Double = 0) -> Bool {
    guard let actual else { return false }
    if actual == expected { return true }
    let error = abs(actual - expected)
    return error <= absolute || error <= relative * abs(expected)
}

/// Expects `actual` to be within `relative` of `expected`, reporting both values on failure.
func expectClose(
    _ actual: Double?, _ expected: Double, relative: Double = 1e-9, absolute: Double = 0,
    _ what: String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        isClose(actual, expected, relative: relative, absolute: absolute),
        "\(what) got \(actual.map { "\($0)" } ?? "nil"), expected \(expected)",
        sourceLocation: sourceLocation)
}

/// The paired data sets of `oracle/paired_oracle.py` (its "data" section, pasted).
enum OracleData {
    static let latencyA: [Double] = [888.0, 727.3, 471.2, 332.6, 350.0, 100.0, 457.3, 305.1, 492.7, 505.4, 862.5, 324.9, 491.3, 1027.8, 289.0, 415.2, 420.0, 189.9, 502.8, 205.9, 903.8, 190.0, 469.1, 382.6, 501.8, 531.6, 241.7, 514.3, 284.1, 592.0, 203.0, 261.6, 390.6, 614.4, 337.2, 373.2, 890.4, 607.6, 399.4, 291.1, 282.0, 310.9, 252.4, 489.3, 555.4, 625.6, 231.3, 383.8, 294.9, 1243.8]
    static let latencyB: [Double] = [1196.1, 530.6, 642.7, 427.3, 389.0, 131.7, 609.4, 321.1, 597.1, 483.4, 887.3, 347.3, 592.2, 1066.4, 304.4, 475.5, 320.1, 213.8, 644.4, 268.9, 1095.3, 172.3, 564.6, 491.7, 592.2, 501.4, 279.3, 477.2, 243.3, 741.2, 241.7, 380.1, 555.8, 575.8, 330.1, 542.1, 759.6, 693.4, 381.2, 266.6, 301.9, 412.6, 268.7, 503.4, 491.9, 601.9, 242.6, 392.5, 449.1, 1204.5]
    static let smallA: [Double] = [120.0, 95.5, 143.25]
    static let smallB: [Double] = [118.5, 101.0, 150.0]
    static let tiesA: [Double] = [10, 12, 9, 11, 10, 13, 8, 10, 12, 11, 9, 10]
    static let tiesB: [Double] = [11, 13, 10, 11, 12, 14, 9, 10, 13, 12, 10, 12]
}
