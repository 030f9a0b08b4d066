import Foundation
import RunbookActions
import RunbookLanguage
import RunbookTestPeers
import Testing

/// `pg.connections`, `pg.long_queries` and `pg.blocking` against a real PostgreSQL 15 with sessions of several roles
/// and applications: sleeping queries, and a transaction left idle that blocks another session.
@Suite("pg.connections, pg.long_queries, pg.blocking", .timeLimit(.minutes(3)))
struct PostgresDiagnosticTests {
    /// A server with `alice` and `bob` running sleeps, `carol` holding a row lock in an idle transaction and `dave`
    /// waiting for it.
    final class Scenario {
        let peer: PostgresPeer
        let sleepers: [(client: PostgresClient, pid: Int)]
        let holder: PostgresClient
        let holderPID: Int
        let waiter: PostgresClient
        let waiterPID: Int

        private init(
            peer: PostgresPeer, sleepers: [(client: PostgresClient, pid: Int)], holder: PostgresClient,
            holderPID: Int, waiter: PostgresClient, waiterPID: Int
        ) {
            self.peer = peer
            self.sleepers = sleepers
            self.holder = holder
            self.holderPID = holderPID
            self.waiter = waiter
            self.waiterPID = waiterPID
        }

        static func start() async throws -> Scenario {
            let peer = try await PostgresPeer.start()
            try await peer.createRole("ops", password: "ops-secret", grants: PostgresPeer.operatorGrants)
            for role in ["alice", "bob", "carol", "dave"] { try await peer.createRole(role, password: "pw-\(role)") }
            try await peer.sql("CREATE TABLE accounts (id int PRIMARY KEY, balance int); INSERT INTO accounts VALUES (1, 10)")
            try await peer.sql("GRANT SELECT, UPDATE ON accounts TO carol, dave")
            let sleepers = [
                try await peer.sleeper(user: "alice", application: "billing"),
                try await peer.sleeper(user: "bob", application: "reports"),
            ]
            let holder = try peer.startSession(
                "BEGIN;\nUPDATE accounts SET balance = 0 WHERE id = 1;", user: "carol", application: "holder",
                keepOpen: true)
            let holderPID = try await peer.backend(application: "holder", state: "idle in transaction")
            let waiter = try peer.startSession(
                "UPDATE   accounts\n   SET balance = 5\n WHERE id = 1", user: "dave", application: "waiter")
            let waiterPID = try await peer.backend(application: "waiter", state: "active", waitEventType: "Lock")
            return Scenario(
                peer: peer, sleepers: sleepers, holder: holder, holderPID: holderPID, waiter: waiter,
                waiterPID: waiterPID)
        }

        deinit {
            peer.stop()
        }
    }

    @Test("pg.long_queries lists active and idle-in-transaction client backends with who blocks them")
    func longQueries() async throws {
        let scenario = try await Scenario.start()
        try await Task.sleep(for: .milliseconds(1500))
        let lines = LineRecorder()
        let outputs = try await PostgresLongQueriesAction().execute(postgresContext(
            ["min_duration": "1s"], conninfo: scenario.peer.conninfo(user: "ops", password: "ops-secret"),
            emit: lines.record))

        let queries = outputs["queries"]
        let expected = Set(scenario.sleepers.map(\.pid) + [scenario.holderPID, scenario.waiterPID])
        #expect(pids(queries) == expected)
        #expect(outputs["count"] == .number(4))
        let alice = try #require(entry(queries, pid: scenario.sleepers[0].pid))
        #expect(alice["user"] == "alice")
        #expect(alice["application"] == "billing")
        #expect(alice["client"] == "local")
        #expect(alice["state"] == "active")
        #expect(alice["query"] == "SELECT pg_sleep(600)")
        #expect((alice["duration"]?.numericValue ?? 0) >= 1)
        #expect(alice["age"]?.stringValue.hasSuffix("s") == true)
        #expect(alice["blocked_by"] == [])
        let holder = try #require(entry(queries, pid: scenario.holderPID))
        #expect(holder["state"] == "idle in transaction")
        let waiter = try #require(entry(queries, pid: scenario.waiterPID))
        #expect(waiter["query"] == "UPDATE accounts SET balance = 5 WHERE id = 1")
        #expect(waiter["blocked_by"] == [.number(Double(scenario.holderPID))])
        #expect(lines.texts(.stdout).contains { $0.hasPrefix("pid \(scenario.sleepers[1].pid) bob reports ") })
    }

    @Test("pg.long_queries leaves out backends younger than min_duration")
    func minDuration() async throws {
        let scenario = try await Scenario.start()
        let outputs = try await PostgresLongQueriesAction().execute(postgresContext(
            ["min_duration": "10m"], conninfo: scenario.peer.conninfo(user: "ops", password: "ops-secret")))
        #expect(outputs["count"] == .number(0))
        #expect(outputs["queries"] == [])
    }

    @Test("pg.blocking shows the idle transaction as the root and the UPDATE waiting on it")
    func blocking() async throws {
        let scenario = try await Scenario.start()
        let lines = LineRecorder()
        let outputs = try await PostgresBlockingAction().execute(postgresContext(
            [:], conninfo: scenario.peer.conninfo(user: "ops", password: "ops-secret"), emit: lines.record))
        #expect(pids(outputs["blocked"]) == [scenario.waiterPID])
        #expect(outputs["count"] == .number(1))
        let waiter = try #require(entry(outputs["blocked"], pid: scenario.waiterPID))
        #expect(waiter["blocked_by"] == [.number(Double(scenario.holderPID))])
        #expect(waiter["wait"]?.stringValue.hasPrefix("Lock:") == true)
        let root = try #require(entries(outputs["roots"]).first)
        #expect(root["pid"] == .number(Double(scenario.holderPID)))
        #expect(root["user"] == "carol")
        #expect(root["blocking"] == .number(1))
        #expect(root["blocked_pids"] == [.number(Double(scenario.waiterPID))])
        let tree = lines.texts(.stdout)
        #expect(tree.first?.hasPrefix("pid \(scenario.holderPID) carol holder") == true)
        #expect(tree.dropFirst().first?.hasPrefix("  └ pid \(scenario.waiterPID) dave waiter") == true)
    }

    @Test("pg.connections counts client connections by state against max_connections")
    func connections() async throws {
        let scenario = try await Scenario.start()
        let outputs = try await PostgresConnectionsAction().execute(postgresContext(
            [:], conninfo: scenario.peer.conninfo(user: "ops", password: "ops-secret")))
        // Two sleeps, the waiter and this action's own connection are active; the holder is idle in transaction.
        #expect(outputs["total"] == .number(5))
        #expect(outputs["max"] == .number(30))
        #expect(outputs["by_state"] == ["active": 4, "idle in transaction": 1])
        #expect(outputs["percent"] == .number(17))
        #expect(outputs["reserved"] == .number(3))
        #expect(outputs["available"] == .number(22))
        #expect(outputs["hidden"] == .number(0))
    }

    @Test("a role without pg_read_all_stats: long_queries fails naming the grant; connections warns")
    func insufficientPrivilege() async throws {
        let peer = try await PostgresPeer.start()
        try await peer.createRole("plain", password: "plain-pw")
        try await peer.createRole("alice", password: "alice-pw")
        let sleeper = try await peer.sleeper(user: "alice", application: "billing")
        let conninfo = peer.conninfo(user: "plain", password: "plain-pw")

        let result = await outcome(of: PostgresLongQueriesAction(), postgresContext(["min_duration": "0s"], conninfo: conninfo))
        let message = try #require(result.failure?.message)
        #expect(message.hasPrefix("pg.long_queries: role plain cannot see what other roles' sessions run on "
            + "127.0.0.1:\(peer.port) database 'postgres' user 'plain' (environment 'staging')"))
        #expect(message.contains("<insufficient privilege>"))
        #expect(message.contains("GRANT pg_read_all_stats TO plain (or GRANT pg_monitor TO plain)"))

        let lines = LineRecorder()
        let outputs = try await PostgresConnectionsAction().execute(postgresContext([:], conninfo: conninfo, emit: lines.record))
        #expect((outputs["hidden"]?.numericValue ?? 0) >= 1)
        #expect(lines.texts(.stderr).contains { $0.contains("GRANT pg_read_all_stats TO plain") })

        try await peer.sql("GRANT pg_monitor TO plain")
        let granted = try await PostgresLongQueriesAction().execute(postgresContext(["min_duration": "0s"], conninfo: conninfo))
        #expect(pids(granted["queries"]) == [sleeper.pid])
        peer.stop()
    }
}
