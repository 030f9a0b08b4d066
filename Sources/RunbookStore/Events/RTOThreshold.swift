import RunbookLanguage

/// `rto.warning` (50 % and 80 % of the RTO used) or `rto.breached` (100 %).
public struct RTOThreshold: EventPayload {
    public static let types: Set<String> = [EventType.rtoWarning, EventType.rtoBreached]
    public var type: String { (percent ?? 0) >= 100 ? EventType.rtoBreached : EventType.rtoWarning }

    /// The share of the RTO used: 50, 80 or 100.
    public var percent: Int64?
    /// The RTO, as written.
    public var rto: String?
    /// When the incident started.
    public var incidentStartedAt: String?
    /// Time since the incident started.
    public var elapsedMilliseconds: Int64?
    /// Time left of the RTO (0 once breached).
    public var remainingMilliseconds: Int64?

    /// Creates the payload.
    public init(percent: Int64, rto: String, incidentStartedAt: String, elapsedMilliseconds: Int64,
                remainingMilliseconds: Int64) {
        self.percent = percent
        self.rto = rto
        self.incidentStartedAt = incidentStartedAt
        self.elapsedMilliseconds = elapsedMilliseconds
        self.remainingMilliseconds = remainingMilliseconds
    }

    public init(type: String, data: Value) {
        let fields = PayloadReader(data: data)
        percent = fields.integer("percent")
        rto = fields.string("rto")
        incidentStartedAt = fields.string("incident_started_at")
        elapsedMilliseconds = fields.integer("elapsed_ms")
        remainingMilliseconds = fields.integer("remaining_ms")
    }

    public var data: Value {
        var fields = PayloadWriter()
        fields.set("percent", percent)
        fields.set("rto", rto)
        fields.set("incident_started_at", incidentStartedAt)
        fields.set("elapsed_ms", elapsedMilliseconds)
        fields.set("remaining_ms", remainingMilliseconds)
        return fields.data
    }
}
