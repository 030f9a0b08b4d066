import RunbookLanguage

/// `step.retry`: a step is about to be tried again.
public struct StepRetry: EventPayload {
    public static let types: Set<String> = [EventType.stepRetry]
    public var type: String { EventType.stepRetry }

    /// The attempt about to start, from 2.
    public var attempt: Int64?
    /// How many attempts the step has.
    public var of: Int64?
    /// Why the previous attempt did not do.
    public var reason: String?
    /// The pause before the attempt, in milliseconds.
    public var delayMilliseconds: Int64?
    /// Who the next attempt's process is, as in `step.started`, when its action runs one; nil (not stored) otherwise.
    public var process: Value?

    /// Creates the payload.
    public init(attempt: Int64, of: Int64, reason: String, delayMilliseconds: Int64, process: Value? = nil) {
        self.process = process
        self.attempt = attempt
        self.of = of
        self.reason = reason
        self.delayMilliseconds = delayMilliseconds
    }

    public init(type: String, data: Value) {
        let fields = PayloadReader(data: data)
        attempt = fields.integer("attempt")
        of = fields.integer("of")
        reason = fields.string("reason")
        delayMilliseconds = fields.integer("delay_ms")
        process = fields.object("process").map(Value.object)
    }

    public var data: Value {
        var fields = PayloadWriter()
        fields.set("attempt", attempt)
        fields.set("of", of)
        fields.set("reason", reason)
        fields.set("delay_ms", delayMilliseconds)
        fields.set("process", process)
        return fields.data
    }
}
