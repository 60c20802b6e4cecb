extension Adtributor {
    /// One dimension's analysis: totals, every element with its EP and surprise, and the
    /// dimension's candidate set if its elements explain enough of the change.
    public struct Dimension: Sendable, Equatable {
        /// The dimension's name.
        public let name: String
        /// ΣF of m1 (Σ metric) over the elements.
        public let forecastSum: Double
        /// ΣF of m2 (traces) over the elements.
        public let forecastCount: Double
        /// ΣA of m1 over the elements.
        public let actualSum: Double
        /// ΣA of m2 over the elements.
        public let actualCount: Double
        /// The change to explain: ΣA1/ΣA2 − ΣF1/ΣF2 for a ratio (a side with no traces counts as
        /// 0), ΣA1 − ΣF1 for a sum.
        public let totalChange: Double
        /// The surprise summed over all elements (not only the candidate set).
        public let totalSurprise: Double
        /// Every element, most surprising first (ties: element name in code-point order).
        public let elements: [Element]
        /// The candidate set; nil when the elements above T_EEP never explain more than T_EP.
        public let candidate: Candidate?

        init(
            analysing dimension: AttributionTable.Dimension, measure: AttributionMeasure, scale: Double,
            elementThreshold: Double, setThreshold: Double
        ) {
            let cells = dimension.cells
            let f1 = cells.map { $0.baselineSum * scale }
            let f2 = cells.map { Double($0.baselineCount) * scale }
            let a1 = cells.map(\.currentSum)
            let a2 = cells.map { Double($0.currentCount) }
            // Left-to-right sums in element order, as the reference's `sum(dict.values())`.
            let tF1 = f1.reduce(0, +), tF2 = f2.reduce(0, +)
            let tA1 = a1.reduce(0, +), tA2 = a2.reduce(0, +)
            func share(_ x: Double, of total: Double) -> Double { total != 0 ? x / total : 0 }
            func ratio(_ x: Double, _ y: Double) -> Double? { y != 0 ? x / y : nil }

            var elements: [Element] = []
            elements.reserveCapacity(cells.count)
            if measure.isRatio {
                totalChange = (tA2 != 0 ? tA1 / tA2 : 0) - (tF2 != 0 ? tF1 / tF2 : 0)
                let raws = cells.indices.map { i -> Double in
                    let d1 = a1[i] - f1[i], d2 = a2[i] - f2[i]
                    let denominator = tF2 * (tF2 + d2)
                    return denominator != 0 ? (d1 * tF2 - d2 * tF1) / denominator : 0
                }
                let rawSum = raws.reduce(0, +)
                for i in cells.indices {
                    let p1 = share(f1[i], of: tF1), q1 = share(a1[i], of: tA1)
                    let s1 = Adtributor.surprise(forecastShare: p1, actualShare: q1)
                    let s2 = Adtributor.surprise(
                        forecastShare: share(f2[i], of: tF2), actualShare: share(a2[i], of: tA2))
                    elements.append(Element(
                        name: cells[i].element, forecastSum: f1[i], forecastCount: f2[i],
                        actualSum: a1[i], actualCount: a2[i],
                        forecastValue: ratio(f1[i], f2[i]), actualValue: ratio(a1[i], a2[i]),
                        forecastShare: p1, actualShare: q1,
                        explanatoryPowerRaw: raws[i], explanatoryPower: rawSum != 0 ? raws[i] / rawSum : nil,
                        surprise: s1 + s2, sumSurprise: s1, countSurprise: s2))
                }
            } else {
                let change = tA1 - tF1
                totalChange = change
                for i in cells.indices {
                    let p = share(f1[i], of: tF1), q = share(a1[i], of: tA1)
                    elements.append(Element(
                        name: cells[i].element, forecastSum: f1[i], forecastCount: f2[i],
                        actualSum: a1[i], actualCount: a2[i], forecastValue: f1[i], actualValue: a1[i],
                        forecastShare: p, actualShare: q,
                        explanatoryPowerRaw: nil, explanatoryPower: change != 0 ? (a1[i] - f1[i]) / change : nil,
                        surprise: Adtributor.surprise(forecastShare: p, actualShare: q),
                        sumSurprise: nil, countSurprise: nil))
                }
            }
            name = dimension.name
            forecastSum = tF1
            forecastCount = tF2
            actualSum = tA1
            actualCount = tA2
            totalSurprise = elements.reduce(0) { $0 + $1.surprise }
            self.elements = elements.sorted { a, b in
                a.surprise != b.surprise ? a.surprise > b.surprise : AttributionTable.precedes(a.name, b.name)
            }

            // The paper's Fig. 2: in order of surprise, add each element whose EP is above T_EEP;
            // the set is complete as soon as its EP is above T_EP (checked after every element,
            // added or not, as the reference does).
            var chosen: [String] = [], explains = 0.0, surprise = 0.0
            var candidate: Candidate?
            for element in self.elements {
                if let ep = element.explanatoryPower, ep > elementThreshold {
                    chosen.append(element.name)
                    explains += ep
                    surprise += element.surprise
                }
                if explains > setThreshold {
                    candidate = Candidate(
                        dimension: dimension.name, elements: chosen, explanatoryPower: explains, surprise: surprise)
                    break
                }
            }
            self.candidate = candidate
        }
    }

    /// One element of a dimension: forecast F and actual A of m1 (Σ metric) and m2 (traces),
    /// its explanatory power and its surprise.
    public struct Element: Sendable, Equatable {
        /// The element's name (`(missing)` for no value).
        public let name: String
        /// F1: the baseline Σ metric times the forecast scale.
        public let forecastSum: Double
        /// F2: the baseline traces times the forecast scale.
        public let forecastCount: Double
        /// A1: the current Σ metric.
        public let actualSum: Double
        /// A2: the current traces.
        public let actualCount: Double
        /// The measure's forecast value: F1/F2 for a ratio (nil without forecast traces), F1 for
        /// a sum.
        public let forecastValue: Double?
        /// The measure's actual value: A1/A2 for a ratio (nil without current traces), A1 for a sum.
        public let actualValue: Double?
        /// p = F1/ΣF1, the element's forecast share of the metric (0 when ΣF1 = 0).
        public let forecastShare: Double
        /// q = A1/ΣA1, the element's actual share of the metric (0 when ΣA1 = 0).
        public let actualShare: Double
        /// For a ratio, the un-normalised finite-difference EP (how much the element alone moves
        /// the dimension's ratio); nil for a sum.
        public let explanatoryPowerRaw: Double?
        /// The share of the change the element explains (the EPs of a dimension sum to 1; they
        /// can be negative or above 1); nil when the change, or the raw EPs' sum, is 0.
        public let explanatoryPower: Double?
        /// The element's surprise: S(m1) + S(m2) for a ratio, S(m1) for a sum.
        public let surprise: Double
        /// For a ratio, S(m1), the surprise of the metric's shares; nil for a sum.
        public let sumSurprise: Double?
        /// For a ratio, S(m2), the surprise of the traffic shares; nil for a sum.
        public let countSurprise: Double?
    }

    /// A candidate root cause: the elements of one dimension that together explain more than
    /// T_EP of the change.
    public struct Candidate: Sendable, Equatable {
        /// The dimension.
        public let dimension: String
        /// The elements, in the order they were taken (most surprising first).
        public let elements: [String]
        /// Their accumulated EP (above T_EP).
        public let explanatoryPower: Double
        /// Their accumulated surprise, the rank of the candidate among dimensions.
        public let surprise: Double

        public init(dimension: String, elements: [String], explanatoryPower: Double, surprise: Double) {
            self.dimension = dimension
            self.elements = elements
            self.explanatoryPower = explanatoryPower
            self.surprise = surprise
        }
    }
}
