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
    /// JSON: a million-row result costs one pass. Every value carries its type and length, so
    /// `1` and `"1"` differ and no two row lists run together.
    public static func of(rows: Rows) -> String {
        var hasher = SHA256()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16)
        func flush() {
            buffer.withUnsafeBytes { hasher.update($0) }
            buffer.removeAll(keepingCapacity: true)
        }
        func add(_ tag: UInt8, _ text: String) {
            buffer.append(tag)
            var text = text
            text.withUTF8 { utf8 in
                var n = UInt32(utf8.count)
                withUnsafeBytes(of: &n) { buffer.append(contentsOf: $0) }
                buffer.append(contentsOf: utf8)
            }
            if buffer.count >= 1 << 16 { flush() }
        }
        func add(_ tag: UInt8, bits: UInt64) {
            buffer.append(tag)
            var bits = bits
            withUnsafeBytes(of: &bits) { buffer.append(contentsOf: $0) }
            if buffer.count >= 1 << 16 { flush() }
        }
        for column in rows.columns { add(0x63, column) }
        for row in rows.rows {
            buffer.append(0x1E)
            for value in row {
                switch value {
                case .null: buffer.append(0x6E)
                case .integer(let i): add(0x69, bits: UInt64(bitPattern: i))
                case .real(let d): add(0x72, bits: d.bitPattern)
                case .text(let t): add(0x74, t)
                case .blob(let b): add(0x62, bits: UInt64(b.count))
                }
            }
        }
        flush()
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
