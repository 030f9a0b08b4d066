import RunbookLanguage

/// The backends a `pg.kill` step would end, and those it leaves alone, read from `pg_stat_activity`.
struct PostgresKillPlan: Sendable {
    /// The step's parameters.
    var request: PostgresKillRequest
    /// The backends to end, longest-running first.
    var targets: [PostgresBackend]
    /// Long-running backends left alone, with why.
    var excluded: [(backend: PostgresBackend, reason: String)]

    /// Reads the candidates.
    /// - Throws: `ActionFailure` when the role cannot see other roles' sessions.
    init(_ session: PostgresSession, _ request: PostgresKillRequest) throws(ActionFailure) {
        self.request = request
        targets = []
        excluded = []
        for backend in try PostgresLongQueriesAction.backends(session, longerThan: request.minDuration) {
            if let reason = request.exclusion(of: backend) {
                excluded.append((backend, reason))
            } else {
                targets.append(backend)
            }
        }
    }

    /// Whether the guard rail holds: no more targets than `max_kills`.
    var withinLimit: Bool { targets.count <= request.maxKills }

    /// `would terminate 3 backends (max_kills 10)`, then one line per backend.
    var previewLines: [String] {
        let verb = request.mode.rawValue
        let limit = DurationSyntax.format(request.minDuration)
        var lines: [String]
        if targets.isEmpty {
            lines = ["would \(verb) nothing: no backend matches (over \(limit), max_kills \(request.maxKills))"]
        } else if withinLimit {
            lines = ["would \(verb) \(Self.backends(targets.count)) (max_kills \(request.maxKills))"]
        } else {
            lines = ["would refuse and \(verb) nothing: \(refusal)"]
        }
        lines += targets.map(\.summary)
        if !excluded.isEmpty { lines.append("left alone: " + excluded.map { "pid \($0.backend.pid) (\($0.reason))" }.joined(separator: ", ")) }
        return lines
    }

    /// Why nothing is killed when the guard rail trips.
    var refusal: String {
        "\(Self.backends(targets.count)) match (over \(DurationSyntax.format(request.minDuration)), not excluded), "
            + "more than max_kills \(request.maxKills); narrow the match with a longer min_duration, exclude_users "
            + "or exclude_applications, or raise max_kills"
    }

    /// `1 backend`, `3 backends`.
    static func backends(_ count: Int) -> String { count == 1 ? "1 backend" : "\(count) backends" }
}
