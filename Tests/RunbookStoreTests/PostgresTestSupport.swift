import Foundation
import RunbookPostgres
import RunbookTestPeers
import Synchronization
import Testing

@testable import RunbookStore

/// The one PostgreSQL 15 server of this test process, started at the first use (in a temporary folder, on a free
/// loopback port) and stopped when the process exits; each test gets a database of its own, so they run in parallel.
enum PostgresTestServer {
    /// The server once started.
    private static let started = Mutex<PostgresPeer?>(nil)
    /// Starts it once.
    private static let starting = Task<PostgresPeer, any Error> {
        let peer = try await PostgresPeer.start(maxConnections: 150)
        started.withLock { $0 = peer }
        atexit { PostgresTestServer.stop() }
        return peer
    }

    /// The server.
    static func peer() async throws -> PostgresPeer {
        try await starting.value
    }

    /// Stops the server and deletes its folder.
    private static func stop() {
        started.withLock { $0?.stop() }
    }
}

/// A database of its own on the shared server, created empty (owned by `owner` when given) and dropped by
/// ``drop()``.
struct PostgresTestDatabase: Sendable {
    /// The server.
    let peer: PostgresPeer
    /// The database's name.
    let name: String

    /// Creates a database.
    init(owner: String? = nil) async throws {
        peer = try await PostgresTestServer.peer()
        name = "rb_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        try await peer.sql("CREATE DATABASE \(name)" + (owner.map { " OWNER \($0)" } ?? ""))
    }

    /// How to connect as `user` (the superuser unless given).
    func conninfo(user: String = "postgres", password: String? = nil) -> String {
        peer.conninfo(user: user, password: password, database: name)
    }

    /// Creates the schema as `user` and opens a store on the database.
    func store(
        user: String = "postgres", password: String? = nil, slowPoll: Duration = PostgresEventStore.slowPollInterval,
        wallClock: (@Sendable () -> Int64)? = nil
    ) throws -> PostgresEventStore {
        try PostgresEventStore.initialize(conninfo: conninfo(user: user, password: password))
        return try PostgresEventStore(
            conninfo: conninfo(user: user, password: password), name: nil,
            clock: wallClock.map { AuditClock(wallClock: $0) } ?? .shared, slowPoll: slowPoll)
    }

    /// Runs `sql` in the database as `user` and returns the first column of its rows, or the server's refusal.
    func sql(_ sql: String, user: String = "postgres", password: String? = nil) async throws
        -> Result<[String], PostgresError>
    {
        let conninfo = conninfo(user: user, password: password)
        return try await onOwnThread {
            switch PostgresConnection.connect(conninfo) {
            case .failure(let failure): throw failure.error
            case .success(let connection):
                var values: [String] = []
                do throws(PostgresError) {
                    try connection.execute(sql) { row in values.append(row.text(0) ?? "") }
                    return .success(values)
                } catch {
                    return .failure(error)
                }
            }
        }
    }

    /// Drops the database, ending its sessions.
    func drop() async {
        _ = try? await peer.sql("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }
}

/// Runs `body` with a new PostgreSQL store in a database of its own, then closes the store and drops the database.
func withPostgresStore(
    slowPoll: Duration = PostgresEventStore.slowPollInterval,
    _ body: (PostgresEventStore, PostgresTestDatabase) async throws -> Void
) async throws {
    let database = try await PostgresTestDatabase()
    let store = try database.store(slowPoll: slowPoll)
    do {
        try await body(store, database)
    } catch {
        await store.close()
        await database.drop()
        throw error
    }
    await store.close()
    await database.drop()
}
