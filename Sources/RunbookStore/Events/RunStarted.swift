import RunbookLanguage

/// `run.started`: a run began — its runbook (name, file, text and digest), inputs, severity, the incident's clock, and
/// the process that runs it.
public struct RunStarted: EventPayload {
    public static let types: Set<String> = [EventType.runStarted]
    public var type: String { EventType.runStarted }

    /// A severity set lower than the runbook's, with the reason given for it.
    public struct SeverityLowering: Sendable, Equatable {
        /// The runbook's own severity.
        public var from: String
        /// Why it was lowered.
        public var reason: String

        /// Creates a lowering.
        public init(from: String, reason: String) {
            self.from = from
            self.reason = reason
        }
    }

    /// The runbook's name.
    public var runbook: String?
    /// The runbook file it was started from.
    public var file: String?
    /// `sha256:…` of the runbook's text; nil in runs recorded before digests were.
    public var runbookDigest: String?
    /// The runbook's text; nil in runs recorded before sources were kept.
    public var runbookSource: String?
    /// The runbook's title.
    public var title: String?
    /// The run's severity, `SEV1`…`SEV4`.
    public var severity: String?
    /// The inputs, secrets redacted.
    public var inputs: Value?
    /// The process that runs it.
    public var pid: Int64?
    /// The host it runs on.
    public var host: String?
    /// How many steps the runbook has.
    public var steps: Int64?
    /// The environment it runs against.
    public var environment: String?
    /// The runbook's RTO, as written (`15m`).
    public var rto: String?
    /// When the incident started (RFC 3339).
    public var incidentStartedAt: String?
    /// Whether an earlier run of the incident had already recovered it (stored only when true).
    public var incidentRecovered: Bool
    /// The alert that started it (redacted), as `${{ alert.… }}` read it; nil when a person started it.
    public var alert: Value?
    /// The starter's display name (`$RUNBOOK_USER`), beside the account that is the actor.
    public var displayName: String?
    /// The severity set lower than the runbook's, if it was.
    public var severityLowered: SeverityLowering?

    /// Creates the payload.
    public init(
        runbook: String?, file: String?, runbookDigest: String?, runbookSource: String?, title: String?,
        severity: String?, inputs: Value?, pid: Int64?, host: String?, steps: Int64?, environment: String? = nil,
        rto: String? = nil, incidentStartedAt: String? = nil, incidentRecovered: Bool = false, alert: Value? = nil,
        displayName: String? = nil, severityLowered: SeverityLowering? = nil
    ) {
        self.runbook = runbook
        self.file = file
        self.runbookDigest = runbookDigest
        self.runbookSource = runbookSource
        self.title = title
        self.severity = severity
        self.inputs = inputs
        self.pid = pid
        self.host = host
        self.steps = steps
        self.environment = environment
        self.rto = rto
        self.incidentStartedAt = incidentStartedAt
        self.incidentRecovered = incidentRecovered
        self.alert = alert
        self.displayName = displayName
        self.severityLowered = severityLowered
    }

    public init(type: String, data: Value) {
        let fields = PayloadReader(data: data)
        runbook = fields.string("runbook")
        file = fields.string("file")
        runbookDigest = fields.string("runbook_digest")
        runbookSource = fields.string("runbook_source")
        title = fields.string("title")
        severity = fields.string("severity")
        inputs = fields.value("inputs")
        pid = fields.integer("pid")
        host = fields.string("host")
        steps = fields.integer("steps")
        environment = fields.string("environment")
        rto = fields.string("rto")
        incidentStartedAt = fields.string("incident_started_at")
        incidentRecovered = fields.bool("incident_recovered") == true
        alert = fields.value("alert").flatMap { $0 == .null ? nil : $0 }
        displayName = fields.string("display_name")
        let lowered = PayloadReader(data: data.member("severity_lowered"))
        severityLowered = lowered.string("from").map { SeverityLowering(from: $0, reason: lowered.string("reason") ?? "") }
    }

    public var data: Value {
        var fields = PayloadWriter()
        fields.set("runbook", runbook)
        fields.set("file", file)
        fields.set("runbook_digest", runbookDigest)
        fields.set("runbook_source", runbookSource)
        fields.set("title", title)
        fields.set("severity", severity)
        fields.set("inputs", inputs)
        fields.set("pid", pid)
        fields.set("host", host)
        fields.set("steps", steps)
        fields.set("environment", environment)
        fields.set("rto", rto)
        fields.set("incident_started_at", incidentStartedAt)
        if incidentRecovered { fields.set("incident_recovered", true) }
        fields.set("alert", alert)
        fields.set("display_name", displayName)
        if let severityLowered {
            fields.set("severity_lowered", ["from": .string(severityLowered.from), "reason": .string(severityLowered.reason)])
        }
        return fields.data
    }
}
