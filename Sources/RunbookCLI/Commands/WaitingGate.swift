import Foundation
import RunbookEngine
import RunbookLanguage
import RunbookStore

/// One gate waiting for answers, as `runbook gates` shows it.
struct WaitingGate {
    let run: RunState
    let step: StepState
    let gate: GateProgress
    let requested: GateRequested

    /// The gate `step` of `run` waits at, or nil when it waits at none.
    init?(_ run: RunState, _ step: StepState) {
        guard step.gateWaiting, let gate = step.gate, gate.isOpen,
              let requested = gate.request.payload(GateRequested.self) else { return nil }
        self.run = run
        self.step = step
        self.gate = gate
        self.requested = requested
    }

    /// The approvals given so far.
    var approvedBy: [String] {
        if case .waiting(let people) = gate.tally { return people }
        return []
    }

    /// How many more approvals it needs.
    var approvalsNeeded: Int { max(0, gate.rules.minApprovals - approvedBy.count) }

    /// Who may approve it: its approvers, or anyone but those the rules exclude.
    var who: String {
        var text = gate.rules.approvers.isEmpty ? "anyone" : gate.rules.approvers.joined(separator: ", ")
        if gate.rules.minApprovals > 1 || gate.rules.startedByAlert { text += " but \(gate.rules.starter)" }
        return text
    }

    /// When it expires, if it has a timeout.
    var expiresAt: Date? {
        guard let seconds = requested.timeoutSeconds, let asked = Timestamp.parse(gate.request.timestamp) else { return nil }
        return asked.addingTimeInterval(Double(seconds))
    }

    /// Whether `person` may approve it now (and has not already).
    func mayBeAnswered(by person: String) -> Bool {
        gate.rules.refusal(for: person) == nil && !gate.rules.hasApproved(person, in: gate.answers)
    }

    /// The gate as `--output json` shows it.
    func value(now: Date) -> Value {
        [
            "run": .string(run.id), "runbook": .string(run.runbook), "incident": run.incident.map(Value.string) ?? .null,
            "severity": .string(run.severity), "step": .string(step.id), "question": .string(requested.message ?? ""),
            "action": requested.action.map(Value.string) ?? .null, "waiting_since": .string(gate.request.timestamp),
            "expires_at": expiresAt.map { .string(Timestamp.format($0)) } ?? .null,
            "default": .string(requested.defaultDecision ?? "deny"),
            "approvers": .array(gate.rules.approvers.map(Value.string)),
            "min_approvals": .number(Double(gate.rules.minApprovals)),
            "approved_by": .array(approvedBy.map(Value.string)),
            "approvals_needed": .number(Double(approvalsNeeded)),
            "approve_command": requested.approveCommand.map(Value.string) ?? .null,
        ]
    }

    /// The gate as a row of the text table, every recorded value escaped.
    func row(now: Date) -> [String] {
        let since = Timestamp.parse(gate.request.timestamp).map { formatMilliseconds(now.timeIntervalSince($0) * 1_000) }
        let expires = expiresAt.map { at in
            at > now ? "in " + formatMilliseconds(at.timeIntervalSince(now) * 1_000) : "now"
        }
        return [run.id, run.runbook, step.id, since ?? "-", expires ?? "never", requested.defaultDecision ?? "deny",
                "\(approvalsNeeded) of \(gate.rules.minApprovals)", who, requested.message ?? ""]
            .map { VisibleText.escaped($0) }
    }
}
