import RunbookActions
import RunbookLanguage

/// What the log says about one step of a run.
public struct StepState: Sendable, Hashable {
    /// The step's id.
    public var id: String
    /// The outcome, once it ended.
    public var outcome: StepOutcome?
    /// The outcome after `continue_on_error`.
    public var conclusion: StepOutcome?
    /// When it started (its last attempt's start for a resumed run).
    public var startedAt: String?
    /// When it ended.
    public var finishedAt: String?
    /// How long it ran, in milliseconds.
    public var durationMilliseconds: Int?
    /// Tries made.
    public var attempts: Int = 0
    /// Its outputs, as recorded (capped and redacted).
    public var outputs: [String: Value] = [:]
    /// Why it failed, if it did.
    public var error: String?
    /// Whether a gate was requested and the step has neither started nor been refused since (approvals short of
    /// `min_approvals` leave it waiting).
    public var gateWaiting = false
    /// Whether the step is mutating, as recorded when it started or was gated.
    public var mutating = false
    /// Its latest gate, when it was gated.
    public var gate: GateProgress?
    /// The process its latest attempt runs in, as recorded before it acted; nil when it runs none.
    public var process: StepProcess?

    /// Creates an empty state.
    public init(id: String) { self.id = id }

    /// Started and not yet ended.
    public var isRunning: Bool { startedAt != nil && outcome == nil }
}
