/// A store that can take records exactly as another store keeps them, for `runbook store copy`: the same `seq`,
/// timestamps, lines and hashes, so both verify to the same head.
public protocol EventImporting: EventStore {
    /// Appends `events` as they are, in one transaction holding the append lock.
    /// - Throws: ``StoreError`` when they do not continue this store's chain (the first one's `seq` is not the
    ///   head's plus one, or its `prev` is not the head's hash, or they are not consecutive), or the write fails;
    ///   nothing is stored then.
    func importEvents(_ events: [AuditEvent]) async throws(StoreError)
}

/// Writes stored records verbatim through any ``ChainDatabase``.
enum ChainImport {
    /// Inserts `events` after the head inside an append transaction, when they continue the chain.
    /// - Returns: Why nothing was inserted, or nil when all were.
    /// - Throws: The database's failure.
    static func insert<Database: ChainDatabase>(_ events: [AuditEvent], into database: Database)
        throws(Database.Failure) -> StoreError?
    {
        for (previous, event) in zip(events, events.dropFirst()) where event.seq != previous.seq + 1
            || event.prev != previous.hash
        {
            return StoreError("record seq \(event.seq) does not follow seq \(previous.seq) in the source", code: .corrupt)
        }
        guard let first = events.first else { return nil }
        return try database.appendTransaction { () throws(Database.Failure) -> StoreError? in
            let head = try database.chainHead()
            guard first.seq == (head?.seq ?? 0) + 1, first.prev == head?.hash ?? AuditLine.genesisHash else {
                return StoreError(
                    "record seq \(first.seq) does not continue the chain after seq \(head?.seq ?? 0)", code: .failed)
            }
            for event in events {
                let draft = EventDraft(
                    run: event.run, incident: event.incident, type: event.type, step: event.step, actor: event.actor,
                    data: event.data)
                try database.insert(
                    ChainRecord(
                        seq: event.seq, timestamp: event.timestamp, draft: draft,
                        line: AuditLine(storedLine: event.line, hash: event.hash), prev: event.prev))
            }
            return nil
        }
    }
}

extension StoreConnection {
    /// Inserts `events` verbatim on this connection's queue (see ``ChainImport/insert(_:into:)``).
    /// - Throws: ``StoreError`` naming the store `storeName` when they do not continue its chain or the write fails.
    func importEvents(_ events: [AuditEvent], storeName: String) async throws(StoreError) {
        let refusal: StoreError?
        do throws(Database.Failure) {
            refusal = try await perform { database throws(Database.Failure) in
                try ChainImport.insert(events, into: database)
            }
        } catch {
            throw error.storeError(while: "copy into", store: name)
        }
        if let refusal {
            throw StoreError("cannot copy into the store \(storeName): \(refusal.message)", code: refusal.code)
        }
    }
}
