/// Checks a log against checkpoints: those recorded in it, and heads saved elsewhere (a checkpoint file a witness
/// kept, a `SEQ:HASH` someone wrote down).
///
/// The chain itself is recomputed first (``EventStore/verify()``). A checkpoint then holds when its signature is
/// valid (by `trusted`, when given), it names this store, and the record at its `seq` still has its `hash`. Since
/// each hash covers every record before it, a record changed at or before that `seq` — even with the chain
/// re-hashed after it — fails the checkpoint; the report names the checkpoint's `seq` and the newest checkpoint
/// before it that still holds, between which the change lies.
public enum CheckpointAudit {
    /// A head the store must still hold: a saved checkpoint (its signature checked) or a bare `SEQ:HASH`.
    public enum Expectation: Sendable {
        /// A checkpoint saved earlier.
        case checkpoint(AuditCheckpoint)
        /// A head written down.
        case head(AuditHead)
    }

    /// Verifies `store`'s chain and every checkpoint in it, then `expected`.
    /// - Parameters:
    ///   - store: The log.
    ///   - trusted: The public key every checkpoint must be signed by; nil accepts the key each one names.
    ///   - expected: Heads saved elsewhere that the log must still hold.
    /// - Returns: The chain's report, its first bad record lowered to the first checkpoint that fails, and the
    ///   checkpoints that hold.
    /// - Throws: ``StoreError`` when the store cannot be read.
    public static func verify(
        _ store: any EventStore, trusting trusted: CheckpointPublicKey?, expecting expected: [Expectation] = []
    ) async throws(StoreError) -> VerificationReport {
        var report = try await store.verify()
        let trustedSeq = report.firstBad.map { $0 - 1 } ?? report.head?.seq ?? 0
        let storeID = try await store.storeID()
        var findings: [(seq: Int64, problem: String)] = []
        var held: [AuditCheckpoint] = []

        let recorded = try await store.checkpoints().filter { $0.seq <= trustedSeq }
        var candidates: [(checkpoint: AuditCheckpoint, origin: String, signed: Bool)] = recorded.compactMap { event in
            event.payload(AuditCheckpoint.self).map { ($0, "the checkpoint at seq \(event.seq)", true) }
        }
        for expectation in expected {
            switch expectation {
            case .checkpoint(let checkpoint): candidates.append((checkpoint, "the checkpoint given", true))
            case .head(let head):
                var bare = AuditCheckpoint(store: storeID ?? "", head: head, time: "")
                bare.store = nil
                candidates.append((bare, "the head given", false))
            }
        }
        for candidate in candidates {
            let checkpoint = candidate.checkpoint
            if let problem = try await check(
                checkpoint, origin: candidate.origin, signed: candidate.signed, trusted: trusted, storeID: storeID,
                trustedSeq: trustedSeq, store: store)
            {
                findings.append(problem)
            } else if candidate.signed {
                held.append(checkpoint)
            }
        }
        report.checkpoints = held
        guard let first = findings.min(by: { $0.seq < $1.seq }), report.firstBad.map({ first.seq < $0 }) ?? true
        else { return report }
        let below = held.compactMap(\.seq).filter { $0 < first.seq }.max()
        report.firstBad = first.seq
        report.problem = first.problem
            + (below.map { "; seq \($0) still matches an earlier checkpoint, so the change is after it" } ?? "")
        report.head = nil
        report.checked = 0
        if let below, let record = try await store.record(at: below) {
            report.head = AuditHead(seq: record.seq, hash: record.hash)
            report.checked = below
        }
        return report
    }

    /// What is wrong with one checkpoint, and the seq to report it at; nil when it holds.
    private static func check(
        _ checkpoint: AuditCheckpoint, origin: String, signed: Bool, trusted: CheckpointPublicKey?, storeID: String?,
        trustedSeq: Int64, store: any EventStore
    ) async throws(StoreError) -> (seq: Int64, problem: String)? {
        guard let seq = checkpoint.seq, let hash = checkpoint.hash, seq > 0 else {
            return (1, "\(origin) names no head")
        }
        if signed, let problem = checkpoint.signatureProblem(trusting: trusted) {
            return (seq, "\(origin) does not hold: \(problem)")
        }
        if let claimed = checkpoint.store, claimed != storeID {
            let actual = storeID ?? "none (the log is empty)"
            return (1, "seq 1 does not match \(origin): this store's id (the hash of seq 1) is \(actual), the "
                + "checkpoint's is \(claimed) — another store, or seq 1 was changed")
        }
        guard seq <= trustedSeq, let record = try await store.record(at: seq) else {
            let end = trustedSeq == 0 ? "holds no verified record" : "verifies only up to seq \(trustedSeq)"
            return (trustedSeq + 1, "the store \(end), but \(origin) covers seq \(seq) (hash \(hash))")
        }
        guard record.hash == hash else {
            return (seq, "seq \(seq) does not match \(origin): its hash is \(record.hash), the checkpoint's \(hash); "
                + "a record at or before seq \(seq) was changed")
        }
        return nil
    }
}
