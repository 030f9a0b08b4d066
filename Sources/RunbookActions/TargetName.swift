import RunbookLanguage

/// The names of the targets mutating actions change, as their steps lock them (`ecs:prod/api`): two steps that name
/// the same target never act on it at once, in any run, process or host that shares the store.
///
/// Names hold what the step and its environment say, never a secret: a database is named by its environment, not by
/// its connection string, which may hold a password.
enum TargetName {
    /// `ecs:CLUSTER/SERVICE`.
    static func ecsService(_ context: ActionContext) -> String? {
        guard let cluster = context.string("cluster"), let service = context.string("service") else { return nil }
        return "ecs:\(cluster)/\(service)"
    }

    /// `k8s:CONTEXT/NAMESPACE/DEPLOYMENT`, the context and namespace as the step or its environment name them.
    static func kubernetesDeployment(_ context: ActionContext) -> String? {
        guard let deployment = context.string("deployment") else { return nil }
        let settings = context.target.kubernetes
        let namespace = context.string("namespace") ?? settings?.namespace ?? "default"
        return "k8s:\(settings?.context ?? context.target.environmentName ?? "-")/\(namespace)/\(deployment)"
    }

    /// `pg:ENVIRONMENT`, the environment's `postgres:`; `pg:ENVIRONMENT/dsn` for every step that names its own `dsn`
    /// there (coarser than one lock a database: two such steps wait for each other even on different databases).
    static func postgres(_ context: ActionContext) -> String {
        "pg:\(context.target.environmentName ?? "-")" + (context.string("dsn") == nil ? "" : "/dsn")
    }
}
