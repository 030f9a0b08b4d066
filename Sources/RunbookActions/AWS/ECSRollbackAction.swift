import RunbookLanguage

/// `ecs.rollback`: moves a service to the previous ACTIVE revision of its task definition's family, or to
/// `task_definition`.
public struct ECSRollbackAction: Action {
    /// Where credentials, region and endpoint come from besides the environment's settings.
    public var aws: AWSEnvironment

    /// Creates the action; it reads this process's environment unless told otherwise.
    public init(aws: AWSEnvironment = .process) {
        self.aws = aws
    }

    /// The catalog's `ecs.rollback` spec.
    public var spec: ActionSpec { .builtin("ecs.rollback") }

    /// The target it changes, locked while it acts.
    public func lock(_ context: ActionContext) -> String? { TargetName.ecsService(context) }

    /// Updates the service's task definition; outputs `from` and `to` (`family:revision`).
    /// - Throws: `ActionFailure` when there is no earlier revision, or the service cannot be read or changed.
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        let ecs = try ECSClient(context, action: spec.name, environment: aws)
        let plan = try await plan(context, ecs)
        _ = try await ecs.updateService(taskDefinition: plan.to.reference)
        return ["from": .string(plan.from.description), "to": .string(plan.to.description)]
    }

    /// The task definition the service runs and the one it would get.
    public func preview(_ context: ActionContext) async throws(ActionFailure) -> [String] {
        let ecs = try ECSClient(context, action: spec.name, environment: aws)
        let plan = try await plan(context, ecs)
        return [
            "\(ecs.label): \(plan.service.countsSummary)",
            "task definition \(plan.from) → \(plan.to)",
        ]
    }

    private struct Plan {
        var service: ECSService
        var from: TaskDefinitionName
        var to: TaskDefinitionName
    }

    private func plan(_ context: ActionContext, _ ecs: ECSClient) async throws(ActionFailure) -> Plan {
        let service = try await ecs.describeService()
        guard let arn = service.taskDefinition, let from = TaskDefinitionName(arn) else {
            throw ActionFailure(
                "\(spec.name): \(ecs.label) has no task definition revision to roll back from "
                    + "(\(service.taskDefinition ?? "none")); name one with 'task_definition'")
        }
        if let named = context.string("task_definition") {
            return Plan(service: service, from: from, to: try await ecs.taskDefinition(named))
        }
        guard let previous = try await ecs.previousRevision(of: from) else {
            throw ActionFailure(
                "\(spec.name): \(ecs.label) runs \(from), and the family \(from.family) has no older ACTIVE "
                    + "revision; name one with 'task_definition'")
        }
        return Plan(service: service, from: from, to: previous)
    }
}
