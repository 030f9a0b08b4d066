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
        switch event.body {
        case .alert(let alert) where alert.disposition == .received:
            let runbook = alert.runbook ?? ""
            let key = "\(runbook) \(alert.source ?? "") \(alert.fingerprint ?? "")"
            if !keys.contains(key) { keys.append(key) }
            guard request == nil, case .object(let inputs)? = alert.inputs else { return }
            // The alert's context as `${{ alert.… }}` read it when the run was planned: these members, null when absent.
            let context: [String: Value] = [
                "labels": alert.labels.map(Value.object) ?? .null,
                "annotations": alert.annotations.map(Value.object) ?? .null,
                "starts_at": alert.startsAt.map(Value.string) ?? .null, "source": alert.source.map(Value.string) ?? .null,
                "fingerprint": alert.fingerprint.map(Value.string) ?? .null,
                "status": alert.status.map(Value.string) ?? .null,
            ]
            request = Request(
                runbook: runbook,
                inputs: inputs.filter { $0.value != .null && $0.value != "***" }.mapValues(\.stringValue),
                severity: Severity(parsing: alert.severity ?? ""),
                sender: event.actor?.id ?? "serve", alert: .object(context))
        case .runStarted: started = true
        case .runFinished: finished = true
        default: break
        }
    }
}
