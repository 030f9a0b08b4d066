import Foundation
import RunbookLanguage

/// `ecs.service`: a service's desired, running and pending counts, its deployments and its recent events.
public struct ECSServiceAction: Action {
    /// How many of the newest service events the `events` output keeps.
    public static let eventLimit = 10

    /// Where credentials, region and endpoint come from besides the environment's settings.
    public var aws: AWSEnvironment

    /// Creates the action; it reads this process's environment unless told otherwise.
    public init(aws: AWSEnvironment = .process) {
        self.aws = aws
    }

    /// The catalog's `ecs.service` spec.
    public var spec: ActionSpec { .builtin("ecs.service") }

    /// Reads the service; outputs `desired`, `running`, `pending`, `deployments` and `events`.
    /// - Throws: `ActionFailure` when the service cannot be read or does not exist.
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        let ecs = try ECSClient(context, action: spec.name, environment: aws)
        let service = try await ecs.describeService()
        return [
            "desired": .number(Double(service.desiredCount ?? 0)),
            "running": .number(Double(service.runningCount ?? 0)),
            "pending": .number(Double(service.pendingCount ?? 0)),
            "deployments": .array((service.deployments ?? []).map(Self.value)),
            "events": .array((service.events ?? []).prefix(Self.eventLimit).map(Self.value)),
        ]
    }

    /// A deployment as an output: `id`, `status`, `task_definition`, counts, `rollout_state`, `created_at`.
    static func value(_ deployment: ECSService.Deployment) -> Value {
        var object: [String: Value] = [
            "id": .string(deployment.id ?? ""),
            "status": .string(deployment.status ?? ""),
            "task_definition": .string(
                deployment.taskDefinition.map { TaskDefinitionName($0)?.description ?? $0 } ?? ""),
            "desired": .number(Double(deployment.desiredCount ?? 0)),
            "running": .number(Double(deployment.runningCount ?? 0)),
            "pending": .number(Double(deployment.pendingCount ?? 0)),
            "failed": .number(Double(deployment.failedTasks ?? 0)),
        ]
        if let state = deployment.rolloutState { object["rollout_state"] = .string(state) }
        if let created = deployment.createdAt { object["created_at"] = .string(created.ISO8601Format()) }
        return .object(object)
    }

    /// An event as an output: `created_at` and `message`.
    static func value(_ event: ECSService.Event) -> Value {
        .object([
            "created_at": event.createdAt.map { .string($0.ISO8601Format()) } ?? .null,
            "message": .string(event.message ?? ""),
        ])
    }
}
