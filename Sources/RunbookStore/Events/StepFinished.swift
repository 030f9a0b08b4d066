import RunbookLanguage

/// `step.finished`: a step ended, with its outcome, its conclusion (what steps after it see) and its outputs.
public struct StepFinished: EventPayload {
    public static let types: Set<String> = [EventType.stepFinished]
    public var type: String { EventType.stepFinished }

    /// `success`, `failure`, `skipped`, `denied` or `cancelled`.
    public var outcome: String?
    /// The outcome as later steps see it (`success` for a failure with `continue_on_error`).
    public var conclusion: String?
    /// How long it ran; nil when the run was ended for an interrupted process.
    public var durationMilliseconds: Int64?
    /// How many attempts it made.
    public var attempts: Int64?
    /// Its outputs (redacted, capped).
    public var outputs: [String: Value]?
    /// Why it failed.
    public var error: String?
    /// Why it was skipped.
    public var reason: String?

    /// Creates the payload.
    public init(
        outcome: String, conclusion: String, durationMilliseconds: Int64?, attempts: Int64,
        outputs: [String: Value], error: String? = nil, reason: String? = nil
    ) {
        self.outcome = outcome
        self.conclusion = conclusion
        self.durationMilliseconds = durationMilliseconds
        self.attempts = attempts
        self.outputs = outputs
        self.error = error
        self.reason = reason
    }

    public init(type: String, data: Value) {
        let fields = PayloadReader(data: data)
        outcome = fields.string("outcome")
        conclusion = fields.string("conclusion")
        durationMilliseconds = fields.integer("duration_ms")
        attempts = fields.integer("attempts")
        outputs = fields.object("outputs")
        error = fields.string("error")
        reason = fields.string("reason")
    }

    public var data: Value {
        var fields = PayloadWriter()
        fields.set("outcome", outcome)
        fields.set("conclusion", conclusion)
        fields.set("duration_ms", durationMilliseconds)
        fields.set("attempts", attempts)
        fields.set("outputs", outputs)
        fields.set("error", error)
        fields.set("reason", reason)
        return fields.data
    }
}
