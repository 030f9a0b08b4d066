import Foundation

/// An ECS service as `DescribeServices` and `UpdateService` return it (the fields the actions read).
struct ECSService: Decodable, Sendable {
    /// `ACTIVE`, `DRAINING` or `INACTIVE`.
    var status: String?
    /// Tasks the service wants.
    var desiredCount: Int?
    /// Tasks running.
    var runningCount: Int?
    /// Tasks starting.
    var pendingCount: Int?
    /// The task definition's ARN.
    var taskDefinition: String?
    /// The deployments, the `PRIMARY` one first.
    var deployments: [Deployment]?
    /// Service events, newest first.
    var events: [Event]?

    /// One deployment of a service.
    struct Deployment: Decodable, Sendable {
        /// `ecs-svc/…`.
        var id: String?
        /// `PRIMARY`, `ACTIVE` or `INACTIVE`.
        var status: String?
        /// The task definition's ARN.
        var taskDefinition: String?
        /// Tasks this deployment wants.
        var desiredCount: Int?
        /// Its running tasks.
        var runningCount: Int?
        /// Its starting tasks.
        var pendingCount: Int?
        /// Its tasks that failed to start.
        var failedTasks: Int?
        /// `COMPLETED`, `IN_PROGRESS` or `FAILED`.
        var rolloutState: String?
        /// When it started.
        var createdAt: Date?
    }

    /// One service event (`(service api) has reached a steady state.`).
    struct Event: Decodable, Sendable {
        /// When it happened.
        var createdAt: Date?
        /// What happened.
        var message: String?
    }

    /// The `PRIMARY` deployment, else the first.
    var primaryDeployment: Deployment? {
        deployments?.first { $0.status == "PRIMARY" } ?? deployments?.first
    }

    /// `desired 2, running 1, pending 1, 2 deployments`, for previews and progress lines.
    var countsSummary: String {
        let deploymentCount = deployments?.count ?? 0
        return "desired \(desiredCount ?? 0), running \(runningCount ?? 0), pending \(pendingCount ?? 0), "
            + "\(deploymentCount) deployment\(deploymentCount == 1 ? "" : "s")"
    }

    /// The task definition as `family:revision`, or the ARN as given when it has another form.
    var taskDefinitionName: String {
        taskDefinition.map { TaskDefinitionName($0)?.description ?? $0 } ?? "(none)"
    }
}
