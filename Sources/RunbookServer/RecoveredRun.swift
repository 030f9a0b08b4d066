import RunbookEngine
import RunbookLanguage
import RunbookStore

/// What the log tells of one run when `runbook serve` starts again: the alerts it belongs to, whether it started
/// and ended, and, for a run that was queued, what to start it with.
struct RecoveredRun: Sendable {
    /// What an alert asked to start, as its first `alert.received` recorded it.
    struct Request: Sendable {
        var runbook: String
        var inputs: [String: String]
        var severity: Severity?
        var sender: String
        var alert: Value
    }

    /// The first event's sequence number, to take runs up in the order they came.
    var firstSeq: Int64 = .max
    /// Deduplication keys of the alerts appended to it.
    var keys: [String] = []
    var incident: String?
    var started = false
    var finished = false
    var request: Request?

    /// Notes what `event` says of the run.
    mutating func take(_ event: AuditEvent) {
        firstSeq = min(firstSeq, event.seq)
        if incident == nil { incident = event.incident }
        switch event.type {
        case EventType.alertReceived:
            let data = event.data
            let runbook = data.member("runbook").stringValue
            let key = "\(runbook) \(data.member("source").stringValue) \(data.member("fingerprint").stringValue)"
            if !keys.contains(key) { keys.append(key) }
            guard request == nil, case .object(let inputs) = data.member("inputs") else { return }
            var alert: [String: Value] = [:]
            for name in ["labels", "annotations", "starts_at", "source", "fingerprint", "status"] {
                alert[name] = data.member(name)
            }
            request = Request(
                runbook: runbook,
                inputs: inputs.filter { $0.value != .null && $0.value != "***" }.mapValues(\.stringValue),
                severity: Severity(parsing: data.member("severity").stringValue),
                sender: event.actor?.id ?? "serve", alert: .object(alert))
        case EventType.runStarted: started = true
        case EventType.runFinished: finished = true
        default: break
        }
    }
}
