/// How `pg.kill` ends a backend.
enum PostgresKillMode: String, Sendable, CaseIterable {
    /// `pg_cancel_backend`: the running statement fails, the session stays connected.
    case cancel
    /// `pg_terminate_backend`: the session is closed and its transaction rolled back.
    case terminate

    /// Signals the backend `$1` started at `$2` (so a later backend that reuses the pid is never touched); no row
    /// when it has ended.
    var sql: String {
        switch self {
        case .cancel:
            "SELECT pg_cancel_backend(pid) AS signalled FROM pg_stat_activity "
                + "WHERE pid = $1::int AND backend_start = $2::timestamptz"
        case .terminate:
            "SELECT pg_terminate_backend(pid) AS signalled FROM pg_stat_activity "
                + "WHERE pid = $1::int AND backend_start = $2::timestamptz"
        }
    }

    /// Whether a backend in `state` is one this mode can end: a cancel does nothing to a session idle in transaction.
    func applies(to state: String) -> Bool {
        self == .terminate || state == "active"
    }
}
