import Foundation

extension SQLiteEventStore {
    /// Rows read per page while verifying.
    static let verificationPageSize = 8_192

    /// Recomputes the whole chain from the stored lines and names the first record that does not match.
    ///
    /// Streams the log in pages inside one read transaction (a consistent snapshot that appends do not disturb),
    /// checking for each record, without parsing its JSON: no gap in `seq`; `prev` equal to the previous record's
    /// `hash`; the stored hash equal to `sha256(prev || line without "hash")` (computed on other threads while the
    /// next page is read); the indexed columns equal to what the line says. A damaged file reports the first record
    /// it cannot read. Removing the newest records leaves a shorter chain that is intact: compare the head with one
    /// recorded elsewhere (`runbook audit head`) to detect that.
    /// - Returns: The number of records checked up to the first bad one, that record and why, and the last good head.
    /// - Throws: ``StoreError`` when the store cannot be read at all.
    public func verify() async throws(StoreError) -> VerificationReport {
        try await read { database throws(SQLiteDatabase.Failure) in
            try database.readTransaction { () throws(SQLiteDatabase.Failure) in
                try Self.verify(database)
            }
        }
    }

    /// Verifies the log through `database`, on its queue.
    private static func verify(_ database: SQLiteDatabase) throws(SQLiteDatabase.Failure) -> VerificationReport {
        var verifier = ChainVerifier()
        var finding: ChainVerifier.Finding?
        let hashes = HashCheckQueue(inFlight: max(2, ProcessInfo.processInfo.activeProcessorCount * 2))
        var lastSeq: Int64 = 0
        while finding == nil, hashes.firstMismatch == nil {
            var chunk = LineChunk(startPosition: verifier.inspected, expectedLines: verificationPageSize)
            do {
                try database.query(
                    SQLiteSchema.verificationPage, [.integer(lastSeq), .integer(Int64(verificationPageSize))]
                ) { row in
                    let seq = row.integer(0)
                    let record = ChainVerifier.Record(
                        seq: seq, line: row.utf8(1), run: row.utf8(2), incident: row.isNull(3) ? nil : row.utf8(3),
                        type: row.utf8(4), step: row.isNull(5) ? nil : row.utf8(5), hash: row.utf8(6),
                        prev: row.utf8(7))
                    let found = inspect(record, with: &verifier, into: &chunk)
                    lastSeq = seq
                    finding = found
                    return found == nil
                }
            } catch let failure where failure.isCorrupt {
                finding = ChainVerifier.Finding(
                    seq: lastSeq + 1, position: verifier.inspected + 1, kind: .malformed,
                    problem: "unreadable after seq \(lastSeq): \(failure.message)")
            }
            let pageWasFull = chunk.count == verificationPageSize
            if chunk.count > 0 { hashes.submit(chunk) }
            guard pageWasFull else { break }
        }
        hashes.waitForAll()
        if let mismatch = hashes.firstMismatch, finding.map({ mismatch.precedes($0) }) ?? true {
            finding = mismatch
        }
        // A damaged file may not even give the head back; the report still names the damage.
        let head = try? lastRecord(before: finding?.seq, in: database)
        return VerificationReport(
            checked: finding?.position ?? verifier.inspected, firstBad: finding?.seq, problem: finding?.problem,
            head: head)
    }

    /// Inspects one record, adding its line to `chunk` for hashing when nothing else is wrong with it.
    private static func inspect(
        _ record: ChainVerifier.Record, with verifier: inout ChainVerifier, into chunk: inout LineChunk
    ) -> ChainVerifier.Finding? {
        guard let finding = verifier.inspect(record) else {
            chunk.append(seq: record.seq, line: record.line)
            return nil
        }
        if finding.kind > .hash, !ChainVerifier.hashMatches(line: record.line) {
            return ChainVerifier.Finding(
                seq: finding.seq, position: finding.position, kind: .hash, problem: "hash mismatch")
        }
        return finding
    }

    /// The newest record before `seq` (or the newest of all for nil).
    private static func lastRecord(before seq: Int64?, in database: SQLiteDatabase) throws(SQLiteDatabase.Failure)
        -> AuditHead?
    {
        var head: AuditHead?
        try database.query(SQLiteSchema.recordBefore, [.integer(seq ?? Int64.max)]) { row in
            head = AuditHead(seq: row.integer(0), hash: row.text(1) ?? "")
            return false
        }
        return head
    }
}
