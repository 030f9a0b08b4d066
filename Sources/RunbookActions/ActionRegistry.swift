import RunbookLanguage

/// The actions this build can run, by name.
///
/// Only actions that really work are listed; the language's catalog may name more (`ecs.*`, `pg.*`, …) that a
/// later build adds here.
public enum ActionRegistry {
    /// Every runnable built-in action, by the name a step's `action:` uses.
    public static let builtin: [String: any Action] = {
        let actions: [any Action] = [
            ShellAction(), HTTPCheckAction(), SleepAction(), LogAction(), NotifyAction(),
            ECSServiceAction(), ECSStoppedTasksAction(), ECSScaleAction(), ECSRestartAction(), ECSRollbackAction(),
            ECSWaitStableAction(), LogsTailAction(), CloudWatchMetricAction(), RDSInstanceAction(), S3BucketAction(),
            PostgresConnectionsAction(), PostgresLongQueriesAction(), PostgresKillAction(), PostgresBlockingAction(),
            PostgresSlowStatementsAction(), PostgresReplicationAction(),
            KubernetesPodsAction(), KubernetesLogsAction(), KubernetesScaleAction(), KubernetesRestartAction(),
            KubernetesRollbackAction(), KubernetesRolloutStatusAction(),
        ]
        return Dictionary(actions.map { ($0.spec.name, $0) }, uniquingKeysWith: { first, _ in first })
    }()

    /// The runnable action called `name`, or nil when this build has none by that name.
    public static func action(named name: String) -> (any Action)? {
        builtin[name]
    }
}
