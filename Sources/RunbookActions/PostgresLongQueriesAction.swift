import RunbookLanguage

/// `pg.long_queries`: client backends active, or idle in transaction, for longer than `min_duration` (5m).
///
/// Outputs `count` and `queries`, longest first; each query has `pid`, `user`, `application`, `client`, `state`,
/// `duration` (seconds), `age` (`12m30s`), `query` and `blocked_by`. Its own backend is never listed. Fails when the
/// role cannot see other roles' sessions, rather than report none.
public struct PostgresLongQueriesAction: Action {
    /// Creates the action.
    public init() {}

    /// The catalog's `pg.long_queries` spec.
    public var spec: ActionSpec { .builtin("pg.long_queries") }

    /// Lists the backends.
    /// - Throws: `ActionFailure` when the server cannot be reached, refuses the query, or hides other roles' sessions.
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        let minimum = try context.duration("min_duration", action: spec.name) ?? .seconds(300)
        let backends = try await PostgresTarget(context, action: spec.name).run { session throws(ActionFailure) in
            try Self.backends(session, longerThan: minimum)
        }
        for backend in backends { context.emit(OutputLine(stream: .stdout, text: backend.summary)) }
        return ["count": .number(Double(backends.count)), "queries": .array(backends.map(\.value))]
    }

    /// The client backends active or idle in transaction for longer than `minimum`, longest first.
    /// - Throws: `ActionFailure` when the role cannot see other roles' sessions.
    static func backends(_ session: PostgresSession, longerThan minimum: Duration) throws(ActionFailure)
        -> [PostgresBackend]
    {
        try session.requireFullVisibility()
        let seconds = Double(minimum.components.seconds) + Double(minimum.components.attoseconds) / 1e18
        return try session.rows(PostgresBackend.longRunningSQL, [String(seconds)]).map(PostgresBackend.init)
    }
}
