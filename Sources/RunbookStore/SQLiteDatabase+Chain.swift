extension SQLiteDatabase.Failure: ChainDatabaseFailure {
    /// The failure as a ``StoreError`` naming the file (`store` is its path).
    func storeError(while action: String, store: String) -> StoreError {
        .sqlite(self, while: action, path: store)
    }
}

extension SQLiteDatabase: ChainDatabase {
    /// A lone append commits on its caller's thread: the transaction is a local `fsync`, and sparing the thread
    /// hand-offs is most of what a sequential writer (`runbook exec`) gains.
    static var commitsOnCallerThread: Bool { true }

    /// `BEGIN IMMEDIATE … COMMIT`: the write lock first, so no other process commits in between.
    func appendTransaction<Result>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        try writeTransaction(body)
    }

    /// One read transaction.
    func snapshotTransaction<Result>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        try readTransaction(body)
    }

    /// The newest record's `seq`, `hash` and `ts`.
    func chainHead() throws(Failure) -> ChainHead? {
        var head: ChainHead?
        try query(SQLiteSchema.head) { row in
            head = ChainHead(seq: row.integer(0), hash: row.text(1) ?? AuditLine.genesisHash, timestamp: row.text(2))
            return false
        }
        return head
    }

    /// Whether an event `condition` names follows its sequence number.
    func hasEvent(breaking condition: AppendCondition) throws(Failure) -> Bool {
        var found = false
        try query(
            SQLiteSchema.eventOfRunAfter(types: condition.types.count),
            [.text(condition.run), .integer(condition.seq)] + condition.types.map { .text($0) }
        ) { _ in
            found = true
            return false
        }
        return found
    }

    /// One `INSERT`.
    func insert(_ record: ChainRecord) throws(Failure) {
        let draft = record.draft
        try run(
            SQLiteSchema.insert,
            [
                .integer(record.seq), .text(record.timestamp), .text(draft.run), .textOrNull(draft.incident),
                .text(draft.type), .textOrNull(draft.step), .utf8(record.line.bytes), .text(record.line.hash),
                .text(record.prev),
            ])
    }

    /// One page of rows, their columns lent without copying.
    func verificationPage(after seq: Int64, limit: Int, _ body: (ChainVerifier.Record) -> Bool) throws(Failure) {
        try query(SQLiteSchema.verificationPage, [.integer(seq), .integer(Int64(limit))]) { row in
            body(
                ChainVerifier.Record(
                    seq: row.integer(0), line: row.utf8(1), run: row.utf8(2), incident: row.isNull(3) ? nil : row.utf8(3),
                    type: row.utf8(4), step: row.isNull(5) ? nil : row.utf8(5), hash: row.utf8(6), prev: row.utf8(7),
                    timestamp: row.utf8(8)))
        }
    }

    /// The newest record before `seq`.
    func record(before seq: Int64?) throws(Failure) -> AuditHead? {
        var head: AuditHead?
        try query(SQLiteSchema.recordBefore, [.integer(seq ?? Int64.max)]) { row in
            head = AuditHead(seq: row.integer(0), hash: row.text(1) ?? "")
            return false
        }
        return head
    }
}
