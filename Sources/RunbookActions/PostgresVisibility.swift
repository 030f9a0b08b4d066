import RunbookPostgres
/// Whether the connected role sees other roles' sessions in `pg_stat_activity`.
///
/// Without `pg_read_all_stats` (which `pg_monitor` includes) or superuser, every session of another role shows its
/// query as `<insufficient privilege>` and its state as NULL: a long-running query would look like none at all.
struct PostgresVisibility: Sendable, Hashable {
    /// The role, quoted as an identifier when it needs quotes.
    var role: String
    /// Sessions of other roles whose state and query it cannot see.
    var hidden: Int

    /// Reads both; sessions without a role (the checkpointer, the WAL writer) do not count.
    static let sql = """
        SELECT quote_ident(current_user) AS role,
               count(*) FILTER (WHERE query = '<insufficient privilege>' AND usesysid IS NOT NULL) AS hidden
        FROM pg_stat_activity
        """

    /// The grant that lets the role see them.
    var grant: String { "GRANT pg_read_all_stats TO \(role) (or GRANT pg_monitor TO \(role))" }

    /// One line: what the role cannot see, where, and the grant it needs.
    func problem(_ target: PostgresTarget, _ endpoint: PostgresEndpoint) -> String {
        "\(target.action): role \(role) cannot see what other roles' sessions run on \(endpoint) "
            + "(\(target.environmentLabel)): pg_stat_activity shows \(hidden) of them as <insufficient privilege>; "
            + "as a superuser run \(grant), or connect as a role that has it"
    }
}
