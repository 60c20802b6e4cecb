/// The review rubric of relops.yaml (`rubric:`, docs/configuration.md): the criteria a reviewer
/// scores a trace on.
///
/// It lives beside the store because every layer above reads it: `Ingest` parses it, `Query`
/// turns its criteria into signals and sources, `Investigate` checks scores against it before
/// they are written to `scores`.
public struct Rubric: Sendable, Equatable {
    /// In the order relops.yaml lists them.
    public var criteria: [Criterion]

    public init(criteria: [Criterion] = []) {
        self.criteria = criteria
    }

    public func criterion(_ name: String) -> Criterion? { criteria.first { $0.name == name } }

    /// One thing a reviewer judges.
    public struct Criterion: Sendable, Equatable {
        public var name: String
        public var kind: Kind
        /// What the scale or the values mean, for the reviewer.
        public var note: String?

        public init(name: String, kind: Kind, note: String? = nil) {
            self.name = name
            self.kind = kind
            self.note = note
        }

        public enum Kind: Sendable, Equatable {
            /// A whole number from `min` to `max`, both included.
            case scale(min: Int, max: Int)
            /// One of these labels.
            case values([String])
        }

        /// What a reviewer's text means under this criterion: a number on the scale (stored in
        /// `scores.value`) or one of the labels (`scores.label`, in the rubric's spelling).
        public func read(_ text: String) -> Result<Score, ScoreProblem> {
            switch kind {
            case .scale(let low, let high):
                guard let n = Int(text.trimmingCharacters(in: .whitespaces)) else {
                    return .failure(ScoreProblem("`\(name)` takes a whole number from \(low) to \(high), not `\(text)`"))
                }
                guard n >= low, n <= high else {
                    return .failure(ScoreProblem("`\(name)` is scored from \(low) to \(high); \(n) is outside the scale"))
                }
                return .success(.number(Double(n)))
            case .values(let labels):
                if let label = labels.first(where: { $0 == text }) ?? labels.first(where: { $0.lowercased() == text.lowercased() }) {
                    return .success(.label(label))
                }
                let hint = Suggest.closest(to: text, in: labels).map { " (did you mean `\($0)`?)" } ?? ""
                return .failure(ScoreProblem("`\(name)` is one of \(labels.joined(separator: ", ")), not `\(text)`\(hint)"))
            }
        }
    }

    /// A score as stored: a number or a label.
    public enum Score: Sendable, Equatable {
        case number(Double)
        case label(String)
    }

    /// Why a reviewer's value does not fit a criterion.
    public struct ScoreProblem: Error, Sendable, Equatable {
        public var message: String
        public init(_ message: String) { self.message = message }
    }
}
