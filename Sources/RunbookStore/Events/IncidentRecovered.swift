import RunbookLanguage

/// `incident.recovered`: the incident's first successful recovery step, with the time it took against the RTO.
public struct IncidentRecovered: EventPayload {
    public static let types: Set<String> = [EventType.incidentRecovered]
    public var type: String { EventType.incidentRecovered }

    /// The recovery step that succeeded.
    public var step: String?
    /// When the incident started.
    public var incidentStartedAt: String?
    /// From the incident's start to the recovery.
    public var timeToRecoverMilliseconds: Int64?
    /// The RTO, when the runbook has one.
    public var rto: String?
    /// Whether the recovery came within the RTO.
    public var met: Bool?
    /// Time left of the RTO at the recovery (negative when it was missed).
    public var marginMilliseconds: Int64?

    /// Creates the payload.
    public init(step: String, incidentStartedAt: String, timeToRecoverMilliseconds: Int64, rto: String? = nil,
                met: Bool? = nil, marginMilliseconds: Int64? = nil) {
        self.step = step
        self.incidentStartedAt = incidentStartedAt
        self.timeToRecoverMilliseconds = timeToRecoverMilliseconds
        self.rto = rto
        self.met = met
        self.marginMilliseconds = marginMilliseconds
    }

    public init(type: String, data: Value) {
        let fields = PayloadReader(data: data)
        step = fields.string("step")
        incidentStartedAt = fields.string("incident_started_at")
        timeToRecoverMilliseconds = fields.integer("time_to_recover_ms")
        rto = fields.string("rto")
        met = fields.bool("met")
        marginMilliseconds = fields.integer("margin_ms")
    }

    public var data: Value {
        var fields = PayloadWriter()
        fields.set("step", step)
        fields.set("incident_started_at", incidentStartedAt)
        fields.set("time_to_recover_ms", timeToRecoverMilliseconds)
        fields.set("rto", rto)
        fields.set("met", met)
        fields.set("margin_ms", marginMilliseconds)
        return fields.data
    }
}
