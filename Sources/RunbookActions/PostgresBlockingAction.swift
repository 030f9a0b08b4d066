import RunbookLanguage
import RunbookPostgres

/// `pg.blocking`: the lock-wait tree, from `pg_blocking_pids`.
///
/// Outputs `blocked` (each waiting backend, with `blocked_by` and `wait`), `roots` (the backends that block others
/// and wait for nobody, with `blocking`: how many wait on them directly or through others, and `blocked_pids`: the
/// ones that wait on them directly), `count` (backends waiting) and `hidden` (sessions of other roles the role cannot
/// see the query of).
public struct PostgresBlockingAction: Action {
    /// Creates the action.
    public init() {}

    /// The catalog's `pg.blocking` spec.
    public var spec: ActionSpec { .builtin("pg.blocking") }

    /// Reads the tree.
    /// - Throws: `ActionFailure` when the server cannot be reached or refuses the query.
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        let (rows, visibility) = try await PostgresTarget(context, action: spec.name).run {
            session throws(ActionFailure) in
            (try session.rows(Self.sql), try session.visibility())
        }
        let tree = PostgresLockTree(rows.map { (PostgresBackend($0), $0["wait"] ?? "") })
        if visibility.hidden > 0 {
            context.emit(OutputLine(
                stream: .stderr,
                text: "warning: role \(visibility.role) cannot see the queries of \(visibility.hidden) sessions of "
                    + "other roles; \(visibility.grant) shows them"))
        }
        for line in tree.lines { context.emit(OutputLine(stream: .stdout, text: line)) }
        return [
            "blocked": .array(tree.blocked.map { $0.value(adding: ["wait": .string(tree.waits[$0.pid] ?? "")]) }),
            "roots": .array(tree.roots.map { root in
                root.value(adding: [
                    "blocking": .number(Double(tree.waitingCount(on: root.pid))),
                    "blocked_pids": .array((tree.waiters[root.pid] ?? []).map { .number(Double($0)) }),
                ])
            }),
            "count": .number(Double(tree.blocked.count)),
            "hidden": .number(Double(visibility.hidden)),
        ]
    }

    /// Every backend that waits for a lock, and every backend it waits for.
    static let sql = """
        WITH waiting AS (
            SELECT pid, pg_blocking_pids(pid) AS blockers FROM pg_stat_activity
            WHERE cardinality(pg_blocking_pids(pid)) > 0
        )
        SELECT \(PostgresBackend.columns), coalesce(wait_event_type || ':' || wait_event, '') AS wait
        FROM pg_stat_activity
        WHERE pid IN (SELECT pid FROM waiting) OR pid IN (SELECT unnest(blockers) FROM waiting)
        ORDER BY pid
        """
}
