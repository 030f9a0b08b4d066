import RunbookPostgres
import RunbookLanguage

/// One standby as its primary sees it in `pg_stat_replication`: its state and how far behind it writes, flushes and
/// replays the primary's WAL.
struct PostgresStandby: Sendable, Hashable {
    /// `application_name`: the standby's `cluster_name`, or what its `primary_conninfo` names.
    var name: String
    /// `address:port`, or `local` for a Unix socket.
    var client: String
    /// `streaming`, `catchup`, `startup`, `backup`, `stopping`.
    var state: String
    /// `async`, `sync`, `potential`, `quorum`.
    var syncState: String
    /// Bytes of WAL the primary has written and the standby has not yet written; nil when the role may not see
    /// them (neither a superuser nor a member of `pg_read_all_stats`), as for the other lags.
    var writeLagBytes: Double?
    /// Bytes of WAL the standby has not yet flushed.
    var flushLagBytes: Double?
    /// Bytes of WAL the standby has not yet replayed.
    var replayLagBytes: Double?
    /// Seconds the standby took to write recent WAL; 0 when it has caught up and the primary is idle.
    var writeLagSeconds: Double?
    /// Seconds it took to flush recent WAL.
    var flushLagSeconds: Double?
    /// Seconds it took to replay recent WAL.
    var replayLagSeconds: Double?

    /// Every standby of this primary. The lag intervals are NULL once a standby has caught up and the primary is
    /// idle: those count as 0 when no WAL is left to replay.
    static let sql = """
        SELECT application_name AS name,
               CASE WHEN client_port = -1 THEN 'local' ELSE host(client_addr) || ':' || client_port END AS client,
               state, sync_state,
               pg_wal_lsn_diff(pg_current_wal_lsn(), write_lsn) AS write_bytes,
               pg_wal_lsn_diff(pg_current_wal_lsn(), flush_lsn) AS flush_bytes,
               pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) AS replay_bytes,
               extract(epoch FROM write_lag) AS write_seconds, extract(epoch FROM flush_lag) AS flush_seconds,
               extract(epoch FROM replay_lag) AS replay_seconds
        FROM pg_stat_replication
        ORDER BY application_name, pid
        """

    /// Reads a row selected by ``sql``.
    init(_ row: PostgresRow) {
        name = row["name"] ?? ""
        client = row["client"] ?? ""
        state = row["state"] ?? "unknown"
        syncState = row["sync_state"] ?? ""
        writeLagBytes = row.double("write_bytes")
        flushLagBytes = row.double("flush_bytes")
        replayLagBytes = row.double("replay_bytes")
        func seconds(_ column: String, caughtUp: Bool) -> Double? {
            row.double(column).map { ($0 * 1000).rounded() / 1000 } ?? (caughtUp ? 0 : nil)
        }
        writeLagSeconds = seconds("write_seconds", caughtUp: writeLagBytes == 0)
        flushLagSeconds = seconds("flush_seconds", caughtUp: flushLagBytes == 0)
        replayLagSeconds = seconds("replay_seconds", caughtUp: replayLagBytes == 0)
    }

    /// The output entry: name, client, state, sync_state, and `write`/`flush`/`replay` `_lag_bytes` and
    /// `_lag_seconds` (null when unknown).
    var value: Value {
        func number(_ value: Double?) -> Value { value.map(Value.number) ?? .null }
        return .object([
            "name": .string(name), "client": .string(client), "state": .string(state),
            "sync_state": .string(syncState),
            "write_lag_bytes": number(writeLagBytes), "flush_lag_bytes": number(flushLagBytes),
            "replay_lag_bytes": number(replayLagBytes),
            "write_lag_seconds": number(writeLagSeconds), "flush_lag_seconds": number(flushLagSeconds),
            "replay_lag_seconds": number(replayLagSeconds),
        ])
    }

    /// One line: `standby1 10.0.0.7:51234 streaming async: replay 0 bytes, 0.002 s behind`.
    var summary: String {
        let bytes = replayLagBytes.map { "\(Value.number($0)) bytes" } ?? "? bytes"
        let seconds = replayLagSeconds.map { "\(Value.number($0)) s" } ?? "? s"
        return "\(name.isEmpty ? "-" : name) \(client) \(state) \(syncState): replay \(bytes), \(seconds) behind"
    }
}
