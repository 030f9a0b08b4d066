import Foundation
import RunbookActions
import Testing

@Suite("HTTPRequest through CurlEasy")
struct HTTPRequestTests {
    @Test func responseParts() async throws {
        try await TestHTTPServer.with { server in
            let response = try await HTTPRequest(url: server.url("/status/202?body=accepted")).send()
            #expect(response.status == 202)
            #expect(response.text == "accepted")
            #expect(response.header("content-type") == "text/plain; charset=utf-8")
            #expect(response.header("Content-Length") == "8")
            #expect(response.totalTime > .zero)
        }
    }

    @Test func bodyIsKeptUpToTheLimit() async throws {
        try await TestHTTPServer.with { server in
            let response = try await HTTPRequest(url: server.url("/big/2000000")).send()
            #expect(response.body.count == 1_048_576)
            #expect(response.bodyByteCount == 2_000_000)
            #expect(response.isBodyTruncated)
        }
    }

    @Test func headersOfTheLastResponseAfterRedirects() async throws {
        try await TestHTTPServer.with { server in
            let response = try await HTTPRequest(url: server.url("/redirect/2")).send()
            #expect(response.status == 200)
            #expect(response.header("location") == nil)
            var noFollow = HTTPRequest(url: server.url("/redirect/2"))
            noFollow.followsRedirects = false
            let redirect = try await noFollow.send()
            #expect(redirect.status == 302)
            #expect(redirect.header("Location") == "/redirect/1")
        }
    }

    @Test func headerWithALineBreakIsRefused() async throws {
        try await TestHTTPServer.with { server in
            let request = HTTPRequest(
                url: server.url("/status/200"), headers: [HTTPHeader("X-A", "b\r\nX-Injected: 1")])
            do throws(HTTPError) {
                _ = try await request.send()
                Issue.record("the request was sent")
            } catch {
                #expect(error.code == .invalidRequest)
            }
            #expect(server.requests().isEmpty)
        }
    }

    @Test func credentialsAndSigV4Options() async throws {
        try await TestHTTPServer.with { server in
            _ = try await HTTPRequest(url: server.url("/status/200"), options: [.userPassword("alice:secret")]).send()
            let signed = HTTPRequest(
                method: "POST", url: server.url("/status/200"), body: Array("{}".utf8),
                options: [.userPassword("AKIDEXAMPLE:wJalrXUtnFEMI"), .awsSigV4("aws:amz:us-east-1:ecs")])
            _ = try await signed.send()
            let requests = server.requests()
            #expect(requests.first?.headers["authorization"] == "Basic YWxpY2U6c2VjcmV0")
            let signature = try #require(requests.last?.headers["authorization"])
            #expect(signature.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"))
            #expect(signature.contains("/us-east-1/ecs/aws4_request"))
            #expect(requests.last?.headers["x-amz-date"] != nil)
        }
    }

    @Test func skipTLSVerificationAcceptsASelfSignedServer() async throws {
        try await TestHTTPServer.with(tls: true) { server in
            let response = try await HTTPRequest(url: server.url("/status/200"), options: [.skipTLSVerification]).send()
            #expect(response.status == 200)
        }
    }

    @Test func manyConcurrentRequests() async throws {
        try await TestHTTPServer.with { server in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<20 {
                    let url = server.url("/status/200?body=\(index)")
                    group.addTask { try await HTTPRequest(url: url).send().status }
                }
                for try await status in group { #expect(status == 200) }
            }
            #expect(server.requests().count == 20)
        }
    }
}
