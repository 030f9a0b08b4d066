import RunbookLanguage
import RunbookPostgres

/// One client backend from `pg_stat_activity`: who runs what, for how long, and who blocks it.
struct PostgresBackend: Sendable, Hashable {
    /// The backend's process id.
    var pid: Int
    /// The role.
    var user: String
    /// `application_name`.
    var application: String
    /// `address:port`, or `local` for a Unix socket.
    var client: String
    /// `active`, `idle in transaction`, …
    var state: String
    /// Seconds in that state: since the query started when active, since it went idle otherwise.
    var seconds: Double
    /// The query, whitespace collapsed.
    var query: String
    /// The backends it waits for (`pg_blocking_pids`).
    var blockedBy: [Int]
    /// `backend_start` as the server prints it: with the pid, it names this backend and no later one.
    var backendStart: String

    /// The columns `init(_:)` reads, for a `SELECT … FROM pg_stat_activity`.
    static let columns = """
        pid, usename, application_name, backend_start::text AS backend_start,
        CASE WHEN client_port = -1 THEN 'local' ELSE host(client_addr) || ':' || client_port END AS client,
        state, extract(epoch FROM now() - coalesce(CASE WHEN state = 'active' THEN query_start ELSE state_change END,
                                                   backend_start)) AS seconds,
        query, array_to_string(pg_blocking_pids(pid), ',') AS blocked_by
        """

    /// Client backends other than this one, active or idle in transaction for longer than `$1` seconds, longest first.
    static let longRunningSQL = """
        SELECT \(columns)
        FROM pg_stat_activity
        WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
          AND (state = 'active' OR state LIKE 'idle in transaction%')
          AND now() - CASE WHEN state = 'active' THEN query_start ELSE state_change END > make_interval(secs => $1::float8)
        ORDER BY seconds DESC, pid
        """

    /// Reads a row selected with `columns`.
    init(_ row: PostgresRow) {
        pid = row.int("pid") ?? 0
        user = row["usename"] ?? ""
        application = row["application_name"] ?? ""
        client = row["client"] ?? ""
        state = row["state"] ?? "unknown"
        seconds = (row.double("seconds") ?? 0).rounded()
        query = Self.collapsingWhitespace(row["query"] ?? "")
        blockedBy = row.integers("blocked_by")
        backendStart = row["backend_start"] ?? ""
    }

    /// How long, as `12m30s`.
    var age: String { DurationSyntax.format(.seconds(Int64(max(0, seconds)))) }

    /// The output entry: pid, user, application, client, state, duration, age, query, blocked_by.
    var value: Value { .object(fields) }

    /// The output entry with `extra` fields (`reason`, `ended`).
    func value(adding extra: [String: Value]) -> Value { .object(fields.merging(extra) { $1 }) }

    private var fields: [String: Value] {
        [
            "pid": .number(Double(pid)), "user": .string(user), "application": .string(application),
            "client": .string(client), "state": .string(state), "duration": .number(seconds), "age": .string(age),
            "query": .string(query), "blocked_by": .array(blockedBy.map { .number(Double($0)) }),
        ]
    }

    /// One line: `pid 4242 app psql 12m30s idle in transaction: UPDATE accounts SET …` (the query's first 80 characters).
    var summary: String {
        let application = application.isEmpty ? "-" : application
        let shown = query.count > 80 ? query.prefix(80) + "…" : query
        return "pid \(pid) \(user) \(application) \(age) \(state): \(shown)"
    }

    /// `text` with each run of whitespace (newlines included) as one space.
    static func collapsingWhitespace(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
