extension ActionCatalog {
    private static let cluster = ParameterSpec.required("cluster", .string, "The ECS cluster's name or ARN.")
    private static let service = ParameterSpec.required("service", .string, "The ECS service's name or ARN.")

    /// The Amazon ECS actions.
    static let ecs: [ActionSpec] = [
        ActionSpec(
            name: "ecs.service", summary: "Reads a service's counts, deployments and recent events.",
            mutating: false, defaultTimeout: .seconds(60),
            parameters: [cluster, service],
            outputs: [
                OutputSpec("desired", "Desired tasks."), OutputSpec("running", "Running tasks."),
                OutputSpec("pending", "Pending tasks."), OutputSpec("deployments", "The service's deployments."),
                OutputSpec("events", "The most recent service events."),
            ]),
        ActionSpec(
            name: "ecs.stopped_tasks", summary: "Lists recently stopped tasks with reasons and exit codes.",
            mutating: false, defaultTimeout: .seconds(60),
            parameters: [cluster, service, .optional("limit", .int, "How many tasks to read.", default: 10)],
            outputs: [
                OutputSpec("count", "Stopped tasks read."), OutputSpec("oom_count", "Of those, stopped by OOM."),
                OutputSpec("tasks", "Each task's details."),
            ]),
        ActionSpec(
            name: "ecs.scale", summary: "Sets a service's desiredCount.", mutating: true,
            defaultTimeout: .seconds(60),
            parameters: [
                cluster, service,
                .optional("desired_count", .int, "The new desired count."),
                .optional("by", .signedCount, "A change of the current count, e.g. '+2'."),
            ],
            exactlyOneOf: [["desired_count", "by"]],
            outputs: [OutputSpec("previous", "The desired count before."), OutputSpec("desired", "The count set.")]),
        ActionSpec(
            name: "ecs.restart", summary: "Starts a new deployment of the same task definition (forceNewDeployment).",
            mutating: true, defaultTimeout: .seconds(60),
            parameters: [cluster, service],
            outputs: [OutputSpec("deployment_id", "The new deployment's id.")]),
        ActionSpec(
            name: "ecs.rollback", summary: "Moves a service back to the previous (or given) task definition revision.",
            mutating: true, defaultTimeout: .seconds(60),
            parameters: [
                cluster, service,
                .optional("task_definition", .string, "The task definition (family:revision or ARN) to use."),
            ],
            outputs: [OutputSpec("from", "The task definition before."), OutputSpec("to", "The task definition now.")]),
        ActionSpec(
            name: "ecs.wait_stable", summary: "Waits until one deployment runs as many tasks as desired.",
            mutating: false, defaultTimeout: .seconds(600),
            parameters: [cluster, service],
            outputs: [OutputSpec("desired", "Desired tasks."), OutputSpec("running", "Running tasks.")]),
    ]
}
