import Foundation

/// A notebook of an investigation (DESIGN.md, "Session"): the commands run, in order, with
/// their outputs, the notes between them, and the evidence — pins and causes. `sessions/NAME.md`
/// holds it (`SessionFormat`); the shell keeps the current one and journals it as it grows.
public struct Session: Sendable, Equatable {
    /// The format version `SessionFormat` writes.
    public static let formatVersion = 1

    public var title: String
    /// When the session started and when it last changed (RFC 3339, UTC): saving an unchanged
    /// session writes the same bytes.
    public var created: String
    public var updated: String
    /// The loads of the store the session ran on: what its results were computed from.
    public var loads: [LoadIdentity]
    /// Cells and notes, in the order they happened.
    public var entries: [Entry]
    public var pins: [Pin]
    public var causes: [RootCause]

    public enum Entry: Sendable, Equatable {
        case cell(Cell)
        case note(Note)
    }

    public init(title: String, created: String, updated: String? = nil, loads: [LoadIdentity] = [], entries: [Entry] = [],
                pins: [Pin] = [], causes: [RootCause] = []) {
        self.title = title
        self.created = created
        self.updated = updated ?? created
        self.loads = loads
        self.entries = entries
        self.pins = pins
        self.causes = causes
    }

    public var cells: [Cell] {
        entries.compactMap { if case .cell(let c) = $0 { return c } else { return nil } }
    }

    public var isEmpty: Bool { entries.isEmpty && pins.isEmpty && causes.isEmpty }
}

/// One command run in the shell: the line, when and how long, whether it failed, its output as
/// text, and a digest of its typed result (`ResultDigest`) that `session rerun` compares.
public struct Cell: Sendable, Equatable {
    public var command: String
    public var at: String
    public var durationMs: Double
    public var ok: Bool
    /// The rendered result (plain text, at most `Cell.outputLimit` lines), or the error.
    public var output: String
    /// The digest of the typed result without its volatile values; nil for an error.
    public var digest: String?

    public init(command: String, at: String, durationMs: Double, ok: Bool, output: String, digest: String?) {
        self.command = command
        self.at = at
        self.durationMs = durationMs
        self.ok = ok
        self.output = output
        self.digest = digest
    }

    /// Lines of output a cell keeps (the digest covers the whole result).
    public static let outputLimit = 60
}

/// `note "…"`: the investigator's words between cells.
public struct Note: Sendable, Equatable {
    public var text: String
    public var at: String

    public init(text: String, at: String) {
        self.text = text
        self.at = at
    }
}

/// `cause DIM = VALUE [note "…"]`: a root cause, with the pins whose traces carry it.
public struct RootCause: Sendable, Equatable {
    public var dimension: String
    public var value: String
    public var note: String?
    public var at: String
    /// Trace ids of the session's pins under DIM = VALUE when the cause was recorded.
    public var pins: [String]

    public init(dimension: String, value: String, note: String?, at: String, pins: [String]) {
        self.dimension = dimension
        self.value = value
        self.note = note
        self.at = at
        self.pins = pins
    }
}

/// A load the session's results came from: its file's digest identifies it across stores.
public struct LoadIdentity: Sendable, Equatable, Hashable {
    public var path: String
    public var sha256: String
    public var traces: Int64

    public init(path: String, sha256: String, traces: Int64) {
        self.path = path
        self.sha256 = sha256
        self.traces = traces
    }
}
