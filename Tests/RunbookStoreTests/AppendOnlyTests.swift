import RunbookTestPeers
import Testing

@testable import RunbookStore

@Suite("The database keeps the log append-only")
struct AppendOnlyTests {
    @Test("UPDATE and DELETE of an event are refused by triggers")
    func triggersRefuse() async throws {
        try await withStore { store, directory async throws in
            _ = try await store.append([draft("r-1"), draft("r-1")])
            let raw = try RawDatabase(path: directory.file("state.db"))
            defer { raw.database.close() }
            let update = raw.execute("UPDATE events SET type = 'gate.approved' WHERE seq = 1")
            #expect(update?.contains("append-only: an event is never updated") == true)
            let delete = raw.execute("DELETE FROM events WHERE seq = 2")
            #expect(delete?.contains("append-only: an event is never deleted") == true)
            #expect(raw.execute("DELETE FROM events") != nil)
            #expect(try await store.events(run: "r-1").count == 2)
            #expect(try await store.verify().isIntact)
        }
    }
}
