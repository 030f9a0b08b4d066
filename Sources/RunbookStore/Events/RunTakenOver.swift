import RunbookLanguage

/// `run.taken_over`: a worker claimed a run whose runner's lease lapsed and continues it (its `run.resumed`
/// follows). Names both runners, so the log says who stopped running the run and who carries it on.
public struct RunTakenOver: EventPayload {
    public static let types: Set<String> = [EventType.runTakenOver]
    public var type: String { EventType.runTakenOver }

    /// The host of the runner whose lease lapsed, as its lease last said.
    public var fromHost: String?
    /// That runner's process id.
    public var fromPID: Int64?
    /// That runner's last heartbeat (RFC 3339).
    public var fromHeartbeat: String?
    /// The host of the worker that claimed the run.
    public var host: String?
    /// The claiming worker's process id.
    public var pid: Int64?
    /// Why the lease counted as lapsed, in words.
    public var reason: String?

    /// Creates the payload.
    public init(
        fromHost: String?, fromPID: Int64?, fromHeartbeat: String?, host: String, pid: Int64, reason: String
    ) {
        self.fromHost = fromHost
        self.fromPID = fromPID
        self.fromHeartbeat = fromHeartbeat
        self.host = host
        self.pid = pid
        self.reason = reason
    }

    public init(type: String, data: Value) {
        let fields = PayloadReader(data: data)
        fromHost = fields.string("from_host")
        fromPID = fields.integer("from_pid")
        fromHeartbeat = fields.string("from_heartbeat")
        host = fields.string("host")
        pid = fields.integer("pid")
        reason = fields.string("reason")
    }

    public var data: Value {
        var fields = PayloadWriter()
        fields.set("from_host", fromHost)
        fields.set("from_pid", fromPID)
        fields.set("from_heartbeat", fromHeartbeat)
        fields.set("host", host)
        fields.set("pid", pid)
        fields.set("reason", reason)
        return fields.data
    }
}
