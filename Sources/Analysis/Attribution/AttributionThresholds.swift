/// The settings of Adtributor that `explain` exposes (relops.yaml `thresholds.explain`,
/// docs/configuration.md): T_EEP, T_EP and how many candidate sets the plain ranking keeps.
public struct AttributionThresholds: Sendable, Equatable {
    /// T_EEP: a value joins a candidate set only with an explanatory power above this (0.1).
    public var element: Double
    /// T_EP: a candidate set is complete once its explanatory power is above this (0.67).
    public var set: Double
    /// How many candidate sets Adtributor's own ranking keeps (3).
    public var top: Int

    public init(element: Double = Adtributor.defaultElementThreshold, set: Double = Adtributor.defaultSetThreshold,
                top: Int = Adtributor.defaultTop) {
        self.element = element
        self.set = set
        self.top = top
    }
}
