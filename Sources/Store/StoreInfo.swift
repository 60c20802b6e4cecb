/// Facts about this build of relops that the store records.
public enum StoreInfo {
    public static let relopsVersion = "0.1.0"
}
