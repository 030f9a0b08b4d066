import Foundation
@testable import RunbookActions
import RunbookLanguage
import RunbookTestPeers
import Testing

@Suite("AWS calls that get no usable answer")
struct AWSTransportErrorTests {
    let parameters: [String: Value] = ["cluster": "prod", "service": "api"]

    @Test func unreachableEndpointNamesEnvironmentEndpointAndSource() async throws {
        let endpoint = "http://127.0.0.1:\(try LoopbackPort.free())"
        let result = await outcome(
            of: ECSServiceAction(aws: awsEnvironment()), awsContext(parameters, endpoint: endpoint))
        #expect(
            result.failure?.message
                == "environment 'test': ECS DescribeServices at \(endpoint) failed: connection refused by 127.0.0.1 "
                + "port \(endpoint.split(separator: ":").last ?? ""); check that the service is running and listening "
                + "there (the endpoint is aws.endpoint_url of environment 'test')")
    }

    @Test func untrustedCertificateIsATLSProblem() async throws {
        try await TestHTTPServer.with(tls: true) { server in
            let result = await outcome(
                of: LogsTailAction(aws: awsEnvironment()),
                awsContext(["group": "/aws/ecs/api"], endpoint: server.url("")))
            #expect(
                contains(
                    result.failure?.message, all: "environment 'test': CloudWatch Logs FilterLogEvents at https://",
                    "TLS problem with 127.0.0.1", "check the server's certificate chain"))
        }
    }

    @Test func slowEndpointTimesOut() async throws {
        try await TestHTTPServer.with { server in
            let session = try AWSSession(
                target: ActionTarget(
                    environmentName: "prod", aws: AWSSettings(region: "us-east-1", endpointURL: server.url("/slow/5"))),
                environment: awsEnvironment())
            let client = AWSClient(session: session, service: .ecs, requestTimeout: .milliseconds(500))
            struct Empty: Codable {}
            do throws(AWSError) {
                let _: Empty = try await client.call("ListClusters", Empty())
                Issue.record("the call did not time out")
            } catch {
                #expect(
                    contains(
                        error.message, all: "environment 'prod': ECS ListClusters at \(server.url("/slow/5")) failed: ",
                        "timed out after 0.5 s"))
            }
        }
    }

    @Test func errorStatusWithoutAnAWSErrorSaysToCheckTheEndpoint() async throws {
        try await TestHTTPServer.with { server in
            let endpoint = server.url("/status/503")
            let result = await outcome(
                of: ECSServiceAction(aws: awsEnvironment()), awsContext(parameters, endpoint: endpoint))
            #expect(
                result.failure?.message
                    == "environment 'test': ECS DescribeServices at \(endpoint) answered HTTP 503 (status 503); "
                    + "check that the endpoint (aws.endpoint_url of environment 'test') is the AWS API")
        }
    }

    @Test func requestsAreSignedJSONCalls() async throws {
        try await TestHTTPServer.with { server in
            let environment = awsEnvironment(
                MotoPeer.Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "s3cret", sessionToken: "tok3n"))
            _ = await outcome(
                of: ECSServiceAction(aws: environment),
                awsContext(parameters, endpoint: server.url("/status/200")))
            let request = try #require(server.requests().first)
            #expect(request.method == "POST")
            let headers = request.headers
            #expect(headers["x-amz-target"] == "AmazonEC2ContainerServiceV20141113.DescribeServices")
            #expect(headers["content-type"] == "application/x-amz-json-1.1")
            #expect(headers["x-amz-security-token"] == "tok3n")
            #expect(headers["expect"] == nil)
            let authorization = try #require(headers["authorization"])
            #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"))
            #expect(authorization.contains("/us-east-1/ecs/aws4_request"))
            #expect(authorization.contains("x-amz-security-token"))
            #expect(!authorization.contains("s3cret"))
        }
    }
}
