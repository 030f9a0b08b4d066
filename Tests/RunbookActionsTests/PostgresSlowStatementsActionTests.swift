import Foundation
import RunbookActions
import RunbookLanguage
import RunbookTestPeers
import Testing

/// `pg.slow_statements` against a real PostgreSQL 15 that preloads `pg_stat_statements`.
@Suite("pg.slow_statements", .timeLimit(.minutes(3)))
struct PostgresSlowStatementsActionTests {
    @Test("the slowest statements by mean and by total time, and a result to branch on without the extension")
    func slowStatementsByMeanAndTotal() async throws {
        let peer = try await PostgresPeer.start()
        defer { peer.stop() }
        let action = PostgresSlowStatementsAction()

        let missing = try await action.execute(postgresContext([:], conninfo: peer.conninfo()))
        #expect(missing["available"] == false)
        #expect(missing["count"] == 0)
        #expect(missing["statements"] == [])
        #expect(
            contains(
                missing["reason"]?.stringValue, all: "the extension pg_stat_statements is not installed in database "
                    + "postgres on 127.0.0.1:\(peer.port)", "CREATE EXTENSION pg_stat_statements"))

        try await peer.sql("CREATE EXTENSION pg_stat_statements")
        try await peer.createRole("ops", password: "ops-secret", grants: ["pg_read_all_stats"])
        try await peer.createRole("app", password: "app-secret")
        try await peer.sql("SELECT pg_stat_statements_reset()")
        // One slow statement called twice, and a fast one called often: the first is slowest by mean, the second
        // by total time only when its calls add up, so it is made to.
        try await peer.sql("SELECT pg_sleep(0.3); SELECT pg_sleep(0.3);", user: "app")
        let fast = (0..<40).map { _ in "SELECT count(*) FROM generate_series(1, 200000);" }.joined()
        try await peer.sql(fast, user: "app")

        let lines = LineRecorder()
        let byMean = try await action.execute(
            postgresContext([:], conninfo: peer.conninfo(user: "ops", password: "ops-secret"), emit: lines.record))
        #expect(byMean["available"] == true)
        #expect(byMean["reason"] == "")
        let statements = entries(byMean["statements"])
        let top = try #require(statements.first)
        #expect(top["query"] == "SELECT pg_sleep($1)")
        #expect(top["calls"] == 2)
        #expect(top["rows"] == 2)
        #expect(top["user"] == "app")
        #expect(top["database"] == "postgres")
        #expect((top["mean_ms"]?.numericValue ?? 0) >= 300)
        #expect((top["total_ms"]?.numericValue ?? 0) >= 600)
        #expect((top["max_ms"]?.numericValue ?? 0) >= 300)
        #expect(byMean["top_mean_ms"] == top["mean_ms"])
        #expect(byMean["hidden"] == 0)
        #expect(lines.texts(.stdout).first?.hasSuffix("ms total): SELECT pg_sleep($1)") == true)

        let generate = try #require(
            statements.first { $0["query"]?.stringValue.contains("generate_series") == true })
        let generateTotal = try #require(generate["total_ms"]?.numericValue)
        let sleepTotal = try #require(top["total_ms"]?.numericValue)
        let byTotal = try await action.execute(
            postgresContext(["order_by": "total", "limit": 1], conninfo: peer.conninfo()))
        #expect(byTotal["count"] == 1)
        #expect(
            entries(byTotal["statements"]).first?["query"]
                == (generateTotal > sleepTotal ? generate["query"] : top["query"]))

        let often = try await action.execute(postgresContext(["min_calls": 40], conninfo: peer.conninfo()))
        #expect(entries(often["statements"]).allSatisfy { ($0["calls"]?.numericValue ?? 0) >= 40 })
        #expect(entries(often["statements"]).contains { $0["query"] == generate["query"] })

        // Without pg_read_all_stats, other roles' statements have no text.
        try await peer.createRole("viewer", password: "viewer-secret")
        let hidden = try await action.execute(
            postgresContext([:], conninfo: peer.conninfo(user: "viewer", password: "viewer-secret")))
        #expect((hidden["hidden"]?.numericValue ?? 0) > 0)
    }
}
