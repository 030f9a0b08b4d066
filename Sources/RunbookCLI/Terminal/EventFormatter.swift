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
        let step = VisibleText.escaped(event.step ?? "")
        let actor = VisibleText.escaped(event.actor?.id ?? "?")
        let run = VisibleText.escaped(event.run)
        switch event.body {
        case .runStarted(let started):
            var facts = [visible(started.severity), "run \(run)"]
            if let incident = event.incident { facts.append("incident \(VisibleText.escaped(incident))") }
            if let environment = started.environment { facts.append("env \(visible(environment))") }
            if let rto = started.rto { facts.append("RTO \(visible(rto))") }
            return [paint("▶ \(visible(started.runbook))", .bold) + " — \(visible(started.title))",
                    "  " + facts.joined(separator: " · ")]
        case .runResumed(let resumed):
            let note = resumed.rerun.isEmpty ? "" : " (re-running \(resumed.rerun.map(visible).joined(separator: ", ")))"
            return [paint("▶ resumed \(run)", .bold) + note]
        case .stepStarted(let started):
            return ["  " + paint("…", .dim) + " \(step) " + paint(visible(started.action), .dim)]
        case .stepRetry(let retry):
            let delay = Duration.milliseconds(retry.delayMilliseconds ?? 0)
            return ["  " + paint("↻", .yellow) + " \(step) attempt \(number(retry.attempt))/"
                    + "\(number(retry.of)) in \(DurationSyntax.format(delay)): \(visible(retry.reason))"]
        case .stepFinished(let finished):
            return [line(for: finished, step: step)]
        case .lockWaiting(let waiting):
            return ["  " + paint("⏳", .yellow) + " \(step) waiting for run \(visible(waiting.heldByRun)), which holds "
                    + visible(waiting.lock)]
        case .gateRequested(let requested):
            return lines(for: requested, step: step, run: run)
        case .gateAnswered(let answered) where answered.approved:
            let glass = answered.breakGlass ? paint(" BREAK-GLASS", .red) : ""
            return ["  " + paint("✓ approved", .green) + glass + " \(step) by \(who(event, answered))" + via(answered)]
        case .gateAnswered(let answered):
            return ["  " + paint("⊘ denied", .red) + " \(step) by \(who(event, answered))" + via(answered)]
        case .gateExpired(let expired):
            return ["  " + paint("⌛ gate expired", .red) + " \(step); default: \(visible(expired.defaultDecision))"]
        case .rto(let threshold) where event.type == EventType.rtoBreached:
            return ["  " + paint("⏱ RTO breached", .red) + ": " + visible(threshold.rto)
                    + " since the incident started at " + visible(threshold.incidentStartedAt)]
        case .rto(let threshold):
            return ["  " + paint("⏱ RTO \(number(threshold.percent))% used", .yellow) + ": "
                    + formatMilliseconds(Double(threshold.remainingMilliseconds ?? 0)) + " left of "
                    + visible(threshold.rto)]
        case .incidentRecovered(let recovered):
            var line = "  " + paint("✔ incident recovered", .green) + " by \(step) after "
                + formatMilliseconds(Double(recovered.timeToRecoverMilliseconds ?? 0))
            if let met = recovered.met {
                line += met ? " (RTO \(visible(recovered.rto)) met)" : paint(" (RTO \(visible(recovered.rto)) missed)", .red)
            }
            return [line]
        case .noteAdded(let note):
            return ["  " + paint("✎", .cyan) + " \(actor): \(visible(note.text))"]
        case .runDetached(let detached):
            return ["  " + paint("⚠ detached", .yellow) + ": \(visible(detached.reason)); the run carries on "
                    + "(follow it: runbook log -f \(run))"]
        case .runTakenOver(let takeover):
            return ["  " + paint("↻ taken over", .yellow) + " by \(visible(takeover.host)) pid \(number(takeover.pid)) "
                    + "from \(visible(takeover.fromHost)) pid \(number(takeover.fromPID)): \(visible(takeover.reason))"]
        case .runReleased(let released):
            let running = released.running ?? []
            return ["  " + paint("⏸ released", .yellow) + ": \(visible(released.reason))"
                    + (running.isEmpty ? "" : "; still running \(running.map { visible($0) }.joined(separator: ", "))")
                    + "; the next worker takes it over"]
        case .runCancelRequested:
            return ["  " + paint("■ cancel requested", .yellow) + " by \(actor)"]
        case .runFinished(let finished):
            let status = visible(finished.status)
            let style: Console.Style = status == "succeeded" ? .green : .red
            var line = paint("■ run \(status)", style)
            if let duration = finished.durationMilliseconds { line += " in " + formatMilliseconds(Double(duration)) }
            if event.actor?.kind == "user" { line += " by \(actor)" }
            if let reason = finished.reason { line += " (\(visible(reason)))" }
            return [line + " (exit \(number(finished.exitCode)))"]
        case .auditCheckpoint(let checkpoint):
            return ["  " + paint("✍ checkpoint", .cyan) + " of seq \(number(checkpoint.seq)) signed"]
        case .notification, .alert, .webhookRejected, .unknown:
            return ["  \(VisibleText.escaped(event.type))" + (event.step == nil ? "" : " \(step)")]
        }
    }

    /// A step's end: its mark, duration, and message or error.
    private func line(for finished: StepFinished, step: String) -> String {
        let outcome = visible(finished.outcome)
        let duration = formatMilliseconds(Double(finished.durationMilliseconds ?? 0))
        switch outcome {
        case "success":
            var line = "  " + paint("✓", .green) + " \(step) " + paint(duration, .dim)
            if case .string(let message)? = finished.outputs?["message"] { line += " — " + visible(message) }
            return line
        case "failure":
            var line = "  " + paint("✗", .red) + " \(step) " + paint(duration, .dim)
            if let error = finished.error { line += " — " + visible(error) }
            if finished.conclusion == "success" { line += paint(" (continue_on_error)", .dim) }
            return line
        case "skipped": return "  " + paint("○", .dim) + " \(step) skipped"
        case "denied": return "  " + paint("⊘", .red) + " \(step) denied at its gate"
        default: return "  " + paint("■", .yellow) + " \(step) \(outcome)"
        }
    }

    /// A gate's question, what would run, why, the preview, and how to answer.
    private func lines(for requested: GateRequested, step: String, run: String) -> [String] {
        var lines = ["  " + paint("⏸ gate", .yellow) + " before \(step): " + visible(requested.message),
                     "      " + visible(requested.action)]
        if let reason = requested.reason { lines.append("      " + paint("why: ", .dim) + visible(reason)) }
        if let preview = requested.preview {
            lines.append("      " + paint("now:", .dim))
            lines += preview.map { "        " + visible($0) }
        }
        if let refused = requested.yesRefused { lines.append("      " + paint(visible(refused), .yellow)) }
        let required = requested.minApprovals ?? 1
        if required > 1 { lines.append("      needs \(required) approvals from people other than the starter") }
        lines.append("      approve: " + visible(requested.approveCommand) + "    deny: runbook deny \(run) \(step)")
        return lines
    }

    /// The event's actor, with the display name recorded beside it: `root (erin)`.
    private func who(_ event: AuditEvent, _ answered: GateAnswered) -> String {
        let name = VisibleText.escaped(event.actor?.id ?? "?")
        guard let displayName = answered.displayName else { return name }
        return "\(name) (\(visible(displayName)))"
    }

    private func via(_ answered: GateAnswered) -> String {
        var text = ""
        if let via = answered.via { text += " (\(visible(via)))" }
        if let comment = answered.comment { text += ": \(visible(comment))" }
        if let reason = answered.reason { text += ": \(visible(reason))" }
        return text
    }

    /// Recorded text with ``VisibleText``'s escapes, so it cannot break or forge a line; "" when it is missing.
    private func visible(_ text: String?) -> String { VisibleText.escaped(text ?? "") }

    private func number(_ value: Int64?) -> String { value.map { String($0) } ?? "?" }
}

/// `850ms`, `3.2s`, `2m05s`.
func formatMilliseconds(_ milliseconds: Double) -> String {
    if milliseconds < 1_000 { return "\(Int(milliseconds))ms" }
    if milliseconds < 60_000 { return "\((milliseconds / 100).rounded() / 10)s" }
    let seconds = Int(milliseconds / 1_000)
    let remainder = seconds % 60
    return "\(seconds / 60)m" + (remainder < 10 ? "0" : "") + "\(remainder)s"
}
