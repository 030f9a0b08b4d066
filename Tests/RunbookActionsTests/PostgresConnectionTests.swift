import Foundation
@testable import RunbookActions
import RunbookLanguage
import RunbookPostgres
import RunbookTestPeers
import Testing

/// How `pg.*` steps connect, fail and stop: the connection string's sources, one-line errors that name the
/// environment and endpoint but never the password, and cancellation.
@Suite("PostgreSQL connections", .timeLimit(.minutes(3)))
struct PostgresConnectionTests {
    @Test("with.dsn wins over the environment's postgres; application_name is runbook unless given")
    func dsnWinsAndApplicationName() async throws {
        let peer = try await PostgresPeer.start()
        defer { peer.stop() }
        let refused = try LoopbackPort.free()
        var context = postgresContext([:], conninfo: "host=127.0.0.1 port=\(refused) connect_timeout=2")
        context.parameters["dsn"] = .string(peer.conninfo())
        let outputs = try await PostgresConnectionsAction().execute(context)
        #expect(outputs["max"] == .number(30))

        let target = PostgresTarget(postgresContext([:], conninfo: peer.conninfo()), action: "test")
        let names = try await target.run { session throws(ActionFailure) in
            try session.rows("SELECT current_setting('application_name') AS name").first?["name"]
        }
        #expect(names == "runbook")
        let given = PostgresTarget(
            postgresContext([:], conninfo: "postgresql://postgres:\(peer.superuserPassword)@127.0.0.1:\(peer.port)/postgres?application_name=oncall"),
            action: "test")
        let name = try await given.run { session throws(ActionFailure) in
            try session.rows("SELECT current_setting('application_name') AS name").first?["name"]
        }
        #expect(name == "oncall")
    }

    @Test("a wrong password: one line naming the environment, host, port, database and user, never the password")
    func authenticationFailure() async throws {
        let peer = try await PostgresPeer.start()
        defer { peer.stop() }
        try await peer.createRole("ops", password: "right-password")
        let result = await outcome(of: PostgresConnectionsAction(), postgresContext(
            [:], conninfo: peer.conninfo(user: "ops", password: "wrong-password-123")))
        let message = try #require(result.failure?.message)
        #expect(message.hasPrefix(
            "pg.connections: cannot connect to PostgreSQL at 127.0.0.1:\(peer.port) database 'postgres' user 'ops' "
                + "(environment 'staging'): password authentication failed for user \"ops\"; check the user and password"))
        #expect(!message.contains("wrong-password-123"))
        #expect(!message.contains("\n"))
    }

    @Test("nothing listening: connection refused, with what to check")
    func connectionRefused() async throws {
        let port = try LoopbackPort.free()
        let result = await outcome(of: PostgresLongQueriesAction(), postgresContext(
            [:], conninfo: "host=127.0.0.1 port=\(port) user=ops password=s3cret-value dbname=app"))
        let message = try #require(result.failure?.message)
        #expect(message.hasPrefix(
            "pg.long_queries: cannot connect to PostgreSQL at 127.0.0.1:\(port) database 'app' user 'ops' "
                + "(environment 'staging'): Connection refused"))
        #expect(message.contains("check host, port and dbname"))
        #expect(!message.contains("s3cret-value"))
    }

    // The message is written only once the deadline passed, so it proves the timeout; the time limit catches a
    // connect that never returns. A wall-clock bound is not used: on a loaded machine the test's own resumption
    // waits for a free thread of the shared pool, which once took 29 s of a 31 s measurement.
    @Test("a server that never answers: the connect timeout, 10 s unless the connection string sets one",
          .timeLimit(.minutes(2)))
    func timeout() async throws {
        let listener = try SilentListener()
        let result = await outcome(of: PostgresBlockingAction(), postgresContext(
            [:], conninfo: "host=127.0.0.1 port=\(listener.port) user=ops connect_timeout=2"))
        #expect(result.failure?.message.contains("the server did not accept the connection within 2 s; check host, port and firewalls, or raise connect_timeout") == true)
        #expect(PostgresConnection.defaultConnectTimeout == 10)
    }

    @Test("TLS required by the client but not offered by the server")
    func tls() async throws {
        let peer = try await PostgresPeer.start()
        defer { peer.stop() }
        let result = await outcome(of: PostgresConnectionsAction(), postgresContext(
            [:], conninfo: peer.conninfo() + " sslmode=require"))
        let message = try #require(result.failure?.message)
        #expect(message.contains("server does not support SSL, but SSL was required"))
        #expect(message.contains("check sslmode, sslrootcert"))
        #expect(!message.contains(peer.superuserPassword))
    }

    @Test("a malformed connection string is named as such and its text, which may hold a password, is not echoed")
    func malformedConnectionString() async throws {
        let unknown = await outcome(of: PostgresConnectionsAction(), postgresContext([:], conninfo: "hots=db1"))
        #expect(unknown.failure?.message.contains("invalid connection option") == true)
        #expect(unknown.failure?.message.contains("check the environment's postgres: setting or the step's dsn") == true)
        let missing = await outcome(of: PostgresConnectionsAction(), postgresContext(
            [:], conninfo: "host=db1 hunter2secret"))
        let message = try #require(missing.failure?.message)
        #expect(message.contains("missing \"=\""))
        #expect(!message.contains("hunter2secret"))
    }

    @Test("cancelling the task cancels the running statement on the server and returns at once")
    func cancellation() async throws {
        let peer = try await PostgresPeer.start()
        defer { peer.stop() }
        let target = PostgresTarget(postgresContext([:], conninfo: peer.conninfo() + " application_name=slow"), action: "test")
        let task = Task {
            try await target.run { session throws(ActionFailure) in try session.rows("SELECT pg_sleep(60)") }
        }
        _ = try await peer.backend(application: "slow", state: "active")
        let cancelled = ContinuousClock.now
        task.cancel()
        let result = await task.result
        // Well before the 60 s sleep ends, on the client and on the server (which would sleep on without PQcancel).
        #expect(ContinuousClock.now - cancelled < .seconds(30))
        #expect((result.failure as? ActionFailure)?.message == "cancelled")
        var running = "1"
        for _ in 0..<100 where running != "0" {
            running = try await peer.sql("SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)'")
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(running == "0")
    }

    @Test("cancelling while the server has not answered the connection returns at once")
    func cancellationWhileConnecting() async throws {
        let listener = try SilentListener()
        let task = Task {
            await outcome(of: PostgresConnectionsAction(), postgresContext(
                [:], conninfo: "host=127.0.0.1 port=\(listener.port) connect_timeout=60"))
        }
        try await Task.sleep(for: .milliseconds(300))
        let cancelled = ContinuousClock.now
        task.cancel()
        #expect(await task.value.failure?.message == "cancelled")
        #expect(ContinuousClock.now - cancelled < .seconds(30))
    }
}

/// A TCP listener on 127.0.0.1 that accepts connections into its backlog and never answers: a hung server.
final class SilentListener {
    let port: Int
    private let socketHandle: Int32

    init() throws {
        let socketHandle = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.socketHandle = socketHandle
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(socketHandle, raw, length) == 0 && listen(socketHandle, 8) == 0
                    && getsockname(socketHandle, raw, &length) == 0
            }
        }
        guard socketHandle >= 0, listening else { throw PeerError("could not listen on a loopback port") }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit {
        close(socketHandle)
    }
}
