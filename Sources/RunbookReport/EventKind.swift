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

    /// The kind of `event` and whether it records something that went wrong (a failed, cancelled or denied step, a
    /// run that did not succeed, a denied or expired gate, a failed notification).
    static func classify(_ event: AuditEvent) -> (kind: EventKind, failed: Bool) {
        let data = event.data
        switch event.type {
        case EventType.runStarted, EventType.runResumed, EventType.runCancelRequested:
            return (.run, false)
        case EventType.runFinished:
            let failed = data.text("status").map { $0 != "succeeded" } ?? false
            return (failed ? .failure : .run, failed)
        case EventType.stepStarted, EventType.stepRetry:
            return (.step, false)
        case EventType.stepFinished:
            let outcome = data.text("outcome") ?? ""
            let failed = outcome == "failure" || outcome == "cancelled" || outcome == "denied"
            return (failed ? .failure : .step, failed)
        case EventType.gateRequested, EventType.gateApproved:
            return (.gate, false)
        case EventType.gateDenied:
            return (.gate, true)
        case EventType.gateExpired:
            return (.gate, data.text("default") != "approve")
        case EventType.rtoWarning, EventType.rtoBreached:
            return (.rto, false)
        case EventType.incidentRecovered:
            return (.recovery, false)
        case EventType.alertReceived:
            return (.alert, false)
        case EventType.noteAdded:
            return (.note, false)
        case EventType.notifyFailed:
            return (.notify, true)
        default:
            return (event.type.hasPrefix("notify.") ? .notify : .run, false)
        }
    }
}
