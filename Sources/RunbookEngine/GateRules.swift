import RunbookLanguage
import RunbookStore

/// Who may answer a gate and how many approvals it needs, applied the same way by the waiting run, by the fold that
/// `status` and `resume` read, and by `runbook approve`/`deny` and the API, so a gate can never be passed by an
/// answer one of them would refuse.
///
/// Names are compared as ``Identity/key(_:)`` forms. The starter of a run is never one of the approvals a gate of
/// two or more needs, and the alert source that started a run never answers its gates at all.
public struct GateRules: Sendable, Hashable {
    /// Who started the run: a person's name, or the alert source (token name) for a run an alert started.
    public var starter: String
    /// Whether an alert started the run.
    public var startedByAlert: Bool
    /// Who may answer; anyone when empty.
    public var approvers: [String]
    /// How many different people must approve.
    public var minApprovals: Int

    /// Creates rules.
    public init(starter: String, startedByAlert: Bool = false, approvers: [String], minApprovals: Int) {
        self.starter = starter
        self.startedByAlert = startedByAlert
        self.approvers = approvers
        self.minApprovals = max(1, minApprovals)
    }

    /// The rules recorded in a `gate.requested` event of a run started by `starter`.
    public init(requested event: AuditEvent, starter: String, startedByAlert: Bool) {
        let requested = event.payload(GateRequested.self)
        self.init(starter: starter, startedByAlert: startedByAlert, approvers: requested?.approvers ?? [],
                  minApprovals: Int(requested?.minApprovals ?? 1))
    }

    /// Why `person` may not give this answer, or nil when they may.
    /// - Parameters:
    ///   - approving: Whether the answer approves (anyone allowed to answer may deny).
    ///   - breakGlass: Whether it is a break-glass approval, which passes the gate alone: the starter may give one.
    public func refusal(for person: String, approving: Bool = true, breakGlass: Bool = false) -> String? {
        let isStarter = Identity.same(person, starter)
        if startedByAlert, isStarter {
            return "\(person) sent the alert that started this run, so it cannot answer the run's gates; a person must"
        }
        if !approvers.isEmpty, !approvers.contains(where: { Identity.same($0, person) }) {
            return "\(person) is not an approver of this gate; it may be answered by "
                + approvers.joined(separator: ", ")
        }
        if approving, !breakGlass, minApprovals > 1, isStarter {
            return "this gate needs \(minApprovals) approvals from people other than \(starter), who started the run"
        }
        return nil
    }

    /// Where the gate stands after `events`: the `gate.approved`, `gate.denied` and `gate.expired` events after its
    /// request, in log order. The first answer that completes or blocks the gate decides it; answers the rules
    /// refuse, and anything after the decision, do not count.
    public func tally(_ events: [AuditEvent]) -> GateTally {
        var approvedBy: [String] = []
        for event in events {
            switch event.body {
            case .gateExpired(let expired):
                return expired.defaultDecision == "approve"
                    ? .approved(by: approvedBy, decision: event) : .denied(by: nil, decision: event)
            case .gateAnswered(let answer):
                guard let person = event.actor?.id,
                    refusal(for: person, approving: answer.approved, breakGlass: answer.breakGlass) == nil
                else { continue }
                guard answer.approved else { return .denied(by: person, decision: event) }
                if !approvedBy.contains(where: { Identity.same($0, person) }) { approvedBy.append(person) }
                if answer.breakGlass || approvedBy.count >= minApprovals {
                    return .approved(by: approvedBy, decision: event)
                }
            default:
                continue
            }
        }
        return .waiting(approvedBy: approvedBy)
    }

    /// Whether `person` has already approved, by the gate's `events` so far.
    public func hasApproved(_ person: String, in events: [AuditEvent]) -> Bool {
        events.contains { $0.type == EventType.gateApproved && $0.actor.map { Identity.same($0.id, person) } == true }
    }
}

/// Where a gate's answers stand.
public enum GateTally: Sendable, Hashable {
    /// Not yet decided; these people have approved.
    case waiting(approvedBy: [String])
    /// Approved: by these people, or by a break-glass answer, or by expiry with an approve default; `decision` is
    /// the event that decided it.
    case approved(by: [String], decision: AuditEvent)
    /// Refused by `by`, or expired with a deny default (`by` nil); `decision` is the event that decided it.
    case denied(by: String?, decision: AuditEvent)

    /// The event that decided the gate, or nil while it waits.
    public var decision: AuditEvent? {
        switch self {
        case .waiting: nil
        case .approved(_, let decision), .denied(_, let decision): decision
        }
    }

    /// Whether the gate let its step run; nil while it waits.
    public var approved: Bool? {
        switch self {
        case .waiting: nil
        case .approved: true
        case .denied: false
        }
    }
}
