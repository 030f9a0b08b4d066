import RunbookLanguage

/// `run.finished`: a run ended, with its status and exit code.
public struct RunFinished: EventPayload {
    public static let types: Set<String> = [EventType.runFinished]
    public var type: String { EventType.runFinished }

    /// `succeeded`, `failed`, `denied` or `cancelled`.
    public var status: String?
    /// The exit code `runbook exec` gave.
    public var exitCode: Int64?
    /// How long the run's steps took, from the first start; nil when it was ended for an interrupted process.
    public var durationMilliseconds: Int64?
    /// Why it ended, when something other than its steps ended it (`cancelled while interrupted`).
    public var reason: String?

    /// Creates the payload.
    public init(status: String, exitCode: Int64, durationMilliseconds: Int64? = nil, reason: String? = nil) {
        self.status = status
        self.exitCode = exitCode
        self.durationMilliseconds = durationMilliseconds
        self.reason = reason
    }

    public init(type: String, data: Value) {
        let fields = PayloadReader(data: data)
        status = fields.string("status")
        exitCode = fields.integer("exit_code")
        durationMilliseconds = fields.integer("duration_ms")
        reason = fields.string("reason")
    }

    public var data: Value {
        var fields = PayloadWriter()
        fields.set("status", status)
        fields.set("exit_code", exitCode)
        fields.set("duration_ms", durationMilliseconds)
        fields.set("reason", reason)
        return fields.data
    }
}
