import CEditLine
import Foundation

/// Interactive line input through libedit: emacs keys and arrow-key history, with the history
/// kept in `~/.relops_history` (bounded, no consecutive duplicates).
final class LineEditor {
    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private var event = HistEvent()
    private let historyPath: String
    nonisolated(unsafe) static var prompt: [CChar] = Array("relops> ".utf8CString)

    init?(programName: String = "relops") {
        setlocale(LC_CTYPE, "")
        guard let input = fdopen(STDIN_FILENO, "r"), let output = fdopen(STDOUT_FILENO, "w"),
              let errors = fdopen(STDERR_FILENO, "w"),
              let el = el_init(programName, input, output, errors) else { return nil }
        guard let h = history_init() else { el_end(el); return nil }
        editLine = el
        history = h
        historyPath = (NSHomeDirectory() as NSString).appendingPathComponent(".relops_history")
        relops_history_setsize(h, &event, 2000)
        relops_history_setunique(h, &event, 1)
        _ = relops_history_load(h, &event, historyPath)
        relops_el_set_editor(el, "emacs")
        relops_el_set_history(el, h)
        relops_el_set_signal(el, 1)
        relops_el_set_prompt(el) { _ in
            LineEditor.prompt.withUnsafeMutableBufferPointer { $0.baseAddress }
        }
    }

    deinit {
        _ = relops_history_save(history, &event, historyPath)
        history_end(history)
        el_end(editLine)
    }

    /// The next line without its newline; nil at end of input (Ctrl-D).
    func readLine() -> String? {
        var count: Int32 = 0
        guard let cString = el_gets(editLine, &count), count > 0 else { return nil }
        var line = String(cString: cString)
        if line.hasSuffix("\n") { line.removeLast() }
        if !line.trimmingCharacters(in: .whitespaces).isEmpty {
            _ = relops_history_enter(history, &event, line)
        }
        return line
    }
}

extension Console {
    /// The interactive shell: a prompt, line editing and history.
    public func interactive(banner: String) {
        writeError(banner)
        guard let editor = LineEditor() else {
            runPipedInput()
            return
        }
        while let line = editor.readLine() {
            execute(line)
        }
        write("\n")
    }
}
