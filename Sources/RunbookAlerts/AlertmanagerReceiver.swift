import Foundation
import RunbookLanguage

/// Reads Prometheus Alertmanager's webhook (`webhook_configs`), version 4: every alert of the notification group.
///
/// Version 3, the legacy payload of Alertmanager before 0.6, has the same alert fields and is read the same way;
/// a payload without `version` is read as version 4. Any other version is refused.
public struct AlertmanagerReceiver: AlertReceiver {
    /// The webhook payload versions this receiver reads.
    public static let versions: Set<String> = ["4", "3"]

    /// Creates a receiver.
    public init() {}

    /// `alertmanager`.
    public var source: AlertSource { .alertmanager }

    /// The group's alerts, firing and resolved.
    /// - Throws: `AlertPayloadError` for a body that is not JSON, an unknown version, or an alert without
    ///   `labels`, `labels.alertname`, `startsAt` or a status (its own or the group's).
    public func receive(body: Data, headers: WebhookHeaders) throws(AlertPayloadError) -> AlertDelivery {
        let root = try PayloadNode.parse(body, source: source)
        let version = try root.member("version")
        if let text = try version.optionalString(), !Self.versions.contains(text) {
            throw version.error("'\(text)' is not supported; Alertmanager's webhook sends version '4'")
        }
        return .alerts(try AlertGroupReader(source: source).alerts(in: root))
    }
}
