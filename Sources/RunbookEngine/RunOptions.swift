import RunbookActions
import RunbookLanguage
import RunbookStore

/// Everything a run needs besides the store and the actions: what to run, for whom, against what.
public struct RunOptions: Sendable {
    /// The runbook.
    public var runbook: Runbook
    /// The inputs, typed and checked, defaults filled in.
    public var inputs: [String: Value]
    /// The run's id.
    public var runID: String
    /// The incident the run works on.
    public var incident: String
    /// The run's severity.
    public var severity: Severity
    /// Who runs it now: the person who started it, or who resumed it (an established ``Identity`` name).
    public var starter: String
    /// What the person running it asked to be called (`$RUNBOOK_USER`), recorded beside ``starter``; never counted
    /// by any rule.
    public var starterDisplayName: String?
    /// Who started the run in the first place (the run's `run.started` actor): the one whose approvals never
    /// count toward a gate that needs two or more. ``starter`` for a new run.
    public var runStarter: String
    /// The environment's name, variables and rules.
    public var environment: RunEnvironment
    /// When the run's severity is lower than its runbook's: the runbook's, and the reason given (a permission of
    /// the configuration); recorded in `run.started` and shown in the timeline.
    public var severityLowering: (from: Severity, reason: String)?
    /// Whether `--yes` approves gates.
    public var autoApprove: Bool
    /// What the run's severity changes: default gate timeout, whether `--yes` may approve mutating steps.
    public var policy: SeverityPolicy
    /// Replaces secrets before anything is recorded or shown.
    public var redactor: Redactor
    /// The folder shell steps run in.
    public var workingDirectory: String
    /// When the incident started (`--since`, or the alert's start), RFC 3339; the run's start when nil.
    public var incidentStart: String?
    /// The alert that started the run, as `${{ alert.… }}` reads it (`Alert.contextValue`); null when a person
    /// started it.
    public var alert: Value
    /// Whether an alert started the run. Such a run never changes anything without a person: every mutating step
    /// is gated (even with `confirm: false`), `--yes` approves none of them, and its gates deny when they expire.
    public var isAlertStarted: Bool { alert != .null }

    /// The base URL of the `runbook serve` API that runs this run, for the approve and deny links of its gates.
    public var apiURL: String?

    /// Whether `incident` was made up for this run just now (no `--incident`): no earlier event can name it, so
    /// the RTO clock does not look for any.
    public var opensIncident = false

    /// Creates options.
    public init(
        runbook: Runbook, inputs: [String: Value], runID: String, incident: String, severity: Severity,
        starter: String, environment: RunEnvironment = RunEnvironment(), autoApprove: Bool = false,
        policy: SeverityPolicy? = nil,
        redactor: Redactor = Redactor(), workingDirectory: String, incidentStart: String? = nil, alert: Value = .null,
        apiURL: String? = nil
    ) {
        self.runbook = runbook
        self.inputs = inputs
        self.runID = runID
        self.incident = incident
        self.severity = severity
        self.starter = starter
        self.runStarter = starter
        self.environment = environment
        self.autoApprove = autoApprove
        self.policy = policy ?? .builtin(severity)
        self.redactor = redactor
        self.workingDirectory = workingDirectory
        self.incidentStart = incidentStart
        self.alert = alert
        self.apiURL = apiURL
    }
}

/// The environment a run targets: its variables (`env.*`), notification channels and rules.
public struct RunEnvironment: Sendable {
    /// The environment's name, when one was chosen.
    public var name: String?
    /// Its `vars`, read by expressions as `env.NAME`.
    public var variables: [String: Value]
    /// Whether every mutating step is gated, whatever the runbook says.
    public var requiresConfirmation: Bool
    /// Notification channels by name.
    public var channels: [String: NotifyChannel]
    /// The systems infrastructure actions connect to.
    public var target: ActionTarget

    /// Creates an environment.
    public init(
        name: String? = nil, variables: [String: Value] = [:], requiresConfirmation: Bool = false,
        channels: [String: NotifyChannel] = [:], target: ActionTarget = ActionTarget()
    ) {
        self.name = name
        self.variables = variables
        self.requiresConfirmation = requiresConfirmation
        self.channels = channels
        self.target = target
    }
}
