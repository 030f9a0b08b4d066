import Foundation
import RunbookLanguage
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a command writes: stdout for what a user may pipe, stderr for diagnostics and progress. The process's own
/// streams (``standard(environment:)``), or whatever a test collects the text in.
struct Console: Sendable {
    /// Whether stderr gets colour.
    let colorsErrors: Bool
    /// Whether stdout gets colour.
    let colorsOutput: Bool
    /// Whether a person at a terminal can be asked (a gate's `[y/N]`): stdin and stderr are terminals, and `TERM` is
    /// not `dumb`.
    let asksPerson: Bool
    /// Whether a run's live status line is drawn: stderr is a terminal with colour.
    let drawsStatus: Bool
    /// Reported at the first write that fails for good: a hung-up terminal or a closed pipe.
    let viewLoss: ViewLoss
    private let output: @Sendable (String) -> Void
    private let errors: @Sendable (String) -> Void

    /// A console writing stdout's text to `output` and stderr's to `errors`, never asking anyone and drawing no status
    /// line.
    init(
        colorsOutput: Bool = false, colorsErrors: Bool = false, output: @escaping @Sendable (String) -> Void,
        errors: @escaping @Sendable (String) -> Void
    ) {
        self.init(colorsOutput: colorsOutput, colorsErrors: colorsErrors, asksPerson: false, drawsStatus: false,
                  output: output, errors: errors)
    }

    private init(
        colorsOutput: Bool, colorsErrors: Bool, asksPerson: Bool, drawsStatus: Bool, viewLoss: ViewLoss = ViewLoss(),
        output: @escaping @Sendable (String) -> Void, errors: @escaping @Sendable (String) -> Void
    ) {
        self.colorsOutput = colorsOutput
        self.colorsErrors = colorsErrors
        self.asksPerson = asksPerson
        self.drawsStatus = drawsStatus
        self.viewLoss = viewLoss
        self.output = output
        self.errors = errors
    }

    /// The process's own streams, coloured when they are terminals (`NO_COLOR`, `FORCE_COLOR`, `TERM=dumb` obeyed, as
    /// `environment` has them).
    static func standard(environment: EnvironmentVariables) -> Console {
        let errorsAreTerminal = isatty(STDERR_FILENO) == 1
        let colorsErrors = wantsColor(isTerminal: errorsAreTerminal, environment: environment)
        let loss = ViewLoss()
        return Console(
            colorsOutput: wantsColor(isTerminal: isatty(STDOUT_FILENO) == 1, environment: environment),
            colorsErrors: colorsErrors,
            asksPerson: errorsAreTerminal && environment["TERM"] != "dumb" && isatty(STDIN_FILENO) == 1,
            drawsStatus: errorsAreTerminal && colorsErrors, viewLoss: loss,
            output: { write($0, to: STDOUT_FILENO, "stdout", losing: loss) },
            errors: { write($0, to: STDERR_FILENO, "stderr", losing: loss) })
    }

    /// Whether a stream gets colours, given whether it is a terminal.
    private static func wantsColor(isTerminal: Bool, environment: EnvironmentVariables) -> Bool {
        if let force = environment["FORCE_COLOR"], !force.isEmpty, force != "0" { return true }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return isTerminal
    }

    /// Writes to stdout.
    func write(_ text: String) {
        output(text)
    }

    /// Writes to stderr.
    func writeError(_ text: String) {
        errors(text)
    }

    /// Writes `text` to `fd`, the stream called `name`, unless `loss` says the view is gone; a write that fails for
    /// good reports the loss (a closed pipe or a hung-up terminal: the run carries on without it).
    private static func write(_ text: String, to fd: Int32, _ name: String, losing loss: ViewLoss) {
        guard !loss.isLost, let failure = write(text, to: fd) else { return }
        let reason = switch failure {
        case EPIPE: "the pipe \(name) goes to closed (EPIPE)"
        case EIO, ENXIO: "the terminal is gone (\(failure == EIO ? "EIO" : "ENXIO") writing \(name))"
        default: "\(name) cannot be written: \(String(cString: strerror(failure)))"
        }
        loss.report(reason)
    }

    /// Writes all of `text` to `fd` with `write(2)`, again after an interruption or a short write, and after waiting
    /// for room when `fd` is non-blocking (a terminal or pipe inherited that way); a stream that cannot take more (a
    /// closed pipe, a full disk) ends it. No `Data` and no `FileHandle`: a run writes a line or more for every event,
    /// and in `perf` those two were most of what printing a line cost.
    /// - Returns: nil when all of it was written, else the `errno` that ended the write.
    @discardableResult
    static func write(_ text: String, to fd: Int32) -> Int32? {
        var text = text
        return text.withUTF8 { bytes -> Int32? in
            guard var next = bytes.baseAddress else { return nil }
            var left = bytes.count
            while left > 0 {
                #if canImport(Glibc)
                    let written = Glibc.write(fd, next, left)
                #else
                    let written = Darwin.write(fd, next, left)
                #endif
                if written > 0 {
                    next += written
                    left -= written
                } else if written < 0, errno == EINTR {
                    continue
                } else if written < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                    var room = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&room, 1, -1)
                } else {
                    return written < 0 ? errno : EIO
                }
            }
            return nil
        }
    }

    /// Prints `error: message` (and a help line) to stderr. Messages quote names and values that came from outside
    /// (a user name, a run id, a recorded step), so both lines are shown with ``VisibleText``'s escapes.
    func error(_ message: String, hint: String? = nil) {
        writeError(labelled("error:", .red, message, hint: hint))
    }

    /// Prints `warning: message` (and a help line) to stderr, escaped as ``error(_:hint:)`` is.
    func warning(_ message: String, hint: String? = nil) {
        writeError(labelled("warning:", .yellow, message, hint: hint))
    }

    /// Prints every diagnostic of `failure` to stderr, compiler style, escaped as ``error(_:hint:)`` is.
    func report(_ failure: ValidationFailure) {
        report(failure.diagnostics)
    }

    /// Prints `diagnostics` to stderr, compiler style: `path:line:col: error: …` or `warning: …`.
    func report(_ diagnostics: [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        var text = ""
        for diagnostic in diagnostics {
            let (label, style): (String, Style) = diagnostic.kind == .error ? ("error:", .red) : ("warning:", .yellow)
            text += paint(VisibleText.escaped("\(diagnostic.location):"), .bold, on: colorsErrors) + " "
                + labelled(label, style, diagnostic.message, hint: diagnostic.hint)
        }
        writeError(text)
    }

    /// `label message` and an indented `help: hint` line, each one line.
    private func labelled(_ label: String, _ style: Style, _ message: String, hint: String?) -> String {
        var text = paint(label, style, on: colorsErrors) + " " + VisibleText.escaped(message) + "\n"
        if let hint {
            text += "    " + paint("help:", .cyan, on: colorsErrors) + " " + VisibleText.escaped(hint) + "\n"
        }
        return text
    }

    /// ANSI styles used by the text output.
    enum Style: String {
        case red = "31", green = "32", yellow = "33", cyan = "36", bold = "1", dim = "2"
    }

    /// `text` wrapped in the style's escape codes when `enabled`.
    func paint(_ text: String, _ style: Style, on enabled: Bool) -> String {
        enabled ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }
}
