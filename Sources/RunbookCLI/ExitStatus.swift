/// The exit codes of `runbook`, relied on by users' scripts.
public enum ExitStatus: Int32, Sendable {
    /// The command or run succeeded.
    case success = 0
    /// A step failed.
    case stepFailed = 1
    /// The runbook, an input or the command line is invalid.
    case invalid = 2
    /// A gate was denied or expired.
    case denied = 3
    /// The run was cancelled.
    case cancelled = 4
    /// The store failed, or an internal error happened.
    case internalError = 5
    /// The answer lost: another answer (or the gate's expiry) decided the gate first, and this one was not recorded.
    case conflict = 6
}

/// An error that ends a command with a message for the user and a documented exit code.
public struct CommandFailure: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a sentence.
    public var message: String
    /// What to do about it.
    public var hint: String?
    /// The exit code.
    public var status: ExitStatus

    /// Creates a failure.
    public init(_ message: String, hint: String? = nil, status: ExitStatus) {
        self.message = message
        self.hint = hint
        self.status = status
    }

    /// The message.
    public var description: String { message }
}
