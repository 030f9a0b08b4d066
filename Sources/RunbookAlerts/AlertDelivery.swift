/// What one webhook request carries.
public enum AlertDelivery: Sendable, Hashable {
    /// Alerts to match against triggers (possibly none, e.g. an empty group).
    case alerts([Alert])
    /// An Amazon SNS subscription waiting to be confirmed; confirm it only for an allowed topic
    /// (`SNSTopicAllowList.confirmationURL(for:)`).
    case subscriptionConfirmation(SNSSubscriptionConfirmation)
    /// A well-formed request that starts or ends nothing, and why (an SNS unsubscribe confirmation, a
    /// PagerDuty event other than triggered or resolved).
    case ignored(String)
}
