/// An Amazon SNS topic asking this endpoint to confirm its subscription: a GET of `subscribeURL` confirms it.
public struct SNSSubscriptionConfirmation: Sendable, Hashable {
    /// The topic's ARN, e.g. `arn:aws:sns:eu-west-1:123456789012:alarms`.
    public var topicArn: String
    /// The URL that confirms the subscription, as sent; check it with `SNSTopicAllowList.confirmationURL(for:)`.
    public var subscribeURL: String

    /// Creates a confirmation request.
    public init(topicArn: String, subscribeURL: String) {
        self.topicArn = topicArn
        self.subscribeURL = subscribeURL
    }
}
