import RunbookLanguage
import RunbookPostgres

/// An open connection of a `pg.*` step: statements whose failures read as the step's own.
///
/// Not `Sendable`: it lives on the connection's thread, inside `PostgresTarget.run`.
struct PostgresSession {
    /// The connection.
    let connection: PostgresConnection
    /// Where it goes, for messages.
    let target: PostgresTarget

    /// Runs `sql` with `parameters` bound to `$1`, `$2`, …
    /// - Throws: `ActionFailure` naming the environment and endpoint.
    func rows(_ sql: String, _ parameters: [String?] = []) throws(ActionFailure) -> [PostgresRow] {
        do {
            return try connection.query(sql, parameters)
        } catch {
            throw target.statementFailure(error, at: connection.endpoint)
        }
    }

    /// Runs `sql`, returning the server's refusal as a value (for `pg.kill`, where a refusal is reported per backend).
    /// - Throws: `ActionFailure` only when the connection broke or the task was cancelled.
    func attempt(_ sql: String, _ parameters: [String?]) throws(ActionFailure) -> Result<[PostgresRow], PostgresError> {
        do {
            return .success(try connection.query(sql, parameters))
        } catch where error.code == .server {
            return .failure(error)
        } catch {
            throw target.statementFailure(error, at: connection.endpoint)
        }
    }

    /// The connected role and how many sessions of other roles it cannot see (`<insufficient privilege>`).
    func visibility() throws(ActionFailure) -> PostgresVisibility {
        let row = try rows(PostgresVisibility.sql).first
        return PostgresVisibility(role: row?["role"] ?? "?", hidden: row?.int("hidden") ?? 0)
    }

    /// Fails unless the role sees every session's state and query.
    /// - Throws: `ActionFailure` naming the grant the role needs.
    func requireFullVisibility() throws(ActionFailure) {
        let visibility = try visibility()
        guard visibility.hidden == 0 else { throw ActionFailure(visibility.problem(target, connection.endpoint)) }
    }
}
