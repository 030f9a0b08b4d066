import Foundation
import RunbookTestPeers
import Testing

/// The bundled `api-down` runbook end to end: the built binary against moto_server, its changes read back with the
/// AWS CLI.
@Suite("api-down against moto_server")
struct APIDownRunbookTests {
    /// A health endpoint on a free loopback port that answers 503 to its first request and 200 afterwards: an API
    /// that is down until the runbook's remediation.
    @Test("OOM kills and a failed health check: api-down scales up, forces a new deployment, and recovers")
    func apiDownRemediates() async throws {
        try await MotoPeer.with { moto in
            let cluster = "propflow-cluster"
            try moto.python(
                """
                ecs.create_cluster(clusterName="\(cluster)")
                for revision in range(2):
                    ecs.register_task_definition(family="api", containerDefinitions=[
                        {"name": "app", "image": f"example/api:{revision + 1}", "memory": 256}])
                ecs.create_service(cluster="\(cluster)", serviceName="api", taskDefinition="api:2", desiredCount=2)
                reasons = ["OutOfMemoryError: Container killed due to memory usage"] * 2 + ["Scaling activity"]
                tasks = ecs.run_task(cluster="\(cluster)", taskDefinition="api:2", launchType="FARGATE",
                    group="service:api", startedBy="ecs-svc/1", count=len(reasons))["tasks"]
                for task, reason in zip(tasks, reasons):
                    ecs.stop_task(cluster="\(cluster)", task=task["taskArn"], reason=reason)
                now = int(time.time() * 1000)
                logs.create_log_group(logGroupName="/aws/ecs/api")
                logs.create_log_stream(logGroupName="/aws/ecs/api", logStreamName="app/1")
                logs.put_log_events(logGroupName="/aws/ecs/api", logStreamName="app/1", logEvents=[
                    {"timestamp": now - 60_000, "message": "java.lang.OutOfMemoryError: Java heap space"}])
                """)
            let before = try moto.describeService(cluster: cluster, service: "api")
            let firstDeployment = (before["deployments"] as? [[String: Any]])?.first?["id"] as? String

            let health = try RecoveringHealthEndpoint(folder: moto.directory)
            let workspace = try TemporaryWorkspace(config: """
                store: sqlite:.runbook/state.db
                environments:
                  moto:
                    aws: { region: \(MotoPeer.region), endpoint_url: "\(moto.endpoint)" }
                """)
            let bundled = RunbookBinary.packageRoot.appendingPathComponent("runbooks/api-down.yaml")
            try workspace.write("runbooks/api-down.yaml", try String(contentsOf: bundled, encoding: .utf8))
            var environment = MotoPeer.testingCredentials.environment
            environment["AWS_CONFIG_FILE"] = moto.directory.appendingPathComponent("no-config").path
            environment["AWS_SHARED_CREDENTIALS_FILE"] = moto.directory.appendingPathComponent("no-credentials").path
            environment["AWS_PROFILE"] = ""

            let result = try workspace.run(
                [
                    "exec", "api-down", "--env", "moto", "--yes",
                    "-i", "health_url=http://127.0.0.1:\(health.port)/health",
                ],
                environment: environment)
            #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")

            let after = try moto.describeService(cluster: cluster, service: "api")
            #expect(after["desiredCount"] as? Int == 4)
            let deployment = (after["deployments"] as? [[String: Any]])?.first?["id"] as? String
            #expect(deployment != nil && deployment != firstDeployment)

            let events = try workspace.events()
            let finished = events.filter { $0["type"] as? String == "step.finished" }
            func preview(_ step: String) -> [String]? {
                let gate = events.last { $0["type"] as? String == "gate.requested" && $0["step"] as? String == step }
                return (gate?["data"] as? [String: Any])?["preview"] as? [String]
            }
            #expect(
                preview("scale") == [
                    "api in cluster \(cluster): desired 2, running 0, pending 2, 1 deployment", "desired count 2 → 4",
                ])
            #expect(
                preview("restart")?.first
                    == "api in cluster \(cluster): task definition api:2, desired 4, running 4, pending 0, "
                    + "1 deployment")
            func outputs(_ step: String) -> [String: Any]? {
                let event = finished.last { $0["step"] as? String == step }
                return (event?["data"] as? [String: Any])?["outputs"] as? [String: Any]
            }
            func outcome(_ step: String) -> String? {
                let event = finished.last { $0["step"] as? String == step }
                return (event?["data"] as? [String: Any])?["outcome"] as? String
            }
            #expect(outcome("health") == "failure")
            #expect(outputs("stopped")?["oom_count"] as? Double == 2)
            #expect(outputs("stopped")?["count"] as? Double == 3)
            #expect((outputs("logs")?["text"] as? String)?.contains("Java heap space") == true)
            #expect(outputs("scale")?["previous"] as? Double == 2)
            #expect(outputs("scale")?["desired"] as? Double == 4)
            #expect(outputs("restart")?["deployment_id"] as? String == deployment)
            #expect(outputs("stable")?["running"] as? Double == 4)
            #expect(outcome("verify") == "success")
        }
    }
}
