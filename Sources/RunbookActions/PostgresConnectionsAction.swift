import RunbookLanguage
import RunbookPostgres

/// `pg.connections`: client connections by state against `max_connections`.
///
/// Outputs `total`, `max`, `by_state` (state → count), `percent` (of `max`), `reserved`
/// (`superuser_reserved_connections`), `available` (slots left for roles that are not superusers) and `hidden`
/// (sessions of other roles the role cannot see the state of, counted as `unknown`).
public struct PostgresConnectionsAction: Action {
    /// Creates the action.
    public init() {}

    /// The catalog's `pg.connections` spec.
    public var spec: ActionSpec { .builtin("pg.connections") }

    /// Counts the connections.
    /// - Throws: `ActionFailure` when the server cannot be reached or refuses the query.
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        let target = PostgresTarget(context, action: spec.name)
        let (states, settings, visibility) = try await target.run { session throws(ActionFailure) in
            (try session.rows(Self.statesSQL), try session.rows(Self.settingsSQL).first, try session.visibility())
        }
        var byState: [String: Value] = [:]
        var total = 0
        for row in states {
            let count = row.int("count") ?? 0
            byState[row["state"] ?? "unknown"] = .number(Double(count))
            total += count
        }
        let max = settings?.int("max_connections") ?? 0
        let reserved = settings?.int("reserved") ?? 0
        if visibility.hidden > 0 {
            context.emit(OutputLine(
                stream: .stderr,
                text: "warning: role \(visibility.role) cannot see the state of \(visibility.hidden) sessions of other "
                    + "roles (counted as 'unknown'); \(visibility.grant) shows them"))
        }
        let percent = max > 0 ? (Double(total) * 100 / Double(max)).rounded() : 0
        context.emit(OutputLine(stream: .stdout, text: "\(total) of \(max) connections in use (\(Int(percent)) %)"))
        return [
            "total": .number(Double(total)), "max": .number(Double(max)), "by_state": .object(byState),
            "percent": .number(percent), "reserved": .number(Double(reserved)),
            "available": .number(Double(Swift.max(0, max - reserved - total))),
            "hidden": .number(Double(visibility.hidden)),
        ]
    }

    /// Client backends by state. Without `pg_read_all_stats`, other roles' sessions have no backend type or state:
    /// those with a role are counted as `unknown`.
    static let statesSQL = """
        SELECT coalesce(state, 'unknown') AS state, count(*) AS count
        FROM pg_stat_activity
        WHERE backend_type = 'client backend' OR (backend_type IS NULL AND usesysid IS NOT NULL)
        GROUP BY 1 ORDER BY 1
        """

    /// The limits.
    static let settingsSQL = """
        SELECT current_setting('max_connections') AS max_connections,
               current_setting('superuser_reserved_connections') AS reserved
        """
}
