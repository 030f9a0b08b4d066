import Foundation
import RunbookActions
import RunbookLanguage
import Testing

@Suite("http.check")
struct HTTPCheckActionTests {
    let check = HTTPCheckAction()

    @Test func matchingStatusSucceedsWithOutputs() async throws {
        try await TestHTTPServer.with { server in
            let outputs = try await check.execute(makeContext(["url": .string(server.url("/status/200?body=healthy"))]))
            #expect(outputs["status"] == 200)
            #expect(outputs["body"] == "healthy")
            let latency = try #require(outputs["latency_ms"]?.numericValue)
            #expect(latency >= 0 && latency < 5_000)
            #expect(server.requests().first?.method == "GET")
        }
    }

    @Test func mismatchedStatusFailsWithOutputs() async throws {
        try await TestHTTPServer.with { server in
            let url = server.url("/status/503")
            let result = await outcome(of: check, makeContext(["url": .string(url)]))
            let failure = try #require(result.failure)
            #expect(failure.message == "GET \(url) returned 503, expected 200")
            #expect(failure.outputs["status"] == 503)
            #expect(failure.outputs["body"] == "status 503")
            #expect(failure.outputs["latency_ms"] != nil)
        }
    }

    @Test func statusLists() async throws {
        try await TestHTTPServer.with { server in
            let ok = await outcome(
                of: check, makeContext(["url": .string(server.url("/status/204")), "expect_status": [200, 204]]))
            #expect(ok.success?["status"] == 204)
            let single = await outcome(
                of: check, makeContext(["url": .string(server.url("/status/404")), "expect_status": 404]))
            #expect(single.success?["status"] == 404)
            let url = server.url("/status/500")
            let three = await outcome(of: check, makeContext(["url": .string(url), "expect_status": [200, 201, 204]]))
            #expect(three.failure?.message == "GET \(url) returned 500, expected one of 200, 201, 204")
            let two = await outcome(of: check, makeContext(["url": .string(url), "expect_status": [200, 204]]))
            #expect(two.failure?.message == "GET \(url) returned 500, expected 200 or 204")
            let bad = await outcome(of: check, makeContext(["url": .string(url), "expect_status": "teapot"]))
            #expect(bad.failure?.message.contains("'expect_status' must be an HTTP status") == true)
        }
    }

    @Test func expectBody() async throws {
        try await TestHTTPServer.with { server in
            let url = server.url("/status/200?body=status:%20ok")
            let found = await outcome(of: check, makeContext(["url": .string(url), "expect_body": "ok"]))
            #expect(found.success != nil)
            let missing = await outcome(of: check, makeContext(["url": .string(url), "expect_body": "ready"]))
            #expect(
                missing.failure?.message
                    == "GET \(url) returned 200 but the body does not contain 'ready'; "
                    + "the body starts with \"status: ok\""
            )
            #expect(missing.failure?.outputs["status"] == 200)
        }
    }

    @Test func followsRedirects() async throws {
        try await TestHTTPServer.with { server in
            let outputs = try await check.execute(makeContext(["url": .string(server.url("/redirect/3"))]))
            #expect(outputs["status"] == 200)
            #expect(server.requests().map(\.path) == ["/redirect/3", "/redirect/2", "/redirect/1", "/status/200"])
            let url = server.url("/redirect/12")
            let tooMany = await outcome(of: check, makeContext(["url": .string(url)]))
            #expect(tooMany.failure?.message.hasPrefix("GET \(url) failed: stopped after 10 redirects") == true)
        }
    }

    @Test func sendsMethodHeadersAndBody() async throws {
        try await TestHTTPServer.with { server in
            let context = makeContext([
                "url": .string(server.url("/status/201")), "method": "POST", "expect_status": 201,
                "headers": ["X-Token": "abc", "Content-Type": "application/json"], "body": #"{"a":1}"#,
            ])
            _ = try await check.execute(context)
            let request = try #require(server.requests().first)
            #expect(request.method == "POST")
            #expect(request.headers["x-token"] == "abc")
            #expect(request.headers["content-type"] == "application/json")
            #expect(request.headers["user-agent"] == "runbook")
            #expect(request.body == #"{"a":1}"#)
        }
    }

    @Test func headAndDelete() async throws {
        try await TestHTTPServer.with { server in
            let head = try await check.execute(
                makeContext(["url": .string(server.url("/status/200")), "method": "HEAD"]))
            #expect(head["body"] == "")
            _ = try await check.execute(makeContext(["url": .string(server.url("/status/200")), "method": "delete"]))
            #expect(server.requests().map(\.method) == ["HEAD", "DELETE"])
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func timeoutIsAClearFailure() async throws {
        try await TestHTTPServer.with { server in
            let url = server.url("/slow/60")
            let started = ContinuousClock.now
            let result = await outcome(
                of: HTTPCheckAction(requestTimeout: .milliseconds(500)), makeContext(["url": .string(url)]))
            // Far below the server's 60 s, with room for a machine loaded by the other suites' peers.
            #expect(ContinuousClock.now - started < .seconds(20))
            #expect(
                result.failure?.message
                    == "GET \(url) failed: timed out after 0.5 s; check that the service responds, or allow it longer")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func cancellationAbortsTheTransfer() async throws {
        try await TestHTTPServer.with { server in
            let url = server.url("/slow/60")
            let task = Task { await outcome(of: check, makeContext(["url": .string(url)])) }
            _ = await eventually(within: .seconds(60)) { !server.requests().isEmpty }
            let started = ContinuousClock.now
            task.cancel()
            #expect(await task.value.failure?.message == "cancelled")
            #expect(ContinuousClock.now - started < .seconds(20))
        }
    }

    @Test func connectionRefused() async throws {
        let port = try await TestHTTPServer.with { $0.port }  // stopped: nothing listens there any more
        let url = "http://127.0.0.1:\(port)/health"
        let result = await outcome(of: check, makeContext(["url": .string(url)]))
        #expect(
            result.failure?.message
                == "GET \(url) failed: connection refused by 127.0.0.1 port \(port); "
                + "check that the service is running and listening there")
    }

    @Test func unresolvedHost() async {
        let url = "http://nonexistent.invalid/health"
        let result = await outcome(of: check, makeContext(["url": .string(url)]))
        #expect(
            result.failure?.message
                == "GET \(url) failed: could not resolve host 'nonexistent.invalid'; check the URL's host name and DNS")
    }

    @Test func unsupportedScheme() async {
        let result = await outcome(of: check, makeContext(["url": "ftp://127.0.0.1/x"]))
        #expect(result.failure?.message.contains("use an http:// or https:// URL") == true)
    }

    @Test func untrustedCertificate() async throws {
        try await TestHTTPServer.with(tls: true) { server in
            let url = server.url("/status/200")
            let result = await outcome(of: check, makeContext(["url": .string(url)]))
            let message = try #require(result.failure?.message)
            #expect(message.hasPrefix("GET \(url) failed: TLS problem with 127.0.0.1: "))
            #expect(message.contains("certificate"))
        }
    }

    @Test func bodyOutputIsCapped() async throws {
        try await TestHTTPServer.with { server in
            let outputs = try await check.execute(makeContext(["url": .string(server.url("/big/200000"))]))
            let body = try #require(outputs["body"]?.stringValue)
            #expect(body.hasSuffix("\n…[truncated \(200_000 - 65_536) bytes]"))
            #expect(body.hasPrefix(String(repeating: "x", count: 65_536) + "\n"))
        }
    }

    @Test func passwordInURLIsHidden() async throws {
        try await TestHTTPServer.with { server in
            let url = "http://user:hunter2@127.0.0.1:\(server.port)/status/500"
            let result = await outcome(of: check, makeContext(["url": .string(url)]))
            let message = try #require(result.failure?.message)
            #expect(!message.contains("hunter2"))
            #expect(message.contains("user:***@127.0.0.1"))
        }
    }
}
