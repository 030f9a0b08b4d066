import RunbookLanguage

/// `run.cancel_requested`: someone asked a live run to stop.
public struct RunCancelRequested: EventPayload {
    public static let types: Set<String> = [EventType.runCancelRequested]
    public var type: String { EventType.runCancelRequested }

    /// How it was asked, when not by signalling the run's process: `runbook cancel` (a run of `serve`), `api`, or
    /// `ctrl-c` (the person at the run's terminal).
    public var via: String?
    /// The process signalled, when the run has one of its own.
    public var pid: Int64?

    /// Creates the payload.
    public init(via: String? = nil, pid: Int64? = nil) {
        self.via = via
        self.pid = pid
    }

    public init(type: String, data: Value) {
        let fields = PayloadReader(data: data)
        via = fields.string("via")
        pid = fields.integer("pid")
    }

    public var data: Value {
        var fields = PayloadWriter()
        fields.set("via", via)
        fields.set("pid", pid)
        return fields.data
    }
}
