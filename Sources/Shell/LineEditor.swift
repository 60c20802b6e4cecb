import CEditLine
import Foundation
import Store

/// Interactive line input through libedit: emacs keys, arrow-key history and Ctrl-R search,
/// Tab completion, and Ctrl-C as a key (it abandons the line instead of killing the process).
/// History is kept in `~/.relops_history` (`RELOPS_HISTORY` overrides; bounded, no
/// consecutive duplicates).
final class LineEditor {
    enum Input: Equatable {
        case line(String)
        /// Ctrl-C; `emptyLine` when nothing had been typed on the line.
        case interrupted(emptyLine: Bool)
        case end
    }

    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private var event = HistEvent()
    private let historyPath: String
    private let completer: (String, Int) -> Completer.Result
    /// Text of the earlier lines of a statement being continued, for completion's context.
    var context = ""
    private var interrupted = false
    private var interruptedEmpty = false
    nonisolated(unsafe) static var prompt: [CChar] = Array("relops> ".utf8CString)

    init?(programName: String = "relops", completer: @escaping (String, Int) -> Completer.Result) {
        setlocale(LC_CTYPE, "")
        self.completer = completer
        guard let input = fdopen(STDIN_FILENO, "r"), let output = fdopen(STDOUT_FILENO, "w"),
              let errors = fdopen(STDERR_FILENO, "w"),
              let el = el_init(programName, input, output, errors) else { return nil }
        guard let h = history_init() else { el_end(el); return nil }
        editLine = el
        history = h
        let env = Environment.value("RELOPS_HISTORY")
        historyPath = env.flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() as NSString).appendingPathComponent(".relops_history")
        relops_history_setsize(h, &event, 2000)
        relops_history_setunique(h, &event, 1)
        _ = relops_history_load(h, &event, historyPath)
        relops_el_set_editor(el, "emacs")
        relops_el_set_history(el, h)
        relops_el_set_signal(el, 1)
        relops_el_set_prompt(el) { _ in
            LineEditor.prompt.withUnsafeMutableBufferPointer { $0.baseAddress }
        }
        relops_el_set_clientdata(el, Unmanaged.passUnretained(self).toOpaque())
        relops_el_add_function(el, "relops-complete", "complete the word before the cursor") { el, _ in
            guard let el, let data = relops_el_get_clientdata(el) else { return UInt8(CC_ERROR) }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().complete(el)
        }
        relops_el_add_function(el, "relops-interrupt", "abandon the line (Ctrl-C)") { el, _ in
            guard let el, let data = relops_el_get_clientdata(el) else { return UInt8(CC_ERROR) }
            let editor = Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue()
            editor.interrupted = true
            if let info = el_line(el)?.pointee {
                editor.interruptedEmpty = info.lastchar == info.buffer
            }
            return UInt8(CC_NEWLINE)
        }
        relops_el_bind(el, "^I", "relops-complete")
        relops_el_bind(el, "^C", "relops-interrupt")
        relops_el_bind(el, "^R", "em-inc-search-prev")
        // While editing, Ctrl-C is a key (above); while a command runs it is SIGINT again.
        relops_el_setty_no_isig(el)
    }

    deinit {
        _ = relops_history_save(history, &event, historyPath)
        history_end(history)
        el_end(editLine)
    }

    /// The next line without its newline; `.interrupted` on Ctrl-C; `.end` at Ctrl-D.
    func read(prompt: String) -> Input {
        LineEditor.prompt = Array(prompt.utf8CString)
        interrupted = false
        var count: Int32 = 0
        let cString = el_gets(editLine, &count)
        if interrupted {
            Self.printNow("^C\n")
            return .interrupted(emptyLine: interruptedEmpty)
        }
        guard let cString, count > 0 else { return .end }
        var line = String(cString: cString)
        if line.hasSuffix("\n") { line.removeLast() }
        return .line(line)
    }

    /// Adds a whole statement to the history (continued lines joined, unless a `#` comment
    /// would then swallow the rest).
    func remember(_ statement: String) {
        let lines = statement.split(separator: "\n", omittingEmptySubsequences: false)
        let entry = lines.contains { $0.contains("#") } ? statement : lines.map { $0.trimmed() }.joined(separator: " ")
        guard !entry.trimmed().isEmpty else { return }
        _ = relops_history_enter(history, &event, entry)
        _ = relops_history_save(history, &event, historyPath)
    }

    /// Tab: one candidate is inserted; several insert their common prefix, or are listed.
    private func complete(_ el: OpaquePointer) -> UInt8 {
        guard let info = el_line(el)?.pointee, let buffer = info.buffer else { return UInt8(CC_ERROR) }
        let cursorOffset = info.cursor - buffer
        let before = String(decoding: UnsafeRawBufferPointer(start: buffer, count: cursorOffset), as: UTF8.self)
        let text = context.isEmpty ? before : context + "\n" + before
        let result = completer(text, text.utf8.count)
        let typed = text.utf8.count - result.start
        guard !result.candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        if result.candidates.count == 1, let only = result.candidates.first {
            var insertion = String(decoding: Array(only.utf8).dropFirst(typed), as: UTF8.self)
            if let last = only.last, !["(", "/", "."].contains(last) { insertion += " " }
            if !insertion.isEmpty { el_insertstr(el, insertion) }
            return UInt8(CC_REFRESH)
        }
        let prefix = result.commonPrefix
        if prefix.utf8.count > typed {
            el_insertstr(el, String(decoding: Array(prefix.utf8).dropFirst(typed), as: UTF8.self))
            return UInt8(CC_REFRESH)
        }
        Self.printNow("\n" + Self.columns(result.candidates, width: Terminal.columns()))
        return UInt8(CC_REDISPLAY)
    }

    /// Writes straight to the terminal (libedit redraws the line after it).
    static func printNow(_ text: String) {
        text.utf8CString.withUnsafeBufferPointer { buffer in
            _ = write(STDOUT_FILENO, buffer.baseAddress, buffer.count - 1)
        }
    }

    /// Candidates in columns, like readline's list.
    static func columns(_ items: [String], width: Int) -> String {
        let shown = items.prefix(200)
        let cell = (shown.map(\.count).max() ?? 0) + 2
        let perLine = max(1, width / max(cell, 1))
        var out = ""
        for (i, item) in shown.enumerated() {
            out += item.padding(toLength: cell, withPad: " ", startingAt: 0)
            if (i + 1) % perLine == 0 { out += "\n" }
        }
        if shown.count % perLine != 0 { out += "\n" }
        if items.count > shown.count { out += "… and \(items.count - shown.count) more\n" }
        return out
    }
}

extension Console {
    /// The interactive shell: a prompt, line editing, history, completion and Ctrl-C. A
    /// statement continues on a `   ...> ` line after a trailing `|`, an open parenthesis or an
    /// open quote. Ctrl-C abandons the line, or stops a running command; a second Ctrl-C on an
    /// empty line, or Ctrl-D, leaves.
    public func interactive(banner: String) {
        writeError(banner)
        if let left = shell.notebook.startJournal() { writeError(left + "\n") }
        defer { finishSession() }
        let completion = ShellCompletion(shell: shell)
        guard let editor = LineEditor(completer: { completion.complete($0, cursor: $1) }) else {
            runPipedInput()
            return
        }
        Interrupt.install(for: shell.database)
        var pending = ""
        var emptyInterrupts = 0
        while true {
            editor.context = pending
            switch editor.read(prompt: pending.isEmpty ? "relops> " : "   ...> ") {
            case .end:
                write("\n")
                return
            case .interrupted(let emptyLine):
                if emptyLine && pending.isEmpty {
                    emptyInterrupts += 1
                    if emptyInterrupts >= 2 { return }
                    writeError("(Ctrl-C again or Ctrl-D to leave)\n")
                } else {
                    emptyInterrupts = 0
                }
                pending = ""
            case .line(let line):
                emptyInterrupts = 0
                let text = pending.isEmpty ? line : pending + "\n" + line
                if !Completer.isComplete(text) {
                    pending = text
                    continue
                }
                pending = ""
                editor.remember(text)
                _ = Interrupt.take()
                execute(text)
                _ = Interrupt.take()
                Interrupt.target(shell.database)
            }
        }
    }
}
