import Foundation

/// Recomputes a stored chain through any ``ChainDatabase``: the verification every backend's `verify()` runs.
enum ChainVerification {
    /// Rows read per page while verifying.
    static let pageSize = 8_192

    /// Verifies the log through `database`, on its connection's queue (it blocks while hashes are checked on other
    /// threads), inside one snapshot transaction so appends do not disturb it.
    ///
    /// Checks for each record, without parsing its JSON: no gap in `seq`; `prev` equal to the previous record's
    /// `hash`; the stored hash equal to `sha256(prev || line without "hash")` (computed on other threads while the
    /// next page is read); the indexed columns equal to what the line says. Damaged storage reports the first record
    /// it cannot read. Removing the newest records leaves a shorter chain that is intact: compare the head with one
    /// recorded elsewhere (`runbook audit head`) to detect that.
    /// - Returns: The number of records checked up to the first bad one, that record and why, and the last good head.
    /// - Throws: The database's failure when it cannot be read at all.
    static func verify<Database: ChainDatabase>(_ database: Database) throws(Database.Failure) -> VerificationReport {
        try database.snapshotTransaction { () throws(Database.Failure) in try scan(database) }
    }

    /// Verifies inside the caller's transaction.
    private static func scan<Database: ChainDatabase>(_ database: Database) throws(Database.Failure)
        -> VerificationReport
    {
        var verifier = ChainVerifier()
        var finding: ChainVerifier.Finding?
        let hashes = HashCheckQueue(inFlight: max(2, ProcessInfo.processInfo.activeProcessorCount * 2))
        var lastSeq: Int64 = 0
        while finding == nil, hashes.firstMismatch == nil {
            var chunk = LineChunk(startPosition: verifier.inspected, expectedLines: pageSize)
            do throws(Database.Failure) {
                try database.verificationPage(after: lastSeq, limit: pageSize) { record in
                    let found = inspect(record, with: &verifier, into: &chunk)
                    lastSeq = record.seq
                    finding = found
                    return found == nil
                }
            } catch where error.isCorrupt {
                finding = ChainVerifier.Finding(
                    seq: lastSeq + 1, position: verifier.inspected + 1, kind: .malformed,
                    problem: "unreadable after seq \(lastSeq): \(error.description)")
            }
            let pageWasFull = chunk.count == pageSize
            if chunk.count > 0 { hashes.submit(chunk) }
            guard pageWasFull else { break }
        }
        hashes.waitForAll()
        if let mismatch = hashes.firstMismatch, finding.map({ mismatch.precedes($0) }) ?? true {
            finding = mismatch
        }
        // Damaged storage may not even give the head back; the report still names the damage.
        let head = try? database.record(before: finding?.seq)
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
}
