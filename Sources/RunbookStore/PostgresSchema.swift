/// The tables, indexes, trigger and statements of a PostgreSQL store: the same columns as ``SQLiteSchema``, with
/// `line` the only truth and the other columns indexing it.
///
/// Everything lives in the connection's current schema (the first of its `search_path`), so one database can hold
/// several stores. Appends serialise on a transaction-scoped advisory lock keyed by that schema's name.
enum PostgresSchema {
    /// The schema version kept in `runbook_schema`.
    static let version: Int64 = 2

    /// The channel every append transaction notifies and waiting stores listen on.
    static let channel = "runbook_events"

    /// The advisory lock's first key (the second is the schema's name, hashed): "rb" in ASCII, a number of our own.
    static let lockKey = 0x7262

    /// Takes the append lock for the rest of the transaction.
    static let lock = "SELECT pg_advisory_xact_lock(\(lockKey), hashtext(coalesce(current_schema(), '')))"

    /// Settings of every connection of the store: its text is UTF-8, a writer waits at most 5 s for another's lock
    /// (as SQLite's busy timeout), and a session stuck inside a transaction cannot hold that lock for ever.
    static let sessionSettings = """
        SET client_encoding = 'UTF8'; SET lock_timeout = '5s'; SET idle_in_transaction_session_timeout = '60s'
        """

    /// Creates the tables, indexes and trigger and records the version: run by ``PostgresEventStore/initialize``
    /// as the owner role, inside a transaction holding the append lock.
    static let create = """
        CREATE TABLE IF NOT EXISTS runbook_schema (
            only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
            version integer NOT NULL
        );
        CREATE TABLE IF NOT EXISTS events (
            seq bigint PRIMARY KEY,
            ts text NOT NULL,
            run text NOT NULL,
            incident text,
            type text NOT NULL,
            step text,
            line text NOT NULL,
            hash text NOT NULL,
            prev text NOT NULL,
            recorded_by text
        );
        CREATE INDEX IF NOT EXISTS events_by_run ON events (run, seq);
        CREATE INDEX IF NOT EXISTS events_by_incident ON events (incident) WHERE incident IS NOT NULL;
        CREATE INDEX IF NOT EXISTS events_run_started ON events (seq, run) WHERE type = 'run.started';
        CREATE OR REPLACE FUNCTION runbook_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'events are append-only: %', TG_ARGV[0];
        END
        $$;
        CREATE OR REPLACE TRIGGER events_are_never_updated BEFORE UPDATE ON events
            FOR EACH STATEMENT EXECUTE FUNCTION runbook_refuse_change('an event is never updated');
        CREATE OR REPLACE TRIGGER events_are_never_deleted BEFORE DELETE ON events
            FOR EACH STATEMENT EXECUTE FUNCTION runbook_refuse_change('an event is never deleted');
        CREATE OR REPLACE TRIGGER events_are_never_truncated BEFORE TRUNCATE ON events
            FOR EACH STATEMENT EXECUTE FUNCTION runbook_refuse_change('the log is never truncated');
        \(recordedBy)
        INSERT INTO runbook_schema (version) VALUES (\(version)) ON CONFLICT (only_row) DO NOTHING;
        """

    /// The trigger that stamps every inserted row with the role that really inserted it (`recorded_by`), whatever
    /// the client sent: a witness to the actor in the line that the writer cannot choose.
    static let recordedBy = """
        CREATE OR REPLACE FUNCTION runbook_record_role() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.recorded_by := session_user;
            RETURN NEW;
        END
        $$;
        CREATE OR REPLACE TRIGGER events_record_role BEFORE INSERT ON events
            FOR EACH ROW EXECUTE FUNCTION runbook_record_role();
        """

    /// What brings a store of each older version one version forward, by the version it starts from; each runs
    /// inside the migration's transaction, which holds the append lock.
    static let migrations: [Int64: (summary: String, sql: String)] = [
        1: (
            "events get a recorded_by column, stamped by a trigger with the role that inserted each row",
            "ALTER TABLE events ADD COLUMN IF NOT EXISTS recorded_by text; \(recordedBy)"
        )
    ]

    /// Records `version` as the store's.
    static func setVersion(_ version: Int64) -> String { "UPDATE runbook_schema SET version = \(version)" }

    /// Whether the current schema has the version table.
    static let isInstalled = "SELECT to_regclass('runbook_schema') IS NOT NULL"

    /// The recorded version.
    static let installedVersion = "SELECT version FROM runbook_schema"

    /// The database's encoding.
    static let serverEncoding = "SHOW server_encoding"

    /// The role the server authenticated for this session, which `SET ROLE` does not change.
    static let sessionRole = "SELECT session_user"

    /// The current schema's name.
    static let currentSchema = "SELECT current_schema()"

    /// The grants a writer role needs on the store in `schema`: read and append, nothing else.
    static func writerGrants(schema: String, role: String) -> String {
        let role = quoted(role)
        return """
            GRANT USAGE ON SCHEMA \(quoted(schema)) TO \(role); GRANT SELECT, INSERT ON events TO \(role);
            GRANT SELECT ON runbook_schema TO \(role)
            """
    }

    /// `name` as a quoted SQL identifier.
    static func quoted(_ name: String) -> String {
        "\"" + name.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    /// Starts an append transaction: the lock, then the head (`seq, hash, ts`) read after it was granted.
    static let beginAppend = "BEGIN; \(lock); SELECT seq, hash, ts FROM events ORDER BY seq DESC LIMIT 1"

    /// The newest record's `seq`, `hash` and `ts`.
    static let head = "SELECT seq, hash, ts FROM events ORDER BY seq DESC LIMIT 1"

    /// Adds `rows` records.
    static func insert(rows: Int) -> String {
        "INSERT INTO events (seq, ts, run, incident, type, step, line, hash, prev) VALUES " + values(rows: rows)
    }

    /// Adds `rows` records only if the newest record is still the one with the `seq` and `hash` given after them
    /// (parameters `9 × rows + 1` and `+ 2`), and notifies the new head's `seq` when it did: one row when the records
    /// were inserted, none when the head had moved and nothing was.
    static func insertIfHead(rows: Int) -> String {
        let head = rows * 9
        return "WITH head AS (SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1), "
            + "added AS (INSERT INTO events (seq, ts, run, incident, type, step, line, hash, prev) "
            + "SELECT * FROM (VALUES \(values(rows: rows))) AS new (seq, ts, run, incident, type, step, line, hash, prev) "
            + "WHERE (SELECT seq FROM head) = $\(head + 1)::bigint AND (SELECT hash FROM head) = $\(head + 2) "
            + "RETURNING seq) SELECT pg_notify('\(channel)', max(seq)::text) FROM added HAVING count(*) > 0"
    }

    /// `rows` rows of nine parameters each, the first (`seq`) typed.
    private static func values(rows: Int) -> String {
        var sql = ""
        for row in 0..<rows {
            let first = row * 9
            sql += (row == 0 ? "($" : ", ($") + "\(first + 1)::bigint, "
                + (2...9).map { "$\(first + $0)" }.joined(separator: ", ") + ")"
        }
        return sql
    }

    /// Tells every listening store the new head's `seq` (parameter 1), at commit.
    static let notify = "SELECT pg_notify('\(channel)', $1)"

    /// Whether `run` has an event of `types` given types after a sequence number (an ``AppendCondition`` broken).
    static func eventOfRunAfter(types: Int) -> String {
        "SELECT 1 FROM events WHERE run = $1 AND seq > $2 AND type IN ("
            + (0..<types).map { "$\($0 + 3)" }.joined(separator: ", ") + ") LIMIT 1"
    }

    /// Lines of one run.
    static let linesOfRun = "SELECT seq, line FROM events WHERE run = $1 ORDER BY seq"

    /// Lines of one run after a sequence number.
    static let linesOfRunAfter = "SELECT seq, line FROM events WHERE run = $1 AND seq > $2 ORDER BY seq"

    /// Lines of one run after a sequence number, of `types` given types only.
    static func linesOfRunAfter(types: Int) -> String {
        "SELECT seq, line FROM events WHERE run = $1 AND seq > $2 AND type IN ("
            + (0..<types).map { "$\($0 + 3)" }.joined(separator: ", ") + ") ORDER BY seq"
    }

    /// Lines of every run of one incident, and of events that name the incident without a run of it.
    static let linesOfIncident = """
        SELECT seq, line FROM events
        WHERE incident = $1 OR run IN (SELECT run FROM events WHERE incident = $1)
        ORDER BY seq
        """

    /// Lines after a sequence number.
    static let linesAfter = "SELECT seq, line FROM events WHERE seq > $1 ORDER BY seq LIMIT $2"

    /// The newest runs by their latest `run.started` event, newest first.
    static let recentRuns = """
        SELECT run FROM events WHERE type = 'run.started' GROUP BY run ORDER BY max(seq) DESC LIMIT $1
        """

    /// The newest record before a sequence number.
    static let recordBefore = "SELECT seq, hash FROM events WHERE seq < $1 ORDER BY seq DESC LIMIT 1"

    /// One page of rows for verification, with every column it checks.
    static let verificationPage = """
        SELECT seq, line, run, incident, type, step, hash, prev, ts FROM events WHERE seq > $1 ORDER BY seq LIMIT $2
        """
}
