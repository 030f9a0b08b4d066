/// A step's `confirm:` setting: a human gate before the step runs, or an explicit `confirm: false`.
public struct Confirmation: Sendable, Hashable {
    /// False for `confirm: false`: the step is not gated even if it is mutating (unless the environment says so).
    public var enabled: Bool
    /// What the gate asks, with expressions resolved when it is asked.
    public var message: TemplateValue?
    /// How long the gate waits for an answer before applying `defaultDecision`.
    public var timeout: Duration?
    /// What an unanswered gate decides.
    public var defaultDecision: GateDecision
    /// Who may answer; anyone when empty.
    public var approvers: [String]
    /// How many different people must approve.
    public var minApprovals: Int
    /// Where `confirm:` is written.
    public var location: SourceLocation

    /// A gate with the defaults (`confirm: true`).
    public init(enabled: Bool, location: SourceLocation) {
        self.enabled = enabled
        self.defaultDecision = .deny
        self.approvers = []
        self.minApprovals = 1
        self.location = location
    }
}

/// The answer to a gate.
public enum GateDecision: String, Sendable, Hashable, CaseIterable, Codable {
    case approve, deny
}
