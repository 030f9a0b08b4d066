import RunbookPostgres
import RunbookLanguage

/// `pg.slow_statements`: the top statements of `pg_stat_statements`, by mean time per call (or total time).
///
/// When the extension is not installed in the database, or not loaded by `shared_preload_libraries`, the step
/// succeeds with `available: false` and a `reason` that says what to run, so a runbook can branch on it.
public struct PostgresSlowStatementsAction: Action {
    /// Creates the action.
    public init() {}

    /// The catalog's `pg.slow_statements` spec.
    public var spec: ActionSpec { .builtin("pg.slow_statements") }

    /// Lists the statements; outputs `available`, `reason`, `count`, `statements`, `top_mean_ms` and `hidden`.
    /// - Throws: `ActionFailure` when the server cannot be reached or refuses the query for another reason.
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        let ranking = context.string("order_by") == "total" ? "total" : "mean"
        let limit = try context.integer("limit", action: spec.name, default: 10, in: 1...1_000) ?? 10
        let minCalls = try context.integer("min_calls", action: spec.name, default: 1) ?? 1
        let action = spec.name
        let found = try await PostgresTarget(context, action: action).run { session throws(ActionFailure) in
            try Self.statements(session, ranking: ranking, limit: limit, minCalls: minCalls)
        }
        switch found {
        case .failure(let unavailable):
            context.emit(OutputLine(stream: .stderr, text: "\(action): \(unavailable)"))
            return [
                "available": false, "reason": .string(unavailable.description), "count": 0, "statements": [], "top_mean_ms": 0,
                "hidden": 0,
            ]
        case .success(let statements):
            for statement in statements { context.emit(OutputLine(stream: .stdout, text: statement.summary)) }
            let hidden = statements.filter(\.isHidden).count
            if hidden > 0 {
                context.emit(OutputLine(
                    stream: .stderr,
                    text: "warning: \(hidden) statements of other roles show as \(PostgresStatement.hiddenText); "
                        + "GRANT pg_read_all_stats to the role to see them"))
            }
            return [
                "available": true, "reason": "", "count": .number(Double(statements.count)),
                "statements": .array(statements.map(\.value)),
                "top_mean_ms": .number(statements.first?.meanMilliseconds ?? 0), "hidden": .number(Double(hidden)),
            ]
        }
    }

    /// The statements, or why `pg_stat_statements` cannot be read in this database.
    /// - Throws: `ActionFailure` when the server refuses a query for another reason.
    static func statements(
        _ session: PostgresSession, ranking: String, limit: Int, minCalls: Int
    ) throws(ActionFailure) -> Result<[PostgresStatement], Unavailable> {
        guard let installed = try session.rows(PostgresStatement.extensionSQL).first, let view = installed["view"]
        else {
            let database = try session.rows("SELECT current_database() AS name").first?["name"] ?? "?"
            return .failure(Unavailable(
                "the extension pg_stat_statements is not installed in database \(database) on "
                    + "\(session.connection.endpoint); add pg_stat_statements to shared_preload_libraries (a restart) "
                    + "and run CREATE EXTENSION pg_stat_statements there"))
        }
        let sql = PostgresStatement.topSQL(
            view: view, ranking: ranking, execColumns: installed["exec_columns"] == "t")
        switch try session.attempt(sql, [String(limit), String(minCalls)]) {
        case .success(let rows):
            return .success(rows.map(PostgresStatement.init))
        case .failure(let error) where error.sqlState == "55000":
            // "pg_stat_statements must be loaded via shared_preload_libraries"
            return .failure(Unavailable(
                "pg_stat_statements is installed in database \(installed["database"] ?? "?") but not loaded on "
                    + "\(session.connection.endpoint); add it to shared_preload_libraries and restart the server"))
        case .failure(let error):
            throw session.target.statementFailure(error, at: session.connection.endpoint)
        }
    }

    /// Why the statistics cannot be read, as one line that says what to do.
    struct Unavailable: Error, Sendable, CustomStringConvertible {
        /// The line.
        var description: String

        init(_ description: String) { self.description = description }
    }
}
