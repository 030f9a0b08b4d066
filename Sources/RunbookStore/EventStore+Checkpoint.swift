extension EventStore {
    /// The store's id, which checkpoints name: the hash of its first record, nil for an empty log.
    ///
    /// Derived rather than stored, so every backend has one without a schema change, a copy (`runbook store copy`,
    /// an export) keeps it, and a store whose first record was changed no longer has it.
    public func storeID() async throws(StoreError) -> String? {
        try await events(after: 0, limit: 1).first?.hash
    }

    /// The record at `seq`, nil when the log is shorter.
    public func record(at seq: Int64) async throws(StoreError) -> AuditEvent? {
        guard seq > 0, let event = try await events(after: seq - 1, limit: 1).first, event.seq == seq else {
            return nil
        }
        return event
    }

    /// Every `audit.checkpoint` in the log, in order.
    public func checkpoints() async throws(StoreError) -> [AuditEvent] {
        try await events(run: AuditCheckpoint.run, after: 0, types: [EventType.auditCheckpoint])
    }

    /// Signs the head with `key` and appends it as an `audit.checkpoint` (see ``AuditCheckpoint``).
    ///
    /// When the newest record is already a checkpoint by the same key, nothing new has happened: that one is
    /// returned and nothing is appended, so a server checkpointing on an interval does not grow an idle log.
    /// - Returns: The checkpoint, its event and whether it was appended now; nil for an empty log.
    /// - Throws: ``StoreError`` when the store cannot be read or written.
    public func checkpoint(signingWith key: CheckpointSigningKey) async throws(StoreError)
        -> (checkpoint: AuditCheckpoint, event: AuditEvent, isNew: Bool)?
    {
        guard let head = try await head(), let store = try await storeID() else { return nil }
        if let newest = try await record(at: head.seq), let existing = newest.payload(AuditCheckpoint.self),
            existing.key == key.publicKey.text
        {
            return (existing, newest, false)
        }
        let checkpoint = AuditCheckpoint(store: store, head: head, time: AuditClock.shared.next()).signed(with: key)
        let stored = try await append([EventDraft(run: AuditCheckpoint.run, actor: .system, checkpoint)])
        guard let event = stored.first else { return nil }
        return (checkpoint, event, true)
    }
}
