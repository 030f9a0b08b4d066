import Foundation
import RunbookLanguage
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a command writes: stdout for what a user may pipe, stderr for diagnostics and progress.
struct Console: Sendable {
    /// Whether stderr gets colour.
    let colorsErrors: Bool
    /// Whether stdout gets colour.
    let colorsOutput: Bool

    /// The process's own streams, coloured when they are terminals (`NO_COLOR`, `FORCE_COLOR`, `TERM=dumb` obeyed).
    static let standard = Console(
        colorsErrors: wantsColor(fd: STDERR_FILENO), colorsOutput: wantsColor(fd: STDOUT_FILENO))

    /// Whether `fd` gets colours (every command starts by asking).
    static func wantsColor(fd: Int32) -> Bool {
        let variables = EnvironmentVariables.process
        if let force = variables["FORCE_COLOR"], !force.isEmpty, force != "0" { return true }
        if let noColor = variables["NO_COLOR"], !noColor.isEmpty { return false }
        if variables["TERM"] == "dumb" { return false }
        return isatty(fd) == 1
    }

    /// Writes to stdout.
    func write(_ text: String) {
        Self.write(text, to: STDOUT_FILENO)
    }

    /// Writes to stderr.
    func writeError(_ text: String) {
        Self.write(text, to: STDERR_FILENO)
    }

    /// Writes all of `text` to `fd` with `write(2)`, again after an interruption or a short write, and after waiting
    /// for room when `fd` is non-blocking (a terminal or pipe inherited that way); a stream that cannot take more (a
    /// closed pipe, a full disk) ends it. No `Data` and no `FileHandle`: a run writes a line or more for every event,
    /// and in `perf` those two were most of what printing a line cost.
    static func write(_ text: String, to fd: Int32) {
        var text = text
        text.withUTF8 { bytes in
            guard var next = bytes.baseAddress else { return }
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
                    return
                }
            }
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
