import Foundation
import RunbookLanguage

/// Reads Grafana unified alerting's webhook contact point (`version: "1"`, Grafana 8 and later): every alert of the
/// notification group, with its labels, annotations, `startsAt` and `fingerprint`. `values`, `valueString` and the
/// URLs are not used.
public struct GrafanaReceiver: AlertReceiver {
    /// The webhook payload version this receiver reads.
    public static let version = "1"

    /// Creates a receiver.
    public init() {}

    /// `grafana`.
    public var source: AlertSource { .grafana }

    /// The group's alerts, firing and resolved.
    /// - Throws: `AlertPayloadError` for a body that is not JSON, another version, legacy alerting's payload (no
    ///   `alerts`), or an alert without `labels`, `labels.alertname`, `startsAt` or a status.
    public func receive(body: Data, headers: WebhookHeaders) throws(AlertPayloadError) -> AlertDelivery {
        let root = try PayloadNode.parse(body, source: source)
        let version = try root.member("version")
        if let text = try version.optionalString(), text != Self.version {
            throw version.error("'\(text)' is not supported; Grafana's unified alerting webhook sends version '1'")
        }
        let alerts = try root.member("alerts")
        if alerts.isAbsent, !(try root.member("ruleName")).isAbsent {
            throw alerts.error("missing: this is a legacy Grafana alerting webhook (ruleName, evalMatches), which has "
                               + "no labels; send from a unified alerting webhook contact point")
        }
        return .alerts(try AlertGroupReader(source: source).alerts(in: root))
    }
}
