import Foundation
import RunbookEngine
import RunbookLanguage
import Synchronization

/// Asks the person at the terminal to answer a gate: `[y/N]`, where anything but yes denies and end of input denies
/// (or, for `runbook attach`, answers nothing: nil).
final class TerminalGatePrompter: GatePrompter {
    private let console: Console
    private let observer: TerminalObserver
    private let input = StandardInputLines()
    private let endOfInputDenies: Bool

    init(console: Console, observer: TerminalObserver, endOfInputDenies: Bool = true) {
        self.console = console
        self.observer = observer
        self.endOfInputDenies = endOfInputDenies
    }

    /// A multi-line command as it is written, each line keeping its indent, the lines after the first under a `│`
    /// margin, so that no line of it can pass for a line of the prompt's own; each line's control characters are
    /// escaped.
    static func commandLines(_ command: String) -> String {
        command.split(separator: "\n", omittingEmptySubsequences: false)
            .map { VisibleText.escaped(String($0)) }
            .joined(separator: "\n" + String(repeating: " ", count: commandLabel.count) + "│ ")
    }

    /// What precedes the command at the prompt; the command's later lines line up under its end.
    private static let commandLabel = "    will run:  "

    func ask(_ gate: GateRequest) async -> Bool? {
        observer.pauseStatus()
        let visible = { (text: String) in VisibleText.escaped(text) }
        var text = "\n" + console.paint("  Gate:", .yellow, on: console.colorsErrors) + " \(visible(gate.message))\n"
            + Self.commandLabel + Self.commandLines(gate.summary) + "\n    severity:  \(visible(gate.severity))"
            + (gate.rtoRemaining.map { "    RTO: \($0)" } ?? "") + "\n"
        if let reason = gate.reason { text += "    why:       \(visible(reason))\n" }
        if !gate.preview.isEmpty {
            text += "    now:\n" + gate.preview.map { "      \(visible($0))\n" }.joined()
        }
        text += "    (or answer from elsewhere: \(visible(gate.approveCommand)))\n  Proceed? [y/N] "
        console.writeError(text)
        input.discardPending()
        guard let line = await input.next() else {
            if Task.isCancelled {
                console.writeError("\n    answered elsewhere\n")
                return nil
            }
            console.writeError("\n")
            return endOfInputDenies ? false : nil
        }
        let answer = line.trimmingCharacters(in: .whitespaces).lowercased()
        return answer == "y" || answer == "yes"
    }
}

/// Lines typed on standard input, read by one background thread for the whole process.
///
/// A prompt that is abandoned (answered elsewhere) leaves the thread reading; its line goes to the next prompt's
/// discard, never to a decision it was not typed for.
final class StandardInputLines: Sendable {
    private let state = Mutex(State())

    private struct State {
        var lines: [String] = []
        var ended = false
        var reading = false
    }

    /// Drops lines typed before the current question.
    func discardPending() {
        state.withLock { $0.lines.removeAll() }
    }

    /// The next line, nil at end of input or when the task is cancelled.
    func next() async -> String? {
        startReader()
        while !Task.isCancelled {
            let line: String?? = state.withLock { state in
                if !state.lines.isEmpty { return .some(state.lines.removeFirst()) }
                return state.ended ? .some(nil) : nil
            }
            if let line { return line }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    private func startReader() {
        let start = state.withLock { state -> Bool in
            guard !state.reading else { return false }
            state.reading = true
            return true
        }
        guard start else { return }
        let thread = Thread { [self] in
            while let line = readLine() {
                self.state.withLock { $0.lines.append(line) }
            }
            self.state.withLock { $0.ended = true }
        }
        thread.start()
    }
}
