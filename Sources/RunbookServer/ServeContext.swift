import RunbookAlerts
import RunbookEngine
import RunbookLanguage

/// What the server works with, read again from `runbook.config.yaml` and the runbooks folder on SIGHUP: its
/// settings, the runbooks whose triggers alerts are matched against, and the environment alert-started runs target.
public struct ServeContext: Sendable {
    /// The configuration, `serve:` included.
    public var config: RunbookConfig
    /// The runbooks, in name order.
    public var runbooks: [Runbook]
    /// The environment of `serve.environment` (with the notification channels), or none.
    public var environment: RunEnvironment
    /// The folder shell steps of alert-started runs run in.
    public var workingDirectory: String

    /// Creates a context.
    public init(config: RunbookConfig, runbooks: [Runbook], environment: RunEnvironment, workingDirectory: String) {
        self.config = config
        self.runbooks = runbooks
        self.environment = environment
        self.workingDirectory = workingDirectory
    }

    /// The `serve:` settings.
    var settings: ServeSettings { config.serve }

    /// The accepted bearer tokens.
    var tokens: BearerTokens { BearerTokens(settings.tokens) }

    /// The receiver for `source`.
    func receiver(for source: AlertSource) -> any AlertReceiver {
        switch source {
        case .alertmanager: AlertmanagerReceiver()
        case .grafana: GrafanaReceiver()
        case .cloudwatch: CloudWatchReceiver(allowedTopics: SNSTopicAllowList(settings.snsTopics))
        case .pagerduty: PagerDutyReceiver()
        }
    }

    /// The runbook called `name`.
    func runbook(named name: String) -> Runbook? { runbooks.first { $0.name == name } }
}
