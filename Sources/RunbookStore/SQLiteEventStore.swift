import Foundation
import RunbookLanguage

/// The embedded event store: one SQLite file in WAL mode, safe to share between processes (a waiting
/// `runbook exec` and a `runbook approve` in another terminal).
///
/// Appends go through one writer connection with group commit (see ``append(_:)``); reads and ``verify()`` use a
/// second connection, opened at the first read (a `runbook exec` may never read), so they never wait behind a
/// commit. Both connections run their blocking calls on their own
/// dispatch queues, never on Swift's cooperative thread pool. The database enforces the log's append-only rule with
/// triggers that refuse every `UPDATE` and `DELETE` of an event.
public final class SQLiteEventStore: EventStore {
    /// The database file.
    public let path: String
    /// The connection for reads and verification, opened at the first read.
    private let reader: LazyStoreConnection<SQLiteDatabase>
    /// The connection appends go through.
    let writerConnection: SQLiteConnection
    /// Batches concurrent appends into shared transactions.
    let writer: GroupCommitWriter<SQLiteDatabase>

    /// Opens the store at `path`, creating the file, its directories and the schema when missing.
    ///
    /// Opening blocks the calling thread briefly (and up to 5 s when another process is creating the schema).
    /// - Parameter path: The database file, e.g. `.runbook/state.db`.
    /// - Throws: ``StoreError`` naming the path when the file cannot be opened or is not a runbook store.
    public convenience init(path: String) throws(StoreError) {
        try self.init(path: path, clock: .shared)
    }

    /// Opens the store at `path` with events stamped by `wallClock` (microseconds since 1970) instead of the
    /// system clock: for fixtures that need the same timestamps, and so the same hashes, on every run.
    ///
    /// Not part of the store's API: visible only to `@_spi(Fixtures) import RunbookStore`.
    @_spi(Fixtures)
    public convenience init(path: String, wallClock: @escaping @Sendable () -> Int64) throws(StoreError) {
        try self.init(path: path, clock: AuditClock(wallClock: wallClock))
    }

    /// Opens the store at `path`, stamping events with `clock`.
    private init(path: String, clock: AuditClock) throws(StoreError) {
        self.path = path
        reader = LazyStoreConnection { () throws(SQLiteDatabase.Failure) in
            try SQLiteConnection(path: path, role: "reader")
        }
        writerConnection = try Self.connect(path: path)
        writer = GroupCommitWriter(connection: writerConnection, clock: clock)
    }

    /// The writer connection, the schema installed. Two commands that open a new store at the same moment race to
    /// switch it to WAL and create the schema; SQLite answers the loser `SQLITE_BUSY` at once, without waiting (that
    /// lock change would deadlock), so the whole opening is tried again for up to the busy timeout.
    private static func connect(path: String) throws(StoreError) -> SQLiteConnection {
        let deadline = ContinuousClock.now + .milliseconds(SQLiteDatabase.busyTimeoutMilliseconds)
        while true {
            do throws(SQLiteDatabase.Failure) {
                let writer = try SQLiteConnection(path: path, role: "writer")
                try writer.performNow(SQLiteSchema.install)
                return writer
            } catch {
                guard error.isBusy, ContinuousClock.now < deadline else {
                    throw .sqlite(error, while: "open", path: path)
                }
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
    }

    /// The store's name in messages: `sqlite:/path/to/state.db`.
    public var name: String { "sqlite:\(path)" }

    /// Appends `drafts` in order as one durable unit and returns them as stored.
    ///
    /// Concurrent appends in this process are grouped: all that arrive while a commit is under way are written
    /// together in the next transaction (`BEGIN IMMEDIATE`, which also serialises against other processes), and
    /// each call returns once that transaction has committed with `synchronous=FULL`. The drafts of one call stay
    /// contiguous in the log. Timestamps are assigned here, never earlier than the log's newest event.
    /// - Throws: ``StoreError`` when the transaction fails; none of `drafts` is stored then.
    public func append(_ drafts: [EventDraft]) async throws(StoreError) -> [AuditEvent] {
        try await writer.append(drafts)
    }

    /// Appends `drafts` only if `condition` holds inside their transaction (which `BEGIN IMMEDIATE` serialises
    /// against every other writer of the file).
    /// - Returns: The stored events, or nil when the condition was broken and nothing was stored.
    public func append(_ drafts: [EventDraft], if condition: AppendCondition) async throws(StoreError)
        -> [AuditEvent]?
    {
        try await writer.append(drafts, onlyIf: condition)
    }

    /// Every event of `run`, in order.
    public func events(run: String) async throws(StoreError) -> [AuditEvent] {
        try await events(SQLiteSchema.linesOfRun, [.text(run)])
    }

    /// The events of `run` with a sequence number above `seq` (only those of `types`, when given), in order.
    public func events(run: String, after seq: Int64, types: [String]?) async throws(StoreError) -> [AuditEvent] {
        guard let types else { return try await events(SQLiteSchema.linesOfRunAfter, [.text(run), .integer(seq)]) }
        guard !types.isEmpty else { return [] }
        return try await events(
            SQLiteSchema.linesOfRunAfter(types: types.count), [.text(run), .integer(seq)] + types.map { .text($0) })
    }

    /// Every event of every run of `incident` (and events naming the incident directly), in order.
    public func events(incident: String) async throws(StoreError) -> [AuditEvent] {
        try await events(SQLiteSchema.linesOfIncident, [.text(incident)])
    }

    /// Up to `limit` events with a sequence number above `seq`, in order.
    public func events(after seq: Int64, limit: Int) async throws(StoreError) -> [AuditEvent] {
        guard limit > 0 else { return [] }
        return try await events(SQLiteSchema.linesAfter, [.integer(seq), .integer(Int64(limit))])
    }

    /// The ids of the most recently started runs (by their `run.started` event), newest first.
    public func recentRuns(limit: Int) async throws(StoreError) -> [String] {
        guard limit > 0 else { return [] }
        return try await read { database throws(SQLiteDatabase.Failure) in
            var runs: [String] = []
            var seen: Set<String> = []
            try database.query(SQLiteSchema.startedRuns) { row in
                if let run = row.text(0), seen.insert(run).inserted { runs.append(run) }
                return runs.count < limit
            }
            return runs
        }
    }

    /// The latest record, or nil for an empty log.
    public func head() async throws(StoreError) -> AuditHead? {
        try await read { database throws(SQLiteDatabase.Failure) in
            var head: AuditHead?
            try database.query(SQLiteSchema.head) { row in
                head = AuditHead(seq: row.integer(0), hash: row.text(1) ?? "")
                return false
            }
            return head
        }
    }

    /// Waits until the log holds an event with a sequence number above `seq`, or `timeout` passes. Another process's
    /// commit sends no signal, so the head is read every ``headPollInterval`` (one indexed lookup).
    public func waitForEvents(after seq: Int64, timeout: Duration) async throws(StoreError) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            if try await (head()?.seq ?? 0) > seq { return true }
            let left = deadline - ContinuousClock.now
            guard left > .zero, !Task.isCancelled else { return false }
            try? await Task.sleep(for: min(left, Self.headPollInterval))
        }
    }

    /// How often ``waitForEvents(after:timeout:)`` reads the head.
    public static let headPollInterval: Duration = .milliseconds(50)

    /// Waits for the appends under way, then closes both connections; every later call throws.
    public func close() async {
        await writerConnection.close()
        await reader.close()
    }

    /// Runs `body` on the reader connection, turning SQLite failures into ``StoreError``.
    func read<Result: Sendable>(
        _ body: @escaping @Sendable (SQLiteDatabase) throws(SQLiteDatabase.Failure) -> Result
    ) async throws(StoreError) -> Result {
        do throws(SQLiteDatabase.Failure) {
            return try await reader.perform(body)
        } catch {
            throw .sqlite(error, while: "read", path: path)
        }
    }

    /// The events a query of `seq, line` selects, decoded from their lines off the database's queue.
    private func events(_ sql: String, _ arguments: [SQLiteDatabase.Argument]) async throws(StoreError)
        -> [AuditEvent]
    {
        let rows = try await read { database throws(SQLiteDatabase.Failure) in
            var rows: [(seq: Int64, line: String)] = []
            try database.query(sql, arguments) { row in
                rows.append((row.integer(0), row.text(1) ?? ""))
                return true
            }
            return rows
        }
        var events: [AuditEvent] = []
        events.reserveCapacity(rows.count)
        for row in rows {
            events.append(try AuditEvent(storedLine: row.line, seq: row.seq, store: name))
        }
        return events
    }
}

extension SQLiteEventStore: EventImporting {
    /// Appends `events` as they are, after checking that they continue the chain (see ``EventImporting``).
    public func importEvents(_ events: [AuditEvent]) async throws(StoreError) {
        try await writerConnection.importEvents(events, storeName: name)
    }
}
