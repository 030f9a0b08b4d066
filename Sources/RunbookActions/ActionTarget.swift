import RunbookLanguage

/// The systems a run's environment points at: where `pg.*`, `ecs.*`, `logs.*` and `k8s.*` actions connect.
///
/// Built from the chosen environment of `runbook.config.yaml`; empty when no environment is chosen, in which case
/// actions fall back to the standard sources (`PG*` variables, the AWS credential chain, `$KUBECONFIG`).
public struct ActionTarget: Sendable, Hashable {
    /// The environment's name (`prod`), for messages; nil when none was chosen.
    public var environmentName: String?
    /// A libpq connection string or URI (the environment's `postgres:`).
    public var postgres: String?
    /// AWS region, profile and endpoint override.
    public var aws: AWSSettings?
    /// Kubernetes context and default namespace.
    public var kubernetes: KubernetesSettings?

    /// Creates a target.
    public init(
        environmentName: String? = nil, postgres: String? = nil, aws: AWSSettings? = nil,
        kubernetes: KubernetesSettings? = nil
    ) {
        self.environmentName = environmentName
        self.postgres = postgres
        self.aws = aws
        self.kubernetes = kubernetes
    }

    /// How messages name the environment: `environment 'prod'`, or `the default environment`.
    public var environmentLabel: String {
        environmentName.map { "environment '\($0)'" } ?? "the default environment"
    }
}
