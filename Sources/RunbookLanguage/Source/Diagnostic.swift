/// One problem found in a runbook or configuration file, reported the way compilers do.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How serious a diagnostic is.
    public enum Kind: String, Sendable, Hashable {
        /// The file is refused: `validate` exits 2 and nothing runs.
        case error
        /// Worth fixing, but the file is accepted: the exit code and runs are unchanged.
        case warning
    }

    /// Where the problem is.
    public var location: SourceLocation
    /// What is wrong, as a sentence that quotes the offending value.
    public var message: String
    /// How to fix it, when there is something more useful to say than the message.
    public var hint: String?
    /// Whether the problem refuses the file.
    public var kind: Kind

    /// Creates a diagnostic.
    public init(_ location: SourceLocation, _ message: String, hint: String? = nil, kind: Kind = .error) {
        self.location = location
        self.message = message
        self.hint = hint
        self.kind = kind
    }

    /// `path:line:col: error: message` (or `warning:`), followed by an indented `help:` line when there is a hint.
    public var description: String {
        var text = "\(location): \(kind.rawValue): \(message)"
        if let hint { text += "\n    help: \(hint)" }
        return text
    }
}

/// The diagnostics of a file that could not be accepted (its errors, and any warnings), sorted by position.
public struct ValidationFailure: Error, Sendable, CustomStringConvertible {
    /// Every problem found, sorted by file, line and column.
    public var diagnostics: [Diagnostic]

    /// Creates a failure from unsorted diagnostics.
    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics.sorted { $0.location < $1.location }
    }

    /// Each diagnostic on its own line(s).
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
