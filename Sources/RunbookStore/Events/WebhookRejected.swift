import RunbookLanguage

/// `webhook.rejected`: a webhook request whose payload could not be read (answered 400), or an SNS subscription
/// confirmation that must not be followed (answered 403). No run.
public struct WebhookRejected: EventPayload {
    public static let types: Set<String> = [EventType.webhookRejected]
    public var type: String { EventType.webhookRejected }

    /// The webhook: `alertmanager`, `grafana`, `cloudwatch`, `pagerduty`.
    public var source: String?
    /// What is wrong with the request.
    public var reason: String?
    /// The HTTP status it was answered with.
    public var status: Int64?

    /// Creates the payload.
    public init(source: String, reason: String, status: Int64) {
        self.source = source
        self.reason = reason
        self.status = status
    }

    public init(type: String, data: Value) {
        let fields = PayloadReader(data: data)
        source = fields.string("source")
        reason = fields.string("reason")
        status = fields.integer("status")
    }

    public var data: Value {
        var fields = PayloadWriter()
        fields.set("source", source)
        fields.set("reason", reason)
        fields.set("status", status)
        return fields.data
    }
}
