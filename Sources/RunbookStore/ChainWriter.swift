/// Writes drafts after the log's head inside one write transaction: assigns each its `seq`, time and `prev`,
/// encodes and hashes it, and inserts it.
///
/// Create it after `BEGIN IMMEDIATE`, so the head it reads cannot move under it, even from another process.
struct ChainWriter {
    /// The connection, inside a write transaction.
    private let database: SQLiteDatabase
    /// Stamps the events.
    private let clock: AuditClock
    /// The newest record's sequence number (0 for an empty log).
    private var seq: Int64 = 0
    /// The newest record's hash (64 zeros for an empty log).
    private var hash = AuditLine.genesisHash
    /// The newest record's timestamp; new ones are never earlier.
    private var timestamp: String?

    /// Reads the head inside the caller's transaction.
    /// - Throws: ``SQLiteDatabase/Failure`` when it cannot be read.
    init(database: SQLiteDatabase, clock: AuditClock) throws(SQLiteDatabase.Failure) {
        self.database = database
        self.clock = clock
        try database.query(SQLiteSchema.head) { row in
            seq = row.integer(0)
            hash = row.text(1) ?? hash
            timestamp = row.text(2)
            return false
        }
    }

    /// Inserts `drafts` in order after the head and returns them as stored (durable once the caller commits); when
    /// `condition` is broken by an event already in the log (or written earlier in this transaction), inserts none
    /// and returns none.
    /// - Throws: ``SQLiteDatabase/Failure`` when an insert fails; the caller must roll back.
    mutating func append(_ drafts: [EncodedDraft], if condition: AppendCondition? = nil)
        throws(SQLiteDatabase.Failure) -> [AuditEvent]
    {
        if let condition, try isBroken(condition) { return [] }
        var events: [AuditEvent] = []
        events.reserveCapacity(drafts.count)
        for encoded in drafts {
            let draft = encoded.draft
            let next = seq + 1
            let now = clock.next(notBefore: timestamp)
            let line = AuditLine(seq: next, timestamp: now, encoded: encoded, prev: hash)
            try database.run(
                SQLiteSchema.insert,
                [
                    .integer(next), .text(now), .text(draft.run), .textOrNull(draft.incident), .text(draft.type),
                    .textOrNull(draft.step), .utf8(line.bytes), .text(line.hash), .text(hash),
                ])
            events.append(
                AuditEvent(
                    seq: next, timestamp: now, run: draft.run, incident: draft.incident, type: draft.type,
                    step: draft.step, actor: draft.actor,
                    data: encoded.storedData, prev: hash,
                    hash: line.hash, line: line.text))
            seq = next
            hash = line.hash
            timestamp = now
        }
        return events
    }

    /// Whether an event `condition` names follows its sequence number.
    private func isBroken(_ condition: AppendCondition) throws(SQLiteDatabase.Failure) -> Bool {
        guard !condition.types.isEmpty else { return false }
        var found = false
        try database.query(
            SQLiteSchema.eventOfRunAfter(types: condition.types.count),
            [.text(condition.run), .integer(condition.seq)] + condition.types.map { .text($0) }
        ) { _ in
            found = true
            return false
        }
        return found
    }
}
