import RunbookLanguage

/// `run.resumed`: an interrupted run was continued by a new process.
public struct RunResumed: EventPayload {
    public static let types: Set<String> = [EventType.runResumed]
    public var type: String { EventType.runResumed }

    /// The process that continues it.
    public var pid: Int64?
    /// The host it continues on.
    public var host: String?
    /// The steps that had started and not finished, which run again.
    public var rerun: [String]
    /// The display name of whoever resumed it.
    public var displayName: String?
    /// The runbook file's digest, when it differs from the text the run started with (`runbook_changed`).
    public var runbookChanged: RunbookChange?

    /// A runbook file changed (or removed) since its run started; the run continues with the recorded text.
    public struct RunbookChange: Sendable, Equatable {
        /// The digest of the text the run started with.
        public var recorded: String
        /// The digest of the file now; nil when it is gone.
        public var onDisk: String?

        /// Creates a change.
        public init(recorded: String, onDisk: String?) {
            self.recorded = recorded
            self.onDisk = onDisk
        }
    }

    /// Creates the payload.
    public init(pid: Int64?, host: String?, rerun: [String], displayName: String? = nil,
                runbookChanged: RunbookChange? = nil) {
        self.pid = pid
        self.host = host
        self.rerun = rerun
        self.displayName = displayName
        self.runbookChanged = runbookChanged
    }

    public init(type: String, data: Value) {
        let fields = PayloadReader(data: data)
        pid = fields.integer("pid")
        host = fields.string("host")
        rerun = fields.strings("rerun") ?? []
        displayName = fields.string("display_name")
        let change = PayloadReader(data: data.member("runbook_changed"))
        runbookChanged = change.string("recorded").map { RunbookChange(recorded: $0, onDisk: change.string("on_disk")) }
    }

    public var data: Value {
        var fields = PayloadWriter()
        fields.set("pid", pid)
        fields.set("host", host)
        fields.set("rerun", rerun)
        fields.set("display_name", displayName)
        if let runbookChanged {
            fields.set("runbook_changed", [
                "recorded": .string(runbookChanged.recorded), "on_disk": runbookChanged.onDisk.map(Value.string) ?? .null,
            ])
        }
        return fields.data
    }
}
