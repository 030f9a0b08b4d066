import Foundation
import RunbookActions
import RunbookLanguage
import Testing

@Suite("notify")
struct NotifyActionTests {
    let notify = NotifyAction(retryDelays: [.milliseconds(10), .milliseconds(10)])

    @Test func slackPayload() async throws {
        try await TestHTTPServer.with { server in
            let channels = ["oncall": NotifyChannel(name: "oncall", kind: .slack, url: server.url("/status/200"))]
            let outputs = try await notify.execute(
                makeContext(["channel": "oncall", "message": "API down: \"quoted\" ✓"], channels: channels))
            #expect(outputs.isEmpty)
            let request = try #require(server.requests().first)
            #expect(request.method == "POST")
            #expect(request.headers["content-type"] == "application/json")
            #expect(try Value(jsonString: request.body) == ["text": "API down: \"quoted\" ✓"])
        }
    }

    @Test func webhookPayload() async throws {
        try await TestHTTPServer.with { server in
            let channels = ["ops": NotifyChannel(name: "ops", kind: .webhook, url: server.url("/status/204"))]
            _ = try await notify.execute(makeContext(["channel": "ops", "message": "scaled"], channels: channels))
            let request = try #require(server.requests().first)
            #expect(request.headers["content-type"] == "application/json")
            #expect(
                try Value(jsonString: request.body)
                    == ["text": "scaled", "channel": "ops", "run": "r-test", "step": "step-1"])
        }
    }

    @Test func unknownChannelNamesTheKnownOnes() async {
        let channels = [
            "oncall": NotifyChannel(name: "oncall", kind: .slack, url: "http://127.0.0.1:1/a"),
            "ops": NotifyChannel(name: "ops", kind: .webhook, url: "http://127.0.0.1:1/b"),
        ]
        let result = await outcome(of: notify, makeContext(["channel": "pager", "message": "x"], channels: channels))
        #expect(
            result.failure?.message == "notify: unknown channel 'pager'; the configured channels are 'oncall', 'ops'")
        let none = await outcome(of: notify, makeContext(["channel": "pager", "message": "x"]))
        #expect(
            none.failure?.message
                == "notify: unknown channel 'pager'; no channels are configured under 'notify:' in runbook.config.yaml")
    }

    @Test func retriesServerErrors() async throws {
        try await TestHTTPServer.with { server in
            let channels = ["oncall": NotifyChannel(name: "oncall", kind: .slack, url: server.url("/flaky/2/a"))]
            _ = try await notify.execute(makeContext(["channel": "oncall", "message": "m"], channels: channels))
            #expect(server.requests().count == 3)
        }
    }

    @Test func givesUpAfterThreeTriesWithoutNamingTheURL() async throws {
        try await TestHTTPServer.with { server in
            let url = server.url("/status/500?body=T0KEN")
            let channels = ["oncall": NotifyChannel(name: "oncall", kind: .slack, url: url)]
            let result = await outcome(
                of: notify, makeContext(["channel": "oncall", "message": "m"], channels: channels))
            let message = try #require(result.failure?.message)
            #expect(message == "notify: could not post to channel 'oncall' (3 tries): it answered HTTP 500 (T0KEN)")
            #expect(!message.contains(url))
            #expect(server.requests().count == 3)
        }
    }

    @Test func clientErrorsAreNotRetried() async throws {
        try await TestHTTPServer.with { server in
            let url = server.url("/status/403?body=invalid_token")
            let channels = ["oncall": NotifyChannel(name: "oncall", kind: .slack, url: url)]
            let result = await outcome(
                of: notify, makeContext(["channel": "oncall", "message": "m"], channels: channels))
            #expect(
                result.failure?.message
                    == "notify: channel 'oncall' rejected the message with HTTP 403 (invalid_token); "
                    + "check the webhook URL configured for it")
            #expect(server.requests().count == 1)
        }
    }

    @Test func networkErrorsAreRetriedAndTheURLStaysSecret() async throws {
        let port = try await TestHTTPServer.with { $0.port }
        let url = "http://127.0.0.1:\(port)/services/T000/B000/SECRET"
        let channels = ["oncall": NotifyChannel(name: "oncall", kind: .slack, url: url)]
        let result = await outcome(of: notify, makeContext(["channel": "oncall", "message": "m"], channels: channels))
        let message = try #require(result.failure?.message)
        #expect(message.hasPrefix("notify: could not post to channel 'oncall' (3 tries): connection refused"))
        #expect(!message.contains("SECRET"))
    }
}
