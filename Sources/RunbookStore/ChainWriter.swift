/// Writes drafts after the log's head inside one write transaction: assigns each its `seq`, time and `prev`,
/// encodes and hashes it, and inserts it.
///
/// Create it inside ``ChainDatabase/appendTransaction(_:)``, so the head it reads cannot move under it, even from
/// another process or host.
struct ChainWriter<Database: ChainDatabase> {
    /// The connection, inside a write transaction.
    private let database: Database
    /// Stamps the events.
    private let clock: AuditClock
    /// The newest record's sequence number (0 for an empty log).
    private var seq: Int64 = 0
    /// The newest record's hash (64 zeros for an empty log).
    private var hash = AuditLine.genesisHash
    /// The newest record's timestamp; new ones are never earlier.
    private var timestamp: String?

    /// Reads the head inside the caller's transaction.
    /// - Throws: The database's failure when it cannot be read.
    init(database: Database, clock: AuditClock) throws(Database.Failure) {
        self.database = database
        self.clock = clock
        if let head = try database.chainHead() {
            seq = head.seq
            hash = head.hash
            timestamp = head.timestamp
        }
    }

    /// Inserts `drafts` in order after the head and returns them as stored (durable once the caller commits); when
    /// `condition` is broken by an event already in the log (or written earlier in this transaction), inserts none
    /// and returns none.
    /// - Throws: The database's failure when an insert fails; the caller must roll back.
    mutating func append(_ drafts: [EncodedDraft], if condition: AppendCondition? = nil)
        throws(Database.Failure) -> [AuditEvent]
    {
        if let condition, !condition.types.isEmpty, try database.hasEvent(breaking: condition) { return [] }
        var events: [AuditEvent] = []
        events.reserveCapacity(drafts.count)
        for encoded in drafts {
            let draft = encoded.draft
            let next = seq + 1
            let now = clock.next(notBefore: timestamp)
            let line = AuditLine(seq: next, timestamp: now, encoded: encoded, prev: hash)
            try database.insert(ChainRecord(seq: next, timestamp: now, draft: draft, line: line, prev: hash))
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
}
