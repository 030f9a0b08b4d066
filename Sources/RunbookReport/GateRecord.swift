import RunbookLanguage

/// One gate: who asked, who answered, and how long it waited.
struct GateRecord {
    /// One answer given to the gate.
    struct Answer {
        var decision: String
        var by: String
        var via: String?
        var comment: String?
        var time: Moment
        /// Whether it is a break-glass approval, which passes the gate alone.
        var breakGlass = false

        var value: Value {
            ["decision": .string(decision), "by": .string(by), "via": via.value, "comment": comment.value,
             "time": time.value, "break_glass": .bool(breakGlass)]
        }
    }

    var run: String
    var step: String
    var message: String
    var action: String?
    var askedBy: String?
    var requested: Moment
    var requestedAt: Int64
    var minApprovals: Int
    var answers: [Answer] = []
    var decision = "waiting"
    var decided: Moment?
    var decidedAt: Int64?
    /// Whether a break-glass approval decided it.
    var brokenGlass = false

    /// Records an answer; the gate is decided by a deny, an expiry, enough approvals, or a break-glass approval.
    mutating func record(_ answer: Answer, at microseconds: Int64) {
        answers.append(answer)
        guard decidedAt == nil else { return }
        let approvals = Set(answers.filter { $0.decision == "approved" }.map(\.by)).count
        if answer.decision != "approved" || approvals >= minApprovals || answer.breakGlass {
            brokenGlass = answer.breakGlass
            decision = answer.decision
            decided = answer.time
            decidedAt = microseconds
        }
    }

    /// The gate as the JSON and the templates have it.
    var value: Value {
        let people = answers.filter { $0.decision != "expired" }.map(\.by)
        let last = answers.last
        return [
            "run": .string(run), "step": .string(step), "message": .string(message), "action": action.value,
            "asked_by": askedBy.value, "requested": requested.value, "decision": .string(decision),
            "approved": .bool(decision == "approved"), "denied": .bool(decision == "denied"),
            "expired": .bool(decision == "expired"), "answered": decided.value,
            "answered_by": people.isEmpty ? .null : .string(people.joined(separator: ", ")),
            "via": (last?.via).value, "comment": (last?.comment).value,
            "waited": decidedAt.map { Span(milliseconds: ($0 - requestedAt) / 1_000) }.value,
            "answers": .array(answers.map(\.value)), "break_glass": .bool(brokenGlass),
        ]
    }
}
