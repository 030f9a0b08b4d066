import Foundation

/// An ECS task as `DescribeTasks` returns it (the fields `ecs.stopped_tasks` reads).
struct ECSTask: Decodable, Sendable {
    /// The task's ARN.
    var taskArn: String?
    /// The task definition's ARN.
    var taskDefinitionArn: String?
    /// `service:NAME` for a service's tasks.
    var group: String?
    /// Why it stopped: `Essential container in task exited`, `OutOfMemoryError: Container killed due to memory usage`.
    var stoppedReason: String?
    /// `EssentialContainerExited`, `TaskFailedToStart`, `UserInitiated`, ….
    var stopCode: String?
    /// When it stopped.
    var stoppedAt: Date?
    /// Its containers.
    var containers: [Container]?

    /// One container of a task.
    struct Container: Decodable, Sendable {
        /// The container's name.
        var name: String?
        /// Its exit code, once it exited.
        var exitCode: Int?
        /// Why it stopped: `OutOfMemoryError: Container killed due to memory usage`.
        var reason: String?

        /// Whether the container was killed for exceeding its memory: its reason says `OutOfMemory`, or it exited
        /// with 137 (SIGKILL, which the kernel's OOM killer sends).
        var wasOOMKilled: Bool {
            reason?.contains("OutOfMemory") == true || exitCode == 137
        }
    }

    /// Whether the task stopped because of memory: its stop reason or one of its containers says so.
    var wasOOMKilled: Bool {
        stoppedReason?.contains("OutOfMemory") == true || (containers ?? []).contains(where: \.wasOOMKilled)
    }

    /// The task's id: the last part of its ARN.
    var taskID: String {
        taskArn.map { String($0.split(separator: "/").last ?? Substring($0)) } ?? ""
    }
}
