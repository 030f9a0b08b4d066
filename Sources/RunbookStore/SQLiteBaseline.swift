/// Plain SQLite work the benchmarks measure the store against, in the same process and on the same schema.
///
/// Not part of the store's API: visible only to `@_spi(Benchmarks) import RunbookStore`.
@_spi(Benchmarks)
public enum SQLiteBaseline {
    /// Inserts the rows `drafts` would become (lines and hashes computed beforehand, untimed), each in its own
    /// `synchronous=FULL` transaction, one after another: what appending costs without group commit.
    /// - Parameters:
    ///   - drafts: The events to insert.
    ///   - path: A new database file.
    /// - Returns: The time the inserts took.
    /// - Throws: ``StoreError`` when SQLite fails.
    public static func insertEachInOwnTransaction(_ drafts: [EventDraft], path: String) throws(StoreError)
        -> Duration
    {
        do throws(SQLiteDatabase.Failure) {
            let database = try SQLiteDatabase(path: path)
            defer { database.close() }
            try SQLiteSchema.install(in: database)
            var prev = AuditLine.genesisHash
            var rows: [[SQLiteDatabase.Argument]] = []
            for (index, draft) in drafts.enumerated() {
                let seq = Int64(index + 1)
                let timestamp = AuditClock.shared.next()
                let line = AuditLine(seq: seq, timestamp: timestamp, draft: draft, prev: prev)
                rows.append([
                    .integer(seq), .text(timestamp), .text(draft.run), .textOrNull(draft.incident), .text(draft.type),
                    .textOrNull(draft.step), .utf8(line.bytes), .text(line.hash), .text(prev),
                ])
                prev = line.hash
            }
            let start = ContinuousClock.now
            for row in rows {
                try database.run("BEGIN")
                try database.run(SQLiteSchema.insert, row)
                try database.run("COMMIT")
            }
            return ContinuousClock.now - start
        } catch {
            throw .sqlite(error, while: "write", path: path)
        }
    }

    /// Reads every row of the log in order with one plain `SELECT` of all columns and hashes nothing: what reading
    /// the log costs without verifying it.
    /// - Parameter path: An existing store.
    /// - Returns: The rows read, the total length of their columns (so the reads cannot be skipped), and the time.
    /// - Throws: ``StoreError`` when SQLite fails.
    public static func scan(path: String) throws(StoreError) -> (rows: Int, bytes: UInt64, duration: Duration) {
        do throws(SQLiteDatabase.Failure) {
            let database = try SQLiteDatabase(path: path)
            defer { database.close() }
            var rows = 0
            var bytes: UInt64 = 0
            let start = ContinuousClock.now
            try database.query("SELECT seq, ts, run, incident, type, step, line, hash, prev FROM events ORDER BY seq") {
                row in
                rows += 1
                bytes &+= UInt64(bitPattern: row.integer(0))
                for column: Int32 in 1...8 {
                    bytes &+= UInt64(row.utf8(column).count)
                }
                return true
            }
            return (rows, bytes, ContinuousClock.now - start)
        } catch {
            throw .sqlite(error, while: "read", path: path)
        }
    }
}
