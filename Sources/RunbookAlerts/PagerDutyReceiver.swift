import Foundation
import RunbookLanguage

/// Reads PagerDuty's V3 webhooks (`{"event": {...}}`): `incident.triggered` fires, `incident.resolved` resolves;
/// every other event type is ignored. Check the `X-PagerDuty-Signature` header first with `PagerDutySignature`.
public struct PagerDutyReceiver: AlertReceiver {
    /// The event types that become alerts, and their status.
    public static let statuses: [String: Alert.Status] = [
        "incident.triggered": .firing, "incident.resolved": .resolved,
    ]

    /// Creates a receiver.
    public init() {}

    /// `pagerduty`.
    public var source: AlertSource { .pagerduty }

    /// The incident's alert, or `.ignored` for other event types (acknowledged, annotated, `pagey.ping`, …).
    /// - Throws: `AlertPayloadError` for a body that is not JSON, a V2 webhook (no `event`), or an incident event
    ///   without `event_type`, `occurred_at` or `data.id`.
    public func receive(body: Data, headers: WebhookHeaders) throws(AlertPayloadError) -> AlertDelivery {
        let root = try PayloadNode.parse(body, source: source)
        let event = try root.member("event")
        if event.isAbsent {
            let legacy = !(try root.member("messages")).isAbsent
            throw event.error(legacy ? "missing: this is a V2 webhook (messages); add a V3 webhook subscription"
                                     : "missing")
        }
        let eventType = try event.member("event_type").string()
        guard let status = Self.statuses[eventType] else {
            return .ignored("PagerDuty event '\(eventType)' neither triggers nor resolves an incident")
        }
        let occurred = try event.member("occurred_at").timestamp()
        let data = try event.member("data")
        let incident = try data.member("id").string()
        var labels = ["event_type": eventType, "incident_id": incident]
        labels["title"] = try data.member("title").nonEmptyString()
        labels["service"] = try data.member("service").member("summary").nonEmptyString()
        labels["urgency"] = try data.member("urgency").nonEmptyString()
        labels["priority"] = try data.member("priority").member("summary").nonEmptyString()
        labels["status"] = try data.member("status").nonEmptyString()
        var annotations: [String: String] = [:]
        annotations["html_url"] = try data.member("html_url").nonEmptyString()
        return .alerts([Alert(
            source: source, status: status, labels: labels, annotations: annotations, startsAt: occurred,
            endsAt: status == .resolved ? occurred : nil, fingerprint: incident)])
    }
}
