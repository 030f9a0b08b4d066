import RunbookLanguage

/// `alert.received`, `alert.rejected` or `alert.unmatched`: an alert read from a webhook, as `serve` records it — in
/// the log of the run it started, joined or resolved, or, when it starts nothing, with no run.
public struct AlertRecord: EventPayload {
    public static let types: Set<String> = [EventType.alertReceived, EventType.alertRejected, EventType.alertUnmatched]
    public var type: String {
        switch disposition {
        case .received: EventType.alertReceived
        case .rejected: EventType.alertRejected
        case .unmatched: EventType.alertUnmatched
        }
    }

    /// What the alert came to.
    public enum Disposition: Sendable, Equatable {
        /// It started a run, fired again while it is open, or resolved.
        case received
        /// It satisfies a trigger whose inputs refuse its values: no run.
        case rejected
        /// It satisfies no trigger: no run.
        case unmatched
    }

    /// What the alert came to.
    public var disposition: Disposition
    /// The webhook it came from: `alertmanager`, `grafana`, `cloudwatch`, `pagerduty`.
    public var source: String?
    /// `firing` or `resolved`.
    public var status: String?
    /// When it started and, if it did, ended (RFC 3339).
    public var startsAt: String?
    public var endsAt: String?
    /// Its fingerprint, which repeats and resolutions are matched by.
    public var fingerprint: String?
    /// Its labels and annotations.
    public var labels: [String: Value]?
    public var annotations: [String: Value]?
    /// The delivery's id, when the sender gives one.
    public var delivery: String?
    /// The runbook whose trigger it satisfies.
    public var runbook: String?
    /// Whether it fired again while its run is open.
    public var repeated: Bool
    /// Why its trigger's inputs refused it.
    public var reason: String?
    /// The severity of the run it started.
    public var severity: String?
    /// The inputs of the run it started (redacted).
    public var inputs: Value?
    /// Why the severity is not the alert's own.
    public var severityNote: String?

    /// Creates the payload.
    public init(
        _ disposition: Disposition, source: String, status: String, startsAt: String, endsAt: String? = nil,
        fingerprint: String, labels: [String: Value], annotations: [String: Value]
    ) {
        self.disposition = disposition
        self.source = source
        self.status = status
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.fingerprint = fingerprint
        self.labels = labels
        self.annotations = annotations
        repeated = false
    }

    public init(type: String, data: Value) {
        disposition = switch type {
        case EventType.alertRejected: .rejected
        case EventType.alertUnmatched: .unmatched
        default: .received
        }
        let fields = PayloadReader(data: data)
        source = fields.string("source")
        status = fields.string("status")
        startsAt = fields.string("starts_at")
        endsAt = fields.string("ends_at")
        fingerprint = fields.string("fingerprint")
        labels = fields.object("labels")
        annotations = fields.object("annotations")
        delivery = fields.string("delivery")
        runbook = fields.string("runbook")
        repeated = fields.bool("repeated") == true
        reason = fields.string("reason")
        severity = fields.string("severity")
        inputs = fields.value("inputs")
        severityNote = fields.string("severity_note")
    }

    public var data: Value {
        var fields = PayloadWriter()
        fields.set("source", source)
        fields.set("status", status)
        fields.set("starts_at", startsAt)
        fields.set("ends_at", endsAt)
        fields.set("fingerprint", fingerprint)
        fields.set("labels", labels)
        fields.set("annotations", annotations)
        fields.set("delivery", delivery)
        fields.set("runbook", runbook)
        if repeated { fields.set("repeated", true) }
        fields.set("reason", reason)
        fields.set("severity", severity)
        fields.set("inputs", inputs)
        fields.set("severity_note", severityNote)
        return fields.data
    }
}
