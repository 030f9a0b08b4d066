import RunbookLanguage

/// `lock.waiting`: a step waits to act on a target another step holds (`ecs:prod/api`), recorded once when its wait
/// begins; its `step.started` (with the targets it holds) or its failure after the time limit follows.
public struct LockWaiting: EventPayload {
    public static let types: Set<String> = [EventType.lockWaiting]
    public var type: String { EventType.lockWaiting }

    /// The target.
    public var lock: String?
    /// The run whose step holds it.
    public var heldByRun: String?
    /// That step.
    public var heldByStep: String?

    /// Creates the payload.
    public init(lock: String, heldByRun: String, heldByStep: String) {
        self.lock = lock
        self.heldByRun = heldByRun
        self.heldByStep = heldByStep
    }

    public init(type: String, data: Value) {
        let fields = PayloadReader(data: data)
        lock = fields.string("lock")
        heldByRun = fields.string("held_by_run")
        heldByStep = fields.string("held_by_step")
    }

    public var data: Value {
        var fields = PayloadWriter()
        fields.set("lock", lock)
        fields.set("held_by_run", heldByRun)
        fields.set("held_by_step", heldByStep)
        return fields.data
    }
}
