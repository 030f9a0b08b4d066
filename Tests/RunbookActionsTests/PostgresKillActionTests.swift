import Foundation
import RunbookActions
import RunbookLanguage
import RunbookTestPeers
import Testing

/// `pg.kill` and its guard rails against a real PostgreSQL 15, run as `ops`: not a superuser, with `pg_read_all_stats`
/// and `pg_signal_backend`.
@Suite("pg.kill", .timeLimit(.minutes(3)))
struct PostgresKillActionTests {
    /// A server with `ops`, and `alice` and `bob` as application roles.
    func makePeer() async throws -> (PostgresPeer, String) {
        let peer = try await PostgresPeer.start()
        try await peer.createRole("ops", password: "ops-secret", grants: PostgresPeer.operatorGrants)
        try await peer.createRole("alice", password: "alice-pw")
        try await peer.createRole("bob", password: "bob-pw")
        return (peer, peer.conninfo(user: "ops", password: "ops-secret"))
    }

    @Test("more matches than max_kills: the step fails saying how many and how to narrow, and kills nothing")
    func maxKillsRefusal() async throws {
        let (peer, conninfo) = try await makePeer()
        defer { peer.stop() }
        var sleepers: [(client: PostgresClient, pid: Int)] = []
        for index in 1...3 { sleepers.append(try await peer.sleeper(user: "alice", application: "job-\(index)")) }
        try await Task.sleep(for: .milliseconds(1200))

        let result = await outcome(of: PostgresKillAction(), postgresContext(
            ["min_duration": "1s", "mode": "terminate", "max_kills": 2], conninfo: conninfo))
        let failure = try #require(result.failure)
        #expect(failure.message.hasPrefix("pg.kill: 3 backends match (over 1s, not excluded), more than max_kills 2; "))
        #expect(failure.message.contains("narrow the match with a longer min_duration, exclude_users or exclude_applications"))
        #expect(failure.message.hasSuffix("nothing was killed"))
        #expect(failure.outputs["count"] == .number(0))
        #expect(pids(failure.outputs["matched"]) == Set(sleepers.map(\.pid)))
        try await Task.sleep(for: .milliseconds(300))
        let running = sleepers.filter { $0.client.isRunning }
        #expect(running.count == 3)
        let backends = try await peer.backends()
        #expect(Set(backends.keys).isSuperset(of: sleepers.map(\.pid)))
    }

    @Test("exclude_users and exclude_applications are left alone; cancel ends the statement, not the session")
    func exclusionsAndCancel() async throws {
        let (peer, conninfo) = try await makePeer()
        defer { peer.stop() }
        let billing = try await peer.sleeper(user: "alice", application: "billing")
        let backup = try await peer.sleeper(user: "alice", application: "pg_dump")
        let reports = try await peer.sleeper(user: "bob", application: "reports")
        try await Task.sleep(for: .milliseconds(1200))

        let outputs = try await PostgresKillAction().execute(postgresContext(
            ["min_duration": "1s", "mode": "cancel", "exclude_users": ["bob"], "exclude_applications": "pg_dump"],
            conninfo: conninfo))
        #expect(outputs["count"] == .number(1))
        #expect(pids(outputs["killed"]) == [billing.pid])
        #expect(outputs["refused"] == [])
        #expect(entry(outputs["excluded"], pid: reports.pid)?["reason"] == "user 'bob' is in exclude_users")
        #expect(entry(outputs["excluded"], pid: backup.pid)?["reason"] == "application 'pg_dump' is in exclude_applications")
        // psql -c exits once its statement fails with "canceling statement due to user request".
        #expect(await billing.client.exits(within: .seconds(10)))
        #expect(backup.client.isRunning && reports.client.isRunning)
    }

    @Test("min_duration leaves younger backends; terminate ends idle transactions and waits for them to go")
    func minDurationAndTerminate() async throws {
        let (peer, conninfo) = try await makePeer()
        defer { peer.stop() }
        let old = try await peer.sleeper(user: "alice", application: "old")
        let idle = try peer.startSession("BEGIN;\nSELECT 1;", user: "bob", application: "idle", keepOpen: true)
        let idlePID = try await peer.backend(application: "idle", state: "idle in transaction")
        try await Task.sleep(for: .seconds(6))
        let young = try await peer.sleeper(user: "alice", application: "young")

        let cancel = try await PostgresKillAction().execute(postgresContext(
            ["min_duration": "4s", "mode": "cancel", "max_kills": 0, "exclude_users": "alice"], conninfo: conninfo))
        #expect(cancel["count"] == .number(0))
        #expect(entry(cancel["excluded"], pid: idlePID)?["reason"]
            == "idle in transaction: a cancel does not end it (mode: terminate does)")

        let outputs = try await PostgresKillAction().execute(postgresContext(
            ["min_duration": "4s", "mode": "terminate"], conninfo: conninfo))
        #expect(pids(outputs["killed"]) == [old.pid, idlePID])
        #expect(entries(outputs["killed"]).allSatisfy { $0["ended"] == true })
        #expect(await old.client.exits(within: .seconds(10)))
        // psql holding the idle transaction only notices at its next statement; its backend is gone (below).
        idle.end()
        #expect(young.client.isRunning)
        let remaining = try await peer.backends()
        #expect(remaining[old.pid] == nil && remaining[idlePID] == nil && remaining[young.pid] == "young")
    }

    @Test("a superuser's backend is refused with the server's reason, and the step fails")
    func superuserRefusal() async throws {
        let (peer, conninfo) = try await makePeer()
        defer { peer.stop() }
        let admin = try await peer.sleeper(user: "postgres", application: "maintenance")
        let job = try await peer.sleeper(user: "alice", application: "job")
        try await Task.sleep(for: .milliseconds(1200))

        let result = await outcome(of: PostgresKillAction(), postgresContext(
            ["min_duration": "1s", "mode": "terminate"], conninfo: conninfo))
        let failure = try #require(result.failure)
        #expect(failure.message.hasPrefix("pg.kill: terminated 1 of 2 backends; the server refused 1: pid \(admin.pid) (postgres): "))
        #expect(failure.message.contains("must be a superuser to terminate superuser process"))
        #expect(pids(failure.outputs["killed"]) == [job.pid])
        #expect(entry(failure.outputs["refused"], pid: admin.pid)?["reason"]?.stringValue
            .contains("must be a superuser to terminate superuser process") == true)
        #expect(await job.client.exits(within: .seconds(10)))
        #expect(admin.client.isRunning)
    }

    @Test("preview lists the backends it would end under a header, and ends none")
    func preview() async throws {
        let (peer, conninfo) = try await makePeer()
        defer { peer.stop() }
        let first = try await peer.sleeper(user: "alice", application: "billing")
        let second = try peer.startSession(
            "SELECT pg_sleep(600), '\(String(repeating: "x", count: 100))'", user: "bob", application: "reports")
        let secondPID = try await peer.backend(application: "reports", state: "active")
        try await Task.sleep(for: .milliseconds(1200))

        let lines = try await PostgresKillAction().preview(postgresContext(
            ["min_duration": "1s", "mode": "terminate"], conninfo: conninfo))
        #expect(lines.first == "would terminate 2 backends (max_kills 10)")
        let aliceLine = try #require(lines.first { $0.hasPrefix("pid \(first.pid) alice billing ") })
        #expect(aliceLine.hasSuffix(" active: SELECT pg_sleep(600)"))
        let bobLine = try #require(lines.first { $0.hasPrefix("pid \(secondPID) bob reports ") })
        #expect(bobLine.hasSuffix(": SELECT pg_sleep(600), '" + String(repeating: "x", count: 57) + "…"))

        let refusing = try await PostgresKillAction().preview(postgresContext(
            ["min_duration": "1s", "max_kills": 1], conninfo: conninfo))
        #expect(refusing.first?.hasPrefix("would refuse and cancel nothing: 2 backends match") == true)
        #expect(first.client.isRunning && second.isRunning)
    }

    @Test("a role that cannot see other roles' sessions kills nothing and is told the grant")
    func insufficientPrivilege() async throws {
        let (peer, _) = try await makePeer()
        defer { peer.stop() }
        try await peer.createRole("plain", password: "plain-pw", grants: ["pg_signal_backend"])
        let sleeper = try await peer.sleeper(user: "alice", application: "billing")
        let result = await outcome(of: PostgresKillAction(), postgresContext(
            ["min_duration": "0s", "mode": "terminate"], conninfo: peer.conninfo(user: "plain", password: "plain-pw")))
        #expect(result.failure?.message.contains("GRANT pg_read_all_stats TO plain") == true)
        #expect(sleeper.client.isRunning)
    }
}
