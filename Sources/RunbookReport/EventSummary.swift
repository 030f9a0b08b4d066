import RunbookLanguage
import RunbookStore

/// One line saying what an event records, in words, for the timeline's rows.
enum EventSummary {
    /// The summary of `event`, trimmed to ``TextEscaping/textLimit`` characters.
    static func line(for event: AuditEvent) -> String {
        TextEscaping.trim(untrimmed(event))
    }

    private static func untrimmed(_ event: AuditEvent) -> String {
        let data = event.data
        let step = event.step ?? "?"
        let who = event.actor?.id ?? "someone"
        switch event.type {
        case EventType.runStarted:
            var text = "\(who) started \(data.text("runbook") ?? "a runbook")"
            if let severity = data.text("severity") { text += " (\(severity))" }
            if let environment = data.text("environment") { text += " against \(environment)" }
            return text
        case EventType.runResumed:
            return "\(who) resumed the run"
        case EventType.runCancelRequested:
            return "\(who) asked to cancel the run"
        case EventType.runFinished:
            var text = "run \(data.text("status") ?? "ended")"
            if let code = data.number("exit_code") { text += " (exit \(Int(code)))" }
            if let reason = data.text("reason") { text += ": \(reason)" }
            return text
        case EventType.stepStarted:
            let action = data.text("action") ?? "step"
            return "\(step) started (\(action)\(data.flag("mutating") == true ? ", mutating" : ""))"
        case EventType.stepRetry:
            var text = "\(step): attempt \(data.plainText("attempt") ?? "?") of \(data.plainText("of") ?? "?")"
            if let reason = data.text("reason") { text += " after: \(reason)" }
            return text
        case EventType.stepFinished:
            var text = "\(step) \(data.text("outcome") ?? "ended")"
            if let duration = data.number("duration_ms") { text += " in \(Span.text(Int64(duration)))" }
            if let error = data.text("error") { text += ": \(error)" }
            else if let reason = data.text("reason") { text += ": \(reason)" }
            else if let message = data.member("outputs").text("message") { text += ": \(message)" }
            return text
        case EventType.gateRequested:
            return "gate before \(step): \(data.text("message") ?? "")"
        case EventType.gateApproved, EventType.gateDenied:
            let verb = event.type == EventType.gateApproved ? "approved" : "denied"
            var text = "\(who) \(verb) \(step)"
            if let via = data.text("via") { text += " (\(via))" }
            if let comment = data.text("comment") ?? data.text("reason") { text += ": \(comment)" }
            return text
        case EventType.gateExpired:
            return "gate of \(step) expired; default: \(data.text("default") ?? "deny")"
        case EventType.noteAdded:
            return "\(who): \(data.text("text") ?? "")"
        case EventType.rtoWarning:
            let remaining = data.number("remaining_ms").map { Span.text(Int64($0)) } ?? "?"
            return "RTO \(data.plainText("percent") ?? "?")% used: \(remaining) left of \(data.text("rto") ?? "?")"
        case EventType.rtoBreached:
            return "RTO of \(data.text("rto") ?? "?") breached"
        case EventType.incidentRecovered:
            var text = "incident recovered by \(data.text("step") ?? step)"
            if let elapsed = data.number("time_to_recover_ms") { text += " after \(Span.text(Int64(elapsed)))" }
            if let rto = data.text("rto"), let met = data.flag("met") { text += " (RTO \(rto) \(met ? "met" : "missed"))" }
            return text
        case EventType.alertReceived:
            let labels = data.member("labels")
            var text = "alert \(labels.text("alertname") ?? data.text("title") ?? "?")"
            if let status = data.text("status") { text += " \(status)" }
            if let source = data.text("source") { text += " from \(source)" }
            let annotations = data.member("annotations")
            if let summary = annotations.text("summary") ?? annotations.text("description") { text += ": \(summary)" }
            return text
        case EventType.notifySent:
            return "notified \(data.text("channel") ?? "?") of \(data.text("about") ?? "an event")"
        case EventType.notifyFailed:
            return "could not notify \(data.text("channel") ?? "?"): \(data.text("error") ?? "unknown error")"
        default:
            return event.type
        }
    }
}
