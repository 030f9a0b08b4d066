import RunbookLanguage

/// `step.started`: a step began, recorded before it acts.
public struct StepStarted: EventPayload {
    public static let types: Set<String> = [EventType.stepStarted]
    public var type: String { EventType.stepStarted }

    /// The action it runs.
    public var action: String?
    /// Whether it changes something.
    public var mutating: Bool
    /// Its parameters as shown (secrets redacted).
    public var parameters: Value?
    /// Its timeout in milliseconds; nil (stored as `null`) for none.
    public var timeoutMilliseconds: Int64?
    /// The targets it holds while it acts (`ecs:prod/api`); nil when none.
    public var locks: [String]?
    /// Who the step's process is (host, boot id, pid, group, start time; see `StepProcess`), when its action runs
    /// one; nil (not stored) otherwise.
    public var process: Value?

    /// Creates the payload.
    public init(
        action: String, mutating: Bool, parameters: Value, timeoutMilliseconds: Int64?, locks: [String]? = nil,
        process: Value? = nil
    ) {
        self.process = process
        self.action = action
        self.mutating = mutating
        self.parameters = parameters
        self.timeoutMilliseconds = timeoutMilliseconds
        self.locks = locks
    }

    public init(type: String, data: Value) {
        let fields = PayloadReader(data: data)
        action = fields.string("action")
        mutating = fields.bool("mutating") == true
        parameters = fields.value("parameters")
        timeoutMilliseconds = fields.integer("timeout_ms")
        locks = fields.strings("locks")
        process = fields.object("process").map(Value.object)
    }

    public var data: Value {
        var fields = PayloadWriter()
        fields.set("action", action)
        fields.set("mutating", mutating)
        fields.set("parameters", parameters)
        fields.set("timeout_ms", timeoutMilliseconds.map { Value.number(Double($0)) } ?? .null)
        fields.set("locks", locks)
        fields.set("process", process)
        return fields.data
    }
}
