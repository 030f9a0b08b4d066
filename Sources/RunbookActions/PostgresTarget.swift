import Foundation
import RunbookLanguage
import RunbookPostgres

/// Where a `pg.*` step connects, and how its failures read.
///
/// The connection string is the step's `dsn`, else the environment's `postgres:`, else empty (libpq's defaults: the
/// `PG*` variables, `~/.pgpass`, the Unix socket); libpq resolves services, password files and URIs as it does for
/// `psql`.
struct PostgresTarget: Sendable {
    /// The action's name, which starts every message.
    let action: String
    /// The libpq connection string or URI (it may hold a password: never shown).
    let conninfo: String
    /// How messages name the environment.
    let environmentLabel: String

    /// The target of the step `context` describes.
    init(_ context: ActionContext, action: String) {
        self.action = action
        self.conninfo = context.string("dsn") ?? context.target.postgres ?? ""
        self.environmentLabel = context.target.environmentLabel
    }

    /// Connects and runs `work` on a thread of its own, so libpq's blocking stays off Swift's cooperative pool;
    /// cancelling the task cancels the running statement on the server and returns at once.
    /// - Throws: `ActionFailure` naming the environment and endpoint when connecting fails, or what `work` throws.
    func run<T: Sendable>(
        _ work: @escaping @Sendable (PostgresSession) throws(ActionFailure) -> T
    ) async throws(ActionFailure) -> T {
        let cancellation = TransferCancellation()
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, ActionFailure>, Never>) in
                let thread = Thread { continuation.resume(returning: session(cancellation, work)) }
                thread.name = "runbook-pq"
                thread.start()
            }
        } onCancel: {
            cancellation.cancel()
        }
        return try outcome.get()
    }

    /// One connection's life, on the calling thread.
    private func session<T>(
        _ cancellation: TransferCancellation, _ work: (PostgresSession) throws(ActionFailure) -> T
    ) -> Result<T, ActionFailure> {
        switch PostgresConnection.connect(conninfo, isCancelled: { cancellation.isCancelled }) {
        case .failure(let failure):
            return .failure(connectionFailure(failure.error, at: failure.endpoint))
        case .success(let connection):
            return Result { () throws(ActionFailure) in try work(PostgresSession(connection: connection, target: self)) }
        }
    }

    /// `pg.kill: cannot connect to PostgreSQL at 127.0.0.1:5432 database 'app' user 'ops' (environment 'prod'): …; check …`.
    func connectionFailure(_ error: PostgresError, at endpoint: PostgresEndpoint) -> ActionFailure {
        if error.code == .cancelled { return ActionFailure.cancelled() }
        let advice = error.advice.isEmpty ? "" : "; \(error.advice)"
        return ActionFailure(
            "\(action): cannot connect to PostgreSQL at \(endpoint) (\(environmentLabel)): \(error.reason)\(advice)")
    }

    /// A failed statement, naming where it ran.
    func statementFailure(_ error: PostgresError, at endpoint: PostgresEndpoint) -> ActionFailure {
        switch error.code {
        case .cancelled:
            return ActionFailure.cancelled()
        case .server:
            let state = error.sqlState.map { " [SQLSTATE \($0)]" } ?? ""
            return ActionFailure(
                "\(action): PostgreSQL at \(endpoint) (\(environmentLabel)) refused a query: \(error.reason)\(state)")
        default:
            return connectionFailure(error, at: endpoint)
        }
    }
}
