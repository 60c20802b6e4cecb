/// One value of one dimension with its aggregates in the baseline and the current slice: the
/// input of `explain` (`Adtributor`, `SliceProportionTest`, `DimensionMix`).
///
/// Shaped after one row of a `GROUP BY` over both slices, so that a single query per dimension
/// fills it (`SELECT dim, SUM(baseline), SUM(CASE WHEN baseline THEN metric END), SUM(current),
/// SUM(CASE WHEN current THEN metric END) … GROUP BY dim`). Every dimension must account for every
/// trace of both slices: a trace without a value belongs to the NULL group, which becomes the
/// element `(missing)`. A trace whose metric is NULL should be left out of both the count and the
/// sum, as the reference refuses such rows.
public struct AttributionRow: Sendable, Equatable {
    /// The element name that stands for no value: NULL, empty or only whitespace.
    public static let missingElement = "(missing)"

    /// The dimension (prompt version, model, intent, …).
    public let dimension: String
    /// The value as stored; nil for SQL NULL.
    public let element: String?
    /// The number of baseline traces with this value.
    public let baselineCount: Int
    /// Σ metric over those baseline traces (the number of refusals for a 0/1 metric).
    public let baselineSum: Double
    /// The number of current traces with this value.
    public let currentCount: Int
    /// Σ metric over those current traces.
    public let currentSum: Double

    public init(
        dimension: String, element: String?, baselineCount: Int, baselineSum: Double,
        currentCount: Int, currentSum: Double
    ) {
        precondition(baselineCount >= 0 && currentCount >= 0, "attribution counts must not be negative")
        self.dimension = dimension
        self.element = element
        self.baselineCount = baselineCount
        self.baselineSum = baselineSum
        self.currentCount = currentCount
        self.currentSum = currentSum
    }

    /// The name the element is reported and grouped under: the value with surrounding whitespace
    /// removed, or `(missing)` for NULL and blank values.
    ///
    /// This is the reference's rule (Python's `str.strip()`, so the same whitespace characters),
    /// which means `"v2 "` and `"v2"` are one element, and NULL and `""` are another.
    public var elementName: String {
        Self.elementName(element)
    }

    /// The name a stored value is reported under (see `elementName`).
    public static func elementName(_ value: String?) -> String {
        guard let value else { return missingElement }
        let scalars = value.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isPythonWhitespace($0) }),
              let last = scalars.lastIndex(where: { !isPythonWhitespace($0) })
        else { return missingElement }
        return String(scalars[first...last])
    }

    /// Whether Python's `str.isspace` holds for the scalar: what `str.strip()` removes.
    private static func isPythonWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029,
             0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }
}
