import RunbookLanguage

/// `run.released`: the process running the run let it go without ending it (`runbook serve` draining on SIGTERM):
/// it launched no step after the signal, and names the steps still running when it let go. The run has no
/// `run.finished`; the next worker takes it over under resume's rules.
public struct RunReleased: EventPayload {
    public static let types: Set<String> = [EventType.runReleased]
    public var type: String { EventType.runReleased }

    /// Why, in words: `serve is shutting down (SIGTERM)`.
    public var reason: String?
    /// The steps that had started and not ended when the run was let go (empty when every running step ended).
    public var running: [String]?

    /// Creates the payload.
    public init(reason: String, running: [String]) {
        self.reason = reason
        self.running = running
    }

    public init(type: String, data: Value) {
        let fields = PayloadReader(data: data)
        reason = fields.string("reason")
        running = fields.strings("running")
    }

    public var data: Value {
        var fields = PayloadWriter()
        fields.set("reason", reason)
        fields.set("running", running)
        return fields.data
    }
}
