/// How a step ended.
public enum StepOutcome: String, Sendable, Hashable, Codable {
    case success, failure, skipped, denied, cancelled

    /// Whether a step that concluded this way counts against `success()` for the steps after it.
    public var blocksSuccess: Bool { self == .failure || self == .denied || self == .cancelled }
}

/// The state of a run, folded from its events.
public enum RunStatus: String, Sendable, Hashable, Codable {
    /// Steps are running or waiting at a gate.
    case running
    /// Every step concluded success or skipped.
    case succeeded
    /// A step concluded failure.
    case failed
    /// A gate was denied or expired and nothing handled it.
    case denied
    /// The run was cancelled.
    case cancelled
    /// The process running it died (crash, `kill -9`, power loss): `runbook resume` continues it.
    case interrupted

    /// The exit code `runbook exec` ends with.
    public var exitCode: Int32 {
        switch self {
        case .succeeded: 0
        case .failed: 1
        case .denied: 3
        case .cancelled: 4
        case .running, .interrupted: 5
        }
    }
}
