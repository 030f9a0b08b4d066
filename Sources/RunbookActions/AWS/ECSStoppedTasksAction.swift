import Foundation
import RunbookLanguage

/// `ecs.stopped_tasks`: a service's recently stopped tasks with their stop reasons and exit codes, and how many of
/// them were killed for exceeding their memory.
public struct ECSStoppedTasksAction: Action {
    /// Where credentials, region and endpoint come from besides the environment's settings.
    public var aws: AWSEnvironment

    /// Creates the action; it reads this process's environment unless told otherwise.
    public init(aws: AWSEnvironment = .process) {
        self.aws = aws
    }

    /// The catalog's `ecs.stopped_tasks` spec.
    public var spec: ActionSpec { .builtin("ecs.stopped_tasks") }

    /// Reads up to `limit` stopped tasks, newest first; outputs `count`, `oom_count` and `tasks`.
    /// - Throws: `ActionFailure` when the tasks cannot be read or the service does not exist.
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        let limit = try context.integer("limit", action: spec.name, default: 10, in: 1...100) ?? 10
        let ecs = try ECSClient(context, action: spec.name, environment: aws)
        let tasks = Array(try await ecs.stoppedTasks().prefix(limit))
        return Self.outputs(tasks)
    }

    /// The outputs for `tasks`.
    static func outputs(_ tasks: [ECSTask]) -> [String: Value] {
        [
            "count": .number(Double(tasks.count)),
            "oom_count": .number(Double(tasks.count(where: \.wasOOMKilled))),
            "tasks": .array(tasks.map(value)),
        ]
    }

    /// A task as an output: `id`, `arn`, `task_definition`, `stopped_reason`, `stop_code`, `stopped_at`,
    /// `oom_killed`, and `containers` (`name`, `exit_code`, `reason`, `oom_killed`).
    static func value(_ task: ECSTask) -> Value {
        let containers: [Value] = (task.containers ?? []).map { container in
            .object([
                "name": .string(container.name ?? ""),
                "exit_code": container.exitCode.map { .number(Double($0)) } ?? .null,
                "reason": container.reason.map(Value.string) ?? .null,
                "oom_killed": .bool(container.wasOOMKilled),
            ])
        }
        return .object([
            "id": .string(task.taskID),
            "arn": .string(task.taskArn ?? ""),
            "task_definition": .string(
                task.taskDefinitionArn.map { TaskDefinitionName($0)?.description ?? $0 } ?? ""),
            "stopped_reason": .string(task.stoppedReason ?? ""),
            "stop_code": task.stopCode.map(Value.string) ?? .null,
            "stopped_at": task.stoppedAt.map { .string($0.ISO8601Format()) } ?? .null,
            "oom_killed": .bool(task.wasOOMKilled),
            "containers": .array(containers),
        ])
    }
}
