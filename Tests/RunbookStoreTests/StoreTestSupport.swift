import Foundation
import RunbookLanguage
import RunbookTestPeers
import Testing

@testable import RunbookStore

/// Runs `body` with a new store in a temporary directory, then closes the store and removes the directory.
func withStore(_ body: (SQLiteEventStore, TemporaryDirectory) async throws -> Void) async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let store = try SQLiteEventStore(path: directory.file("state.db"))
    do {
        try await body(store, directory)
    } catch {
        await store.close()
        throw error
    }
    await store.close()
}

/// A draft with the fields tests usually vary.
func draft(
    _ run: String, _ type: String = "note.added", step: String? = nil, incident: String? = nil,
    data: Value = .object([:])
) -> EventDraft {
    EventDraft(run: run, incident: incident, type: type, step: step, actor: .user("alice"), data: data)
}

/// A connection that bypasses the store, to tamper with the file as an attacker (or a bug) would.
struct RawDatabase {
    /// The connection.
    let database: SQLiteDatabase

    /// Opens `path`.
    init(path: String) throws {
        database = try SQLiteDatabase(path: path)
    }

    /// Runs SQL, returning SQLite's message when it fails.
    @discardableResult
    func execute(_ sql: String) -> String? {
        do throws(SQLiteDatabase.Failure) {
            try database.execute(sql)
            return nil
        } catch {
            return error.message
        }
    }

    /// Moves everything from the WAL into the main file and empties the WAL, then closes.
    func checkpointAndClose() {
        execute("PRAGMA wal_checkpoint(TRUNCATE)")
        database.close()
    }
}

/// Replaces the first occurrence of `original` in the file's raw bytes by `replacement` (same length).
func patchFile(_ path: String, replacing original: String, with replacement: String) throws {
    precondition(original.utf8.count == replacement.utf8.count)
    var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    let range = try #require(bytes.firstRange(of: Data(original.utf8)), "'\(original)' is not in \(path)")
    bytes.replaceSubrange(range, with: Data(replacement.utf8))
    try bytes.write(to: URL(fileURLWithPath: path))
}
