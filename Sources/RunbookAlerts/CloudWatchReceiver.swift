import Foundation
import RunbookLanguage

/// Reads Amazon SNS HTTP(S) deliveries from a topic that CloudWatch alarms notify: a `Notification` whose `Message`
/// is the alarm's state change as JSON text, or the topic's `SubscriptionConfirmation`.
///
/// SNS signs each message with a certificate that has to be downloaded to be checked; this receiver does not check
/// signatures. It refuses notifications from topics that are not allowed, and leaves confirming a subscription to
/// the caller (`SNSTopicAllowList.confirmationURL(for:)`).
public struct CloudWatchReceiver: AlertReceiver {
    /// The topics whose messages are accepted.
    public let allowedTopics: SNSTopicAllowList

    /// Creates a receiver that accepts messages from `allowedTopics` only.
    public init(allowedTopics: SNSTopicAllowList) {
        self.allowedTopics = allowedTopics
    }

    /// `cloudwatch`.
    public var source: AlertSource { .cloudwatch }

    /// The alarm's alert, the subscription to confirm, or `.ignored` for an unsubscribe confirmation.
    /// - Throws: `AlertPayloadError` for a body that is not JSON, an unknown `Type` (or one the
    ///   `x-amz-sns-message-type` header contradicts), a topic that is not allowed, a `Message` that is not a
    ///   CloudWatch alarm's JSON, or an alarm without `AlarmName`, `NewStateValue` or `StateChangeTime`.
    public func receive(body: Data, headers: WebhookHeaders) throws(AlertPayloadError) -> AlertDelivery {
        let root = try PayloadNode.parse(body, source: source)
        let typeNode = try root.member("Type")
        let headerType = headers["x-amz-sns-message-type"]
        guard let type = try typeNode.optionalString() ?? headerType else { throw typeNode.error("missing") }
        if let headerType, headerType != type {
            throw typeNode.error("'\(type)' contradicts the x-amz-sns-message-type header '\(headerType)'")
        }
        let topicNode = try root.member("TopicArn")
        let topic = try topicNode.string()
        switch type {
        case "SubscriptionConfirmation":
            return .subscriptionConfirmation(SNSSubscriptionConfirmation(
                topicArn: topic, subscribeURL: try root.member("SubscribeURL").string()))
        case "UnsubscribeConfirmation":
            return .ignored("SNS unsubscribe confirmation for topic \(topic)")
        case "Notification":
            guard allowedTopics.allows(topic) else {
                throw topicNode.error("'\(topic)' is not an allowed topic; allow it in the server's configuration")
            }
            let message = try root.member("Message")
            let alarm = try PayloadNode.parse(Data(try message.string().utf8), path: message.path, source: source)
            return .alerts([try CloudWatchAlarm(alarm, topicArn: topic).alert()])
        default:
            throw typeNode.error(
                "'\(type)' is not an SNS message type (Notification, SubscriptionConfirmation, UnsubscribeConfirmation)")
        }
    }
}
