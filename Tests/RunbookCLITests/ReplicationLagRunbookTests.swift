import Foundation
import RunbookTestPeers
import Testing

/// The bundled `replication-lag` runbook, run by the built `runbook` against a real PostgreSQL 15 primary and a
/// streaming standby made from it with `pg_basebackup`.
@Suite("replication-lag against a primary and its standby", .timeLimit(.minutes(3)))
struct ReplicationLagRunbookTests {
    @Test("replication-lag reads the primary's standby and the standby's own view, and recovers")
    func streamingStandbyRecovers() async throws {
        let primary = try await PostgresPeer.start()
        defer { primary.stop() }
        let standby = try await PostgresPeer.startStandby(of: primary, name: "replica-a")
        defer { standby.stop() }
        // A standby catches up before it streams; the runbook's own re-check waits 30 s between reads.
        let deadline = ContinuousClock.now + .seconds(30)
        while try await primary.sql("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") != "1",
            ContinuousClock.now < deadline
        {
            try await Task.sleep(for: .milliseconds(100))
        }
        let workspace = try TemporaryWorkspace(config: """
            store: sqlite:.runbook/state.db
            environments:
              test:
                postgres: "\(primary.conninfo())"
            """)
        let bundled = RunbookBinary.packageRoot.appendingPathComponent("runbooks/replication-lag.yaml")
        try workspace.write("runbooks/replication-lag.yaml", String(contentsOf: bundled, encoding: .utf8))

        let (root, standbyDSN) = (workspace.root, standby.conninfo())
        let result = try await onOwnThread {
            try RunbookBinary.run(
                ["exec", "replication-lag", "--env", "test", "--yes", "-i", "max_lag=10s", "-i",
                 "standby_dsn=\(standbyDSN)"],
                in: root, environment: ["RUNBOOK_USER": "alice"])
        }
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")

        let events = try workspace.events()
        func outputs(_ step: String) -> [String: Any]? {
            (events.last { $0["type"] as? String == "step.finished" && $0["step"] as? String == step }?["data"]
                as? [String: Any])?["outputs"] as? [String: Any]
        }
        #expect(outputs("primary")?["role"] as? String == "primary")
        #expect(outputs("primary")?["count"] as? Double == 1)
        let standbys = try #require(outputs("primary")?["standbys"] as? [[String: Any]])
        #expect(standbys.first?["name"] as? String == "replica-a")
        #expect(outputs("standby")?["role"] as? String == "standby")
        #expect(outputs("standby")?["receiver"] as? String == "streaming")
        #expect(outputs("recheck")?["ok"] as? Bool == true)
        #expect(events.contains { $0["type"] as? String == "incident.recovered" })
    }
}
