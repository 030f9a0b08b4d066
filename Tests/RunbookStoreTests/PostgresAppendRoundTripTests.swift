import RunbookPostgres
import RunbookTestPeers
import Testing

@testable import RunbookStore

/// How the PostgreSQL store spends round trips on appends: one, assuming the head its own last append left, and a
/// fall back to the locked append when another writer moved the head — told by the server's own statement counts
/// (`pg_stat_statements`, which the test server preloads).
@Suite("PostgreSQL appends by assumption", .timeLimit(.minutes(5)))
struct PostgresAppendRoundTripTests {
    /// Calls of the assuming insert in `database`, and how many of them inserted (returned their one row).
    private func assumingInserts(in database: PostgresTestDatabase) async throws -> (calls: Int, inserted: Int) {
        let rows = try await database.sql(
            """
            SELECT coalesce(sum(calls), 0)::text || ' ' || coalesce(sum(rows), 0)::text FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND query LIKE 'WITH head AS%'
            """
        ).get()
        let numbers = (rows.first ?? "").split(separator: " ").compactMap { Int($0) }
        return (numbers.first ?? -1, numbers.last ?? -1)
    }

    @Test("a lone writer appends in one round trip after its first append, and the chain verifies")
    func loneWriter() async throws {
        try await withPostgresStore { store, database in
            _ = try await database.sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements").get()
            for index in 0..<10 {
                #expect(try await store.append([draft("r1", step: "s\(index)")]).map(\.seq) == [Int64(index) + 1])
            }
            let counts = try await assumingInserts(in: database)
            // The first append has no head to assume: it reads it under the lock. Every later one assumes it.
            #expect(counts.calls == 9 && counts.inserted == 9, "\(counts)")
            #expect(try await store.verify().problem == nil)
        }
    }

    @Test("another writer moving the head makes the assumption miss: nothing is stored twice, seq stays gapless")
    func movedHead() async throws {
        try await withPostgresStore { first, database in
            _ = try await database.sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements").get()
            let second = try PostgresEventStore(conninfo: database.conninfo())
            var seqs: [Int64] = []
            for round in 0..<6 {
                seqs += try await first.append([draft("a", step: "\(round)")]).map(\.seq)
                seqs += try await second.append([draft("b", step: "\(round)")]).map(\.seq)
            }
            await second.close()
            #expect(seqs == Array(1...12))
            let counts = try await assumingInserts(in: database)
            #expect(counts.calls > counts.inserted, "no assumption missed: \(counts)")
            let events = try await first.events(after: 0, limit: 100)
            #expect(events.map(\.seq) == Array(1...12))
            #expect(events.map(\.run) == Array(repeating: ["a", "b"], count: 6).flatMap { $0 })
            #expect(try await first.verify().problem == nil)
        }
    }

    @Test("a conditional append, which the assumption cannot check, is made under the lock and still decides")
    func conditionalAfterAssumption() async throws {
        try await withPostgresStore { store, _ in
            _ = try await store.append([draft("r1", "run.started")])
            _ = try await store.append([draft("r1", "gate.requested", step: "g")])
            let condition = AppendCondition(run: "r1", noneAfter: 2, of: ["gate.answered"])
            let answered = try await store.append([draft("r1", "gate.answered", step: "g")], if: condition)
            #expect(answered?.map(\.seq) == [3])
            #expect(try await store.append([draft("r1", "gate.answered", step: "g")], if: condition) == nil)
            #expect(try await store.head()?.seq == 3)
        }
    }

    @Test("a pipeline is one transaction: a failing statement stores nothing, throws its error, and the connection goes on")
    func pipelineFailure() async throws {
        let database = try await PostgresTestDatabase()
        defer { Task { await database.drop() } }
        let conninfo = database.conninfo()
        try await onOwnThread {
            guard case .success(let connection) = PostgresConnection.connect(conninfo) else {
                Issue.record("cannot connect")
                return
            }
            try connection.execute("CREATE TABLE t (n int PRIMARY KEY)")
            #expect(connection.pipelines)
            let failure = #expect(throws: PostgresError.self) {
                try connection.pipeline([
                    PostgresPipelineStatement("INSERT INTO t VALUES ($1)", ["1"]),
                    PostgresPipelineStatement("INSERT INTO t VALUES ($1)", ["1"]),
                    PostgresPipelineStatement("INSERT INTO t VALUES ($1)", ["2"]),
                ])
            }
            #expect(failure?.sqlState == "23505")
            var rows: [(Int, String)] = []
            try connection.pipeline([
                PostgresPipelineStatement("INSERT INTO t VALUES ($1), ($2)", ["3", "4"]),
                PostgresPipelineStatement("SELECT n::text FROM t ORDER BY n"),
                PostgresPipelineStatement("SELECT count(*)::text FROM t"),
            ]) { index, row in rows.append((index, row.text(0) ?? "")) }
            #expect(rows.map(\.0) == [1, 1, 2] && rows.map(\.1) == ["3", "4", "2"])
        }
    }
}
