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
        let step = VisibleText.escaped(event.step ?? "")
        let actor = VisibleText.escaped(event.actor?.id ?? "?")
        let run = VisibleText.escaped(event.run)
        switch event.type {
        case EventType.runStarted:
            var facts = [visible(data.member("severity")), "run \(run)"]
            if let incident = event.incident { facts.append("incident \(VisibleText.escaped(incident))") }
            if case .string = data.member("environment") { facts.append("env \(visible(data.member("environment")))") }
            if case .string = data.member("rto") { facts.append("RTO \(visible(data.member("rto")))") }
            return [paint("▶ \(visible(data.member("runbook")))", .bold) + " — \(visible(data.member("title")))",
                    "  " + facts.joined(separator: " · ")]
        case EventType.runResumed:
            let rerun = data.member("rerun")
            let note = rerun == .array([]) ? "" : " (re-running \(joined(rerun)))"
            return [paint("▶ resumed \(run)", .bold) + note]
        case EventType.stepStarted:
            return ["  " + paint("…", .dim) + " \(step) " + paint(visible(data.member("action")), .dim)]
        case EventType.stepRetry:
            let delay = Duration.milliseconds(Int64(data.member("delay_ms").numericValue ?? 0))
            return ["  " + paint("↻", .yellow) + " \(step) attempt \(number(data.member("attempt")))/"
                    + "\(number(data.member("of"))) in \(DurationSyntax.format(delay)): \(visible(data.member("reason")))"]
        case EventType.stepFinished:
            let outcome = visible(data.member("outcome"))
            let duration = formatMilliseconds(data.member("duration_ms").numericValue ?? 0)
            var line: String
            switch outcome {
            case "success":
                line = "  " + paint("✓", .green) + " \(step) " + paint(duration, .dim)
                if case .string = data.member("outputs").member("message") {
                    line += " — " + visible(data.member("outputs").member("message"))
                }
            case "failure":
                line = "  " + paint("✗", .red) + " \(step) " + paint(duration, .dim)
                if case .string = data.member("error") { line += " — " + visible(data.member("error")) }
                if visible(data.member("conclusion")) == "success" { line += paint(" (continue_on_error)", .dim) }
            case "skipped": line = "  " + paint("○", .dim) + " \(step) skipped"
            case "denied": line = "  " + paint("⊘", .red) + " \(step) denied at its gate"
            default: line = "  " + paint("■", .yellow) + " \(step) \(outcome)"
            }
            return [line]
        case EventType.gateRequested:
            var lines = ["  " + paint("⏸ gate", .yellow) + " before \(step): " + visible(data.member("message")),
                         "      " + visible(data.member("action"))]
            if case .string = data.member("reason") {
                lines.append("      " + paint("why: ", .dim) + visible(data.member("reason")))
            }
            if case .array(let preview) = data.member("preview") {
                lines.append("      " + paint("now:", .dim))
                lines += preview.map { "        " + visible($0) }
            }
            if case .string = data.member("yes_refused") {
                lines.append("      " + paint(visible(data.member("yes_refused")), .yellow))
            }
            let required = Int(data.member("min_approvals").numericValue ?? 1)
            if required > 1 { lines.append("      needs \(required) approvals from people other than the starter") }
            lines.append("      approve: " + visible(data.member("approve_command"))
                         + "    deny: runbook deny \(run) \(step)")
            return lines
        case EventType.gateApproved:
            let glass = data.member("break_glass") == .bool(true) ? paint(" BREAK-GLASS", .red) : ""
            return ["  " + paint("✓ approved", .green) + glass + " \(step) by \(who(event))" + via(data)]
        case EventType.gateDenied:
            return ["  " + paint("⊘ denied", .red) + " \(step) by \(who(event))" + via(data)]
        case EventType.gateExpired:
            return ["  " + paint("⌛ gate expired", .red) + " \(step); default: \(visible(data.member("default")))"]
        case EventType.rtoWarning:
            return ["  " + paint("⏱ RTO \(number(data.member("percent")))% used", .yellow) + ": "
                    + formatMilliseconds(data.member("remaining_ms").numericValue ?? 0) + " left of "
                    + visible(data.member("rto"))]
        case EventType.rtoBreached:
            return ["  " + paint("⏱ RTO breached", .red) + ": " + visible(data.member("rto"))
                    + " since the incident started at " + visible(data.member("incident_started_at"))]
        case EventType.incidentRecovered:
            var line = "  " + paint("✔ incident recovered", .green) + " by \(step) after "
                + formatMilliseconds(data.member("time_to_recover_ms").numericValue ?? 0)
            if case .bool(let met) = data.member("met") {
                line += met ? " (RTO \(visible(data.member("rto"))) met)"
                    : paint(" (RTO \(visible(data.member("rto"))) missed)", .red)
            }
            return [line]
        case EventType.noteAdded:
            return ["  " + paint("✎", .cyan) + " \(actor): \(visible(data.member("text")))"]
        case EventType.runCancelRequested:
            return ["  " + paint("■ cancel requested", .yellow) + " by \(actor)"]
        case EventType.runFinished:
            let status = visible(data.member("status"))
            let style: Console.Style = status == "succeeded" ? .green : .red
            var line = paint("■ run \(status)", style)
            if case .number(let duration) = data.member("duration_ms") { line += " in " + formatMilliseconds(duration) }
            if event.actor?.kind == "user" { line += " by \(actor)" }
            if case .string = data.member("reason") { line += " (\(visible(data.member("reason"))))" }
            return [line + " (exit \(number(data.member("exit_code"))))"]
        default:
            return ["  \(VisibleText.escaped(event.type))" + (event.step == nil ? "" : " \(step)")]
        }
    }

    /// The event's actor, with the display name recorded beside it: `root (erin)`.
    private func who(_ event: AuditEvent) -> String {
        let name = VisibleText.escaped(event.actor?.id ?? "?")
        guard case .string = event.data.member("display_name") else { return name }
        return "\(name) (\(visible(event.data.member("display_name"))))"
    }

    private func via(_ data: Value) -> String {
        var text = ""
        if case .string = data.member("via") { text += " (\(visible(data.member("via"))))" }
        if case .string = data.member("comment") { text += ": \(visible(data.member("comment")))" }
        if case .string = data.member("reason") { text += ": \(visible(data.member("reason")))" }
        return text
    }

    /// `value`'s text with ``VisibleText``'s escapes: what was recorded cannot break or forge a line.
    private func visible(_ value: Value) -> String { VisibleText.escaped(value.stringValue) }

    private func number(_ value: Value) -> String { value.numericValue.map { String(Int($0)) } ?? "?" }

    private func joined(_ value: Value) -> String {
        guard case .array(let items) = value else { return visible(value) }
        return items.map(visible).joined(separator: ", ")
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
