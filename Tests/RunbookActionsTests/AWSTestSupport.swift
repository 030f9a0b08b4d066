import Foundation
@testable import RunbookActions
import RunbookLanguage
import RunbookTestPeers

/// An AWS environment with only `credentials` and `extra`: no profile files are found (HOME has no `.aws`).
func awsEnvironment(
    _ credentials: MotoPeer.Credentials? = MotoPeer.testingCredentials, extra: [String: String] = [:]
) -> AWSEnvironment {
    var variables = credentials?.environment ?? [:]
    variables["HOME"] = FileManager.default.temporaryDirectory.appendingPathComponent("no-home-\(UUID())").path
    variables.merge(extra) { $1 }
    return AWSEnvironment(variables: variables)
}

/// A context whose environment `test` points at `endpoint` in us-east-1.
func awsContext(
    _ parameters: [String: Value], endpoint: String?, region: String? = MotoPeer.region, profile: String? = nil,
    emit: @escaping @Sendable (OutputLine) -> Void = { _ in }
) -> ActionContext {
    ActionContext(
        parameters: parameters, stepID: "step-1", runID: "r-test",
        workingDirectory: FileManager.default.temporaryDirectory.path,
        target: ActionTarget(
            environmentName: "test", aws: AWSSettings(region: region, profile: profile, endpointURL: endpoint)),
        emit: emit)
}

extension MotoPeer {
    /// Creates `cluster`, `revisions` revisions of the task definition family `service` (`service:1`, …), and the
    /// service on the newest revision with `desired` tasks.
    func seedService(
        cluster: String = "prod", service: String = "api", revisions: Int = 2, desired: Int = 2,
        credentials: Credentials = MotoPeer.testingCredentials
    ) throws {
        try python(
            """
            ecs.create_cluster(clusterName="\(cluster)")
            for revision in range(\(revisions)):
                ecs.register_task_definition(family="\(service)", containerDefinitions=[
                    {"name": "app", "image": f"example/\(service):{revision + 1}", "memory": 256}])
            ecs.create_service(cluster="\(cluster)", serviceName="\(service)",
                taskDefinition="\(service):\(revisions)", desiredCount=\(desired))
            """, credentials: credentials)
    }

    /// Runs one task of `service`'s task definition per reason, in the service's group, and stops each with its
    /// reason.
    func seedStoppedTasks(cluster: String = "prod", service: String = "api", family: String? = nil, reasons: [String])
        throws
    {
        let list = reasons.map { "\"\($0)\"" }.joined(separator: ", ")
        try python(
            """
            reasons = [\(list)]
            tasks = ecs.run_task(cluster="\(cluster)", taskDefinition="\(family ?? service)", launchType="FARGATE",
                group="service:\(service)", startedBy="ecs-svc/1", count=len(reasons))["tasks"]
            for task, reason in zip(tasks, reasons):
                ecs.stop_task(cluster="\(cluster)", task=task["taskArn"], reason=reason)
            """)
    }
}

/// Whether `text` contains every one of `parts`.
func contains(_ text: String?, all parts: String...) -> Bool {
    guard let text else { return false }
    return parts.allSatisfy(text.contains)
}
