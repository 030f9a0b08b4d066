import Dispatch

/// A ``ChainDatabase`` connection confined to its own serial dispatch queue, so its blocking calls (disk reads,
/// `fsync`, network round trips, waiting for another process's lock) never run on Swift's cooperative thread pool.
// Safe to share (`@unchecked Sendable`): the only mutable state, `database`, is touched solely by blocks running on
// `queue`, which is serial, so no two threads ever use the connection at once.
final class StoreConnection<Database: ChainDatabase>: @unchecked Sendable {
    /// The store's name in messages: a file's path, or a PostgreSQL location without its password.
    let name: String
    /// Runs every use of `database`, one at a time.
    private let queue: DispatchQueue
    /// The open connection; nil once closed. Only touched on `queue`.
    private var database: Database?

    /// Wraps an open connection.
    /// - Parameters:
    ///   - name: The store's name in messages.
    ///   - label: The queue's label, e.g. `runbook.store.sqlite.reader`.
    ///   - database: The connection, handed over: only the queue uses it from now on.
    init(name: String, label: String, database: Database) {
        self.name = name
        queue = DispatchQueue(label: label, qos: .userInitiated)
        self.database = database
    }

    /// Schedules `body` on the connection's queue with the database (nil once closed) and returns at once.
    func enqueue(_ body: @escaping @Sendable (Database?) -> Void) {
        queue.async { body(self.database) }
    }

    /// Runs `body` on the connection's queue and returns its result.
    /// - Throws: The database's failure from `body`, or when the connection is closed.
    func perform<Result: Sendable>(
        _ body: @escaping @Sendable (Database) throws(Database.Failure) -> Result
    ) async throws(Database.Failure) -> Result {
        let outcome: Swift.Result<Result, Database.Failure> = await withCheckedContinuation { continuation in
            enqueue { database in
                guard let database else {
                    continuation.resume(returning: .failure(.closed))
                    return
                }
                do throws(Database.Failure) {
                    continuation.resume(returning: .success(try body(database)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try outcome.get()
    }

    /// Runs `body` on the connection's queue and waits for it, blocking the calling thread; for opening, and for the
    /// lone append of ``GroupCommitWriter``.
    /// - Throws: The database's failure from `body`, or when the connection is closed.
    func performNow<Result>(_ body: (Database) throws(Database.Failure) -> Result) throws(Database.Failure) -> Result {
        let outcome: Swift.Result<Result, Database.Failure> = queue.sync {
            guard let database else { return .failure(.closed) }
            do throws(Database.Failure) {
                return .success(try body(database))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    /// Closes the connection once the work already scheduled has run.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                self.database?.close()
                self.database = nil
                continuation.resume()
            }
        }
    }
}
