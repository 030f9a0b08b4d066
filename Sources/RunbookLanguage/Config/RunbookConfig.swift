/// `runbook.config.yaml`: where events are stored, the environments runbooks run against, and where notifications go.
public struct RunbookConfig: Sendable {
    /// The file it was read from; nil for the built-in defaults.
    public var file: String?
    /// The store: `sqlite:PATH` or a PostgreSQL connection string.
    public var store: String?
    /// Environments by name.
    public var environments: [String: EnvironmentConfig] = [:]
    /// Notification channels by name.
    public var channels: [String: ChannelConfig] = [:]
    /// Per-severity settings, the built-in ones changed by the file's `severities:`.
    public var severities: [Severity: SeverityPolicy] = Dictionary(
        uniqueKeysWithValues: Severity.allCases.map { ($0, SeverityPolicy.builtin($0)) })
    /// The values that `${VAR}` references brought in: secrets, never logged or shown.
    public var secrets: [String] = []
    /// `runbook serve`'s settings.
    public var serve = ServeSettings()
    /// How the audit log's head is signed (`audit:`).
    public var audit = AuditSettings()
    /// What people may do beyond the usual rules (break glass, lower a severity).
    public var permissions = Permissions()

    /// A configuration with nothing set.
    public init(file: String? = nil) {
        self.file = file
    }

    /// The policy of `severity`.
    public func policy(for severity: Severity) -> SeverityPolicy {
        severities[severity] ?? .builtin(severity)
    }
}

/// One environment: its variables and the credentials of the systems it runs against.
public struct EnvironmentConfig: Sendable, Hashable {
    /// The environment's name (`prod`).
    public var name: String
    /// Variables read by expressions as `env.NAME`.
    public var variables: [String: Value] = [:]
    /// AWS region, profile and endpoint.
    public var aws: AWSSettings?
    /// Kubernetes context and namespace.
    public var kubernetes: KubernetesSettings?
    /// A libpq connection string or URI.
    public var postgres: String?
    /// Whether every mutating step is gated here, whatever the runbook says.
    public var requireConfirmation = false

    /// Creates an environment with nothing but a name.
    public init(name: String) { self.name = name }
}

/// An environment's AWS settings.
public struct AWSSettings: Sendable, Hashable {
    /// The region, e.g. `ap-south-1`.
    public var region: String?
    /// A profile of `~/.aws/config`.
    public var profile: String?
    /// An endpoint override, e.g. a local emulator.
    public var endpointURL: String?

    /// Creates settings.
    public init(region: String? = nil, profile: String? = nil, endpointURL: String? = nil) {
        self.region = region
        self.profile = profile
        self.endpointURL = endpointURL
    }
}

/// An environment's Kubernetes settings.
public struct KubernetesSettings: Sendable, Hashable {
    /// A kubeconfig context.
    public var context: String?
    /// The default namespace.
    public var namespace: String?

    /// Creates settings.
    public init(context: String? = nil, namespace: String? = nil) {
        self.context = context
        self.namespace = namespace
    }
}

/// A notification channel as configured.
public struct ChannelConfig: Sendable, Hashable {
    /// The channel's name.
    public var name: String
    /// `slack` or `webhook`.
    public var kind: String
    /// The webhook URL, `${VAR}` expanded (a secret).
    public var url: String
    /// Variables the URL referenced that are not set; the channel cannot be used until they are.
    public var missingVariables: [String]
}
