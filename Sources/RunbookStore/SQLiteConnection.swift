import Dispatch

/// A ``SQLiteDatabase`` confined to its own serial dispatch queue, so its blocking calls (disk reads, `fsync`,
/// waiting for another process's lock) never run on Swift's cooperative thread pool.
// Safe to share (`@unchecked Sendable`): the only mutable state, `database`, is touched solely by blocks running on
// `queue`, which is serial, so no two threads ever use the connection at once.
final class SQLiteConnection: @unchecked Sendable {
    /// The database file.
    let path: String
    /// Runs every use of `database`, one at a time.
    private let queue: DispatchQueue
    /// The open connection; nil once closed. Only touched on `queue`.
    private var database: SQLiteDatabase?

    /// Opens a connection to `path`, blocking the caller while SQLite opens the file.
    /// - Parameters:
    ///   - path: The database file; its directory is created if missing.
    ///   - role: A word for the queue's label, e.g. `reader`.
    /// - Throws: ``SQLiteDatabase/Failure`` when the file cannot be opened.
    init(path: String, role: String) throws(SQLiteDatabase.Failure) {
        self.path = path
        queue = DispatchQueue(label: "runbook.store.sqlite.\(role)", qos: .userInitiated)
        database = try SQLiteDatabase(path: path)
    }

    /// Schedules `body` on the connection's queue with the database (nil once closed) and returns at once.
    func enqueue(_ body: @escaping @Sendable (SQLiteDatabase?) -> Void) {
        queue.async { body(self.database) }
    }

    /// Runs `body` on the connection's queue and returns its result.
    /// - Throws: ``SQLiteDatabase/Failure`` from `body`, or when the connection is closed.
    func perform<Result: Sendable>(
        _ body: @escaping @Sendable (SQLiteDatabase) throws(SQLiteDatabase.Failure) -> Result
    ) async throws(SQLiteDatabase.Failure) -> Result {
        let outcome: Swift.Result<Result, SQLiteDatabase.Failure> = await withCheckedContinuation { continuation in
            enqueue { database in
                guard let database else {
                    continuation.resume(returning: .failure(.closed))
                    return
                }
                do throws(SQLiteDatabase.Failure) {
                    continuation.resume(returning: .success(try body(database)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try outcome.get()
    }

    /// Runs `body` on the connection's queue and waits for it, blocking the calling thread; for opening only.
    /// - Throws: ``SQLiteDatabase/Failure`` from `body`, or when the connection is closed.
    func performNow<Result>(_ body: (SQLiteDatabase) throws(SQLiteDatabase.Failure) -> Result)
        throws(SQLiteDatabase.Failure) -> Result
    {
        let outcome: Swift.Result<Result, SQLiteDatabase.Failure> = queue.sync {
            guard let database else { return .failure(.closed) }
            do throws(SQLiteDatabase.Failure) {
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
