import Foundation
import RunbookLanguage
import RunbookStore

/// A person's answer to a waiting gate, checked against the run's log and recorded in one store transaction: the
/// gate must still be waiting in a live run, the person must be allowed to answer it, and nobody approves the same
/// gate twice. Of two answers racing for one gate, exactly one is recorded; the other is refused with what decided
/// the gate.
///
/// `runbook approve`/`deny` and the server's API both answer through it, so one set of rules decides who may let a
/// gated step run.
public struct GateAnswer: Sendable {
    /// Whether the answer approves the step.
    public var approve: Bool
    /// Who answers: an established ``Identity`` name.
    public var person: String
    /// What the person asked to be called, recorded beside ``person``; never counted.
    public var displayName: String?
    /// How the answer came (`runbook approve`, `api`), for the audit log.
    public var via: String
    /// Why, for the audit log: the comment of an approval or the reason of a denial or a break-glass approval.
    public var note: String?
    /// Whether this approval passes, alone, a gate that needs more approvals (an emergency; needs a reason).
    public var breakGlass: Bool

    /// The events that answer a gate.
    public static let answerTypes = [EventType.gateApproved, EventType.gateDenied, EventType.gateExpired]
    /// The events that can change whether an answer may be taken: answers, a new request, the step's start, the
    /// run's end or resumption. An answer is recorded only if none of them came after the log it was checked
    /// against.
    public static let decidingTypes = answerTypes + [
        EventType.gateRequested, EventType.stepStarted, EventType.runFinished, EventType.runResumed,
    ]
    /// How many times an answer is checked again when other events of the run keep overtaking it.
    static let attempts = 64

    /// Creates an answer.
    public init(
        approve: Bool, person: String, displayName: String? = nil, via: String, note: String? = nil,
        breakGlass: Bool = false
    ) {
        self.approve = approve
        self.person = person
        self.displayName = displayName
        self.via = via
        self.note = note
        self.breakGlass = breakGlass
    }

    /// Checks this answer against `state` and records it, in one transaction: if anything that could change the
    /// check (``decidingTypes``) is recorded for the run after `state`, the run is read again and checked again.
    /// - Parameters:
    ///   - state: The run as last read.
    ///   - step: The gate's step, or nil for the only waiting gate.
    ///   - isAlive: Whether a live process runs the run (nothing waits for an answer otherwise).
    /// - Returns: The recorded answer.
    /// - Throws: `GateAnswerError` saying why the answer was not taken (`.decided` when another answer decided the
    ///   gate first, `.storeFailed` when the store failed).
    public func record(in store: any EventStore, state: RunState, step: String?, isAlive: Bool)
        async throws(GateAnswerError) -> AuditEvent
    {
        var state = state
        for _ in 0..<Self.attempts {
            let draft = try draft(for: state, step: step, isAlive: isAlive)
            let condition = AppendCondition(run: state.id, noneAfter: state.lastSeq, of: Self.decidingTypes)
            do throws(StoreError) {
                if let stored = try await store.append([draft], if: condition), let event = stored.first {
                    return event
                }
                state.append(try await store.events(run: state.id, after: state.lastSeq, types: nil))
            } catch {
                throw GateAnswerError(
                    "the answer could not be recorded, so it does not count: \(error.message)", kind: .storeFailed)
            }
        }
        throw GateAnswerError(
            "run \(state.id) kept changing while the answer was checked; it was not recorded", kind: .storeFailed,
            hint: "try again")
    }

    /// The event that records this answer to the gate of `step` (or of the only waiting gate when nil) in `state`.
    /// - Parameter isAlive: Whether a live process runs the run (nothing waits for an answer otherwise).
    /// - Throws: `GateAnswerError` saying why the answer cannot be taken.
    public func draft(for state: RunState, step: String?, isAlive: Bool) throws(GateAnswerError) -> EventDraft {
        let run = state.id
        let waiting = state.stepOrder.compactMap { state.steps[$0] }.filter(\.gateWaiting)
        let target: String
        if let step {
            if let decided = state.steps[step]?.gate, !decided.isOpen, state.steps[step]?.gateWaiting == false {
                throw GateAnswerError(
                    "the gate of step '\(step)' of run \(run) was already \(Self.describe(decided.tally))",
                    kind: .decided, hint: "'runbook status \(run)' shows the run")
            }
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
        guard let gate = state.steps[target]?.gate else {
            throw GateAnswerError("no gate request found for step '\(target)'", kind: .notWaiting)
        }
        if breakGlass {
            guard approve else { throw GateAnswerError("--break-glass approves; a denial needs none", kind: .invalid) }
            guard gate.rules.minApprovals > 1 else {
                throw GateAnswerError(
                    "the gate of step '\(target)' needs one approval; approve it without --break-glass", kind: .invalid)
            }
            guard let note, !note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw GateAnswerError("a break-glass approval needs a reason", kind: .invalid,
                                      hint: "add --reason 'what makes this an emergency'")
            }
        }
        if let refusal = gate.rules.refusal(for: person, approving: approve, breakGlass: breakGlass) {
            throw GateAnswerError("\(person) cannot answer this gate: \(refusal)", kind: .forbidden)
        }
        if approve, gate.rules.hasApproved(person, in: gate.answers) {
            throw GateAnswerError(
                "\(person) has already approved this gate; it needs \(gate.rules.minApprovals) different people",
                kind: .forbidden)
        }
        let approving = approve && !breakGlass
        return EventDraft(run: run, incident: state.incident, step: target, actor: .user(person), GateAnswered(
            approved: approve, via: via, comment: approving ? note : nil, reason: approving ? nil : note,
            breakGlass: breakGlass, displayName: displayName))
    }
}

extension GateAnswer {
    /// How a decided gate was decided, for the losing answer: `approved by bob at 10:04:05Z`.
    static func describe(_ tally: GateTally) -> String {
        guard let decision = tally.decision else { return "answered" }
        let at = " at " + clockTime(decision.timestamp)
        switch tally {
        case .approved(let people, _) where decision.type == EventType.gateExpired:
            return "approved when it expired" + at + (people.isEmpty ? "" : " (approved by \(people.joined(separator: ", ")))")
        case .approved(let people, _):
            let glass = decision.payload(GateAnswered.self)?.breakGlass == true ? " (break-glass)" : ""
            return "approved by \(people.joined(separator: " and "))\(glass)" + at
        case .denied(let person?, _):
            return "denied by \(person)" + at
        case .denied(nil, _):
            return "denied when it expired" + at
        case .waiting:
            return "answered"
        }
    }

    /// The time of day of an RFC 3339 timestamp, to the second: `10:04:05Z`.
    private static func clockTime(_ timestamp: String) -> String {
        guard let t = timestamp.firstIndex(of: "T") else { return timestamp }
        let time = timestamp[timestamp.index(after: t)...]
        let seconds = time.prefix { $0 != "." && $0 != "Z" && $0 != "+" }
        return seconds + (time.hasSuffix("Z") ? "Z" : "")
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
        /// Another answer (or the gate's expiry) decided the gate first.
        case decided
        /// The answer itself is malformed (a break-glass denial, a break-glass approval without a reason).
        case invalid
        /// The store could not check or record it.
        case storeFailed
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
