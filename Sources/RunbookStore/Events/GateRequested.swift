import RunbookLanguage

/// `gate.requested`: a step waits at its gate for people to approve or deny it.
public struct GateRequested: EventPayload {
    public static let types: Set<String> = [EventType.gateRequested]
    public var type: String { EventType.gateRequested }

    /// The question asked.
    public var message: String?
    /// What the step would do, in one line.
    public var action: String?
    /// Whether the step changes something.
    public var mutating: Bool
    /// How many different people must approve.
    public var minApprovals: Int64?
    /// Who may approve; empty for anyone but the rules' exceptions.
    public var approvers: [String]
    /// What an unanswered gate comes to: `approve` or `deny`.
    public var defaultDecision: String?
    /// The command that approves it.
    public var approveCommand: String?
    /// What is left of the RTO when it was asked (`9m left`).
    public var rtoRemaining: String?
    /// Where `runbook serve`'s API approves and denies it.
    public var approveURL: String?
    public var denyURL: String?
    /// What the step would change, read from the system when it was asked.
    public var preview: [String]?
    /// How long it waits, in seconds.
    public var timeoutSeconds: Int64?
    /// Why `--yes` could not answer it.
    public var yesRefused: String?
    /// Why the step is gated when it would not be otherwise (a mutating step re-run by `resume`).
    public var reason: String?

    /// Creates the payload.
    public init(
        message: String, action: String, mutating: Bool, minApprovals: Int64, approvers: [String],
        defaultDecision: String, approveCommand: String, rtoRemaining: String? = nil, approveURL: String? = nil,
        denyURL: String? = nil, preview: [String]? = nil, timeoutSeconds: Int64, yesRefused: String? = nil,
        reason: String? = nil
    ) {
        self.message = message
        self.action = action
        self.mutating = mutating
        self.minApprovals = minApprovals
        self.approvers = approvers
        self.defaultDecision = defaultDecision
        self.approveCommand = approveCommand
        self.rtoRemaining = rtoRemaining
        self.approveURL = approveURL
        self.denyURL = denyURL
        self.preview = preview
        self.timeoutSeconds = timeoutSeconds
        self.yesRefused = yesRefused
        self.reason = reason
    }

    public init(type: String, data: Value) {
        let fields = PayloadReader(data: data)
        message = fields.string("message")
        action = fields.string("action")
        mutating = fields.bool("mutating") == true
        minApprovals = fields.integer("min_approvals")
        approvers = fields.strings("approvers") ?? []
        defaultDecision = fields.string("default")
        approveCommand = fields.string("approve_command")
        rtoRemaining = fields.string("rto_remaining")
        approveURL = fields.string("approve_url")
        denyURL = fields.string("deny_url")
        preview = fields.strings("preview")
        timeoutSeconds = fields.integer("timeout_s")
        yesRefused = fields.string("yes_refused")
        reason = fields.string("reason")
    }

    public var data: Value {
        var fields = PayloadWriter()
        fields.set("message", message)
        fields.set("action", action)
        fields.set("mutating", mutating)
        fields.set("min_approvals", minApprovals)
        fields.set("approvers", approvers)
        fields.set("default", defaultDecision)
        fields.set("approve_command", approveCommand)
        fields.set("rto_remaining", rtoRemaining)
        fields.set("approve_url", approveURL)
        fields.set("deny_url", denyURL)
        fields.set("preview", preview)
        fields.set("timeout_s", timeoutSeconds)
        fields.set("yes_refused", yesRefused)
        fields.set("reason", reason)
        return fields.data
    }
}
