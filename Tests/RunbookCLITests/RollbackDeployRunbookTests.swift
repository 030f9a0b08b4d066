import Foundation
import RunbookTestPeers
import Testing

/// The bundled `rollback-deploy` runbook, run as a user would, against real peers.
@Suite("rollback-deploy against moto_server")
struct RollbackDeployRunbookTests {
    @Test("platform ecs: a failing release goes back to the previous task definition revision, and health recovers")
    func ecsRollsBack() async throws {
        try await MotoPeer.with { moto in
            let cluster = "propflow-cluster"
            try moto.python(
                """
                ecs.create_cluster(clusterName="\(cluster)")
                for release in ("2026.11.1", "2026.11.2", "2026.11.3"):
                    ecs.register_task_definition(family="api", containerDefinitions=[
                        {"name": "app", "image": f"example/api:{release}", "memory": 256}])
                ecs.create_service(cluster="\(cluster)", serviceName="api", taskDefinition="api:3", desiredCount=2)
                # moto counts a service's tasks as running once its desired count is set through UpdateService.
                ecs.update_service(cluster="\(cluster)", service="api", desiredCount=2)
                """)
            let health = try RecoveringHealthEndpoint(folder: moto.directory)
            let workspace = try TemporaryWorkspace(config: """
                store: sqlite:.runbook/state.db
                environments:
                  moto:
                    aws: { region: \(MotoPeer.region), endpoint_url: "\(moto.endpoint)" }
                """)
            let bundled = RunbookBinary.packageRoot.appendingPathComponent("runbooks/rollback-deploy.yaml")
            try workspace.write("runbooks/rollback-deploy.yaml", try String(contentsOf: bundled, encoding: .utf8))
            var environment = MotoPeer.testingCredentials.environment
            environment["AWS_CONFIG_FILE"] = moto.directory.appendingPathComponent("no-config").path
            environment["AWS_SHARED_CREDENTIALS_FILE"] = moto.directory.appendingPathComponent("no-credentials").path
            environment["AWS_PROFILE"] = ""

            let result = try workspace.run(
                ["exec", "rollback-deploy", "--env", "moto", "--yes", "-i", "platform=ecs",
                 "-i", "health_url=http://127.0.0.1:\(health.port)/health"],
                environment: environment)
            #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")

            let after = try moto.describeService(cluster: cluster, service: "api")
            #expect((after["taskDefinition"] as? String)?.hasSuffix("task-definition/api:2") == true)

            let events = try workspace.events()
            func finished(_ step: String) -> [String: Any]? {
                let event = events.last { $0["type"] as? String == "step.finished" && $0["step"] as? String == step }
                return event?["data"] as? [String: Any]
            }
            #expect(finished("before")?["outcome"] as? String == "failure")
            #expect(finished("k8s_rollback")?["outcome"] as? String == "skipped")
            let rollback = finished("ecs_rollback")?["outputs"] as? [String: Any]
            #expect((rollback?["from"] as? String)?.hasSuffix("api:3") == true)
            #expect((rollback?["to"] as? String)?.hasSuffix("api:2") == true)
            #expect(finished("stable")?["outcome"] as? String == "success")
            #expect(finished("verify")?["outcome"] as? String == "success")
            let gate = events.last { $0["type"] as? String == "gate.requested" && $0["step"] as? String == "ecs_rollback" }
            let preview = (gate?["data"] as? [String: Any])?["preview"] as? [String]
            #expect(preview?.contains { $0.contains("api:3") && $0.contains("api:2") } == true)
            #expect(events.contains { $0["type"] as? String == "incident.recovered" })
        }
    }
}
