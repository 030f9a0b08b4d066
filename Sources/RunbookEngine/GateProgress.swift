import RunbookStore

/// One gate of a step as the log tells it: its request, the rules recorded with it, the answers since, and where
/// they stand. A gate is closed the moment its deciding answer is recorded.
public struct GateProgress: Sendable, Hashable {
    /// The `gate.requested` event.
    public var request: AuditEvent
    /// Who may answer and how many approvals it needs.
    public var rules: GateRules
    /// The `gate.approved`, `gate.denied` and `gate.expired` events after the request, up to the deciding one.
    public private(set) var answers: [AuditEvent] = []
    /// Where the answers stand.
    public private(set) var tally: GateTally = .waiting(approvedBy: [])

    /// A gate just requested.
    public init(request: AuditEvent, rules: GateRules) {
        self.request = request
        self.rules = rules
    }

    /// Whether the gate is still waiting for answers.
    public var isOpen: Bool { tally.decision == nil }

    /// Counts `answer`, unless the gate is already decided.
    mutating func record(_ answer: AuditEvent) {
        guard isOpen else { return }
        answers.append(answer)
        tally = rules.tally(answers)
    }
}
