import Foundation
import Query
import Store
import Testing

/// `between A and B`: two `where` expressions around a keyword that an expression may hold
/// itself, split where both sides parse; ambiguous and missing splits are errors with a place.
@Suite struct SlicePairTests {
    func split(_ text: String) throws -> (String, String) {
        let (a, b) = try SlicePair.split(QuerySource(text: text), at: "and")
        return (a.text.trimmingCharacters(in: .whitespaces), b.text.trimmingCharacters(in: .whitespaces))
    }

    @Test func splitsWhereBothSidesParse() throws {
        #expect(try split(#"prompt_version == "v1" and prompt_version == "v2""#)
                == (#"prompt_version == "v1""#, #"prompt_version == "v2""#))
        #expect(try split(#"(model == "a" and ts >= "2026-11-01") and (model == "b" and ts >= "2026-11-05")"#)
                == (#"(model == "a" and ts >= "2026-11-01")"#, #"(model == "b" and ts >= "2026-11-05")"#))
        // `and` inside a string or a between … and … is not a split point of its own.
        #expect(try split(#"intent == "and" and intent == "or""#) == (#"intent == "and""#, #"intent == "or""#))
        #expect(try split("last 7d and not last 7d") == ("last 7d", "not last 7d"))
    }

    @Test func ambiguousAndMissingSplitsAreErrors() throws {
        #expect {
            _ = try split(#"a == 1 and b == 2 and c == 3"#)
        } throws: { error in
            (error as? QueryError)?.hint?.contains("parentheses") == true
        }
        #expect(throws: QueryError.self) { _ = try split(#"prompt_version == "v1""#) }
        #expect(throws: QueryError.self) { _ = try split(#"prompt_version == and"#) }
    }

    func dimension(_ text: String) throws -> (String, String?) {
        let (slices, dimension) = try SlicePair.dimension(QuerySource(text: text))
        return (slices.text.trimmingCharacters(in: .whitespaces), dimension)
    }

    /// `… by DIM` is found among the top-level tokens only: a `by` in a string, a quoted
    /// identifier or parentheses belongs to the slices.
    @Test func trailingByNamesTheDimension() throws {
        #expect(try dimension("v1 and v2 by intent") == ("v1 and v2", "intent"))
        #expect(try dimension("v1 and v2 BY `model`") == ("v1 and v2", "model"))
        #expect(try dimension("v1 and v2") == ("v1 and v2", nil))
        #expect(try dimension(#"intent == "by" and intent == "x by y""#) == (#"intent == "by" and intent == "x by y""#, nil))
        #expect(try dimension(#"intent == "by" and v2 by model"#) == (#"intent == "by" and v2"#, "model"))
        #expect(try dimension("(a by b) and v2") == ("(a by b) and v2", nil))
        #expect(try dimension("v1 and v2 by model # the model\n") == ("v1 and v2", "model"))
    }

    @Test(arguments: [
        ("v1 and v2 by", "`by` needs a dimension"),
        ("v1 and v2 by 3", "expected a dimension after `by`, found a number"),
        ("v1 and v2 by \"model\"", "expected a dimension after `by`, found a string"),
        ("v1 and v2 by model intent", "expected the end after `by model`, found `intent`"),
        ("v1 by model and v2", "expected the end after `by model`, found `and`"),
    ])
    func badDimensionsAreErrorsAtTheirPlace(_ text: String, _ message: String) {
        #expect {
            _ = try dimension(text)
        } throws: { error in
            (error as? QueryError)?.message == message
        }
    }

    func dimensions(_ text: String) throws -> (String, [SlicePair.Dimension]) {
        let (slices, found) = try SlicePair.dimensions(QuerySource(text: text), after: "with")
        return (slices.text, found)
    }

    @Test func trailingWithNamesFieldsAndAttributes() throws {
        #expect(try dimensions(#"v1 and v2 with user_id, attr."app.locale", attr.app.tier"#)
                == ("v1 and v2 ", [.field("user_id"), .attribute("app.locale"), .attribute("app.tier")]))
        #expect(try dimensions("v1 and v2") == ("v1 and v2", []))
        #expect(try dimensions(#"intent == "with" and (a with b)"#) == (#"intent == "with" and (a with b)"#, []))
    }

    @Test(arguments: [
        ("v1 and v2 with", 14, "expected an expression"),
        ("v1 and v2 with 3", 15, "expected a field or `attr.\"key\"` after `with`"),
        ("v1 and v2 with user_id,", 23, "expected an expression"),
        ("v1 and v2 with user_id model", 23, "expected `,` and another dimension, or the end, found `model`"),
        ("v1 and v2 with latency_ms > 3", 15, "expected a field or `attr.\"key\"` after `with`"),
    ])
    func badWithListsAreErrorsAtTheirPlace(_ text: String, _ column: Int, _ message: String) {
        #expect {
            _ = try dimensions(text)
        } throws: { error in
            guard let error = error as? QueryError else { return false }
            return error.message.hasPrefix(message) && error.range.lowerBound == column
        }
    }

    /// Two conditions for one statement share one list of bound values.
    @Test func conditionsShareTheirPlaceholders() throws {
        let engine = try QueryStore.engine()
        let conditions = try engine.conditions([QuerySource(text: #"prompt_version == "v1" and latency_ms > 100"#),
                                                QuerySource(text: #"prompt_version == "v2" and latency_ms > 100"#)])
        #expect(conditions[0].parameters == conditions[1].parameters)
        #expect(conditions[0].parameters.count == 3, "the shared 100 is bound once")
        let rows = try engine.database.query(
            "SELECT sum(CASE WHEN \(conditions[0].sql) THEN 1 ELSE 0 END), sum(CASE WHEN \(conditions[1].sql) THEN 1 ELSE 0 END) FROM traces",
            conditions[0].parameters).rows[0]
        let v1 = try engine.database.scalar("SELECT count(*) FROM traces WHERE prompt_version = 'v1' AND latency_ms > 100")
        let v2 = try engine.database.scalar("SELECT count(*) FROM traces WHERE prompt_version = 'v2' AND latency_ms > 100")
        #expect(rows == [v1, v2])
        #expect(v1 != .integer(0) && v2 != .integer(0))
    }
}
