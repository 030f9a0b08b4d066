import Foundation
import RunbookTestPeers
import Testing

/// The built `runbook` against a real PostgreSQL 15: the bundled `db-connections` runbook end to end, connecting
/// through a service file and a password file, and the gate of a `pg.kill` step showing what it would kill.
@Suite("PostgreSQL runbooks", .timeLimit(.minutes(3)))
struct PostgresRunbookTests {
    /// A server with `ops` (sees every session, may signal other roles' backends, not a superuser) and `app`.
    func makePeer() async throws -> PostgresPeer {
        let peer = try await PostgresPeer.start(maxConnections: 20)
        try await peer.createRole("ops", password: "ops-scram-secret", grants: ["pg_monitor", "pg_signal_backend"])
        try await peer.createRole("app", password: "app-pw")
        return peer
    }

    @Test("db-connections with --yes over service=testdb cancels the runaway queries, terminates the idle transaction, recovers")
    func dbConnections() async throws {
        let peer = try await makePeer()
        defer { peer.stop() }
        let workspace = try TemporaryWorkspace(config: """
            store: sqlite:.runbook/state.db
            environments:
              test:
                postgres: "service=testdb"
            """)
        try workspace.write("pg_service.conf", "[testdb]\nhost=127.0.0.1\nport=\(peer.port)\ndbname=postgres\nuser=ops\n")
        try workspace.write("pgpass", "127.0.0.1:\(peer.port):postgres:ops:ops-scram-secret\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: workspace.path("pgpass"))
        let bundled = RunbookBinary.packageRoot.appendingPathComponent("runbooks/db-connections.yaml")
        try workspace.write("runbooks/db-connections.yaml", String(contentsOf: bundled, encoding: .utf8))

        var runaway: [(client: PostgresClient, pid: Int)] = []
        for index in 1...3 {
            let client = try peer.startSession("SELECT pg_sleep(600)", user: "app", application: "worker-\(index)")
            runaway.append((client, try await peer.backend(application: "worker-\(index)", state: "active")))
        }
        let stuck = try peer.startSession("BEGIN;\nSELECT 1;", user: "app", application: "stuck", keepOpen: true)
        let stuckPID = try await peer.backend(application: "stuck", state: "idle in transaction")
        let maintenance = try peer.startSession("SELECT pg_sleep(600)", user: "postgres", application: "maintenance")
        let maintenancePID = try await peer.backend(application: "maintenance", state: "active")
        try await Task.sleep(for: .milliseconds(2500))

        // 6 of 20 connections (30 %) with the runbook's own: over a 25 % threshold, whose limit is 5 connections.
        let (root, serviceFile, passFile) = (workspace.root, workspace.path("pg_service.conf"), workspace.path("pgpass"))
        let result = try await onOwnThread {
            try RunbookBinary.run(
                ["exec", "db-connections", "--env", "test", "--yes", "-i", "threshold_pct=25", "-i", "min_duration=2s"],
                in: root,
                environment: ["RUNBOOK_USER": "alice", "PGSERVICEFILE": serviceFile, "PGPASSFILE": passFile])
        }
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")

        for backend in runaway { #expect(await backend.client.exits(within: .seconds(10))) }
        stuck.end()
        #expect(maintenance.isRunning)
        let remaining = try await peer.backends()
        #expect(runaway.allSatisfy { remaining[$0.pid] == nil })
        #expect(remaining[stuckPID] == nil)
        #expect(remaining[maintenancePID] == "maintenance")

        let events = try workspace.events()
        func finished(_ step: String) -> [String: Any]? {
            events.last { $0["type"] as? String == "step.finished" && $0["step"] as? String == step }?["data"]
                as? [String: Any]
        }
        #expect((finished("cancel")?["outputs"] as? [String: Any])?["count"] as? Double == 3)
        #expect((finished("terminate")?["outputs"] as? [String: Any])?["count"] as? Double == 1)
        #expect(finished("recheck")?["outcome"] as? String == "success")
        #expect(events.contains { $0["type"] as? String == "incident.recovered" })
        let gate = try #require(events.first {
            $0["type"] as? String == "gate.requested" && $0["step"] as? String == "cancel"
        }?["data"] as? [String: Any])
        let preview = try #require(gate["preview"] as? [String])
        #expect(preview.first == "would cancel 3 backends (max_kills 20)")
        #expect(runaway.allSatisfy { backend in preview.contains { $0.hasPrefix("pid \(backend.pid) app worker-") } })
    }

    @Test("a pg.kill gate's gate.requested carries the preview; denied from a second process, nothing is killed")
    func deniedGateShowsPreview() async throws {
        let peer = try await makePeer()
        defer { peer.stop() }
        let workspace = try TemporaryWorkspace(config: """
            store: sqlite:.runbook/state.db
            environments:
              test:
                postgres: "\(peer.conninfo(user: "ops", password: "ops-scram-secret"))"
            """)
        try workspace.runbook("kill-runaway", """
            steps:
              - id: kill
                action: pg.kill
                with: { min_duration: 1s, mode: terminate, max_kills: 5 }
                confirm: { message: "Terminate the runaway backends?", timeout: 60s }
            """)
        let first = try peer.startSession("SELECT pg_sleep(600)", user: "app", application: "batch")
        let firstPID = try await peer.backend(application: "batch", state: "active")
        let second = try peer.startSession("BEGIN;\nSELECT 1;", user: "app", application: "stuck", keepOpen: true)
        let secondPID = try await peer.backend(application: "stuck", state: "idle in transaction")
        try await Task.sleep(for: .milliseconds(1500))

        let run = try workspace.start(["exec", "kill-runaway", "--env", "test"])
        var gate: [String: Any]?
        _ = workspace.waitFor {
            gate = try? workspace.events().first { $0["type"] as? String == "gate.requested" }
            return gate != nil
        }
        let requested = try #require(gate)
        let preview = try #require((requested["data"] as? [String: Any])?["preview"] as? [String])
        #expect(preview.first == "would terminate 2 backends (max_kills 5)")
        #expect(preview.contains { $0.hasPrefix("pid \(firstPID) app batch ") && $0.hasSuffix("active: SELECT pg_sleep(600)") })
        #expect(preview.contains { $0.hasPrefix("pid \(secondPID) app stuck ") && $0.contains("idle in transaction: SELECT 1;") })

        let id = try #require(requested["run"] as? String)
        let deny = try workspace.run(["deny", id, "kill", "--reason", "wrong server"], user: "bob")
        #expect(deny.status == 0, "\(deny.stderr)")
        let result = run.wait()
        #expect(result.status == 3, "\(result.stdout)")
        #expect(first.isRunning && second.isRunning)
        let log = try workspace.run(["audit", "export"]).stdout
        #expect(!log.contains("ops-scram-secret"))
        #expect(!result.stdout.contains("ops-scram-secret"))
    }
}
