import RunbookLanguage
import RunbookStore

/// Who may answer a gate and how many approvals it needs, applied the same way by the waiting run and by
/// `runbook approve`/`deny`, so a gate can never be passed by an answer one of them would refuse.
public struct GateRules: Sendable, Hashable {
    /// Who started the run; never counts when two or more approvals are needed.
    public var starter: String
    /// Who may answer; anyone when empty.
    public var approvers: [String]
    /// How many different people must approve.
    public var minApprovals: Int

    /// Creates rules.
    public init(starter: String, approvers: [String], minApprovals: Int) {
        self.starter = starter
        self.approvers = approvers
        self.minApprovals = max(1, minApprovals)
    }

    /// The rules recorded in a `gate.requested` event.
    public init(requested event: AuditEvent, starter: String) {
        let approvers: [String]
        if case .array(let names) = event.data.member("approvers") {
            approvers = names.map(\.stringValue)
        } else {
            approvers = []
        }
        self.init(starter: starter, approvers: approvers,
                  minApprovals: Int(event.data.member("min_approvals").numericValue ?? 1))
    }

    /// Why `person` may not answer, or nil when they may.
    public func refusal(for person: String) -> String? {
        if !approvers.isEmpty, !approvers.contains(person) {
            return "\(person) is not an approver of this gate; it may be answered by "
                + approvers.joined(separator: ", ")
        }
        if minApprovals > 1, person == starter {
            return "this gate needs \(minApprovals) approvals from people other than \(starter), who started the run"
        }
        return nil
    }

    /// The state of the answers given so far (`gate.approved`/`gate.denied` events after the request).
    public func tally(_ answers: [AuditEvent]) -> GateTally {
        var approvedBy: [String] = []
        for answer in answers {
            guard let person = answer.actor?.id, refusal(for: person) == nil else { continue }
            switch answer.type {
            case EventType.gateDenied:
                return .denied(by: person)
            case EventType.gateApproved where !approvedBy.contains(person):
                approvedBy.append(person)
                if approvedBy.count >= minApprovals { return .approved(by: approvedBy) }
            default:
                break
            }
        }
        return .waiting(approvedBy: approvedBy)
    }
}

/// Where a gate's answers stand.
public enum GateTally: Sendable, Hashable {
    /// Not yet decided; these people have approved.
    case waiting(approvedBy: [String])
    /// Enough approvals.
    case approved(by: [String])
    /// Refused, or expired with a deny default.
    case denied(by: String)
}
