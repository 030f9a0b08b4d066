import Foundation
import RunbookLanguage
import RunbookPostgres
import RunbookTestPeers
import Synchronization
import Testing

@_spi(Fixtures) @testable import RunbookStore

/// What only the PostgreSQL store must show: one chain across several connections, conditional appends and waits
/// across them, the same lines as SQLite, and the append-only rule enforced by the roles and the trigger.
@Suite("PostgreSQL store", .timeLimit(.minutes(5)))
struct PostgresEventStoreTests {
    @Test("concurrent appends from several connections give gapless seq and one chain that verifies")
    func concurrentWriters() async throws {
        try await withPostgresStore { first, database in
            var stores = [first]
            for _ in 1..<4 { stores.append(try database.store()) }
            let perTask = 25
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, store) in stores.enumerated() {
                    for task in 0..<4 {
                        group.addTask {
                            for event in 0..<perTask {
                                let drafts = [draft("r\(index)-\(task)", data: ["n": .number(Double(event))])]
                                _ = try await store.append(event % 5 == 0 ? drafts + drafts : drafts)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let expected = Int64(stores.count * 4 * (perTask + perTask / 5))
            let all = try await first.events(after: 0, limit: 10_000)
            #expect(all.map(\.seq) == Array(1...expected))
            let report = try await stores[3].verify()
            #expect(report.problem == nil)
            #expect(report.checked == expected)
            for store in stores {
                #expect(try await store.head() == report.head)
            }
            for store in stores.dropFirst() { await store.close() }
        }
    }

    @Test("a conditional append raced from two connections has exactly one winner, every round")
    func conditionalRace() async throws {
        try await withPostgresStore { first, database in
            let second = try database.store()
            defer { Task { await second.close() } }
            for round in 0..<10 {
                let run = "gate-\(round)"
                let requested = try await first.append([draft(run, "gate.requested", step: "act")])[0]
                let condition = AppendCondition(run: run, noneAfter: requested.seq, of: ["gate.approved", "gate.denied"])
                async let approved = first.append([draft(run, "gate.approved", step: "act")], if: condition)
                async let denied = second.append([draft(run, "gate.denied", step: "act")], if: condition)
                let winners = [try await approved, try await denied].compactMap { $0 }
                #expect(winners.count == 1)
                let answers = try await second.events(run: run, after: requested.seq, types: nil)
                #expect(answers.count == 1)
            }
            #expect(try await first.verify().problem == nil)
        }
    }

    @Test("waitForEvents wakes on another connection's append by its NOTIFY, long before the slow poll")
    func notifyWakes() async throws {
        try await withPostgresStore(slowPoll: .seconds(120)) { waiting, database in
            let writer = try database.store()
            _ = try await writer.append([draft("r1", "run.started")])
            // Listening starts with the first wait; a wait that returns at once still starts it.
            #expect(try await waiting.waitForEvents(after: 0, timeout: .seconds(5)) == true)
            async let woken = waiting.waitForEvents(after: 1, timeout: .seconds(60))
            try await Task.sleep(for: .milliseconds(300))
            let appended = ContinuousClock.now
            _ = try await writer.append([draft("r1", "gate.approved")])
            #expect(try await woken == true)
            #expect(ContinuousClock.now - appended < .seconds(10))
            #expect(try await waiting.waitForEvents(after: 2, timeout: .milliseconds(100)) == false)
            await writer.close()
        }
    }

    @Test("a row that came without a notification is found by the slow poll")
    func slowPollCoversALostNotification() async throws {
        try await withPostgresStore(slowPoll: .milliseconds(200)) { store, database in
            _ = try await store.append([draft("r1", "run.started")])
            let head = try #require(try await store.head())
            async let woken = store.waitForEvents(after: 1, timeout: .seconds(60))
            try await Task.sleep(for: .milliseconds(300))
            // Inserted behind the store's back: no NOTIFY is sent.
            let inserted = try await database.sql(
                "INSERT INTO events VALUES (2, 'ts', 'r1', NULL, 'note.added', NULL, '{}', '\(head.hash)', 'x')")
            #expect(throws: Never.self) { try inserted.get() }
            let started = ContinuousClock.now
            #expect(try await woken == true)
            #expect(ContinuousClock.now - started < .seconds(30))
        }
    }

    @Test("the same drafts at the same times give the same lines, hashes and head as SQLite")
    func sameChainAsSQLite() async throws {
        let drafts = [
            draft("r1", "run.started", incident: "inc-1", data: ["runbook": "api-down", "inputs": ["n": 3]]),
            draft("r1", "step.started", step: "a"),
            draft("r1", "note.added", data: ["text": "é \"quoted\" \\ \u{1}", "x": 1.5]),
            draft("r1", "step.finished", step: "a", data: ["outcome": "success"]),
        ]
        let ticks = { @Sendable in
            let counter = Atomic<Int64>(1_790_000_000_000_000)
            return { @Sendable in counter.add(1_000, ordering: .relaxed).newValue }
        }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sqlite = try SQLiteEventStore(path: directory.file("state.db"), wallClock: ticks())
        var sqliteLines: [String] = []
        for draft in drafts { sqliteLines += try await sqlite.append([draft]).map(\.line) }
        let sqliteHead = try await sqlite.verify().head
        await sqlite.close()

        let database = try await PostgresTestDatabase()
        let postgres = try database.store(wallClock: ticks())
        var postgresLines: [String] = []
        for draft in drafts { postgresLines += try await postgres.append([draft]).map(\.line) }
        #expect(postgresLines == sqliteLines)
        #expect(try await postgres.events(run: "r1").map(\.line) == sqliteLines)
        let report = try await postgres.verify()
        #expect(report.problem == nil)
        #expect(report.head == sqliteHead)
        await postgres.close()
        await database.drop()
    }

    @Test("the writer role may append and read but not UPDATE, DELETE or TRUNCATE; the trigger refuses the owner too")
    func appendOnly() async throws {
        let peer = try await PostgresTestServer.peer()
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let owner = "rb_owner_\(suffix)"
        let writer = "rb_writer_\(suffix)"
        try await peer.createRole(owner, password: "owner-pw")
        try await peer.createRole(writer, password: "writer-pw")
        let database = try await PostgresTestDatabase(owner: owner)
        defer { Task { await database.drop() } }
        #expect(try PostgresEventStore.initialize(conninfo: database.conninfo(user: owner, password: "owner-pw"),
                                                  writer: writer) == true)
        #expect(try PostgresEventStore.initialize(conninfo: database.conninfo(user: owner, password: "owner-pw"))
                    == false)

        let store = try PostgresEventStore(conninfo: database.conninfo(user: writer, password: "writer-pw"))
        _ = try await store.append([draft("r1", "run.started"), draft("r1", "note.added")])
        #expect(try await store.events(run: "r1").count == 2)
        #expect(try await store.verify().problem == nil)
        await store.close()

        for statement in ["UPDATE events SET type = 'x'", "DELETE FROM events", "TRUNCATE events",
                          "ALTER TABLE events DISABLE TRIGGER USER", "DROP TABLE events"] {
            let refused = try await database.sql(statement, user: writer, password: "writer-pw")
            #expect(refused.failure?.sqlState == "42501", "\(statement) as the writer")
        }
        let refusals = [
            ("UPDATE events SET type = 'x'", "an event is never updated"),
            ("DELETE FROM events WHERE seq = 2", "an event is never deleted"),
            ("TRUNCATE events", "the log is never truncated"),
        ]
        for (statement, message) in refusals {
            let refused = try await database.sql(statement, user: owner, password: "owner-pw")
            #expect(refused.failure?.reason.contains("events are append-only: \(message)") == true, "\(statement)")
        }
        #expect(try await database.sql("SELECT count(*) FROM events").get() == ["2"])
    }

    @Test("a database without the schema, and a schema from a newer runbook, are refused with what to do")
    func schemaChecks() async throws {
        let database = try await PostgresTestDatabase()
        defer { Task { await database.drop() } }
        let missing = #expect(throws: StoreError.self) { try PostgresEventStore(conninfo: database.conninfo()) }
        #expect(missing?.code == .unavailable)
        #expect(missing?.message.contains("runbook store init") == true)
        try PostgresEventStore.initialize(conninfo: database.conninfo())
        _ = try await database.sql("UPDATE runbook_schema SET version = 99")
        let newer = #expect(throws: StoreError.self) { try PostgresEventStore(conninfo: database.conninfo()) }
        #expect(newer?.message.contains("schema version 99") == true)
    }

    @Test("a writer held up by another session's append lock for over 5 s fails as busy, storing nothing")
    func busy() async throws {
        try await withPostgresStore { store, database in
            _ = try await store.append([draft("r1", "run.started")])
            let conninfo = database.conninfo()
            let locked = Atomic(false)
            async let held: Void = onOwnThread {
                defer { locked.store(true, ordering: .releasing) }
                guard case .success(let connection) = PostgresConnection.connect(conninfo) else { return }
                try? connection.execute("BEGIN; \(PostgresSchema.lock)")
                locked.store(true, ordering: .releasing)
                // Longer than the writer's 5 s lock timeout, with room for a loaded machine to start the append late.
                Thread.sleep(forTimeInterval: 10)
                try? connection.execute("ROLLBACK")
            }
            // The append starts only once the other session holds the lock, however long connecting took.
            while !locked.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(20)) }
            let error = await #expect(throws: StoreError.self) { try await store.append([draft("r1", "note.added")]) }
            #expect(error?.code == .busy)
            #expect(error?.message.contains("55P03") == true, "\(error?.message ?? "")")
            try await held
            #expect(try await store.head()?.seq == 1)
            #expect(try await store.append([draft("r1", "note.added")]).map(\.seq) == [2])
        }
    }

    @Test("after its session is terminated, the writer reconnects at the next append")
    func reconnects() async throws {
        try await withPostgresStore { store, database in
            _ = try await store.append([draft("r1", "run.started")])
            _ = try await database.sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND pid <> pg_backend_pid()")
            var stored: [AuditEvent] = []
            for _ in 0..<2 where stored.isEmpty {
                stored = (try? await store.append([draft("r1", "note.added")])) ?? []
            }
            #expect(stored.map(\.seq) == [2])
            #expect(try await store.verify().problem == nil)
        }
    }
}

extension Result {
    /// The failure, or nil.
    var failure: Failure? {
        guard case .failure(let failure) = self else { return nil }
        return failure
    }
}
