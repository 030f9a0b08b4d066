import Foundation
import RunbookActions
import RunbookLanguage
import RunbookTestPeers
import Testing

/// `pg.replication` against a real PostgreSQL 15 primary and a streaming standby made from it with `pg_basebackup`.
@Suite("pg.replication", .timeLimit(.minutes(3)))
struct PostgresReplicationActionTests {
    @Test("a primary reports its streaming standby's lag, a standby its replay delay, both against the threshold")
    func primaryAndStandby() async throws {
        let primary = try await PostgresPeer.start()
        defer { primary.stop() }
        let alone = try await PostgresReplicationAction().execute(postgresContext([:], conninfo: primary.conninfo()))
        #expect(alone["role"] == "primary")
        #expect(alone["count"] == 0)
        #expect(alone["ok"] == false)
        let noneNeeded = try await PostgresReplicationAction()
            .execute(postgresContext(["min_standbys": 0], conninfo: primary.conninfo()))
        #expect(noneNeeded["ok"] == true)

        let standby = try await PostgresPeer.startStandby(of: primary, name: "replica-a")
        defer { standby.stop() }
        try await primary.sql("CREATE TABLE orders (id int); INSERT INTO orders SELECT generate_series(1, 1000)")
        let action = PostgresReplicationAction()
        let parameters: [String: Value] = ["max_lag": "10s", "max_lag_bytes": 1_000_000]
        let caughtUp = try await poll(postgresContext(parameters, conninfo: primary.conninfo())) {
            $0["lag_bytes"] == 0 && $0["streaming"] == 1
        }
        #expect(caughtUp["role"] == "primary")
        #expect(caughtUp["count"] == 1)
        #expect(caughtUp["lagging"] == 0)
        #expect(caughtUp["ok"] == true)
        #expect(caughtUp["receiver"] == "")
        let entry = try #require(entries(caughtUp["standbys"]).first)
        #expect(entry["name"] == "replica-a")
        #expect(entry["state"] == "streaming")
        #expect(entry["sync_state"] == "async")
        #expect(entry["client"] == "local")
        #expect(entry["flush_lag_bytes"] == 0)
        #expect(entry["replay_lag_seconds"]?.numericValue.map { $0 < 10 } == true)

        let onStandby = try await action.execute(postgresContext(parameters, conninfo: standby.conninfo()))
        #expect(onStandby["role"] == "standby")
        #expect(onStandby["receiver"] == "streaming")
        #expect(onStandby["lag_bytes"] == 0)
        #expect(onStandby["lag_seconds"] == 0)
        #expect(onStandby["ok"] == true)
        #expect(try await standby.sql("SELECT count(*) FROM orders") == "1000")

        // With replay paused on the standby, the WAL it receives piles up unreplayed.
        try await standby.sql("SELECT pg_wal_replay_pause()")
        try await primary.sql("INSERT INTO orders SELECT generate_series(1, 20000)")
        let tight: [String: Value] = ["max_lag": "1s", "max_lag_bytes": 1024]
        let behind = try await poll(postgresContext(tight, conninfo: primary.conninfo())) {
            ($0["lag_bytes"]?.numericValue ?? 0) > 1024 && entries($0["standbys"]).first?["flush_lag_bytes"] == 0
        }
        #expect(behind["lagging"] == 1)
        #expect(behind["ok"] == false)
        try await Task.sleep(for: .milliseconds(1500))
        let delayed = try await action.execute(postgresContext(tight, conninfo: standby.conninfo()))
        #expect(delayed["role"] == "standby")
        #expect((delayed["lag_bytes"]?.numericValue ?? 0) > 1024)
        #expect((delayed["lag_seconds"]?.numericValue ?? 0) > 1)
        #expect(delayed["lagging"] == 1)
        #expect(delayed["ok"] == false)
        try await standby.sql("SELECT pg_wal_replay_resume()")
    }

    /// Runs `pg.replication` every 200 ms until `condition` holds on its outputs, for up to 30 s; returns the last.
    private func poll(
        _ context: ActionContext, until condition: ([String: Value]) -> Bool
    ) async throws -> [String: Value] {
        let deadline = ContinuousClock.now + .seconds(30)
        var outputs = try await PostgresReplicationAction().execute(context)
        while !condition(outputs), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            outputs = try await PostgresReplicationAction().execute(context)
        }
        #expect(condition(outputs), "\(outputs)")
        return outputs
    }
}
