import Foundation
@testable import RunbookActions
import RunbookLanguage
import Testing

@Suite("AWS responses: API objects and error bodies")
struct AWSResponseParsingTests {
    private func fixture<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: "json"))
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try decoder.decode(T.self, from: Data(contentsOf: url))
    }

    private struct Services: Decodable {
        var services: [ECSService]
        var failures: [ECSFailure]
    }

    private struct Tasks: Decodable {
        var tasks: [ECSTask]
    }

    @Test func describeServicesFixture() throws {
        let service = try #require(
            try fixture("aws-ecs-describe-services-steady-awscli-example", as: Services.self).services.first)
        #expect(service.countsSummary == "desired 10, running 10, pending 0, 1 deployment")
        #expect(service.taskDefinitionName == "amazon-ecs-sample:1")
        #expect(service.primaryDeployment?.id == "ecs-svc/1234567890123456789")
        let deployment = try #require(service.primaryDeployment)
        guard case .object(let fields) = ECSServiceAction.value(deployment) else {
            Issue.record("a deployment is not an object")
            return
        }
        #expect(fields["created_at"] == "2016-06-24T20:56:48Z")
        #expect(fields["running"] == 10)
        let event = try #require(service.events?.first)
        #expect(
            ECSServiceAction.value(event)
                == .object([
                    "created_at": "2016-06-24T20:56:52Z",
                    "message": "(service my-http-service) has reached a steady state.",
                ]))
    }

    @Test func runningTaskIsNoOOMKill() throws {
        let tasks = try fixture("aws-ecs-describe-tasks-running-awscli-example", as: Tasks.self).tasks
        #expect(tasks.count == 1)
        #expect(tasks.first?.wasOOMKilled == false)
        #expect(tasks.first?.taskID == "1234567890123456789")
    }

    @Test func oomKillsFromContainerReasonsAndExitCode137() throws {
        let tasks = try fixture("ecs-describe-tasks-stopped", as: Tasks.self).tasks
        #expect(tasks.map(\.wasOOMKilled) == [true, true, false])
        let outputs = ECSStoppedTasksAction.outputs(tasks)
        #expect(outputs["count"] == 3)
        #expect(outputs["oom_count"] == 2)
        guard case .array(let values)? = outputs["tasks"], case .object(let first)? = values.first else {
            Issue.record("no tasks output")
            return
        }
        #expect(first["id"] == "aaaa1111bbbb2222cccc3333dddd4444")
        #expect(first["task_definition"] == "sample-fargate:2")
        #expect(first["stop_code"] == "EssentialContainerExited")
        #expect(first["stopped_at"] == "2019-05-06T09:15:12Z")
        #expect(
            first["containers"]
                == .array([
                    .object([
                        "name": "fargate-app", "exit_code": 137, "oom_killed": true,
                        "reason": "OutOfMemoryError: Container killed due to memory usage",
                    ])
                ]))
    }

    @Test func errorTypesLoseTheirNamespace() {
        func body(_ text: String, headers: [HTTPHeader] = []) -> AWSErrorBody {
            AWSErrorBody(
                HTTPResponse(
                    status: 400, headers: headers, body: Array(text.utf8), bodyByteCount: text.utf8.count,
                    totalTime: .zero))
        }
        let namespaced = body(
            #"{"__type":"com.amazonaws.ecs#ServiceNotFoundException","message":"Service not found."}"#)
        #expect(namespaced == AWSErrorBody(type: "ServiceNotFoundException", message: "Service not found."))
        let suffixed = body(#"{"__type":"AccessDeniedException:http://internal.amazon.com/","Message":"denied"}"#)
        #expect(suffixed == AWSErrorBody(type: "AccessDeniedException", message: "denied"))
        let xml = body(
            "<ErrorResponse><Errors><Error><Code>SignatureDoesNotMatch</Code><Message>Check &amp; retry"
                + "</Message></Error></Errors></ErrorResponse>")
        #expect(xml == AWSErrorBody(type: "SignatureDoesNotMatch", message: "Check & retry"))
        let header = body("{}", headers: [HTTPHeader("x-amzn-ErrorType", "ThrottlingException:")])
        #expect(header == AWSErrorBody(type: "ThrottlingException", message: ""))
        #expect(body("Bad gateway") == AWSErrorBody(type: nil, message: "Bad gateway"))
    }

    @Test func taskDefinitionNames() {
        let arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/api:12"
        #expect(TaskDefinitionName(arn)?.description == "api:12")
        #expect(TaskDefinitionName("api:3")?.revision == 3)
        #expect(TaskDefinitionName("api") == nil)
        #expect(TaskDefinitionName("arn:aws:ecs:us-east-1:123456789012:task-definition") == nil)
    }
}
