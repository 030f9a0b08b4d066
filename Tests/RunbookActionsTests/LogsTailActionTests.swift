import Foundation
@testable import RunbookActions
import RunbookLanguage
import RunbookTestPeers
import Testing

@Suite("logs.tail against moto_server")
struct LogsTailActionTests {
    let environment = awsEnvironment()

    /// A group with three streams: `app/1` and `app/2` interleaved over the last minutes, `sidecar/1`, and one event
    /// 30 minutes old.
    private func seedLogs(_ moto: MotoPeer) throws {
        try moto.python(
            """
            now = int(time.time() * 1000)
            group = "/aws/ecs/api"
            logs.create_log_group(logGroupName=group)
            events = {
                "app/1": [(now - 30 * 60_000, "old start"), (now - 240_000, "GET /health 200"),
                          (now - 120_000, "ERROR out of memory"), (now - 10_000, "GET /health 503")],
                "app/2": [(now - 180_000, "GET /orders 200"), (now - 60_000, "ERROR upstream timeout\\n")],
                "sidecar/1": [(now - 150_000, "envoy ready"), (now - 5_000, "ERROR sidecar down")],
            }
            for stream, entries in events.items():
                logs.create_log_stream(logGroupName=group, logStreamName=stream)
                logs.put_log_events(logGroupName=group, logStreamName=stream,
                    logEvents=[{"timestamp": t, "message": m} for t, m in entries])
            """)
    }

    /// The messages of `lines` (each `TIME STREAM MESSAGE`), as `STREAM MESSAGE`.
    private func messages(_ outputs: [String: Value]) -> [String] {
        guard case .array(let lines)? = outputs["lines"] else { return [] }
        return lines.map { line in
            line.stringValue.split(separator: " ", maxSplits: 1).last.map(String.init) ?? ""
        }
    }

    @Test func interleavedNewestLastWithFiltersAndPages() async throws {
        try await MotoPeer.with { moto in
            try seedLogs(moto)
            let tail = LogsTailAction(aws: environment)
            func run(_ parameters: [String: Value], _ action: LogsTailAction? = nil) async throws -> [String: Value] {
                var all = parameters
                all["group"] = "/aws/ecs/api"
                return try await (action ?? tail).execute(awsContext(all, endpoint: moto.endpoint))
            }

            let everything = try await run([:])
            #expect(
                messages(everything) == [
                    "app/1 GET /health 200", "app/2 GET /orders 200", "sidecar/1 envoy ready",
                    "app/1 ERROR out of memory", "app/2 ERROR upstream timeout", "app/1 GET /health 503",
                    "sidecar/1 ERROR sidecar down",
                ])
            let firstLine = try #require(everything["lines"].flatMap { value -> String? in
                guard case .array(let lines) = value else { return nil }
                return lines.first?.stringValue
            })
            let timestamped = #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z app/1 "#
            #expect(firstLine.range(of: timestamped, options: .regularExpression) != nil)
            #expect(everything["text"]?.stringValue.split(separator: "\n").count == 7)

            #expect(messages(try await run(["lines": 2])) == ["app/1 GET /health 503", "sidecar/1 ERROR sidecar down"])
            #expect(messages(try await run(["since": "1h"])).first == "app/1 old start")
            #expect(
                messages(try await run(["filter_pattern": "ERROR"])) == [
                    "app/1 ERROR out of memory", "app/2 ERROR upstream timeout", "sidecar/1 ERROR sidecar down",
                ])
            #expect(
                messages(try await run(["stream_prefix": "app/", "lines": 3])) == [
                    "app/1 ERROR out of memory", "app/2 ERROR upstream timeout", "app/1 GET /health 503",
                ])
            let paged = try await run(["since": "1h", "lines": 3], LogsTailAction(aws: environment, pageSize: 2))
            #expect(messages(paged) == messages(try await run(["since": "1h", "lines": 3])))
            #expect(messages(paged).count == 3)
        }
    }

    @Test func missingGroupIsNamed() async throws {
        try await MotoPeer.with { moto in
            let result = await outcome(
                of: LogsTailAction(aws: environment), awsContext(["group": "/aws/ecs/nope"], endpoint: moto.endpoint))
            #expect(
                result.failure?.message
                    == "ResourceNotFoundException: log group /aws/ecs/nope not found (environment 'test', region "
                    + "us-east-1)")
            let badLines = await outcome(
                of: LogsTailAction(aws: environment),
                awsContext(["group": "/aws/ecs/nope", "lines": "many"], endpoint: moto.endpoint))
            #expect(
                badLines.failure?.message == "logs.tail: 'lines' must be a whole number from 1 to 10000, not 'many'")
        }
    }
}
