import Foundation
import Investigate
import Notebook
import Query
import Replay
import Store

/// Tab completion: what the word before the cursor may become. One place reads the command
/// table, the query language's names and the store's catalog, so completion cannot disagree
/// with dispatch or `.help`. Pure logic: the line editor only asks and inserts.
struct Completer {
    /// Candidates for the word ending at the cursor, and where that word starts (a byte offset).
    struct Result: Equatable {
        var start: Int
        var candidates: [String]

        /// The longest prefix every candidate shares.
        var commonPrefix: String {
            guard var prefix = candidates.first else { return "" }
            for c in candidates.dropFirst() {
                while !c.hasPrefix(prefix) { prefix.removeLast() }
            }
            return prefix
        }
    }

    /// Where candidates come from; the shell provides the store's.
    struct Vocabulary {
        var sources: [String] = []
        var savedQueries: [String] = []
        var fields: [String: [String]] = [:]
        var attributeKeys: () -> [String] = { [] }
        var values: (String) -> [String] = { _ in [] }
        /// Runner names of relops.yaml (after `using`).
        var runners: [String] = []
        /// Saved session names (after `session open`, `rerun`, `save`).
        var sessions: () -> [String] = { [] }
        /// Trace ids of the session's pins (after `unpin`).
        var pins: [String] = []
    }

    /// Dimensions `diff` and `replay … across` compare by.
    static let comparedDimensions = Explanation.dimensions

    static let stages = Language.stages
    static let keywords = Language.keywords
    static let functions: [String] = (Language.scalarFunctions + Language.aggregateFunctions).sorted()
    /// Commands whose argument is a path.
    static let pathCommands: Set<String> = ["load", ".read", ".open", ".output", ".once"]

    var vocabulary: Vocabulary

    func complete(_ line: String, cursor: Int) -> Result {
        let bytes = Array(line.utf8.prefix(cursor))
        let before = String(decoding: bytes, as: UTF8.self)
        // The statement so far: after the last `;`-free line start. Queries may span lines.
        let firstWord = before.drop { $0 == " " || $0 == "\t" || $0 == "\n" }.prefix { !$0.isWhitespace && $0 != "|" && $0 != "(" }
        let lower = firstWord.lowercased()

        // Paths after load, .read, .open, .output, .once.
        if Self.pathCommands.contains(lower), before.count > firstWord.count + before.prefix(while: { $0.isWhitespace }).count {
            let wordStart = Self.wordStart(bytes, allowing: { $0 != 32 && $0 != 9 })
            let word = String(decoding: bytes[wordStart...], as: UTF8.self)
            return Result(start: wordStart, candidates: Self.paths(matching: word))
        }

        // Attribute keys: attr."gen_ai.re…  or  attr.gen_ai…
        if let (quoted, partial) = Self.attributeKeyBeingTyped(before) {
            let start = bytes.count - partial.utf8.count
            let keys = vocabulary.attributeKeys().filter { $0.hasPrefix(partial) }
            return Result(start: start, candidates: keys.map { quoted ? $0 + "\"" : $0 })
        }

        let wordStart = Self.wordStart(bytes, allowing: { Self.isWordByte($0) })
        let word = String(decoding: bytes[wordStart...], as: UTF8.self)
        let head = String(decoding: bytes[..<wordStart], as: UTF8.self)
        let trimmedHead = head.trimmingCharacters(in: .whitespacesAndNewlines)

        // The first word: commands, dot-commands, sources, saved queries.
        if trimmedHead.isEmpty {
            var names = CommandTable.commands.flatMap(\.names) + CommandTable.dotCommands.flatMap(\.names)
            names += vocabulary.sources + vocabulary.savedQueries
            return Result(start: wordStart, candidates: Self.matching(word, names))
        }
        // `.mode ` and other settings with fixed words.
        if let spec = CommandTable.dotCommands.first(where: { $0.names.contains(String(lower)) }) {
            let words = Self.choices(in: spec.usage)
            return Result(start: wordStart, candidates: Self.matching(word, words))
        }
        if ["versions", "fields", "schema", "help"].contains(lower) {
            let names: [String]
            switch lower {
            case "versions": names = Database.versionDimensions
            case "fields": names = vocabulary.sources
            case "schema": names = ["traces", "spans", "loads", "rejects", "resources", "logs", "settings"]
            default: names = CommandTable.commands.map(\.name) + CommandTable.dotCommands.map(\.name)
            }
            return Result(start: wordStart, candidates: Self.matching(word, names))
        }

        if let arguments = commandArguments(lower, head: trimmedHead, word: word, wordStart: wordStart) {
            return arguments
        }

        // Inside a query: a stage after `|`, a value after `dimension ==`, else fields, functions, keywords.
        if trimmedHead.hasSuffix("|") {
            return Result(start: wordStart, candidates: Self.matching(word, Self.stages))
        }
        if let dimension = Self.comparedField(before: trimmedHead) {
            let quote = word.hasPrefix("\"") ? "" : "\""
            let partial = word.hasPrefix("\"") ? String(word.dropFirst()) : word
            let values = vocabulary.values(dimension).filter { $0.hasPrefix(partial) }.map { quote + $0 + "\"" }
            if !values.isEmpty || word.hasPrefix("\"") {
                return Result(start: wordStart, candidates: values.map { word.hasPrefix("\"") ? "\"" + $0 : $0 })
            }
        }
        let source = String(lower)
        let fields = vocabulary.fields[source] ?? vocabulary.fields["traces"] ?? []
        let names = fields + Self.functions.map { $0 + "(" } + Self.keywords + ["attr."]
        return Result(start: wordStart, candidates: Self.matching(word, names))
    }

    /// The words of `diff`, `replay` and `show` before their `where` expression: dimensions, their
    /// values, keywords, runner names and `set` dimensions. nil: not in such a place.
    func commandArguments(_ command: String, head: String, word: String, wordStart: Int) -> Result? {
        let words = head.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if let notebook = notebookArguments(command, words: words, word: word, wordStart: wordStart) { return notebook }
        if let analysis = analysisArguments(command, words: words, word: word, wordStart: wordStart) { return analysis }
        if command == "cases" { return casesArguments(words, word: word, wordStart: wordStart) }
        if command == "gate" { return gateArguments(words, word: word, wordStart: wordStart) }
        if command == "triggers" { return triggersArguments(words, word: word, wordStart: wordStart) }
        if command == "report" { return reportArguments(words, word: word, wordStart: wordStart) }
        guard ["diff", "replay", "show"].contains(command) else { return nil }
        // Within the `where` expression the query completion applies (up to a `using`).
        if let w = words.lastIndex(where: { $0.lowercased() == "where" }), !words[w...].contains(where: { $0.lowercased() == "using" }) {
            return nil
        }
        func offer(_ names: [String]) -> Result { Result(start: wordStart, candidates: Self.matching(word, names)) }
        // Values most frequent first, as in queries; quoted when they hold spaces.
        func values(_ dimension: String) -> Result {
            let shown = vocabulary.values(dimension).map { $0.contains(where: { $0.isWhitespace || $0 == "\"" }) ? "'\($0)'" : $0 }
            return Result(start: wordStart, candidates: shown.filter { $0.hasPrefix(word) })
        }
        let previous = words.last?.lowercased() ?? ""
        switch command {
        case "diff":
            switch words.count {
            case 1: return offer(Self.comparedDimensions)
            case 2, 3: return values(words[1])
            default: return previous == "examples" ? offer([]) : offer(["examples", "where"])
            }
        case "show":
            return words.count == 1 ? offer([]) : offer(["attributes"])
        default:
            if words.count == 1 { return offer(["where"]) }
            switch previous {
            case "across": return offer(Self.comparedDimensions + ["user_id", "session_id", "replay_run"])
            case "using": return offer(vocabulary.runners)
            case "limit": return offer([])
            default: break
            }
            if words.contains(where: { $0.lowercased() == "using" }) {
                return offer(ReplayTargets.settable.map { $0 + "=" } + ["set", "limit"])
            }
            return words.count == 2 ? offer(["across", "using"]) : offer([])
        }
    }

    /// The words of `session`, `pin`, `unpin` and `cause`: actions, session names, expectation
    /// words, pinned ids, dimensions and their values. nil: not one of these commands.
    func notebookArguments(_ command: String, words: [String], word: String, wordStart: Int) -> Result? {
        func offer(_ names: [String]) -> Result { Result(start: wordStart, candidates: Self.matching(word, names)) }
        let previous = words.last?.lowercased() ?? ""
        switch command {
        case "session":
            if words.count == 1 { return offer(["save", "open", "show", "list", "rerun", "recover"]) }
            if words.count == 2, ["open", "rerun", "save", "show"].contains(previous) { return offer(vocabulary.sessions()) }
            if words.count == 3 { return offer(words[1].lowercased() == "open" ? ["force"] : words[1].lowercased() == "save" ? ["title"] : []) }
            return offer([])
        case "pin":
            if words.count == 1 { return offer([]) }
            switch previous {
            case "expect": return offer(Expectation.keywords)
            case "not": return offer(["refused", "contains"])
            case "note", "contains", "matches", "equals", "tool", "max_latency", "max_cost": return offer([])
            default: return offer(["expect", "note"])
            }
        case "unpin":
            return offer(words.count == 1 ? vocabulary.pins : [])
        case "cause":
            switch words.count {
            case 1: return offer(Self.comparedDimensions)
            case 2: return offer(["="])
            case 3 where previous == "=":
                let shown = vocabulary.values(words[1]).map { $0.contains(where: { $0.isWhitespace || $0 == "\"" }) ? "'\($0)'" : $0 }
                return Result(start: wordStart, candidates: shown.filter { $0.hasPrefix(word) })
            default: return offer(previous == "note" ? [] : ["note"])
            }
        default:
            return nil
        }
    }

    /// The words of `drift`, `changes` and `explain`: signals, `between`, their options, and the
    /// dimensions after `by` (drift, changes) or `with` (explain). nil inside a slice or a
    /// `where` expression, where the query completion applies.
    func analysisArguments(_ command: String, words: [String], word: String, wordStart: Int) -> Result? {
        guard ["drift", "changes", "explain"].contains(command) else { return nil }
        func offer(_ names: [String]) -> Result { Result(start: wordStart, candidates: Self.matching(word, names)) }
        let lowered = words.map { $0.lowercased() }
        let previous = lowered.last ?? ""
        let signals = Signal.all.map(\.name)
        if previous == "by" { return offer(Self.comparedDimensions) }
        if command == "explain", previous == "with" || previous.hasSuffix(",") && lowered.contains("with") {
            return offer(Self.comparedDimensions + ["user_id", "session_id", "attr."])
        }
        if lowered.contains("between") || lowered.contains("where") { return nil }
        switch command {
        case "changes":
            if words.count == 1 { return offer(signals) }
            switch previous {
            case "every": return offer(["15m", "1h", "6h", "1d"])
            case "penalty": return offer([])
            default: return offer(["every", "by", "penalty", "where"])
            }
        case "explain":
            return offer(words.count == 1 ? signals : ["between"])
        default:
            // drift takes a list of signals (`refused, latency_ms`) before `between`.
            return offer(signals + (words.count > 1 ? ["between"] : []))
        }
    }

    /// `gate`: after `against` and a slice, its options (`cases`, `thresholds`, `triggers`, `to`, `using` and then a runner). nil inside
    /// the slices, where the query completion applies (and offers fields beside the options).
    func gateArguments(_ words: [String], word: String, wordStart: Int) -> Result? {
        let lowered = words.map { $0.lowercased() }
        guard lowered.contains("against"), lowered.last != "against" else { return nil }
        if lowered.last == "using" { return Result(start: wordStart, candidates: Self.matching(word, vocabulary.runners)) }
        let options = Self.matching(word, Shell.gateOptions)
        return options.isEmpty ? nil : Result(start: wordStart, candidates: options)
    }

    /// `triggers`: its actions; then a rules file (check, backtest) or the trace file (watch),
    /// and each action's keywords; `rules` takes a file, `every` a few intervals.
    func triggersArguments(_ words: [String], word: String, wordStart: Int) -> Result? {
        func offer(_ names: [String]) -> Result { Result(start: wordStart, candidates: Self.matching(word, names)) }
        func files(_ more: [String] = []) -> Result {
            Result(start: wordStart, candidates: Self.paths(matching: word) + Self.matching(word, more))
        }
        guard words.count > 1 else { return offer(Shell.triggerActions) }
        let lowered = words.map { $0.lowercased() }
        let previous = lowered.last ?? ""
        switch lowered[1] {
        case "check":
            if previous == "at" { return offer([]) }
            return words.count == 2 ? files(["at"]) : offer(lowered.contains("at") ? [] : ["at"])
        case "backtest":
            if previous == "between" || previous == "and" { return offer([]) }
            if words.count == 2 { return files(["between"]) }
            if lowered.contains("and") { return offer([]) }
            return offer(lowered.contains("between") ? ["and"] : ["between"])
        case "watch":
            if words.count == 2 || previous == "rules" { return files() }
            switch previous {
            case "every": return offer(["5s", "30s", "1m", "5m"])
            case "for": return offer([])
            default: return offer(["every", "rules", "for", "once"].filter { !lowered.contains($0) })
            }
        default:
            return offer([])
        }
    }

    /// `report`: the kind, then its options; a path after `thresholds` and `to`; nothing to offer
    /// after `ending` (a day); the query completion after `where` (nil).
    func reportArguments(_ words: [String], word: String, wordStart: Int) -> Result? {
        func offer(_ names: [String]) -> Result { Result(start: wordStart, candidates: Self.matching(word, names)) }
        let lowered = words.map { $0.lowercased() }
        if lowered.contains("where") { return nil }
        guard words.count > 1 else { return offer(ReportPeriod.Kind.allCases.map(\.rawValue)) }
        switch lowered.last ?? "" {
        case "thresholds", "to": return Result(start: wordStart, candidates: Self.paths(matching: word))
        case "ending": return offer([])
        default: return offer(Shell.reportOptions.filter { !lowered.contains($0) } + ["where"])
        }
    }

    /// `cases`: its actions, `export`'s keywords and formats, `check`'s file and `against`; after
    /// `against`, the query completion (nil).
    func casesArguments(_ words: [String], word: String, wordStart: Int) -> Result? {
        func offer(_ names: [String]) -> Result { Result(start: wordStart, candidates: Self.matching(word, names)) }
        guard words.count > 1 else { return offer(["check", "export"]) }
        switch (words[1].lowercased(), words.last?.lowercased() ?? "") {
        case ("export", "format"): return offer(CaseExportFormat.allCases.map(\.rawValue))
        case ("export", "to"): return Result(start: wordStart, candidates: Self.paths(matching: word))
        case ("export", _): return offer(["format", "to", "redact"])
        case ("check", _) where words.contains(where: { $0.lowercased() == "against" }): return nil
        case ("check", _): return words.count == 2 ? Result(start: wordStart, candidates: Self.paths(matching: word)) : offer(["against"])
        default: return offer([])
        }
    }

    /// `model == ` or `prompt_version in (` before the word: the field whose values to offer.
    ///
    /// This and `attributeKeyBeingTyped` scan bytes where they once used regular expressions:
    /// Foundation's first regular expression initialises ICU's, a third of the first Tab's time.
    static func comparedField(before head: String) -> String? {
        let u = Array(head.utf8)
        func isSpace(_ c: UInt8) -> Bool { c == 32 || (9...13).contains(c) }
        func isName(_ c: UInt8) -> Bool { (97...122).contains(c) || (65...90).contains(c) || (48...57).contains(c) || c == 95 }
        // The field name ending at `end`: its run of name bytes, from the first that is no digit.
        func field(endingAt end: Int) -> String? {
            var start = end
            while start > 0, isName(u[start - 1]) { start -= 1 }
            while start < end, (48...57).contains(u[start]) { start += 1 }
            return start < end ? String(decoding: u[start..<end], as: UTF8.self) : nil
        }
        // Inside `x in ("a", ` : the field before `in`.
        if head.hasSuffix(",") || head.hasSuffix("(") {
            guard let open = u.lastIndex(of: UInt8(ascii: "(")), !u[open...].contains(UInt8(ascii: ")")) else { return nil }
            var i = open
            while i > 0, isSpace(u[i - 1]) { i -= 1 }
            guard i >= 3, u[i - 2] == UInt8(ascii: "i"), u[i - 1] == UInt8(ascii: "n"), isSpace(u[i - 3]) else { return nil }
            i -= 2
            while i > 0, isSpace(u[i - 1]) { i -= 1 }
            return field(endingAt: i)
        }
        // `x == `, `x != `, `x = `.
        var i = u.count
        while i > 0, isSpace(u[i - 1]) { i -= 1 }
        guard i > 0, u[i - 1] == UInt8(ascii: "=") else { return nil }
        i -= 1
        if i > 0, u[i - 1] == UInt8(ascii: "=") || u[i - 1] == UInt8(ascii: "!") { i -= 1 }
        while i > 0, isSpace(u[i - 1]) { i -= 1 }
        return field(endingAt: i)
    }

    /// An attribute key being typed at the end of `before`: `attr.` or `attr."`, then a key with
    /// no quote, white space or `|` up to the end — the leftmost such `attr.`.
    static func attributeKeyBeingTyped(_ before: String) -> (quoted: Bool, partial: String)? {
        let u = Array(before.utf8)
        func stops(_ c: UInt8) -> Bool { c == UInt8(ascii: "\"") || c == UInt8(ascii: "|") || c == 32 || (9...13).contains(c) }
        // Everything from `clear` on is free of stop bytes.
        var clear = u.count
        while clear > 0, !stops(u[clear - 1]) { clear -= 1 }
        let attr = Array("attr.".utf8)
        guard u.count >= attr.count else { return nil }
        for k in 0...(u.count - attr.count) where u[k..<(k + attr.count)].elementsEqual(attr) {
            var key = k + attr.count
            let quoted = key < u.count && u[key] == UInt8(ascii: "\"")
            if quoted { key += 1 }
            if key >= clear { return (quoted, String(decoding: u[key...], as: UTF8.self)) }
        }
        return nil
    }

    static func matching(_ word: String, _ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { $0.hasPrefix(word) && seen.insert($0).inserted }.sorted()
    }

    /// The words of a usage line's `a|b|c` choices (`.mode table|csv|…` → table, csv, …).
    static func choices(in usage: String) -> [String] {
        usage.split(separator: " ").dropFirst().flatMap { $0.split(separator: "|") }
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "[]")) }
            .filter { !$0.isEmpty && $0 == $0.lowercased() }
    }

    static func isWordByte(_ c: UInt8) -> Bool {
        (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c == 95 || c == 46 || c == 45 || c == 34 || c >= 0x80
    }

    static func wordStart(_ bytes: [UInt8], allowing: (UInt8) -> Bool) -> Int {
        var i = bytes.count
        while i > 0, allowing(bytes[i - 1]) { i -= 1 }
        return i
    }

    /// Files and folders whose path starts with `word` (folders end in `/`; `~` expands).
    ///
    /// The folder and the name being typed are split at the last `/` by hand: Foundation's
    /// `NSString.deletingLastPathComponent` traps on a one-character path on Linux.
    static func paths(matching word: String) -> [String] {
        let expanded = word.hasPrefix("~") ? (word as NSString).expandingTildeInPath : word
        let (directory, prefix) = splitAtLastSlash(expanded)
        let listed = directory.isEmpty ? "." : directory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: listed) else { return [] }
        let typedDirectory = splitAtLastSlash(word).directory
        return names.filter { $0.hasPrefix(prefix) && (!$0.hasPrefix(".") || prefix.hasPrefix(".")) }.sorted().map { name in
            var isDirectory: ObjCBool = false
            let full = listed.hasSuffix("/") ? listed + name : listed + "/" + name
            _ = FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory)
            return typedDirectory + name + (isDirectory.boolValue ? "/" : "")
        }
    }

    /// `a/b/c` → (`a/b/`, `c`); `c` → (``, `c`); `a/` → (`a/`, ``).
    static func splitAtLastSlash(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[...slash]), String(path[path.index(after: slash)...]))
    }

    /// Whether a statement typed so far is complete, or continues on the next line: after a
    /// trailing `|`, inside parentheses, or inside a quote.
    static func isComplete(_ text: String) -> Bool {
        var depth = 0
        var quote: Character?
        var inComment = false
        var previous: Character = " "
        for c in text {
            if inComment { if c == "\n" { inComment = false }; continue }
            if let q = quote {
                if c == q, previous != "\\" { quote = nil }
                previous = c == "\\" && previous == "\\" ? " " : c
                continue
            }
            switch c {
            case "\"", "'", "`": quote = c
            case "(": depth += 1
            case ")": depth -= 1
            case "#": inComment = true
            default: break
            }
            previous = c
        }
        if quote != nil || depth > 0 { return false }
        var trimmed = text
        // A trailing comment does not end a statement: look at the code before it.
        if let hash = Self.commentStart(text) { trimmed = String(text[..<hash]) }
        return !trimmed.trimmed().hasSuffix("|")
    }

    static func commentStart(_ text: String) -> String.Index? {
        var quote: Character?
        var i = text.startIndex
        var lastLineStart = text.startIndex
        var found: String.Index?
        while i < text.endIndex {
            let c = text[i]
            if c == "\n" { lastLineStart = text.index(after: i); found = nil; quote = nil }
            else if let q = quote { if c == q { quote = nil } }
            else if c == "\"" || c == "'" || c == "`" { quote = c }
            else if c == "#", found == nil, i >= lastLineStart { found = i }
            i = text.index(after: i)
        }
        return found
    }
}
