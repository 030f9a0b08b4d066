import RunbookActions
import RunbookStore

/// Receives what a run does as it happens, to show it (the terminal) or forward it.
public protocol RunObserver: Sendable {
    /// An event was stored.
    func recorded(_ event: AuditEvent)
    /// A step wrote a line of output (already redacted).
    func output(step: String, line: OutputLine)
}

/// Asks the person at the terminal to answer a gate.
public protocol GatePrompter: Sendable {
    /// Shows `gate` and returns true to approve, false to deny; nil when the prompt was abandoned because the gate
    /// was answered elsewhere (the task is cancelled then).
    func ask(_ gate: GateRequest) async -> Bool?
}

/// A gate as shown to whoever must answer it.
public struct GateRequest: Sendable {
    /// The run and step it stops.
    public var runID: String
    public var stepID: String
    /// The step's label.
    public var stepName: String
    /// The question, with expressions resolved.
    public var message: String
    /// The action with every parameter resolved: `ecs.scale cluster=prod service=api desired_count=4`.
    public var summary: String
    /// The run's severity.
    public var severity: String
    /// Why the gate exists when it is not the step's own (`re-running a mutating step after an interruption`).
    public var reason: String?
    /// The recovery time objective's state (`12m left`), when the runbook has one.
    public var rtoRemaining: String?
    /// What the step would change, read from the live system (`pid 4242 app=api age=6m: SELECT …`); empty when
    /// the action has nothing to show.
    public var preview: [String] = []
    /// The commands that answer it from another terminal.
    public var approveCommand: String
    public var denyCommand: String

    /// Creates a gate request (`runbook attach` builds one from a recorded `gate.requested`).
    public init(
        runID: String, stepID: String, stepName: String, message: String, summary: String, severity: String,
        reason: String?, rtoRemaining: String?, preview: [String] = [], approveCommand: String, denyCommand: String
    ) {
        self.runID = runID
        self.stepID = stepID
        self.stepName = stepName
        self.message = message
        self.summary = summary
        self.severity = severity
        self.reason = reason
        self.rtoRemaining = rtoRemaining
        self.preview = preview
        self.approveCommand = approveCommand
        self.denyCommand = denyCommand
    }
}
