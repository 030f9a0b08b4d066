/// A failure of a backend's database, as the shared chain code (``ChainWriter``, ``GroupCommitWriter``,
/// ``ChainVerification``) needs to see it.
protocol ChainDatabaseFailure: Error, Sendable, CustomStringConvertible {
    /// The failure reported for work on a closed connection.
    static var closed: Self { get }
    /// The failure may come from one statement's values (an oversized string, a refused row) rather than from the
    /// database, so retrying other requests alone may succeed.
    var mayBeCausedByValues: Bool { get }
    /// The stored data is damaged.
    var isCorrupt: Bool { get }
    /// The error a caller sees for this failure while doing `action` (`append to`, `read`, …) on the store `store`.
    func storeError(while action: String, store: String) -> StoreError
    /// The connection broke or the server cannot be reached (a restart, a failover, a terminated session): the same
    /// work may succeed on a new connection, after a pause. Whether a `COMMIT` that met the break took effect is
    /// unknown.
    var isConnectionBroken: Bool { get }
}

extension ChainDatabaseFailure {
    /// A local file's connection does not break.
    var isConnectionBroken: Bool { false }
}

/// The newest record, as the writer continues the chain from it.
struct ChainHead: Sendable, Hashable {
    /// Its sequence number.
    var seq: Int64
    /// Its hash.
    var hash: String
    /// Its timestamp; new records are never earlier.
    var timestamp: String?
}

/// One record ready to insert: its columns and its line.
struct ChainRecord {
    /// Its sequence number.
    var seq: Int64
    /// Its timestamp.
    var timestamp: String
    /// What happened.
    var draft: EventDraft
    /// The stored line and its hash.
    var line: AuditLine
    /// The previous record's hash.
    var prev: String
}

/// One connection to a backend's database, confined to one thread at a time (a ``StoreConnection``'s queue): what
/// the shared writer, group commit and verification need from SQLite or PostgreSQL.
protocol ChainDatabase: AnyObject {
    /// What its calls throw.
    associatedtype Failure: ChainDatabaseFailure

    /// Whether an append that arrives alone may commit on its caller's thread (a local `fsync`), rather than on the
    /// connection's queue (a network round trip, or a wait for another host's lock, must not hold a thread of
    /// Swift's cooperative pool).
    static var commitsOnCallerThread: Bool { get }

    /// Releases the connection; later calls fail with ``ChainDatabaseFailure/closed``.
    func close()

    /// Runs `body` in a write transaction that holds the log's append lock against every other writer (in this
    /// process or another, on this host or another), so the head `body` reads cannot move; commits when `body`
    /// returns and rolls back when it throws.
    ///
    /// A backend may run `body` more than once — PostgreSQL first tries without the lock, assuming the head its last
    /// append left, and runs `body` again holding the lock when another writer had moved it — so `body` must start
    /// afresh each time, and its records count only from the run that committed.
    func appendTransaction<Result>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result

    /// Runs `body` in a read-only transaction, so every query in it sees one snapshot of the log.
    func snapshotTransaction<Result>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result

    /// The newest record, or nil for an empty log.
    func chainHead() throws(Failure) -> ChainHead?

    /// Whether `condition.run` has an event of `condition.types` after `condition.seq` (one written earlier in the
    /// current transaction included).
    func hasEvent(breaking condition: AppendCondition) throws(Failure) -> Bool

    /// Inserts `record` in the current transaction.
    func insert(_ record: ChainRecord) throws(Failure)

    /// Lends up to `limit` records with a sequence number above `seq` to `body`, in order, until it returns false.
    func verificationPage(after seq: Int64, limit: Int, _ body: (ChainVerifier.Record) -> Bool) throws(Failure)

    /// The newest record before `seq` (or the newest of all for nil).
    func record(before seq: Int64?) throws(Failure) -> AuditHead?
}
