import Foundation
@testable import RunbookActions
import RunbookLanguage
import RunbookTestPeers
import Testing

@Suite("ECS actions against moto_server")
struct ECSActionsTests {
    let environment = awsEnvironment()

    @Test func serviceCountsDeploymentsAndStoppedTasks() async throws {
        try await MotoPeer.with { moto in
            try moto.seedService(desired: 2)
            try moto.seedService(service: "worker", revisions: 1, desired: 1)
            let oom = "OutOfMemoryError: Container killed due to memory usage"
            try moto.seedStoppedTasks(reasons: [oom, "Essential container in task exited", oom])
            try moto.seedStoppedTasks(service: "worker", reasons: [oom])
            let parameters: [String: Value] = ["cluster": "prod", "service": "api"]

            let service = try await ECSServiceAction(aws: environment)
                .execute(awsContext(parameters, endpoint: moto.endpoint))
            #expect(service["desired"] == 2)
            #expect(service["running"] == 0)
            #expect(service["pending"] == 2)
            guard case .array(let deployments)? = service["deployments"], case .object(let primary)? = deployments.first
            else {
                Issue.record("no deployments in \(service)")
                return
            }
            #expect(deployments.count == 1)
            #expect(primary["status"] == "PRIMARY")
            #expect(primary["task_definition"] == "api:2")
            #expect(primary["id"]?.stringValue.hasPrefix("ecs-svc/") == true)
            #expect(service["events"] == .array([]))

            let stopped = try await ECSStoppedTasksAction(aws: environment)
                .execute(awsContext(parameters, endpoint: moto.endpoint))
            #expect(stopped["count"] == 3)
            #expect(stopped["oom_count"] == 2)
            guard case .array(let tasks)? = stopped["tasks"] else {
                Issue.record("no tasks in \(stopped)")
                return
            }
            let reasons = tasks.compactMap { task -> String? in
                guard case .object(let fields) = task else { return nil }
                return fields["stopped_reason"]?.stringValue
            }
            #expect(reasons.sorted() == ["Essential container in task exited", oom, oom])

            var limited = parameters
            limited["limit"] = 1
            let one = try await ECSStoppedTasksAction(aws: environment)
                .execute(awsContext(limited, endpoint: moto.endpoint))
            #expect(one["count"] == 1)
            limited["limit"] = 0
            let refused = await outcome(
                of: ECSStoppedTasksAction(aws: environment), awsContext(limited, endpoint: moto.endpoint))
            #expect(
                refused.failure?.message == "ecs.stopped_tasks: 'limit' must be a whole number from 1 to 100, not '0'")
        }
    }

    @Test func scaleToACountAndByAChange() async throws {
        try await MotoPeer.with { moto in
            try moto.seedService(desired: 2)
            let scale = ECSScaleAction(aws: environment)

            let preview = try await scale.preview(
                awsContext(["cluster": "prod", "service": "api", "desired_count": 4], endpoint: moto.endpoint))
            #expect(
                preview == [
                    "api in cluster prod: desired 2, running 0, pending 2, 1 deployment", "desired count 2 → 4",
                ])
            #expect(try moto.describeService(cluster: "prod", service: "api")["desiredCount"] as? Int == 2)

            let toFour = try await scale.execute(
                awsContext(["cluster": "prod", "service": "api", "desired_count": 4], endpoint: moto.endpoint))
            #expect(toFour == ["previous": 2, "desired": 4])
            #expect(try moto.describeService(cluster: "prod", service: "api")["desiredCount"] as? Int == 4)

            let down = try await scale.execute(
                awsContext(["cluster": "prod", "service": "api", "by": "-1"], endpoint: moto.endpoint))
            #expect(down == ["previous": 4, "desired": 3])
            let up = try await scale.execute(
                awsContext(["cluster": "prod", "service": "api", "by": "+2"], endpoint: moto.endpoint))
            #expect(up == ["previous": 3, "desired": 5])
            #expect(try moto.describeService(cluster: "prod", service: "api")["desiredCount"] as? Int == 5)

            let below = await outcome(
                of: scale, awsContext(["cluster": "prod", "service": "api", "by": "-9"], endpoint: moto.endpoint))
            #expect(
                below.failure?.message
                    == "ecs.scale: api in cluster prod wants 5 tasks; changing that by -9 is below 0")
            #expect(try moto.describeService(cluster: "prod", service: "api")["desiredCount"] as? Int == 5)
        }
    }

    @Test func restartStartsANewDeployment() async throws {
        try await MotoPeer.with { moto in
            try moto.seedService(desired: 2)
            let before = try moto.describeService(cluster: "prod", service: "api")
            let oldID = (before["deployments"] as? [[String: Any]])?.first?["id"] as? String
            let restart = ECSRestartAction(aws: environment)
            let context = awsContext(["cluster": "prod", "service": "api"], endpoint: moto.endpoint)

            let preview = try await restart.preview(context)
            #expect(
                preview.first
                    == "api in cluster prod: task definition api:2, desired 2, running 0, pending 2, 1 deployment")
            let outputs = try await restart.execute(context)
            let newID = try #require(outputs["deployment_id"]?.stringValue)
            #expect(newID.hasPrefix("ecs-svc/"))
            #expect(newID != oldID)
            let after = try moto.describeService(cluster: "prod", service: "api")
            #expect((after["deployments"] as? [[String: Any]])?.first?["id"] as? String == newID)
        }
    }

    @Test func rollbackToThePreviousOrANamedRevision() async throws {
        try await MotoPeer.with { moto in
            try moto.seedService(revisions: 3, desired: 2)
            // A longer family with the same prefix must not count as an older revision of `api`.
            try moto.python(
                """
                for _ in range(4):
                    ecs.register_task_definition(family="api-worker", containerDefinitions=[
                        {"name": "app", "image": "example/worker", "memory": 128}])
                """)
            let rollback = ECSRollbackAction(aws: environment)
            let context = awsContext(["cluster": "prod", "service": "api"], endpoint: moto.endpoint)

            #expect(try await rollback.preview(context).last == "task definition api:3 → api:2")
            #expect(try await rollback.execute(context) == ["from": "api:3", "to": "api:2"])
            let taskDefinition = try moto.describeService(cluster: "prod", service: "api")["taskDefinition"] as? String
            #expect(taskDefinition?.hasSuffix("task-definition/api:2") == true)

            _ = try moto.aws(["ecs", "deregister-task-definition", "--task-definition", "api:1"])
            let none = await outcome(of: rollback, context)
            #expect(
                none.failure?.message
                    == "ecs.rollback: api in cluster prod runs api:2, and the family api has no older ACTIVE revision; "
                    + "name one with 'task_definition'")

            let named = awsContext(
                ["cluster": "prod", "service": "api", "task_definition": "api:3"], endpoint: moto.endpoint)
            #expect(try await rollback.execute(named) == ["from": "api:2", "to": "api:3"])
            let missing = await outcome(
                of: rollback,
                awsContext(["cluster": "prod", "service": "api", "task_definition": "api:9"], endpoint: moto.endpoint))
            #expect(contains(missing.failure?.message, all: "DescribeTaskDefinition", "'api:9'"))
            #expect(
                (try moto.describeService(cluster: "prod", service: "api")["taskDefinition"] as? String)?
                    .hasSuffix("api:3") == true)
        }
    }

    @Test func waitStableReturnsOnceRunningMatchesDesired() async throws {
        try await MotoPeer.with { moto in
            try moto.seedService(desired: 2)
            let lines = LineRecorder()
            let wait = ECSWaitStableAction(aws: environment, pollInterval: .milliseconds(200))
            let context = awsContext(
                ["cluster": "prod", "service": "api"], endpoint: moto.endpoint, emit: lines.record)
            let waiting = Task { await outcome(of: wait, context) }
            #expect(await eventually(within: .seconds(30)) { !lines.lines.isEmpty })
            try await Task.sleep(for: .milliseconds(500))
            // moto counts a service's tasks as running once its desired count is set through UpdateService.
            _ = try moto.aws(["ecs", "update-service", "--cluster", "prod", "--service", "api", "--desired-count", "3"])
            let result = await waiting.value
            #expect(result.success == ["desired": 3, "running": 3])
            #expect(
                lines.texts(.stdout) == [
                    "api in cluster prod: desired 2, running 0, pending 2, 1 deployment",
                    "api in cluster prod: desired 3, running 3, pending 0, 1 deployment",
                ])
        }
    }

    @Test func waitStableEndsWhenCancelled() async throws {
        try await MotoPeer.with { moto in
            try moto.seedService(desired: 2)
            let lines = LineRecorder()
            let wait = ECSWaitStableAction(aws: environment, pollInterval: .milliseconds(200))
            let context = awsContext(["cluster": "prod", "service": "api"], endpoint: moto.endpoint, emit: lines.record)
            let waiting = Task { await outcome(of: wait, context) }
            #expect(await eventually(within: .seconds(30)) { !lines.lines.isEmpty })
            let cancelled = ContinuousClock.now
            waiting.cancel()
            let result = await waiting.value
            // Cancelled between polls it names the last state; cancelled during a request, the request's end.
            #expect(ContinuousClock.now - cancelled < .seconds(30))
            let message = result.failure?.message ?? ""
            #expect(message == "cancelled"
                || message == "cancelled while api in cluster prod was not yet stable (desired 2, running 0, pending 2, 1 deployment)")
        }
    }

    @Test func missingServicesAndClustersAreNamed() async throws {
        try await MotoPeer.with { moto in
            try moto.seedService()
            let missingService = awsContext(["cluster": "prod", "service": "nope"], endpoint: moto.endpoint)
            let described = await outcome(of: ECSServiceAction(aws: environment), missingService)
            #expect(
                described.failure?.message
                    == "service nope not found in cluster prod (environment 'test', region us-east-1)")
            let restarted = await outcome(of: ECSRestartAction(aws: environment), missingService)
            #expect(
                restarted.failure?.message
                    == "ServiceNotFoundException: service nope not found in cluster prod (environment 'test', "
                    + "region us-east-1)")
            let missingCluster = awsContext(["cluster": "staging", "service": "api"], endpoint: moto.endpoint)
            let clusterResult = await outcome(of: ECSServiceAction(aws: environment), missingCluster)
            #expect(
                clusterResult.failure?.message
                    == "ClusterNotFoundException: cluster staging not found (environment 'test', region us-east-1)")
        }
    }
}
