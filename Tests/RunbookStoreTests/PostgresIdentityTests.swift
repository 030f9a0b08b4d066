import Foundation
import RunbookLanguage
import RunbookTestPeers
import Testing

@testable import RunbookStore

/// Who did it on the team store: the role PostgreSQL authenticated, the OS account beside it, and a column the
/// writer cannot choose; and a store from an older runbook, brought forward only by `runbook store migrate`.
@Suite("PostgreSQL identity and schema versions", .timeLimit(.minutes(3)))
struct PostgresIdentityTests {
    @Test("a person known by the session's role gets the OS account beside it; recorded_by is the role whatever is sent")
    func sessionRole() async throws {
        let peer = try await PostgresTestServer.peer()
        let role = "rb_person_\(UUID().uuidString.prefix(8).lowercased())"
        try await peer.createRole(role, password: "pw")
        let database = try await PostgresTestDatabase()
        defer { Task { await database.drop() } }
        try PostgresEventStore.initialize(conninfo: database.conninfo(), writer: role)
        let store = try PostgresEventStore(conninfo: database.conninfo(user: role, password: "pw"))
        #expect(store.authenticatedRole == role)
        let stored = try await store.append([
            EventDraft(run: "r1", type: "note.added", actor: .user(role)),
            EventDraft(run: "r1", type: "note.added", actor: .user("bob")),
            EventDraft(run: "r1", type: "note.added", actor: .system),
        ])
        let account = Identity.processOwner().name
        #expect(stored.map(\.actor?.account) == [account, nil, nil])
        #expect(stored[0].line.contains(#""actor":{"kind":"user","id":"\#(role)","account":"\#(account)"}"#))
        #expect(stored[1].line.contains(#""actor":{"kind":"user","id":"bob"}"#))
        let read = try await store.events(run: "r1")
        #expect(read.map(\.actor) == stored.map(\.actor))
        #expect(try await store.verify().problem == nil)
        await store.close()
        // Whatever the line claims, and whatever the writer puts in the column, the trigger stamps who inserted it.
        #expect(try await database.sql("SELECT recorded_by FROM events ORDER BY seq").get() == [role, role, role])
        let forged = try await database.sql(
            "SET ROLE \(role); INSERT INTO events (seq, ts, run, type, line, hash, prev, recorded_by) "
                + "VALUES (99, 'x', 'r9', 'note.added', '{}', 'h', 'p', 'alice') RETURNING recorded_by")
        #expect(try forged.get() == ["postgres"], "SET ROLE changes current_user, not session_user")
    }

    @Test("a store of schema version 1 is refused until `store migrate` brings it forward, keeping every event")
    func migrateFromVersionOne() async throws {
        let database = try await PostgresTestDatabase()
        defer { Task { await database.drop() } }
        try PostgresEventStore.initialize(conninfo: database.conninfo())
        let first = try database.store()
        _ = try await first.append([draft("r1", "run.started"), draft("r1", "note.added")])
        let before = try await first.verify()
        await first.close()
        // What runbook 0.1 created: no recorded_by column or trigger, version 1.
        _ = try await database.sql(
            "DROP TRIGGER events_record_role ON events; DROP FUNCTION runbook_record_role(); "
                + "ALTER TABLE events DROP COLUMN recorded_by; UPDATE runbook_schema SET version = 1")

        let refused = #expect(throws: StoreError.self) { try database.store() }
        #expect(refused?.message.contains("schema is version 1, older than this runbook's 2") == true)
        #expect(refused?.message.contains("runbook store migrate") == true)
        let initAgain = #expect(throws: StoreError.self) {
            try PostgresEventStore.initialize(conninfo: database.conninfo())
        }
        #expect(initAgain?.message.contains("runbook store migrate") == true, "init never migrates silently")

        let migrated = try PostgresEventStore.migrate(conninfo: database.conninfo())
        #expect(migrated.from == 1)
        #expect(migrated.applied.count == 1)
        #expect(migrated.applied.first?.hasPrefix("1 → 2: ") == true)
        #expect(try PostgresEventStore.migrate(conninfo: database.conninfo()).applied.isEmpty)

        let store = try database.store()
        #expect(try await store.verify().head == before.head)
        _ = try await store.append([draft("r1", "note.added")])
        #expect(try await store.verify().problem == nil)
        await store.close()
        #expect(try await database.sql("SELECT coalesce(recorded_by, '-') FROM events ORDER BY seq").get()
                    == ["-", "-", "postgres"])
    }

    @Test("migrating a database without a store, or one from a newer runbook, is refused and changes nothing")
    func migrateRefusals() async throws {
        let database = try await PostgresTestDatabase()
        defer { Task { await database.drop() } }
        let missing = #expect(throws: StoreError.self) { try PostgresEventStore.migrate(conninfo: database.conninfo()) }
        #expect(missing?.message.contains("runbook store init") == true)
        try PostgresEventStore.initialize(conninfo: database.conninfo())
        _ = try await database.sql("UPDATE runbook_schema SET version = 7")
        let newer = #expect(throws: StoreError.self) { try PostgresEventStore.migrate(conninfo: database.conninfo()) }
        #expect(newer?.message.contains("schema version 7") == true)
        #expect(try await database.sql("SELECT version FROM runbook_schema").get() == ["7"])
    }
}
