import RunbookLanguage
import RunbookStore

/// A person's answer to a waiting gate, checked against the run's log before it is recorded: the gate must be
/// waiting in a live run, the person must be allowed to answer it, and nobody approves the same gate twice.
///
/// `runbook approve`/`deny` and the server's API both answer through it, so one set of rules decides who may let a
/// gated step run.
public struct GateAnswer: Sendable {
    /// Whether the answer approves the step.
    public var approve: Bool
    /// Who answers.
    public var person: String
    /// How the answer came (`runbook approve`, `api`), for the audit log.
    public var via: String
    /// Why, for the audit log: the comment of an approval or the reason of a denial.
    public var note: String?

    /// Creates an answer.
    public init(approve: Bool, person: String, via: String, note: String? = nil) {
        self.approve = approve
        self.person = person
        self.via = via
        self.note = note
    }

    /// The event that records this answer to the gate of `step` (or of the only waiting gate when nil) in `state`.
    /// - Parameter isAlive: Whether a live process runs the run (nothing waits for an answer otherwise).
    /// - Throws: `GateAnswerError` saying why the answer cannot be taken.
    public func draft(for state: RunState, step: String?, isAlive: Bool) throws(GateAnswerError) -> EventDraft {
        let run = state.id
        let waiting = state.stepOrder.compactMap { state.steps[$0] }.filter(\.gateWaiting)
        let target: String
        if let step {
            guard waiting.contains(where: { $0.id == step }) else {
                throw GateAnswerError(
                    "step '\(step)' of run \(run) is not waiting at a gate"
                        + (waiting.isEmpty ? "" : "; waiting: " + waiting.map(\.id).joined(separator: ", ")),
                    kind: .notWaiting)
            }
            target = step
        } else {
            guard waiting.count == 1, let only = waiting.first else {
                throw GateAnswerError(
                    waiting.isEmpty
                        ? "run \(run) has no gate waiting for an answer"
                        : "run \(run) has several gates waiting: name one of "
                            + waiting.map(\.id).joined(separator: ", "),
                    kind: .notWaiting)
            }
            target = only.id
        }
        if state.recordedStatus != nil || !isAlive {
            throw GateAnswerError(
                "run \(run) is not running, so nothing waits for this answer", kind: .notRunning,
                hint: "'runbook status \(run)' tells what happened")
        }
        guard let request = state.events.last(where: { $0.type == EventType.gateRequested && $0.step == target })
        else {
            throw GateAnswerError("no gate request found for step '\(target)'", kind: .notWaiting)
        }
        if state.isServed, person == state.actor?.id {
            throw GateAnswerError(
                "\(person) sent the alert that started run \(run), so it cannot answer the run's gates; a person must",
                kind: .forbidden)
        }
        let rules = GateRules(requested: request, starter: state.actor?.id ?? "")
        if let refusal = rules.refusal(for: person) {
            throw GateAnswerError("\(person) cannot answer this gate: \(refusal)", kind: .forbidden)
        }
        let earlier = state.events.filter {
            $0.seq > request.seq && $0.step == target && $0.type == EventType.gateApproved && $0.actor?.id == person
        }
        if approve, !earlier.isEmpty {
            throw GateAnswerError(
                "\(person) has already approved this gate; it needs \(rules.minApprovals) different people",
                kind: .forbidden)
        }
        var data: [String: Value] = ["via": .string(via)]
        if let note { data[approve ? "comment" : "reason"] = .string(note) }
        return EventDraft(
            run: run, incident: state.incident, type: approve ? EventType.gateApproved : EventType.gateDenied,
            step: target, actor: .user(person), data: .object(data))
    }
}

/// Why a gate answer cannot be taken.
public struct GateAnswerError: Error, Sendable, CustomStringConvertible {
    /// What kind of refusal it is (an API maps it to a status code).
    public enum Kind: Sendable {
        /// No such gate waits.
        case notWaiting
        /// The run has ended or no process runs it.
        case notRunning
        /// This person may not give this answer.
        case forbidden
    }

    /// What is wrong, as a sentence.
    public var message: String
    /// The kind of refusal.
    public var kind: Kind
    /// What to do about it, when there is something.
    public var hint: String?

    /// Creates an error.
    public init(_ message: String, kind: Kind, hint: String? = nil) {
        self.message = message
        self.kind = kind
        self.hint = hint
    }

    /// The message.
    public var description: String { message }
}
