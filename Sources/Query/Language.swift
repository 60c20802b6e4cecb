/// The language's vocabulary, for completion and help: what a user may type.
public enum Language {
    public static let stages = Stage.names
    public static let scalarFunctions = ScalarFunction.allCases.map(\.rawValue)
    public static let aggregateFunctions = AggregateFunction.allCases.map(\.rawValue)
    public static let keywords = ["and", "or", "not", "in", "between", "is", "null", "contains", "as", "by",
                                  "asc", "desc", "last", "true", "false"]
}
