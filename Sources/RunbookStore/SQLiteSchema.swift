/// The tables, indexes and triggers of a SQLite store, and the statements that use them.
///
/// `line` is the record exactly as stored and exported, and the only truth; the other columns index it. The index
/// for ``SQLiteEventStore/recentRuns(limit:)`` holds only `run.started` events, ordered by `seq`, so listing the
/// newest runs reads a handful of entries and appending any other event never touches it.
enum SQLiteSchema {
    /// The schema version kept in `PRAGMA user_version`.
    static let version: Int64 = 1

    /// Creates what is missing.
    static let create = """
        CREATE TABLE IF NOT EXISTS events (
            seq INTEGER PRIMARY KEY,
            ts TEXT NOT NULL,
            run TEXT NOT NULL,
            incident TEXT,
            type TEXT NOT NULL,
            step TEXT,
            line TEXT NOT NULL,
            hash TEXT NOT NULL,
            prev TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS events_by_run ON events (run);
        CREATE INDEX IF NOT EXISTS events_by_incident ON events (incident) WHERE incident IS NOT NULL;
        CREATE INDEX IF NOT EXISTS events_run_started ON events (seq, run) WHERE type = 'run.started';
        CREATE TRIGGER IF NOT EXISTS events_are_never_updated BEFORE UPDATE ON events
        BEGIN
            SELECT RAISE(ABORT, 'events are append-only: an event is never updated');
        END;
        CREATE TRIGGER IF NOT EXISTS events_are_never_deleted BEFORE DELETE ON events
        BEGIN
            SELECT RAISE(ABORT, 'events are append-only: an event is never deleted');
        END;
        """

    /// Adds one record.
    static let insert = """
        INSERT INTO events (seq, ts, run, incident, type, step, line, hash, prev) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// The newest record's `seq`, `hash` and `ts`.
    static let head = "SELECT seq, hash, ts FROM events ORDER BY seq DESC LIMIT 1"

    /// Lines of one run.
    static let linesOfRun = "SELECT seq, line FROM events WHERE run = ? ORDER BY seq"

    /// Lines of one run after a sequence number (`events_by_run` holds the rowid, so this reads only the newer ones).
    static let linesOfRunAfter = "SELECT seq, line FROM events WHERE run = ? AND seq > ? ORDER BY seq"

    /// Lines of one run after a sequence number, of `types` given types only: the others are never decoded.
    static func linesOfRunAfter(types: Int) -> String {
        "SELECT seq, line FROM events WHERE run = ? AND seq > ? AND type IN ("
            + Array(repeating: "?", count: types).joined(separator: ", ") + ") ORDER BY seq"
    }

    /// Whether `run` has an event of `types` given types after a sequence number (an ``AppendCondition`` broken).
    static func eventOfRunAfter(types: Int) -> String {
        "SELECT 1 FROM events WHERE run = ? AND seq > ? AND type IN ("
            + Array(repeating: "?", count: types).joined(separator: ", ") + ") LIMIT 1"
    }

    /// Lines of every run of one incident, and of events that name the incident without a run of it.
    static let linesOfIncident = """
        SELECT seq, line FROM events
        WHERE incident = ?1 OR run IN (SELECT run FROM events WHERE incident = ?1)
        ORDER BY seq
        """

    /// Lines after a sequence number.
    static let linesAfter = "SELECT seq, line FROM events WHERE seq > ? ORDER BY seq LIMIT ?"

    /// Runs by their `run.started` event, newest first.
    static let startedRuns = "SELECT run FROM events WHERE type = 'run.started' ORDER BY seq DESC"

    /// The newest record before a sequence number.
    static let recordBefore = "SELECT seq, hash FROM events WHERE seq < ? ORDER BY seq DESC LIMIT 1"

    /// One page of rows for verification, with every column it checks.
    static let verificationPage = """
        SELECT seq, line, run, incident, type, step, hash, prev, ts FROM events WHERE seq > ? ORDER BY seq LIMIT ?
        """

    /// Installs or checks the schema.
    /// - Throws: ``SQLiteDatabase/Failure`` when SQLite fails or the store comes from a newer runbook.
    static func install(in database: SQLiteDatabase) throws(SQLiteDatabase.Failure) {
        if try userVersion(of: database) == version { return }
        try database.writeTransaction { () throws(SQLiteDatabase.Failure) in
            let found = try userVersion(of: database)
            guard found <= version else {
                throw .other(
                    "it was written by a newer runbook (schema version \(found), this one reads \(version)); "
                        + "upgrade runbook")
            }
            try database.execute(create)
            try database.execute("PRAGMA user_version = \(version)")
        }
    }

    /// `PRAGMA user_version`.
    private static func userVersion(of database: SQLiteDatabase) throws(SQLiteDatabase.Failure) -> Int64 {
        var found: Int64 = 0
        try database.query("PRAGMA user_version") { row in
            found = row.integer(0)
            return false
        }
        return found
    }
}
