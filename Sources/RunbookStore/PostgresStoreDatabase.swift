import RunbookPostgres

/// One connection of the PostgreSQL store, confined to a ``StoreConnection``'s queue: the statements of the log.
///
/// A broken connection (the server restarted, the session was terminated) is replaced by a new one at the next
/// call; the call that met the break fails. Inserts of an append transaction are sent together, as one multi-row
/// `INSERT`, before a condition is checked and before the commit.
///
/// An append costs one round trip when this connection made the last one (see ``appendTransaction(_:)``), and two
/// otherwise; libpq's pipeline mode sends the statements of each together.
final class PostgresStoreDatabase {
    /// How to connect (it may hold a password: never shown).
    private let conninfo: String
    /// The open connection; nil after a break until the next call, and after ``close()``.
    private var connection: PostgresConnection?
    /// Where the last connection went, for messages.
    private(set) var endpoint: PostgresEndpoint
    /// Whether ``close()`` was called.
    private var isClosed = false
    /// The connection a transaction runs on, which a break must not replace mid-way.
    private var pinned: PostgresConnection?
    /// Records of the current append transaction not yet sent.
    private var unsent: [ChainRecord] = []
    /// The head read when the current append transaction took the lock; nil outside one.
    private var headAtBegin: ChainHead??
    /// The newest record the current append transaction inserted.
    private var newestInserted: ChainRecord?
    /// The newest record as this connection's last append left it, which the next append assumes is still the head
    /// (see ``optimisticAppend(assuming:_:)``); nil when unknown.
    private var knownHead: ChainHead?
    /// Whether the current append transaction assumes ``knownHead`` without holding the lock yet.
    private var isOptimistic = false
    /// Appends that take the lock at once, without assuming the head, after an assumption found it moved: another
    /// writer is busy, and assuming again would mostly cost a round trip for nothing.
    private var optimismPause = OptimismPause()

    /// The most records one `INSERT` sends (9 parameters each, well under PostgreSQL's 65,535).
    static let recordsPerInsert = 512

    /// Connects with `conninfo`, blocking the caller.
    /// - Throws: ``PostgresStoreFailure`` naming the endpoint when it cannot connect.
    init(conninfo: String) throws(PostgresStoreFailure) {
        self.conninfo = conninfo
        endpoint = PostgresEndpoint(host: "", port: "", database: "", user: "")
        connection = try open()
    }

    /// A new connection with the store's session settings.
    private func open() throws(PostgresStoreFailure) -> PostgresConnection {
        switch PostgresConnection.connect(conninfo) {
        case .failure(let failure):
            endpoint = failure.endpoint
            throw PostgresStoreFailure(error: failure.error, endpoint: failure.endpoint)
        case .success(let connection):
            endpoint = connection.endpoint
            do throws(PostgresError) {
                try connection.execute(PostgresSchema.sessionSettings)
            } catch {
                throw PostgresStoreFailure(error: error, endpoint: endpoint)
            }
            return connection
        }
    }

    /// The connection, reconnecting after a break (but never inside a transaction).
    private func live() throws(PostgresStoreFailure) -> PostgresConnection {
        guard !isClosed else { throw PostgresStoreFailure.closed }
        if let pinned { return pinned }
        if let connection, !connection.isBroken { return connection }
        connection = nil
        let fresh = try open()
        connection = fresh
        return fresh
    }

    /// Runs `body` on the live connection, its failures naming the endpoint.
    func using<Result>(_ body: (PostgresConnection) throws(PostgresError) -> Result) throws(PostgresStoreFailure)
        -> Result
    {
        let connection = try live()
        do throws(PostgresError) {
            return try body(connection)
        } catch {
            throw PostgresStoreFailure(error: error, endpoint: endpoint)
        }
    }

    /// The `seq` and `line` of the rows `sql` selects.
    func lines(_ sql: String, _ parameters: [String?]) throws(PostgresStoreFailure) -> [(seq: Int64, line: String)] {
        var rows: [(seq: Int64, line: String)] = []
        try using { connection throws(PostgresError) in
            try connection.query(sql, parameters) { row in rows.append((row.integer(0), row.text(1) ?? "")) }
        }
        return rows
    }

    /// Runs `body` between `begin` and `COMMIT`, on one connection, rolling back when it throws.
    func transaction<Result>(
        _ begin: String, eachRow: (PostgresResultRow) -> Void = { _ in }, _ body: () throws(PostgresStoreFailure) -> Result
    ) throws(PostgresStoreFailure) -> Result {
        try transaction(begin, eachRow: eachRow, body) { () throws(PostgresStoreFailure) in
            try using { connection throws(PostgresError) in try connection.execute("COMMIT") }
        }
    }

    /// Runs `body` between `begin` and `commit`, on one connection, rolling back when either throws.
    func transaction<Result>(
        _ begin: String, eachRow: (PostgresResultRow) -> Void, _ body: () throws(PostgresStoreFailure) -> Result,
        commit: () throws(PostgresStoreFailure) -> Void
    ) throws(PostgresStoreFailure) -> Result {
        let connection = try live()
        pinned = connection
        defer { pinned = nil }
        do throws(PostgresStoreFailure) {
            try using { connection throws(PostgresError) in try connection.execute(begin, eachRow: eachRow) }
            let result = try body()
            try commit()
            return result
        } catch {
            if !connection.isBroken { try? connection.execute("ROLLBACK") }
            throw error
        }
    }

    /// The records not yet sent, as `INSERT` statements of up to ``recordsPerInsert`` rows, the unsent list emptied.
    private func takeUnsent() -> [PostgresPipelineStatement] {
        var statements: [PostgresPipelineStatement] = []
        while !unsent.isEmpty {
            let batch = unsent.prefix(Self.recordsPerInsert)
            statements.append(PostgresPipelineStatement(PostgresSchema.insert(rows: batch.count), Self.parameters(of: batch)))
            unsent.removeFirst(batch.count)
        }
        return statements
    }

    /// The nine parameters of each of `records`, in the order of ``PostgresSchema/insert(rows:)``'s columns.
    private static func parameters(of records: some Collection<ChainRecord>) -> [String?] {
        var parameters: [String?] = []
        parameters.reserveCapacity(records.count * 9)
        for record in records {
            let draft = record.draft
            parameters += [
                String(record.seq), record.timestamp, draft.run, draft.incident, draft.type, draft.step,
                record.line.text, record.line.hash, record.prev,
            ]
        }
        return parameters
    }

    /// Sends the records not yet sent.
    private func sendUnsent() throws(PostgresStoreFailure) {
        let statements = takeUnsent()
        guard !statements.isEmpty else { return }
        try using { connection throws(PostgresError) in try connection.pipeline(statements) }
    }

    /// Appends assuming `head` is still the log's newest record, in one round trip and one implicit transaction: the
    /// lock, then one statement that inserts `body`'s records only if the head is still `head`, notifying when it
    /// did. `body` runs without a transaction; when it needs the lock (a condition, or more records than one
    /// statement takes), it is left for ``lockedAppend(_:)``.
    ///
    /// Under the lock the head cannot move, and the insert's head check reads after the lock was granted (each
    /// statement of a read-committed transaction sees every commit before it), so records are only ever inserted
    /// right after the head they were hashed against; the primary key on `seq` would refuse any other.
    /// - Returns: `body`'s result once its records are durable, or nil when nothing was stored and the append must
    ///   be made holding the lock.
    private func optimisticAppend<Result>(
        assuming head: ChainHead, _ body: () throws(PostgresStoreFailure) -> Result
    ) throws(PostgresStoreFailure) -> Result? {
        unsent.removeAll(keepingCapacity: true)
        newestInserted = nil
        headAtBegin = .some(head)
        isOptimistic = true
        defer {
            isOptimistic = false
            headAtBegin = nil
            unsent.removeAll(keepingCapacity: true)
        }
        let result: Result
        do throws(PostgresStoreFailure) {
            result = try body()
        } catch where error.needsLock {
            return nil
        }
        guard let newest = newestInserted else { return result }
        let statement = PostgresPipelineStatement(
            PostgresSchema.insertIfHead(rows: unsent.count), Self.parameters(of: unsent) + [String(head.seq), head.hash])
        knownHead = nil
        var inserted = false
        try using { connection throws(PostgresError) in
            try connection.pipeline([PostgresPipelineStatement(PostgresSchema.lock), statement]) { index, _ in
                if index == 1 { inserted = true }
            }
        }
        guard inserted else {
            optimismPause.missed()
            return nil
        }
        optimismPause.paid()
        knownHead = ChainHead(seq: newest.seq, hash: newest.line.hash, timestamp: newest.timestamp)
        return result
    }

    /// `BEGIN`, the lock and the head in one round trip; then `body`; then the inserts, `NOTIFY` with the new head's
    /// `seq` (delivered at commit, to every listening store) and `COMMIT` in another.
    private func lockedAppend<Result>(_ body: () throws(PostgresStoreFailure) -> Result) throws(PostgresStoreFailure)
        -> Result
    {
        unsent.removeAll(keepingCapacity: true)
        newestInserted = nil
        knownHead = nil
        var head: ChainHead?
        defer {
            headAtBegin = nil
            unsent.removeAll(keepingCapacity: true)
        }
        let result = try transaction(PostgresSchema.beginAppend) { row in
            guard row.columnCount == 3 else { return }
            head = ChainHead(seq: row.integer(0), hash: row.text(1) ?? AuditLine.genesisHash, timestamp: row.text(2))
        } _: { () throws(PostgresStoreFailure) in
            headAtBegin = .some(head)
            return try body()
        } commit: { () throws(PostgresStoreFailure) in
            var statements = takeUnsent()
            if let newest = newestInserted {
                statements.append(PostgresPipelineStatement(PostgresSchema.notify, [String(newest.seq)]))
            }
            statements.append(PostgresPipelineStatement("COMMIT"))
            try using { connection throws(PostgresError) in try connection.pipeline(statements) }
        }
        knownHead = newestInserted.map { ChainHead(seq: $0.seq, hash: $0.line.hash, timestamp: $0.timestamp) } ?? head
        return result
    }
}

/// How many appends go straight to the lock after an optimistic one found the head moved: 16 after the first miss,
/// doubling with each miss in a row up to 1,024, and none again once an assumption pays off.
struct OptimismPause {
    /// Appends left that take the lock at once.
    private(set) var remaining = 0
    /// The pause after the next miss.
    private var next = 16

    /// Whether the next append may assume the head; counts one paused append when not.
    mutating func allowsAttempt() -> Bool {
        guard remaining == 0 else {
            remaining -= 1
            return false
        }
        return true
    }

    /// An assumption found the head moved.
    mutating func missed() {
        remaining = next
        next = min(next * 2, 1_024)
    }

    /// An assumption held.
    mutating func paid() { next = 16 }
}

extension PostgresStoreDatabase: ChainDatabase {
    /// Never on the caller's thread: an append is several network round trips, and may wait for another host's lock.
    static var commitsOnCallerThread: Bool { false }

    /// Ends the session.
    func close() {
        isClosed = true
        connection = nil
    }

    /// Appends in one round trip, assuming the head this connection's last append left (``optimisticAppend``), when
    /// there is one, libpq has pipeline mode, and no recent assumption failed; otherwise, or when the assumption
    /// fails, holding the lock from the start (``lockedAppend``). `body` may therefore run twice.
    func appendTransaction<Result>(_ body: () throws(PostgresStoreFailure) -> Result) throws(PostgresStoreFailure)
        -> Result
    {
        if let head = knownHead, try using({ $0.pipelines }), optimismPause.allowsAttempt(),
            let result = try optimisticAppend(assuming: head, body)
        {
            return result
        }
        return try lockedAppend(body)
    }

    /// A repeatable-read, read-only transaction: one snapshot for its whole length.
    func snapshotTransaction<Result>(_ body: () throws(PostgresStoreFailure) -> Result) throws(PostgresStoreFailure)
        -> Result
    {
        try transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    /// The head read when the lock was granted, inside an append transaction; else the newest record now.
    func chainHead() throws(PostgresStoreFailure) -> ChainHead? {
        if let headAtBegin { return headAtBegin }
        var head: ChainHead?
        try using { connection throws(PostgresError) in
            try connection.query(PostgresSchema.head) { row in
                head = ChainHead(seq: row.integer(0), hash: row.text(1) ?? AuditLine.genesisHash, timestamp: row.text(2))
            }
        }
        return head
    }

    /// Whether an event `condition` names follows its sequence number, the records not yet sent included.
    func hasEvent(breaking condition: AppendCondition) throws(PostgresStoreFailure) -> Bool {
        if isOptimistic { throw .needsLockSignal }
        try sendUnsent()
        var found = false
        try using { connection throws(PostgresError) in
            try connection.query(
                PostgresSchema.eventOfRunAfter(types: condition.types.count),
                [condition.run, String(condition.seq)] + condition.types
            ) { _ in found = true }
        }
        return found
    }

    /// Queues `record` for the transaction's next `INSERT`; refuses text PostgreSQL cannot store (a NUL character).
    func insert(_ record: ChainRecord) throws(PostgresStoreFailure) {
        let draft = record.draft
        for text in [draft.run, draft.type, draft.incident ?? "", draft.step ?? ""] where text.utf8.contains(0) {
            throw .other(
                "the event's run, type, incident or step contains a NUL character, which PostgreSQL text cannot hold",
                sqlState: "22021", at: endpoint)
        }
        if isOptimistic, unsent.count == Self.recordsPerInsert { throw .needsLockSignal }
        unsent.append(record)
        newestInserted = record
        if !isOptimistic, unsent.count >= Self.recordsPerInsert { try sendUnsent() }
    }

    /// One page of rows, their columns lent without copying.
    func verificationPage(after seq: Int64, limit: Int, _ body: (ChainVerifier.Record) -> Bool)
        throws(PostgresStoreFailure)
    {
        var going = true
        try using { connection throws(PostgresError) in
            try connection.query(PostgresSchema.verificationPage, [String(seq), String(limit)]) { row in
                guard going else { return }
                going = body(
                    ChainVerifier.Record(
                        seq: row.integer(0), line: row.utf8(1), run: row.utf8(2),
                        incident: row.isNull(3) ? nil : row.utf8(3), type: row.utf8(4),
                        step: row.isNull(5) ? nil : row.utf8(5), hash: row.utf8(6), prev: row.utf8(7),
                        timestamp: row.utf8(8)))
            }
        }
    }

    /// The newest record before `seq`.
    func record(before seq: Int64?) throws(PostgresStoreFailure) -> AuditHead? {
        var head: AuditHead?
        try using { connection throws(PostgresError) in
            try connection.query(PostgresSchema.recordBefore, [String(seq ?? Int64.max)]) { row in
                head = AuditHead(seq: row.integer(0), hash: row.text(1) ?? "")
            }
        }
        return head
    }
}
