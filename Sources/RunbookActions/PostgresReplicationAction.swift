import RunbookPostgres
import RunbookLanguage

/// `pg.replication`: on a primary, each standby's state and write/flush/replay lag from `pg_stat_replication`; on a
/// standby, how far its replay is behind what it received; both held against `max_lag` and `max_lag_bytes`.
public struct PostgresReplicationAction: Action {
    /// Creates the action.
    public init() {}

    /// The catalog's `pg.replication` spec.
    public var spec: ActionSpec { .builtin("pg.replication") }

    /// Reads the replication state; outputs `role`, `standbys`, `count`, `streaming`, `lagging`, `lag_seconds`,
    /// `lag_bytes`, `receiver` and `ok`.
    /// - Throws: `ActionFailure` when the server cannot be reached or refuses the query.
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        let maxLag = try context.duration("max_lag", action: spec.name, default: .seconds(1)) ?? .seconds(1)
        let threshold = Threshold(
            seconds: Double(maxLag / .milliseconds(1)) / 1000,
            bytes: try context.integer("max_lag_bytes", action: spec.name, in: 0...Int.max).map(Double.init))
        let minStandbys = try context.integer("min_standbys", action: spec.name, default: 1) ?? 1
        let state = try await PostgresTarget(context, action: spec.name).run { session throws(ActionFailure) in
            let recovering = try session.rows("SELECT pg_is_in_recovery() AS standby").first?["standby"] == "t"
            return recovering
                ? State.standby(try session.rows(Self.standbySQL).first ?? PostgresRow(values: [:]))
                : State.primary(try session.rows(PostgresStandby.sql).map(PostgresStandby.init))
        }
        switch state {
        case .primary(let standbys):
            for standby in standbys { context.emit(OutputLine(stream: .stdout, text: standby.summary)) }
            let streaming = standbys.filter { $0.state == "streaming" }.count
            let lagging = standbys.filter { threshold.exceeded(seconds: $0.replayLagSeconds, bytes: $0.replayLagBytes) }
            if streaming < minStandbys {
                context.emit(OutputLine(
                    stream: .stderr, text: "\(streaming) standbys streaming, fewer than min_standbys \(minStandbys)"))
            }
            return [
                "role": "primary", "standbys": .array(standbys.map(\.value)),
                "count": .number(Double(standbys.count)), "streaming": .number(Double(streaming)),
                "lagging": .number(Double(lagging.count)),
                "lag_seconds": Self.largest(standbys.map(\.replayLagSeconds)),
                "lag_bytes": Self.largest(standbys.map(\.replayLagBytes)), "receiver": "",
                "ok": .bool(streaming >= minStandbys && lagging.isEmpty),
            ]
        case .standby(let row):
            let receiver = row["receiver"] ?? ""
            let seconds = row.double("delay_seconds").map { ($0 * 1000).rounded() / 1000 }
            let bytes = row.double("replay_bytes")
            let lagging = threshold.exceeded(seconds: seconds, bytes: bytes)
            context.emit(OutputLine(
                stream: .stdout,
                text: "standby, WAL receiver \(receiver.isEmpty ? "not running" : receiver): replay "
                    + "\(bytes.map { Value.number($0).description } ?? "?") bytes, "
                    + "\(seconds.map { Value.number($0).description } ?? "?") s behind"))
            return [
                "role": "standby", "standbys": [], "count": 0, "streaming": 0, "lagging": lagging ? 1 : 0,
                "lag_seconds": seconds.map(Value.number) ?? .null, "lag_bytes": bytes.map(Value.number) ?? .null,
                "receiver": .string(receiver), "ok": .bool(receiver == "streaming" && !lagging),
            ]
        }
    }

    /// What a standby knows of its own replay: the WAL received and not yet replayed, and how old the last replayed
    /// transaction is while some is left (0 once everything received is replayed: an idle primary is no delay).
    static let standbySQL = """
        SELECT (SELECT status FROM pg_stat_wal_receiver) AS receiver,
               pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()) AS replay_bytes,
               CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                    ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END AS delay_seconds
        """

    /// The largest of `values`, null when none is known.
    private static func largest(_ values: [Double?]) -> Value {
        values.compactMap { $0 }.max().map(Value.number) ?? .null
    }

    /// What the server is, with what it says about replication.
    private enum State: Sendable {
        case primary([PostgresStandby])
        case standby(PostgresRow)
    }

    /// The lag a standby may have.
    private struct Threshold {
        var seconds: Double
        var bytes: Double?

        /// Whether a lag is beyond it; an unknown lag is not.
        func exceeded(seconds lagSeconds: Double?, bytes lagBytes: Double?) -> Bool {
            if let lagSeconds, lagSeconds > seconds { return true }
            if let bytes, let lagBytes, lagBytes > bytes { return true }
            return false
        }
    }
}
