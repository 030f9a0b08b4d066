import RunbookLanguage

/// `run.detached`: the run lost its view — the terminal hung up, or the pipe its output went to closed — and carries
/// on without one: its steps keep running, its gates wait for answers from elsewhere, and `runbook log -f` follows it.
public struct RunDetached: EventPayload {
    public static let types: Set<String> = [EventType.runDetached]
    public var type: String { EventType.runDetached }

    /// What happened, in words: `the terminal hung up (SIGHUP)`.
    public var reason: String?

    /// Creates the payload.
    public init(reason: String) {
        self.reason = reason
    }

    public init(type: String, data: Value) {
        reason = PayloadReader(data: data).string("reason")
    }

    public var data: Value {
        var fields = PayloadWriter()
        fields.set("reason", reason)
        return fields.data
    }
}
