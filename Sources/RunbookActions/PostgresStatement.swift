import RunbookPostgres
import RunbookLanguage

/// One normalized statement from `pg_stat_statements`: how often it ran and how long it took.
struct PostgresStatement: Sendable, Hashable {
    /// The statement, with constants as `$1`, whitespace collapsed, at most ``maxQueryLength`` characters.
    var query: String
    /// Times it was executed.
    var calls: Int
    /// Rows it returned or changed, summed.
    var rows: Int
    /// Mean execution time per call, in milliseconds.
    var meanMilliseconds: Double
    /// Execution time summed over its calls, in milliseconds.
    var totalMilliseconds: Double
    /// Its slowest call, in milliseconds.
    var maxMilliseconds: Double
    /// The role that ran it.
    var user: String
    /// The database it ran in.
    var database: String

    /// How much of a statement's text is kept.
    static let maxQueryLength = 1_000

    /// The text `pg_stat_statements` shows for other roles' statements without `pg_read_all_stats`.
    static let hiddenText = "<insufficient privilege>"

    /// Where the extension is installed in this database and which columns its version has; no row when it is not.
    static let extensionSQL = """
        SELECT format('%I.pg_stat_statements', n.nspname) AS view, e.extversion AS version,
               current_database() AS database,
               EXISTS (SELECT FROM pg_attribute a
                       WHERE a.attrelid = to_regclass(format('%I.pg_stat_statements', n.nspname))
                         AND a.attname = 'total_exec_time') AS exec_columns
        FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
        WHERE e.extname = 'pg_stat_statements'
        """

    /// The top `$1` statements called at least `$2` times from `view`, ranked by `ranking` (`mean` or `total`);
    /// `execColumns` when the view has PostgreSQL 13's `*_exec_time` columns rather than `*_time`.
    static func topSQL(view: String, ranking: String, execColumns: Bool) -> String {
        let time = execColumns ? "exec_time" : "time"
        return """
            SELECT s.query, s.calls, s.rows, s.mean_\(time) AS mean_ms, s.total_\(time) AS total_ms,
                   s.max_\(time) AS max_ms, coalesce(r.rolname, s.userid::text) AS user,
                   coalesce(d.datname, s.dbid::text) AS database
            FROM \(view) s
            LEFT JOIN pg_roles r ON r.oid = s.userid
            LEFT JOIN pg_database d ON d.oid = s.dbid
            WHERE s.calls >= $2::bigint
            ORDER BY s.\(ranking)_\(time) DESC, s.calls DESC
            LIMIT $1::bigint
            """
    }

    /// Reads a row selected by ``topSQL(view:ranking:execColumns:)``.
    init(_ row: PostgresRow) {
        query = String(PostgresBackend.collapsingWhitespace(row["query"] ?? "").prefix(Self.maxQueryLength))
        calls = row.int("calls") ?? 0
        rows = row.int("rows") ?? 0
        meanMilliseconds = Self.rounded(row.double("mean_ms"))
        totalMilliseconds = Self.rounded(row.double("total_ms"))
        maxMilliseconds = Self.rounded(row.double("max_ms"))
        user = row["user"] ?? ""
        database = row["database"] ?? ""
    }

    /// Whether the role may not see the statement's text.
    var isHidden: Bool { query == Self.hiddenText }

    /// The output entry: query, calls, rows, mean_ms, total_ms, max_ms, user, database.
    var value: Value {
        .object([
            "query": .string(query), "calls": .number(Double(calls)), "rows": .number(Double(rows)),
            "mean_ms": .number(meanMilliseconds), "total_ms": .number(totalMilliseconds),
            "max_ms": .number(maxMilliseconds), "user": .string(user), "database": .string(database),
        ])
    }

    /// One line: `12.5 ms mean × 340 calls (4250 ms total): SELECT …` (the query's first 80 characters).
    var summary: String {
        let shown = query.count > 80 ? query.prefix(80) + "…" : query
        return "\(Value.number(meanMilliseconds)) ms mean × \(calls) calls "
            + "(\(Value.number(totalMilliseconds)) ms total): \(shown)"
    }

    /// Milliseconds to three decimals.
    private static func rounded(_ value: Double?) -> Double { ((value ?? 0) * 1000).rounded() / 1000 }
}
