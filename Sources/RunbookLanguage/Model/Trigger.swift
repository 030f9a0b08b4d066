/// An alert matcher that starts its runbook when a matching alert fires.
public struct Trigger: Sendable, Hashable {
    /// The webhook format the alert arrives in.
    public var source: AlertSource
    /// Labels that must equal these values.
    public var match: [String: String]
    /// Labels that must match these anchored regular expressions.
    public var matchRegex: [String: String]
    /// Runbook inputs computed from the alert (`${{ alert.labels.service }}`).
    public var inputs: [String: TemplateValue]
    /// The run's severity computed from the alert, when set.
    public var severity: TemplateValue?
    /// Where the trigger is declared.
    public var location: SourceLocation
}

/// The alerting systems whose webhooks `runbook serve` receives.
public enum AlertSource: String, Sendable, Hashable, CaseIterable, Codable {
    case alertmanager, grafana, cloudwatch, pagerduty
}
