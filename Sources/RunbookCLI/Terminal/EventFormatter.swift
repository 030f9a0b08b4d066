import RunbookEngine
import RunbookLanguage
import RunbookStore

/// Turns stored events into the lines `exec` and `log` print: status marks, durations, gates and their commands.
struct EventFormatter: Sendable {
    let colors: Bool

    private func paint(_ text: String, _ style: Console.Style) -> String {
        colors ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// The lines for `event`; empty for events that are not shown.
    func lines(for event: AuditEvent) -> [String] {
        let data = event.data
        let step = event.step ?? ""
        switch event.type {
        case EventType.runStarted:
            var facts = [data.member("severity").stringValue, "run \(event.run)"]
            if let incident = event.incident { facts.append("incident \(incident)") }
            if case .string(let environment) = data.member("environment") { facts.append("env \(environment)") }
            if case .string(let rto) = data.member("rto") { facts.append("RTO \(rto)") }
            return [paint("▶ \(data.member("runbook").stringValue)", .bold) + " — \(data.member("title").stringValue)",
                    "  " + facts.joined(separator: " · ")]
        case EventType.runResumed:
            let rerun = data.member("rerun")
            let note = rerun == .array([]) ? "" : " (re-running \(joined(rerun)))"
            return [paint("▶ resumed \(event.run)", .bold) + note]
        case EventType.stepStarted:
            return ["  " + paint("…", .dim) + " \(step) " + paint(data.member("action").stringValue, .dim)]
        case EventType.stepRetry:
            let delay = Duration.milliseconds(Int64(data.member("delay_ms").numericValue ?? 0))
            return ["  " + paint("↻", .yellow) + " \(step) attempt \(number(data.member("attempt")))/"
                    + "\(number(data.member("of"))) in \(DurationSyntax.format(delay)): \(data.member("reason").stringValue)"]
        case EventType.stepFinished:
            let outcome = data.member("outcome").stringValue
            let duration = formatMilliseconds(data.member("duration_ms").numericValue ?? 0)
            var line: String
            switch outcome {
            case "success":
                line = "  " + paint("✓", .green) + " \(step) " + paint(duration, .dim)
                if case .string(let message) = data.member("outputs").member("message") { line += " — " + message }
            case "failure":
                line = "  " + paint("✗", .red) + " \(step) " + paint(duration, .dim)
                if case .string(let error) = data.member("error") { line += " — " + error }
                if data.member("conclusion").stringValue == "success" { line += paint(" (continue_on_error)", .dim) }
            case "skipped": line = "  " + paint("○", .dim) + " \(step) skipped"
            case "denied": line = "  " + paint("⊘", .red) + " \(step) denied at its gate"
            default: line = "  " + paint("■", .yellow) + " \(step) \(outcome)"
            }
            return [line]
        case EventType.gateRequested:
            var lines = ["  " + paint("⏸ gate", .yellow) + " before \(step): " + data.member("message").stringValue,
                         "      " + data.member("action").stringValue]
            if case .string(let reason) = data.member("reason") { lines.append("      " + paint("why: ", .dim) + reason) }
            if case .array(let preview) = data.member("preview") {
                lines.append("      " + paint("now:", .dim))
                lines += preview.map { "        " + $0.stringValue }
            }
            if case .string(let refused) = data.member("yes_refused") { lines.append("      " + paint(refused, .yellow)) }
            let required = Int(data.member("min_approvals").numericValue ?? 1)
            if required > 1 { lines.append("      needs \(required) approvals from people other than the starter") }
            lines.append("      approve: " + data.member("approve_command").stringValue
                         + "    deny: runbook deny \(event.run) \(step)")
            return lines
        case EventType.gateApproved:
            let glass = data.member("break_glass") == .bool(true) ? paint(" BREAK-GLASS", .red) : ""
            return ["  " + paint("✓ approved", .green) + glass + " \(step) by \(who(event))" + via(data)]
        case EventType.gateDenied:
            return ["  " + paint("⊘ denied", .red) + " \(step) by \(who(event))" + via(data)]
        case EventType.gateExpired:
            return ["  " + paint("⌛ gate expired", .red) + " \(step); default: \(data.member("default").stringValue)"]
        case EventType.rtoWarning:
            return ["  " + paint("⏱ RTO \(number(data.member("percent")))% used", .yellow) + ": "
                    + formatMilliseconds(data.member("remaining_ms").numericValue ?? 0) + " left of "
                    + data.member("rto").stringValue]
        case EventType.rtoBreached:
            return ["  " + paint("⏱ RTO breached", .red) + ": " + data.member("rto").stringValue
                    + " since the incident started at " + data.member("incident_started_at").stringValue]
        case EventType.incidentRecovered:
            var line = "  " + paint("✔ incident recovered", .green) + " by \(step) after "
                + formatMilliseconds(data.member("time_to_recover_ms").numericValue ?? 0)
            if case .bool(let met) = data.member("met") {
                line += met ? " (RTO \(data.member("rto").stringValue) met)"
                    : paint(" (RTO \(data.member("rto").stringValue) missed)", .red)
            }
            return [line]
        case EventType.noteAdded:
            return ["  " + paint("✎", .cyan) + " \(event.actor?.id ?? "?"): \(data.member("text").stringValue)"]
        case EventType.runCancelRequested:
            return ["  " + paint("■ cancel requested", .yellow) + " by \(event.actor?.id ?? "?")"]
        case EventType.runFinished:
            let status = data.member("status").stringValue
            let style: Console.Style = status == "succeeded" ? .green : .red
            var line = paint("■ run \(status)", style)
            if case .number(let duration) = data.member("duration_ms") { line += " in " + formatMilliseconds(duration) }
            if let actor = event.actor, actor.kind == "user" { line += " by \(actor.id)" }
            if case .string(let reason) = data.member("reason") { line += " (\(reason))" }
            return [line + " (exit \(number(data.member("exit_code"))))"]
        default:
            return ["  \(event.type)" + (event.step.map { " \($0)" } ?? "")]
        }
    }

    /// The event's actor, with the display name recorded beside it: `root (erin)`.
    private func who(_ event: AuditEvent) -> String {
        let name = event.actor?.id ?? "?"
        guard case .string(let shown) = event.data.member("display_name") else { return name }
        return "\(name) (\(shown))"
    }

    private func via(_ data: Value) -> String {
        var text = ""
        if case .string(let via) = data.member("via") { text += " (\(via))" }
        if case .string(let comment) = data.member("comment") { text += ": \(comment)" }
        if case .string(let reason) = data.member("reason") { text += ": \(reason)" }
        return text
    }

    private func number(_ value: Value) -> String { value.numericValue.map { String(Int($0)) } ?? "?" }

    private func joined(_ value: Value) -> String {
        guard case .array(let items) = value else { return value.stringValue }
        return items.map(\.stringValue).joined(separator: ", ")
    }
}

/// `850ms`, `3.2s`, `2m05s`.
func formatMilliseconds(_ milliseconds: Double) -> String {
    if milliseconds < 1_000 { return "\(Int(milliseconds))ms" }
    if milliseconds < 60_000 { return "\((milliseconds / 100).rounded() / 10)s" }
    let seconds = Int(milliseconds / 1_000)
    let remainder = seconds % 60
    return "\(seconds / 60)m" + (remainder < 10 ? "0" : "") + "\(remainder)s"
}
