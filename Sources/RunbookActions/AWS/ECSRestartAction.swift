import RunbookLanguage

/// `ecs.restart`: a new deployment of the service's current task definition (`forceNewDeployment`), which replaces
/// every task.
public struct ECSRestartAction: Action {
    /// Where credentials, region and endpoint come from besides the environment's settings.
    public var aws: AWSEnvironment

    /// Creates the action; it reads this process's environment unless told otherwise.
    public init(aws: AWSEnvironment = .process) {
        self.aws = aws
    }

    /// The catalog's `ecs.restart` spec.
    public var spec: ActionSpec { .builtin("ecs.restart") }

    /// The target it changes, locked while it acts.
    public func lock(_ context: ActionContext) -> String? { TargetName.ecsService(context) }

    /// Forces the new deployment; outputs `deployment_id` (the new primary deployment).
    /// - Throws: `ActionFailure` when the service cannot be changed.
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        let ecs = try ECSClient(context, action: spec.name, environment: aws)
        let updated = try await ecs.updateService(forceNewDeployment: true)
        guard let id = updated.primaryDeployment?.id else {
            throw ActionFailure("\(spec.name): ECS accepted the new deployment of \(ecs.label) but reported none")
        }
        return ["deployment_id": .string(id)]
    }

    /// The task definition and counts the new deployment starts from.
    public func preview(_ context: ActionContext) async throws(ActionFailure) -> [String] {
        let ecs = try ECSClient(context, action: spec.name, environment: aws)
        let current = try await ecs.describeService()
        return [
            "\(ecs.label): task definition \(current.taskDefinitionName), \(current.countsSummary)",
            "a new deployment of \(current.taskDefinitionName) replaces all \(current.runningCount ?? 0) running tasks",
        ]
    }
}
