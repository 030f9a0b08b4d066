import RunbookLanguage
import RunbookStore

/// One line saying what an event records, in words, for the timeline's rows.
enum EventSummary {
    /// The summary of `event`, trimmed to ``TextEscaping/textLimit`` characters.
    static func line(for event: AuditEvent) -> String {
        TextEscaping.trim(untrimmed(event))
    }

    private static func untrimmed(_ event: AuditEvent) -> String {
        let step = event.step ?? "?"
        let who = event.actor?.id ?? "someone"
        switch event.body {
        case .runStarted(let started):
            var text = "\(who) started \(started.runbook ?? "a runbook")"
            if let severity = started.severity { text += " (\(severity))" }
            if let environment = started.environment { text += " against \(environment)" }
            return text
        case .runResumed:
            return "\(who) resumed the run"
        case .runDetached(let detached):
            return "the run lost its view (\(detached.reason ?? "its output closed")) and carried on"
        case .runTakenOver(let takeover):
            return "\(takeover.host ?? "?") pid \(takeover.pid.map(String.init) ?? "?") took the run over from "
                + "\(takeover.fromHost ?? "?") pid \(takeover.fromPID.map(String.init) ?? "?")"
        case .runReleased(let released):
            var text = "the run was released unfinished (\(released.reason ?? "its runner stopped"))"
            if let running = released.running, !running.isEmpty {
                text += " while running " + running.joined(separator: ", ")
            }
            return text
        case .runCancelRequested:
            return "\(who) asked to cancel the run"
        case .runFinished(let finished):
            var text = "run \(finished.status ?? "ended")"
            if let code = finished.exitCode { text += " (exit \(code))" }
            if let reason = finished.reason { text += ": \(reason)" }
            return text
        case .stepStarted(let started):
            return "\(step) started (\(started.action ?? "step")\(started.mutating ? ", mutating" : ""))"
        case .stepRetry(let retry):
            var text = "\(step): attempt \(retry.attempt.map(String.init) ?? "?") of \(retry.of.map(String.init) ?? "?")"
            if let reason = retry.reason { text += " after: \(reason)" }
            return text
        case .lockWaiting(let waiting):
            return "\(step) waits for run \(waiting.heldByRun ?? "?"), which holds \(waiting.lock ?? "?")"
        case .stepFinished(let finished):
            var text = "\(step) \(finished.outcome ?? "ended")"
            if let duration = finished.durationMilliseconds { text += " in \(Span.text(duration))" }
            if let error = finished.error { text += ": \(error)" }
            else if let reason = finished.reason { text += ": \(reason)" }
            else if case .string(let message)? = finished.outputs?["message"] { text += ": \(message)" }
            return text
        case .gateRequested(let requested):
            return "gate before \(step): \(requested.message ?? "")"
        case .gateAnswered(let answered):
            var text = "\(who) \(answered.approved ? "approved" : "denied") \(step)"
            if let via = answered.via { text += " (\(via))" }
            if let comment = answered.comment ?? answered.reason { text += ": \(comment)" }
            return text
        case .gateExpired(let expired):
            return "gate of \(step) expired; default: \(expired.defaultDecision ?? "deny")"
        case .noteAdded(let note):
            return "\(who): \(note.text ?? "")"
        case .rto(let threshold) where event.type == EventType.rtoBreached:
            return "RTO of \(threshold.rto ?? "?") breached"
        case .rto(let threshold):
            let remaining = threshold.remainingMilliseconds.map { Span.text($0) } ?? "?"
            return "RTO \(threshold.percent.map(String.init) ?? "?")% used: \(remaining) left of \(threshold.rto ?? "?")"
        case .incidentRecovered(let recovered):
            var text = "incident recovered by \(recovered.step ?? step)"
            if let elapsed = recovered.timeToRecoverMilliseconds { text += " after \(Span.text(elapsed))" }
            if let rto = recovered.rto, let met = recovered.met { text += " (RTO \(rto) \(met ? "met" : "missed"))" }
            return text
        case .alert(let alert) where alert.disposition == .received:
            let labels = alert.labels ?? [:]
            var text = "alert \(labels["alertname"].map(\.stringValue) ?? "?")"
            if let status = alert.status { text += " \(status)" }
            if let source = alert.source { text += " from \(source)" }
            let annotations = alert.annotations ?? [:]
            if let summary = (annotations["summary"] ?? annotations["description"]).map(\.stringValue) {
                text += ": \(summary)"
            }
            return text
        case .notification(let outcome):
            if let error = outcome.error {
                return "could not notify \(outcome.channel ?? "?"): \(error.isEmpty ? "unknown error" : error)"
            }
            return "notified \(outcome.channel ?? "?") of \(outcome.about ?? "an event")"
        case .auditCheckpoint(let checkpoint):
            return "the log up to seq \(checkpoint.seq.map(String.init) ?? "?") was signed (checkpoint)"
        case .alert, .webhookRejected, .unknown:
            return event.type
        }
    }
}
