import Foundation

/// The SNS topics whose messages `runbook serve` accepts, by exact ARN.
public struct SNSTopicAllowList: Sendable, Hashable {
    /// The allowed topic ARNs.
    public var topics: Set<String>

    /// Allows the topics with these ARNs.
    public init(_ topics: some Sequence<String>) {
        self.topics = Set(topics)
    }

    /// Whether messages from `topicArn` are accepted.
    public func allows(_ topicArn: String) -> Bool { topics.contains(topicArn) }

    /// The URL to GET to confirm `confirmation`, once it is known to be safe: the topic is allowed, and the URL is
    /// an HTTPS SNS endpoint (`sns.<region>.amazonaws.com`, or `.amazonaws.com.cn`) of the topic's region whose
    /// `Action` is `ConfirmSubscription` for that topic. A body can name any URL, so fetching one unchecked would
    /// let anyone make the server request addresses of their choosing.
    /// - Throws: `SNSConfirmationRefusal` saying which check failed.
    public func confirmationURL(for confirmation: SNSSubscriptionConfirmation) throws(SNSConfirmationRefusal) -> URL {
        let topic = confirmation.topicArn
        guard allows(topic) else {
            throw SNSConfirmationRefusal("the subscription of topic '\(topic)' is not confirmed: the topic is not "
                                         + "allowed; add its ARN to the allowed topics to receive its alarms")
        }
        let fields = topic.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 6, fields[0] == "arn", fields[2] == "sns" else {
            throw SNSConfirmationRefusal("'\(topic)' is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)")
        }
        let region = fields[3]
        guard let components = URLComponents(string: confirmation.subscribeURL), components.scheme == "https",
              let host = components.host?.lowercased(),
              host == "sns.\(region).amazonaws.com" || host == "sns.\(region).amazonaws.com.cn",
              components.port == nil, components.user == nil,
              let url = components.url
        else {
            throw SNSConfirmationRefusal("the SubscribeURL '\(confirmation.subscribeURL)' of topic '\(topic)' is not "
                                         + "an HTTPS URL of sns.\(region).amazonaws.com")
        }
        let query = components.queryItems ?? []
        guard query.contains(where: { $0.name == "Action" && $0.value == "ConfirmSubscription" }),
              query.contains(where: { $0.name == "TopicArn" && $0.value == topic })
        else {
            throw SNSConfirmationRefusal("the SubscribeURL '\(confirmation.subscribeURL)' does not confirm a "
                                         + "subscription to topic '\(topic)' (Action=ConfirmSubscription&TopicArn=…)")
        }
        return url
    }
}
