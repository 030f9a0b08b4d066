import RunbookLanguage
import RunbookPostgres

/// The team store: the event log in a PostgreSQL database, shared by every process on every host that connects to
/// it, with the same canonical lines, hashes and chain as ``SQLiteEventStore``.
///
/// Appends go through one writer connection with group commit (``GroupCommitWriter``); each transaction takes a
/// transaction-scoped advisory lock before reading the head, so the writers of every process and host take turns
/// and `seq` stays gapless, and sends a `NOTIFY` that wakes the stores waiting in
/// ``waitForEvents(after:timeout:)``. Reads and verification use a second connection, opened at the first read; the
/// `LISTEN` connection is opened at the first wait. The schema must exist (``initialize(conninfo:name:writer:)``,
/// `runbook store init`); a trigger refuses every `UPDATE`, `DELETE` and `TRUNCATE` of the events, even the owner's.
public final class PostgresEventStore: EventStore {
    /// The store's name in messages: the connection string without its password.
    public let name: String
    /// The connection appends go through.
    let writerConnection: StoreConnection<PostgresStoreDatabase>
    /// Batches concurrent appends into shared transactions.
    let writer: GroupCommitWriter<PostgresStoreDatabase>
    /// The connection for reads and verification, opened at the first read.
    private let reader: LazyStoreConnection<PostgresStoreDatabase>
    /// Wakes waiting calls when another append commits.
    private let listener: PostgresEventListener

    /// The role PostgreSQL authenticated this store's sessions as (`session_user`): the identity of a person at this
    /// process. Neither `SET ROLE` nor any variable of runbook's changes it.
    public let authenticatedRole: String?
    /// The OS account of this process, recorded beside every actor that is ``authenticatedRole``.
    private let account: String

    /// The schema version this runbook creates and reads.
    public static var schemaVersion: Int64 { PostgresSchema.version }

    /// How often a wait re-reads the head even without a notification, covering one that was lost.
    public static let slowPollInterval: Duration = .seconds(1)
    /// This store's slow poll (tests lengthen it, to prove that a notification woke a wait).
    let slowPollInterval: Duration

    /// Connects to the store at `conninfo` (a libpq key=value string or URI; libpq's `PG*` variables, password
    /// file and service file apply) and checks its schema, blocking the calling thread.
    /// - Parameters:
    ///   - conninfo: How to connect.
    ///   - name: The store's name in messages (default: `conninfo` with its password masked).
    /// - Throws: ``StoreError`` (`.unavailable`) naming host and port, never the password, when the server cannot be
    ///   reached or the database has no runbook schema (or one from a newer runbook).
    public convenience init(conninfo: String, name: String? = nil) throws(StoreError) {
        try self.init(conninfo: conninfo, name: name, clock: .shared)
    }

    /// Connects with events stamped by `wallClock` (microseconds since 1970), for fixtures.
    ///
    /// Not part of the store's API: visible only to `@_spi(Fixtures) import RunbookStore`.
    @_spi(Fixtures)
    public convenience init(conninfo: String, name: String? = nil, wallClock: @escaping @Sendable () -> Int64)
        throws(StoreError)
    {
        try self.init(conninfo: conninfo, name: name, clock: AuditClock(wallClock: wallClock))
    }

    /// Connects, stamping events with `clock` and re-reading the head every `slowPoll` while waiting.
    init(
        conninfo: String, name: String?, clock: AuditClock, slowPoll: Duration = PostgresEventStore.slowPollInterval
    ) throws(StoreError) {
        let name = name ?? StoreLocation.postgres(conninfo).description
        self.name = name
        slowPollInterval = slowPoll
        account = Identity.processOwner().name
        do throws(PostgresStoreFailure) {
            let database = try PostgresStoreDatabase(conninfo: conninfo)
            try PostgresSchemaInstaller.check(database)
            authenticatedRole = try database.using { connection throws(PostgresError) in
                var role: String?
                try connection.query(PostgresSchema.sessionRole) { row in role = row.text(0) }
                return role
            }
            writerConnection = StoreConnection(name: name, label: "runbook.store.postgres.writer", database: database)
        } catch {
            throw error.storeError(while: "open", store: name)
        }
        writer = GroupCommitWriter(connection: writerConnection, clock: clock)
        reader = LazyStoreConnection { () throws(PostgresStoreFailure) in
            StoreConnection(
                name: name, label: "runbook.store.postgres.reader", database: try PostgresStoreDatabase(conninfo: conninfo))
        }
        listener = PostgresEventListener(conninfo: conninfo)
    }

    deinit {
        listener.stop()
    }

    /// Creates the schema (tables, indexes, the append-only trigger, the version row) in the current schema of the
    /// database `conninfo` names, when missing; run as the role that will own it. With `writer`, grants that role
    /// what runbook needs to connect as it: `USAGE` on the schema, `SELECT` and `INSERT` on the tables, and nothing
    /// else.
    /// - Returns: Whether the schema was created (false when it was already there).
    /// - Throws: ``StoreError`` when the server cannot be reached, the role may not create tables, the database is
    ///   not UTF-8, or the schema comes from a newer runbook.
    @discardableResult
    public static func initialize(conninfo: String, name: String? = nil, writer: String? = nil) throws(StoreError)
        -> Bool
    {
        let name = name ?? StoreLocation.postgres(conninfo).description
        do throws(PostgresStoreFailure) {
            let database = try PostgresStoreDatabase(conninfo: conninfo)
            defer { database.close() }
            return try PostgresSchemaInstaller.install(database, writer: writer)
        } catch {
            throw error.storeError(while: "initialize", store: name)
        }
    }

    /// Brings the store at `conninfo` forward to this runbook's schema version (``schemaVersion``), one version at a
    /// time, in one transaction that holds the append lock; run as the role that owns the schema.
    /// - Returns: The version found, and a line for each migration applied (none when it was current).
    /// - Throws: ``StoreError`` when the server cannot be reached, there is no store, the schema comes from a newer
    ///   runbook, or a migration fails (the store is then left exactly as it was).
    public static func migrate(conninfo: String, name: String? = nil) throws(StoreError)
        -> (from: Int64, applied: [String])
    {
        let name = name ?? StoreLocation.postgres(conninfo).description
        do throws(PostgresStoreFailure) {
            let database = try PostgresStoreDatabase(conninfo: conninfo)
            defer { database.close() }
            return try PostgresSchemaInstaller.migrate(database)
        } catch {
            throw error.storeError(while: "migrate", store: name)
        }
    }

    /// Appends `drafts` in order as one durable unit and returns them as stored.
    ///
    /// Concurrent appends in this process are grouped into one transaction; other processes' transactions wait
    /// for the advisory lock (up to 5 s, then `.busy`). Returns once PostgreSQL has committed. After a broken
    /// connection it waits and retries with backoff (up to a minute), never storing the drafts twice.
    /// - Throws: ``StoreError`` when the transaction fails; none of `drafts` is stored then.
    public func append(_ drafts: [EventDraft]) async throws(StoreError) -> [AuditEvent] {
        try await writer.append(withAccounts(drafts))
    }

    /// Appends `drafts` only if `condition` holds inside their transaction (which holds the append lock, so no writer
    /// on any host can slip an event in between).
    /// - Returns: The stored events, or nil when the condition was broken and nothing was stored.
    public func append(_ drafts: [EventDraft], if condition: AppendCondition) async throws(StoreError)
        -> [AuditEvent]?
    {
        try await writer.append(withAccounts(drafts), onlyIf: condition)
    }

    /// `drafts`, with this process's OS account beside every person known by this session's role. A person
    /// another way (a name `serve` authenticated by token) is left as given.
    private func withAccounts(_ drafts: [EventDraft]) -> [EventDraft] {
        guard let role = authenticatedRole else { return drafts }
        var drafts = drafts
        for index in drafts.indices {
            guard let actor = drafts[index].actor, actor.kind == "user", actor.id == role, actor.account == nil
            else { continue }
            drafts[index].actor?.account = account
        }
        return drafts
    }

    /// Every event of `run`, in order.
    public func events(run: String) async throws(StoreError) -> [AuditEvent] {
        try await events(PostgresSchema.linesOfRun, [run])
    }

    /// The events of `run` with a sequence number above `seq` (only those of `types`, when given), in order.
    public func events(run: String, after seq: Int64, types: [String]?) async throws(StoreError) -> [AuditEvent] {
        guard let types else { return try await events(PostgresSchema.linesOfRunAfter, [run, String(seq)]) }
        guard !types.isEmpty else { return [] }
        return try await events(PostgresSchema.linesOfRunAfter(types: types.count), [run, String(seq)] + types)
    }

    /// Every event of every run of `incident` (and events naming the incident directly), in order.
    public func events(incident: String) async throws(StoreError) -> [AuditEvent] {
        try await events(PostgresSchema.linesOfIncident, [incident])
    }

    /// Up to `limit` events with a sequence number above `seq`, in order.
    public func events(after seq: Int64, limit: Int) async throws(StoreError) -> [AuditEvent] {
        guard limit > 0 else { return [] }
        return try await events(PostgresSchema.linesAfter, [String(seq), String(limit)])
    }

    /// The ids of the most recently started runs (by their latest `run.started` event), newest first.
    public func recentRuns(limit: Int) async throws(StoreError) -> [String] {
        guard limit > 0 else { return [] }
        return try await read { database throws(PostgresStoreFailure) in
            var runs: [String] = []
            try database.using { connection throws(PostgresError) in
                try connection.query(PostgresSchema.recentRuns, [String(limit)]) { row in
                    if let run = row.text(0) { runs.append(run) }
                }
            }
            return runs
        }
    }

    /// The latest record, or nil for an empty log.
    public func head() async throws(StoreError) -> AuditHead? {
        try await read { database throws(PostgresStoreFailure) in
            try database.chainHead().map { AuditHead(seq: $0.seq, hash: $0.hash) }
        }
    }

    /// Waits until the log holds an event with a sequence number above `seq`, or `timeout` passes: woken by the
    /// `NOTIFY` of any writer's commit, and re-reading the head every ``slowPollInterval-swift.property`` in case one
    /// was lost.
    public func waitForEvents(after seq: Int64, timeout: Duration) async throws(StoreError) -> Bool {
        let deadline = ContinuousClock.now + timeout
        await listener.start()
        while true {
            let generation = listener.generation
            if try await (head()?.seq ?? 0) > seq { return true }
            let left = deadline - ContinuousClock.now
            guard left > .zero, !Task.isCancelled else { return false }
            await listener.wait(beyond: generation, upTo: min(left, slowPollInterval))
        }
    }

    /// Recomputes the whole chain from the stored lines and names the first record that does not match (see
    /// ``ChainVerification/verify(_:)``), in one repeatable-read snapshot.
    public func verify() async throws(StoreError) -> VerificationReport {
        try await read { database throws(PostgresStoreFailure) in try ChainVerification.verify(database) }
    }

    /// Waits for the appends under way, then ends every connection; every later call throws.
    public func close() async {
        listener.stop()
        await writerConnection.close()
        await reader.close()
    }

    /// Runs `body` on the reader connection, turning failures into ``StoreError``; after a broken connection, tries
    /// again on a new one with backoff (see ``ReconnectBackoff``), as a read changes nothing.
    private func read<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresStoreDatabase) throws(PostgresStoreFailure) -> Result
    ) async throws(StoreError) -> Result {
        var backoff = ReconnectBackoff(store: name, work: "the read")
        while true {
            do throws(PostgresStoreFailure) {
                return try await reader.perform(body)
            } catch {
                guard error.isConnectionBroken, !Task.isCancelled, let pause = backoff.nextPause(after: error.description)
                else { throw error.storeError(while: "read", store: name) }
                try? await Task.sleep(for: pause)
            }
        }
    }

    /// The events a query of `seq, line` selects, decoded off the connection's queue.
    private func events(_ sql: String, _ parameters: [String?]) async throws(StoreError) -> [AuditEvent] {
        let rows = try await read { database throws(PostgresStoreFailure) in try database.lines(sql, parameters) }
        var events: [AuditEvent] = []
        events.reserveCapacity(rows.count)
        for row in rows {
            events.append(try AuditEvent(storedLine: row.line, seq: row.seq, store: name))
        }
        return events
    }
}

extension PostgresEventStore: EventImporting {
    /// Appends `events` as they are, after checking that they continue the chain (see ``EventImporting``).
    public func importEvents(_ events: [AuditEvent]) async throws(StoreError) {
        try await writerConnection.importEvents(events, storeName: name)
    }
}
