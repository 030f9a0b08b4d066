extension ActionCatalog {
    private static let dsn = ParameterSpec.optional(
        "dsn", .string, "A libpq connection string or URI; defaults to the environment's postgres.")
    private static let minDuration = ParameterSpec.optional(
        "min_duration", .duration, "Only backends busy for longer than this.", default: "5m")

    /// The PostgreSQL actions.
    static let postgres: [ActionSpec] = [
        ActionSpec(
            name: "pg.connections", summary: "Counts connections by state against max_connections.",
            mutating: false, defaultTimeout: .seconds(60),
            parameters: [dsn],
            outputs: [
                OutputSpec("total", "Connections."), OutputSpec("max", "max_connections."),
                OutputSpec("by_state", "Connections by state."),
                OutputSpec("percent", "total as a percentage of max, rounded."),
                OutputSpec("reserved", "superuser_reserved_connections."),
                OutputSpec("available", "Slots left for roles that are not superusers."),
                OutputSpec("hidden", "Sessions of other roles whose state the role cannot see."),
            ]),
        ActionSpec(
            name: "pg.long_queries", summary: "Lists client backends active, or idle in transaction, for too long.",
            mutating: false, defaultTimeout: .seconds(60),
            parameters: [dsn, minDuration],
            outputs: [OutputSpec("count", "Backends found."), OutputSpec("queries", "Each backend's details.")]),
        ActionSpec(
            name: "pg.kill", summary: "Cancels or terminates long-running backends, within guard rails.",
            mutating: true, defaultTimeout: .seconds(60),
            parameters: [
                dsn, minDuration,
                .optional("mode", .oneOf(["cancel", "terminate"]), "pg_cancel_backend or pg_terminate_backend.",
                          default: "cancel"),
                .optional("exclude_users", .stringList, "Roles whose backends are never touched."),
                .optional("exclude_applications", .stringList, "application_name values never touched."),
                .optional("max_kills", .int, "Refuse, and kill nothing, when more would be killed.", default: 10),
            ],
            outputs: [
                OutputSpec("count", "Backends killed."), OutputSpec("killed", "The backends killed."),
                OutputSpec("refused", "The backends not killed, with why."),
                OutputSpec("excluded", "The backends the guard rails left alone, with why."),
                OutputSpec("matched", "When max_kills was exceeded: the backends that matched."),
            ]),
        ActionSpec(
            name: "pg.slow_statements",
            summary: "Lists the slowest statements of pg_stat_statements by mean or total time.",
            mutating: false, defaultTimeout: .seconds(60),
            parameters: [
                dsn,
                .optional("order_by", .oneOf(["mean", "total"]), "Rank by mean time per call or by total time.",
                          default: "mean"),
                .optional("limit", .int, "How many statements to list.", default: 10),
                .optional("min_calls", .int, "Only statements called at least this often.", default: 1),
            ],
            outputs: [
                OutputSpec("available", "Whether pg_stat_statements could be read; false when it is not installed."),
                OutputSpec("reason", "When it could not: why, and what to run; empty otherwise."),
                OutputSpec("count", "Statements listed."),
                OutputSpec("statements", "Each statement: query, calls, rows, mean_ms, total_ms, max_ms, user, "
                    + "database."),
                OutputSpec("top_mean_ms", "The first statement's mean time in ms; 0 when none is listed."),
                OutputSpec("hidden", "Statements of other roles whose text the role cannot see."),
            ]),
        ActionSpec(
            name: "pg.replication",
            summary: "On a primary, each standby's state and lag; on a standby, its replay delay; against a threshold.",
            mutating: false, defaultTimeout: .seconds(60),
            parameters: [
                dsn,
                .optional("max_lag", .duration, "The replay lag a standby may have.", default: "1s"),
                .optional("max_lag_bytes", .int, "The WAL, in bytes, a standby may be behind; unchecked when absent."),
                .optional("min_standbys", .int, "On a primary: how many standbys must be streaming.", default: 1),
            ],
            outputs: [
                OutputSpec("role", "'primary' or 'standby'."),
                OutputSpec("standbys", "On a primary: each standby's name, client, state, sync_state and its "
                    + "write/flush/replay lag in bytes and seconds."),
                OutputSpec("count", "On a primary: standbys connected."),
                OutputSpec("streaming", "On a primary: standbys streaming."),
                OutputSpec("lagging", "Standbys (or, on a standby, itself) beyond max_lag or max_lag_bytes."),
                OutputSpec("lag_seconds", "The largest replay lag (on a standby: its replay delay), in seconds."),
                OutputSpec("lag_bytes", "The largest replay lag, in bytes of WAL."),
                OutputSpec("receiver", "On a standby: the WAL receiver's status ('streaming'); empty when none runs."),
                OutputSpec("ok", "Whether enough standbys stream and none is beyond the threshold."),
            ]),
        ActionSpec(
            name: "pg.blocking", summary: "Shows the lock-wait tree (pg_blocking_pids).",
            mutating: false, defaultTimeout: .seconds(60),
            parameters: [dsn],
            outputs: [
                OutputSpec("blocked", "Backends waiting on a lock."), OutputSpec("roots", "The blockers at the roots."),
                OutputSpec("count", "Backends waiting on a lock."),
                OutputSpec("hidden", "Sessions of other roles whose query the role cannot see."),
            ]),
    ]
}
