import RunbookPostgres

/// One connection of the PostgreSQL store, confined to a ``StoreConnection``'s queue: the statements of the log.
///
/// A broken connection (the server restarted, the session was terminated) is replaced by a new one at the next
/// call; the call that met the break fails. Inserts of an append transaction are sent together, as one multi-row
/// `INSERT`, before a condition is checked and before the commit.
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
    /// The newest sequence number the current append transaction inserted.
    private var newestInserted: Int64?

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

    /// Runs `body` between `begin` and `COMMIT` (what `commit` gives), on one connection, rolling back when it throws.
    func transaction<Result>(
        _ begin: String, eachRow: (PostgresResultRow) -> Void = { _ in }, _ body: () throws(PostgresStoreFailure) -> Result,
        commit: () -> String = { "COMMIT" }
    ) throws(PostgresStoreFailure) -> Result {
        let connection = try live()
        pinned = connection
        defer { pinned = nil }
        do throws(PostgresStoreFailure) {
            try using { connection throws(PostgresError) in try connection.execute(begin, eachRow: eachRow) }
            let result = try body()
            let end = commit()
            try using { connection throws(PostgresError) in try connection.execute(end) }
            return result
        } catch {
            if !connection.isBroken { try? connection.execute("ROLLBACK") }
            throw error
        }
    }

    /// Sends the records not yet sent, in one `INSERT` per ``recordsPerInsert``.
    private func sendUnsent() throws(PostgresStoreFailure) {
        while !unsent.isEmpty {
            let batch = unsent.prefix(Self.recordsPerInsert)
            var parameters: [String?] = []
            parameters.reserveCapacity(batch.count * 9)
            for record in batch {
                let draft = record.draft
                parameters += [
                    String(record.seq), record.timestamp, draft.run, draft.incident, draft.type, draft.step,
                    record.line.text, record.line.hash, record.prev,
                ]
            }
            try using { connection throws(PostgresError) in
                _ = try connection.query(PostgresSchema.insert(rows: batch.count), parameters)
            }
            unsent.removeFirst(batch.count)
        }
    }
}

extension PostgresStoreDatabase: ChainDatabase {
    /// Never on the caller's thread: an append is several network round trips, and may wait for another host's lock.
    static var commitsOnCallerThread: Bool { false }

    /// Ends the session.
    func close() {
        isClosed = true
        connection = nil
    }

    /// `BEGIN`, the advisory lock, the head; then `body`; then the inserts, `NOTIFY` with the new head's `seq`
    /// (delivered at commit, to every listening store) and `COMMIT`.
    func appendTransaction<Result>(_ body: () throws(PostgresStoreFailure) -> Result) throws(PostgresStoreFailure)
        -> Result
    {
        unsent.removeAll(keepingCapacity: true)
        newestInserted = nil
        var head: ChainHead?
        defer {
            headAtBegin = nil
            unsent.removeAll(keepingCapacity: true)
        }
        return try transaction(PostgresSchema.beginAppend) { row in
            guard row.columnCount == 3 else { return }
            head = ChainHead(seq: row.integer(0), hash: row.text(1) ?? AuditLine.genesisHash, timestamp: row.text(2))
        } _: { () throws(PostgresStoreFailure) in
            headAtBegin = .some(head)
            let result = try body()
            try sendUnsent()
            return result
        } commit: {
            newestInserted.map { "NOTIFY \(PostgresSchema.channel), '\($0)'; COMMIT" } ?? "COMMIT"
        }
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
        unsent.append(record)
        newestInserted = record.seq
        if unsent.count >= Self.recordsPerInsert { try sendUnsent() }
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
