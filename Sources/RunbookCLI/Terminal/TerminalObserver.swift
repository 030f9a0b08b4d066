import Foundation
import RunbookActions
import RunbookEngine
import RunbookLanguage
import RunbookStore
import Synchronization

/// Shows a run as it happens: NDJSON events on stdout (`--output json`), or readable lines with a live status line on
/// a terminal (running steps and the elapsed time, redrawn in place on stderr).
final class TerminalObserver: RunObserver {
    private let console: Console
    private let json: Bool
    private let formatter: EventFormatter
    private let live: Bool
    private let state = Mutex(LiveState())

    private struct LiveState {
        var running: [String] = []
        var rtoDeadline: Date?
        var started = ContinuousClock.now
        var statusShown = false
        var finished = false
    }

    init(console: Console, json: Bool, interactive: Bool) {
        self.console = console
        self.json = json
        self.formatter = EventFormatter(colors: console.colorsOutput)
        self.live = interactive && !json
    }

    func recorded(_ event: AuditEvent) {
        if json {
            console.write(event.line + "\n")
            return
        }
        let lines = formatter.lines(for: event)
        state.withLock { state in
            // By type, not by body: the lines above decoded the event once already, and this runs for every event.
            switch event.type {
            case EventType.stepStarted: if let step = event.step { state.running.append(step) }
            case EventType.stepFinished: state.running.removeAll { $0 == event.step }
            case EventType.runFinished: state.finished = true
            case EventType.runStarted:
                if let started = event.payload(RunStarted.self), let rto = started.rto,
                   case .success(let duration) = DurationSyntax.parse(rto),
                   let start = started.incidentStartedAt.flatMap(Timestamp.parse), !started.incidentRecovered {
                    state.rtoDeadline = start.addingTimeInterval(Double(duration.components.seconds))
                }
            case EventType.incidentRecovered: state.rtoDeadline = nil
            default: break
            }
            clearStatus(&state)
            if !lines.isEmpty { console.write(lines.joined(separator: "\n") + "\n") }
            drawStatus(&state)
        }
    }

    func output(step: String, line: OutputLine) {
        state.withLock { state in
            clearStatus(&state)
            let prefix = console.colorsOutput ? "\u{1B}[2m    │ \(step)\u{1B}[0m " : "    | \(step) "
            // A line of a step's output keeps its tabs (column layouts); its other controls, ESC of a colour
            // sequence among them, are shown escaped like any recorded text.
            let text = prefix + VisibleText.escaped(line.text, keeping: .tabs) + "\n"
            if json {
                console.writeError(text)
            } else {
                console.write(text)
            }
            drawStatus(&state)
        }
    }

    /// Redraws the status line; called by a ticker while the run lasts.
    func tick() {
        state.withLock { state in
            clearStatus(&state)
            drawStatus(&state)
        }
    }

    /// Erases the status line before the gate prompt writes.
    func pauseStatus() {
        state.withLock { clearStatus(&$0) }
    }

    private func clearStatus(_ state: inout LiveState) {
        guard live, state.statusShown else { return }
        console.writeError("\r\u{1B}[2K")
        state.statusShown = false
    }

    private func drawStatus(_ state: inout LiveState) {
        guard live, !state.finished, !state.running.isEmpty else { return }
        let elapsed = ContinuousClock.now - state.started
        let seconds = Int(elapsed.components.seconds)
        let clock = String(format: "%02d:%02d", seconds / 60, seconds % 60)
        var line = "  ⋯ running \(state.running.joined(separator: ", ")) · \(clock) elapsed"
        if let deadline = state.rtoDeadline {
            let left = Int(deadline.timeIntervalSinceNow)
            line += left >= 0 ? String(format: " · RTO %02d:%02d left", left / 60, left % 60)
                : String(format: " · RTO breached %02d:%02d ago", -left / 60, -left % 60)
        }
        console.writeError("\u{1B}[2m\(line)\u{1B}[0m")
        state.statusShown = true
    }
}
