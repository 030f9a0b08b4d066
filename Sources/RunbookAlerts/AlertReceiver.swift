import Foundation
import RunbookLanguage

/// Reads one alerting system's webhook requests.
public protocol AlertReceiver: Sendable {
    /// The format this receiver reads.
    var source: AlertSource { get }

    /// Turns a request's body and headers into alerts.
    /// - Throws: `AlertPayloadError` naming the field that is missing or wrong.
    func receive(body: Data, headers: WebhookHeaders) throws(AlertPayloadError) -> AlertDelivery
}
