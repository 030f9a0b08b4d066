import RunbookLanguage

/// The parameters of a `pg.kill` step: which backends, how, and how many at most.
struct PostgresKillRequest: Sendable {
    /// Only backends in their state for longer than this.
    var minDuration: Duration
    /// Cancel or terminate.
    var mode: PostgresKillMode
    /// Roles never touched.
    var excludeUsers: [String]
    /// `application_name` values never touched.
    var excludeApplications: [String]
    /// More matches than this and nothing is killed.
    var maxKills: Int

    /// Reads the step's parameters, with the catalog's defaults (5m, cancel, 10).
    /// - Throws: `ActionFailure` for a malformed value.
    init(_ context: ActionContext, action: String) throws(ActionFailure) {
        minDuration = try context.duration("min_duration", action: action) ?? .seconds(300)
        let modeName = context.string("mode") ?? PostgresKillMode.cancel.rawValue
        guard let mode = PostgresKillMode(rawValue: modeName) else {
            throw ActionFailure("\(action): 'mode' must be 'cancel' or 'terminate', not '\(modeName)'")
        }
        self.mode = mode
        excludeUsers = try context.stringList("exclude_users", action: action)
        excludeApplications = try context.stringList("exclude_applications", action: action)
        maxKills = try context.integer("max_kills", action: action) ?? 10
        guard maxKills >= 0 else { throw ActionFailure("\(action): 'max_kills' must be 0 or more, not \(maxKills)") }
    }

    /// Why `backend` is left alone, or nil when it is to be killed.
    func exclusion(of backend: PostgresBackend) -> String? {
        if excludeUsers.contains(backend.user) { return "user '\(backend.user)' is in exclude_users" }
        if excludeApplications.contains(backend.application) {
            return "application '\(backend.application)' is in exclude_applications"
        }
        if !mode.applies(to: backend.state) {
            return "\(backend.state): a cancel does not end it (mode: terminate does)"
        }
        return nil
    }
}
