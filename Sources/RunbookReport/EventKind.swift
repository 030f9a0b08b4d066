import RunbookLanguage
import RunbookStore

/// How a timeline marks an event: what it is about, and whether something went wrong. Templates colour rows by it.
enum EventKind: String, Sendable {
    case run, step, failure, gate, rto, recovery, alert, note, notify

    /// Whether an event of this kind belongs in a postmortem's short timeline: everything but notifications and the
    /// start and retries of steps (their end is kept).
    func isSignificant(_ event: AuditEvent) -> Bool {
        self != .notify && event.type != EventType.stepStarted && event.type != EventType.stepRetry
    }

    /// The kind of an event with `body` and whether it records something that went wrong (a failed, cancelled or
    /// denied step, a run that did not succeed, a denied or expired gate, a failed notification).
    static func classify(_ body: EventBody) -> (kind: EventKind, failed: Bool) {
        switch body {
        case .runStarted, .runResumed, .runDetached, .runTakenOver, .runReleased, .runCancelRequested,
            .webhookRejected, .auditCheckpoint, .unknown:
            return (.run, false)
        case .runFinished(let finished):
            let failed = finished.status.map { $0 != "succeeded" } ?? false
            return (failed ? .failure : .run, failed)
        case .stepStarted, .stepRetry, .lockWaiting:
            return (.step, false)
        case .stepFinished(let finished):
            let outcome = finished.outcome ?? ""
            let failed = outcome == "failure" || outcome == "cancelled" || outcome == "denied"
            return (failed ? .failure : .step, failed)
        case .gateRequested:
            return (.gate, false)
        case .gateAnswered(let answered):
            return (.gate, !answered.approved)
        case .gateExpired(let expired):
            return (.gate, expired.defaultDecision != "approve")
        case .rto:
            return (.rto, false)
        case .incidentRecovered:
            return (.recovery, false)
        case .alert(let alert):
            return (alert.disposition == .received ? .alert : .run, false)
        case .noteAdded:
            return (.note, false)
        case .notification(let outcome):
            return (.notify, outcome.error != nil)
        }
    }
}
