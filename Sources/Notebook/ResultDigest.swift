import Ingest
import Store

/// The digest of a command's typed result (its JSON document, docs/ lists each command's keys)
/// with the values that change from run to run removed: timings and wall-clock times. Two runs
/// with the same digest computed the same thing; `session rerun` reports cells whose digest moved.
public enum ResultDigest {
    /// Keys whose values are timings or moments of the run, not results.
    public static let volatileKeys: Set<String> = [
        "elapsed_ms", "duration_ms", "started_at", "finished_at", "loaded_at", "pinned_at", "drawn_at", "scored_at", "at",
    ]

    /// The first 16 hex digits of the SHA-256 of the canonical JSON; nil when `json` is not JSON.
    public static func of(json: String) -> String? {
        guard let value = try? JSONParser.parse(json) else { return nil }
        var writer = JSONWriter()
        writer.write(stripped(value))
        return String(SHA256.hex(of: writer.output).prefix(16))
    }

    /// The digest of rows (a query's or a table's), fed value by value without building their
    /// JSON: a million-row result costs one pass. Every value carries its type, so `1` and
    /// `"1"` differ.
    public static func of(rows: Rows) -> String {
        var hasher = SHA256()
        func feed(_ text: String) {
            var text = text
            text.withUTF8 { hasher.update(UnsafeRawBufferPointer($0)) }
        }
        feed("columns\u{1F}" + rows.columns.joined(separator: "\u{1F}") + "\u{1E}")
        for row in rows.rows {
            for value in row {
                switch value {
                case .null: feed("n\u{1F}")
                case .integer(let i): feed("i\(i)\u{1F}")
                case .real(let d): feed("r\(d)\u{1F}")
                case .text(let t): feed("t\(t.utf8.count):"); feed(t); feed("\u{1F}")
                case .blob(let b): feed("b\(b.count)\u{1F}")
                }
            }
            feed("\u{1E}")
        }
        return String(hasher.hex.prefix(16))
    }

    static func stripped(_ value: JSON) -> JSON {
        switch value {
        case .object(let members): return .object(members.filter { !volatileKeys.contains($0.0) }.map { ($0.0, stripped($0.1)) })
        case .array(let items): return .array(items.map(stripped))
        default: return value
        }
    }
}
