/// Span attributes stored as a shape and a list of values (schema 6, docs/schema.md).
///
/// Spans of one kind from one service carry the same attribute keys in the same order, and
/// the keys were more than half of every stored attribute object. So a span's object is kept
/// as its shape — the key list, stored once in `attr_shapes` and `attr_shape_keys` — and a
/// JSON array of its values, each value's original text unchanged (`span_rows.attr_shape`,
/// `span_rows.attr_values`). The `spans` view puts the object together again with SQLite's
/// own JSON functions, so the sqlite3 CLI still reads `spans.attrs` as before.
///
/// An object this encoding does not take as it is (no members, a key with an escape, text
/// that is not one JSON object) is kept whole in `attr_values` with a null shape: nothing
/// is ever lost to the encoding. So are the objects of new key lists once a store holds
/// `maxShapes` of them (spans whose keys vary freely gain nothing from shapes).
public final class AttributeShapes {
    let db: Database
    private var ids: [String: Int64] = [:]
    private let insertShape: Statement
    private let findShape: Statement
    private let insertKey: Statement
    /// The values array being built (reused from span to span).
    private var values: [UInt8] = []
    private var signature: [UInt8] = []
    private var keys: [Range<Int>] = []
    private var stored: Int64

    /// How many shapes a store holds at most.
    public static let maxShapes: Int64 = 10_000

    /// Shapes are added inside the caller's transaction; after a rollback, call `forget`.
    public init(database: Database) throws(StoreError) {
        db = database
        insertShape = try database.prepare("INSERT OR IGNORE INTO attr_shapes (keys) VALUES (?)")
        findShape = try database.prepare("SELECT shape_id FROM attr_shapes WHERE keys = ?")
        insertKey = try database.prepare("INSERT INTO attr_shape_keys (shape_id, position, key) VALUES (?, ?, ?)")
        stored = try database.scalar("SELECT count(*) FROM attr_shapes").int64Value ?? 0
    }

    /// Drops the shapes known so far (a rolled-back transaction may have taken some away).
    public func forget() throws(StoreError) {
        ids.removeAll()
        stored = try db.scalar("SELECT count(*) FROM attr_shapes").int64Value ?? 0
    }

    /// Binds a span's attribute object (JSON text) as `attr_values` at `valuesIndex` and
    /// `attr_shape` at `shapeIndex`.
    public func bind(_ object: String, to statement: Statement, values valuesIndex: Int32, shape shapeIndex: Int32) throws(StoreError) {
        var object = object
        if object.withUTF8({ split(UnsafeRawBufferPointer($0)) }), let id = try shapeId(String(decoding: signature, as: UTF8.self)) {
            values.withUnsafeBytes { statement.bindText($0, at: valuesIndex) }
            statement.bind(id, at: shapeIndex)
        } else {
            statement.bind(object, at: valuesIndex)
            statement.bindNull(at: shapeIndex)
        }
    }

    /// The id of the shape with this signature, added (with its keys) if the store lacks it
    /// and has room; nil when it has none.
    private func shapeId(_ signature: String) throws(StoreError) -> Int64? {
        if let known = ids[signature] { return known }
        var id: Int64?
        if stored < Self.maxShapes {
            insertShape.bind(signature, at: 1)
            try insertShape.run()
            if db.changes == 1 {
                let added = db.lastInsertRowID
                // The signature is a JSON array of the keys as they were written (no escapes).
                for (position, range) in keys.enumerated() {
                    insertKey.bind(added, at: 1)
                    insertKey.bind(Int64(position), at: 2)
                    self.signature.withUnsafeBytes { insertKey.bindText(UnsafeRawBufferPointer(rebasing: $0[range]), at: 3) }
                    try insertKey.run()
                }
                stored += 1
                id = added
            }
        }
        if id == nil {
            // Another writer added it, or the store is full and may still have it.
            findShape.bind(signature, at: 1)
            defer { findShape.reset() }
            if try findShape.step() { id = findShape.int64(at: 0) }
        }
        if let id { ids[signature] = id }
        return id
    }

    /// Splits an object's text into `signature` (`["key",…]`, key ranges in `keys`) and
    /// `values` (`[value,…]`, each value's text as written). False for anything else.
    private func split(_ text: UnsafeRawBufferPointer) -> Bool {
        values.removeAll(keepingCapacity: true)
        signature.removeAll(keepingCapacity: true)
        keys.removeAll(keepingCapacity: true)
        var scanner = JSONTextScanner(text)
        scanner.skipWhitespace()
        guard scanner.consume(0x7B) else { return false }
        scanner.skipWhitespace()
        if scanner.consume(0x7D) { return false }
        values.append(0x5B)
        signature.append(0x5B)
        while true {
            guard let key = scanner.plainString() else { return false }
            if !keys.isEmpty {
                signature.append(0x2C)
                values.append(0x2C)
            }
            signature.append(0x22)
            let start = signature.count
            signature.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[key]))
            keys.append(start..<signature.count)
            signature.append(0x22)
            scanner.skipWhitespace()
            guard scanner.consume(0x3A) else { return false }
            scanner.skipWhitespace()
            guard let value = scanner.value() else { return false }
            values.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[value]))
            scanner.skipWhitespace()
            if scanner.consume(0x2C) {
                scanner.skipWhitespace()
                continue
            }
            guard scanner.consume(0x7D) else { return false }
            break
        }
        scanner.skipWhitespace()
        guard scanner.atEnd else { return false }
        values.append(0x5D)
        signature.append(0x5D)
        return true
    }
}

/// A cursor over JSON text that finds where members and values start and end, without
/// decoding them (the text was parsed when it was read; this only needs its boundaries).
struct JSONTextScanner {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var atEnd: Bool { position >= bytes.count }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    /// A string without escapes: the range of its characters (between the quotes).
    mutating func plainString() -> Range<Int>? {
        guard consume(0x22) else { return nil }
        let start = position
        while position < bytes.count {
            let c = bytes[position]
            if c == 0x22 {
                position += 1
                return start..<(position - 1)
            }
            if c == 0x5C || c < 0x20 { return nil }
            position += 1
        }
        return nil
    }

    /// One whole value (string, number, literal, object or array): its range.
    mutating func value() -> Range<Int>? {
        let start = position
        guard position < bytes.count else { return nil }
        switch bytes[position] {
        case 0x22:
            guard skipString() else { return nil }
        case 0x7B, 0x5B:
            var depth = 0
            while position < bytes.count {
                switch bytes[position] {
                case 0x22:
                    guard skipString() else { return nil }
                    continue
                case 0x7B, 0x5B: depth += 1
                case 0x7D, 0x5D:
                    depth -= 1
                    if depth == 0 {
                        position += 1
                        return start..<position
                    }
                default: break
                }
                position += 1
            }
            return nil
        default:
            // A number or a literal: up to the next delimiter.
            while position < bytes.count {
                switch bytes[position] {
                case 0x2C, 0x7D, 0x5D, 0x20, 0x09, 0x0A, 0x0D: return position > start ? start..<position : nil
                case 0x2D, 0x2B, 0x2E, 0x30...0x39, 0x41...0x5A, 0x61...0x7A: position += 1
                default: return nil
                }
            }
            return position > start ? start..<position : nil
        }
        return start..<position
    }

    /// Past a string at the cursor, escapes included.
    private mutating func skipString() -> Bool {
        position += 1
        while position < bytes.count {
            switch bytes[position] {
            case 0x5C: position += 2
            case 0x22:
                position += 1
                return true
            default: position += 1
            }
        }
        return false
    }
}

/// Puts span attribute objects together from their shapes in Swift, as the `spans` view does
/// in SQL, for scans over many spans (re-derivation): the view spends about 12 µs a span on it.
public final class AttributeObjects {
    private var keys: [Int64: [[UInt8]]] = [:]
    private let select: Statement
    private var buffer: [UInt8] = []

    public init(database: Database) throws(StoreError) {
        select = try database.prepare("SELECT key FROM attr_shape_keys WHERE shape_id = ? ORDER BY position")
    }

    /// The object of a `span_rows` row: `values` itself when the row has no shape.
    public func object(shape: Int64?, values: String) throws(StoreError) -> String {
        guard let shape else { return values }
        let names = try keys(of: shape)
        var values = values
        let built = values.withUTF8 { build(names, UnsafeRawBufferPointer($0)) }
        guard built else {
            throw StoreError(kind: .sqlite, message: "span attributes do not match their shape \(shape)")
        }
        return String(decoding: buffer, as: UTF8.self)
    }

    private func keys(of shape: Int64) throws(StoreError) -> [[UInt8]] {
        if let known = keys[shape] { return known }
        select.bind(shape, at: 1)
        defer { select.reset() }
        var names: [[UInt8]] = []
        while try select.step() {
            // Shape keys hold no character that needs an escape (AttributeShapes takes none).
            names.append([0x22] + Array((select.text(at: 0) ?? "").utf8) + [0x22, 0x3A])
        }
        keys[shape] = names
        return names
    }

    private func build(_ names: [[UInt8]], _ text: UnsafeRawBufferPointer) -> Bool {
        buffer.removeAll(keepingCapacity: true)
        buffer.append(0x7B)
        var scanner = JSONTextScanner(text)
        scanner.skipWhitespace()
        guard scanner.consume(0x5B) else { return false }
        for (i, name) in names.enumerated() {
            scanner.skipWhitespace()
            if i > 0 {
                guard scanner.consume(0x2C) else { return false }
                scanner.skipWhitespace()
                buffer.append(0x2C)
            }
            guard let value = scanner.value() else { return false }
            buffer.append(contentsOf: name)
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[value]))
        }
        scanner.skipWhitespace()
        guard scanner.consume(0x5D) else { return false }
        buffer.append(0x7D)
        return true
    }
}
