import Synchronization

/// A connection opened at its first use (a store's reader: a `runbook exec` may never read), and closed for good by
/// ``close()``.
final class LazyStoreConnection<Database: ChainDatabase>: Sendable {
    /// Where the connection is.
    private enum Slot {
        case unopened
        case open(StoreConnection<Database>)
        case closed
    }

    /// The connection, once opened.
    private let slot = Mutex(Slot.unopened)
    /// Opens it.
    private let open: @Sendable () throws(Database.Failure) -> StoreConnection<Database>

    /// A slot that calls `open` at the first use.
    init(open: @escaping @Sendable () throws(Database.Failure) -> StoreConnection<Database>) {
        self.open = open
    }

    /// The connection, opening it on first use.
    /// - Throws: The database's failure when it cannot be opened, or ``ChainDatabaseFailure/closed`` after
    ///   ``close()``.
    func connection() throws(Database.Failure) -> StoreConnection<Database> {
        try slot.withLock { slot throws(Database.Failure) in
            switch slot {
            case .open(let connection): return connection
            case .closed: throw Database.Failure.closed
            case .unopened:
                let connection = try open()
                slot = .open(connection)
                return connection
            }
        }
    }

    /// Runs `body` on the connection's queue, opening it first when needed.
    /// - Throws: The database's failure.
    func perform<Result: Sendable>(
        _ body: @escaping @Sendable (Database) throws(Database.Failure) -> Result
    ) async throws(Database.Failure) -> Result {
        try await connection().perform(body)
    }

    /// Closes the connection, when it was opened, once its scheduled work has run; later uses fail.
    func close() async {
        let open = slot.withLock { slot -> StoreConnection<Database>? in
            defer { slot = .closed }
            guard case .open(let connection) = slot else { return nil }
            return connection
        }
        await open?.close()
    }
}
