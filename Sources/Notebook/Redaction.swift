import Foundation

/// The masks `cases export … redact [PATTERN …]` puts over personal data in every exported
/// text: e-mail addresses (`[email]`), card numbers (`[card]`: 13 to 19 digits, spaces or
/// dashes between them allowed, that pass the Luhn check), phone numbers (`[phone]`) and each
/// of the user's regular expressions (`[redacted]`). Cards go before phones, so a card number
/// is never half masked as a phone; digit runs that fail the Luhn check are left alone, as are
/// dates, versions and plain numbers.
public struct Redaction: Sendable {
    /// The user's patterns, in the order given.
    public private(set) var patterns: [String]
    private let userExpressions: [NSRegularExpression]

    /// Fails on a pattern that is not a regular expression (ICU syntax, as `matches`).
    public init(patterns: [String] = []) throws {
        self.patterns = patterns
        userExpressions = try patterns.map { pattern in
            guard !pattern.isEmpty else { throw NotebookError("`redact` needs a non-empty pattern") }
            do { return try NSRegularExpression(pattern: pattern) } catch {
                throw NotebookError("`redact \"\(pattern)\"`: not a valid regular expression")
            }
        }
    }

    /// The names of the masks applied, as a case file records them.
    public var names: [String] { ["email", "card", "phone"] + patterns }

    /// `text` with every match masked.
    public func apply(_ text: String) -> String {
        var out = Self.replace(Self.email, in: text) { _ in "[email]" }
        out = Self.replace(Self.cardCandidate, in: out) { Self.isCard($0) ? "[card]" : nil }
        out = Self.replace(Self.phoneCandidate, in: out) { Self.isPhone($0) ? "[phone]" : nil }
        for expression in userExpressions {
            out = Self.replace(expression, in: out) { $0.isEmpty ? nil : "[redacted]" }
        }
        return out
    }

    // MARK: - the built-in patterns

    static let email = expression(#"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"#)
    /// 13 to 19 digits, single spaces or dashes between them, not inside a longer run nor after
    /// a `+` (an international phone number).
    static let cardCandidate = expression(#"(?<![\d+])\d(?:[ -]?\d){12,18}(?![\d])"#)
    /// `+CC …` international numbers, and national ones of groups: `(415) 555-2671`,
    /// `415-555-2671`, `415.555.2671`, `0151 2345 6789`.
    static let phoneCandidate = expression(#"(?<![\w+.-])(?:\+\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){1,5}|(?:\(\d{2,5}\)[ .-]?|\d{2,5}[ .-])\d{3,4}(?:[ .-]?\d{2,5}){1,2})(?![\w])"#)

    static func expression(_ pattern: String) -> NSRegularExpression {
        do { return try NSRegularExpression(pattern: pattern) } catch {
            preconditionFailure("built-in redaction pattern does not compile: \(pattern)")
        }
    }

    /// A card number: 13 to 19 digits that pass the Luhn check.
    static func isCard(_ text: String) -> Bool {
        let digits = text.compactMap(\.wholeNumberValue)
        guard (13...19).contains(digits.count) else { return false }
        return luhn(digits)
    }

    /// The Luhn checksum (ISO/IEC 7812): from the right, every second digit doubled (less 9
    /// above 9); the sum is a multiple of 10.
    static func luhn(_ digits: [Int]) -> Bool {
        var sum = 0
        for (i, d) in digits.reversed().enumerated() {
            let x = i % 2 == 1 ? d * 2 : d
            sum += x > 9 ? x - 9 : x
        }
        return sum % 10 == 0
    }

    /// A phone number: 7 to 15 digits (E.164 allows 15); with `+`, at least 8; without, the last
    /// group has at least 4 digits unless the number has 10 or more (so `2026-11-29` stays).
    static func isPhone(_ text: String) -> Bool {
        let digits = text.filter(\.isNumber).count
        if text.hasPrefix("+") { return (8...15).contains(digits) }
        guard (7...15).contains(digits) else { return false }
        let last = text.split(whereSeparator: { !$0.isNumber }).last?.count ?? 0
        return last >= 4 || digits >= 10
    }

    /// Replaces each match for which `mask` gives a text, from the end so ranges stay valid.
    static func replace(_ expression: NSRegularExpression, in text: String, mask: (String) -> String?) -> String {
        let matches = expression.matches(in: text, range: NSRange(text.startIndex..., in: text))
        guard !matches.isEmpty else { return text }
        var out = text
        for match in matches.reversed() {
            guard let range = Range(match.range, in: out), let replacement = mask(String(out[range])) else { continue }
            out.replaceSubrange(range, with: replacement)
        }
        return out
    }
}

extension CaseFile {
    /// Every text of every case through the redaction: input, messages, variables, the observed
    /// output, notes, the title, and the texts inside expectations (so a `contains` cannot leak
    /// what it looks for; a regular expression is left as it is).
    public func redacted(by redaction: Redaction) -> CaseFile {
        var file = self
        file.title = redaction.apply(title)
        file.redactions = redaction.names
        file.cases = cases.map { $0.redacted(by: redaction) }
        return file
    }
}

extension RegressionCase {
    func redacted(by r: Redaction) -> RegressionCase {
        var c = self
        c.provenance.incident = r.apply(provenance.incident)
        c.provenance.notes = provenance.notes.map(r.apply)
        c.provenance.causes = provenance.causes.map { .init(dimension: $0.dimension, value: $0.value, note: $0.note.map(r.apply)) }
        c.input.text = input.text.map(r.apply)
        c.input.messages = input.messages.map { .init(role: $0.role, content: r.apply($0.content)) }
        c.input.variables = input.variables.mapValues(r.apply)
        c.observed.output = observed.output.map(r.apply)
        c.expectations = expectations.map { e in
            switch e {
            case .contains(let s): return .contains(r.apply(s))
            case .notContains(let s): return .notContains(r.apply(s))
            case .equals(let s): return .equals(r.apply(s))
            default: return e
            }
        }
        return c
    }
}
