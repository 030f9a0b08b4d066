import RunbookPostgres

/// A failure of the PostgreSQL store's connection: what libpq or the server said, and where the connection goes.
struct PostgresStoreFailure: ChainDatabaseFailure {
    /// What failed.
    var error: PostgresError
    /// Where the connection goes (never with the password).
    var endpoint: PostgresEndpoint
    /// Not a failure of the database: an optimistic append met work it cannot do without the lock (a condition to
    /// check, more records than one statement carries), and is started again holding it.
    var needsLock = false

    /// What an optimistic append throws to be started again holding the lock.
    static var needsLockSignal: PostgresStoreFailure {
        PostgresStoreFailure(
            error: PostgresError(.server, "an optimistic append needed the store's lock and was not started again"),
            endpoint: PostgresEndpoint(host: "", port: "", database: "", user: ""), needsLock: true)
    }

    /// The failure reported for work on a closed store.
    static var closed: PostgresStoreFailure {
        PostgresStoreFailure(
            error: PostgresError(.connectionLost, "the store was closed"),
            endpoint: PostgresEndpoint(host: "", port: "", database: "", user: ""))
    }

    /// A failure of our own making (a refused value, a schema from a newer runbook).
    static func other(_ reason: String, sqlState: String? = nil, at endpoint: PostgresEndpoint) -> PostgresStoreFailure {
        PostgresStoreFailure(error: PostgresError(.server, reason, sqlState: sqlState), endpoint: endpoint)
    }

    /// What libpq or the server said.
    var description: String { error.reason }

    /// The server's SQLSTATE, for a refused statement.
    private var sqlState: String { error.code == .server ? error.sqlState ?? "" : "" }

    /// A data exception (class 22), an integrity violation (class 23) or a program limit (class 54): one request's
    /// values, not the database.
    var mayBeCausedByValues: Bool {
        ["22", "23", "54"].contains(String(sqlState.prefix(2)))
    }

    /// The connection broke, or no new one can be made yet: a server shutting down (57P01–57P03: also
    /// `pg_terminate_backend`), restarting or failing over (class 08), or not accepting connections.
    var isConnectionBroken: Bool {
        switch error.code {
        case .connectionLost, .connectionFailed, .timedOut: true
        case .server: sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
        default: false
        }
    }

    /// The server found damaged data or a damaged index.
    var isCorrupt: Bool { sqlState == "XX001" || sqlState == "XX002" }

    /// Another writer held the lock too long, or the server gave up on the statement: retrying later may work.
    var isBusy: Bool { ["55P03", "40001", "40P01", "57014"].contains(sqlState) }

    /// The error a caller sees, naming the store (without its password) and the endpoint, with advice.
    ///
    /// For example `cannot open the store postgres://ops:***@db1/runbook: cannot connect to PostgreSQL at db1:5432
    /// database 'runbook' user 'ops': Connection refused; check host, port and dbname, …`.
    func storeError(while action: String, store: String) -> StoreError {
        let prefix = "cannot \(action) the store \(store): "
        switch error.code {
        case .server:
            let state = error.sqlState.map { " [SQLSTATE \($0)]" } ?? ""
            let refused = prefix + "PostgreSQL at \(endpoint) refused it: \(error.reason)\(state)"
            if isBusy {
                return StoreError(
                    refused + " (another writer held the store's lock too long, or the server cancelled the statement;"
                        + " retry, or look for a stuck runbook in pg_stat_activity)", code: .busy)
            }
            if isCorrupt {
                return StoreError(refused + " (`runbook audit verify` names the damage)", code: .corrupt)
            }
            if sqlState == "42P01" {
                return StoreError(prefix + "PostgreSQL at \(endpoint): \(error.reason)", code: .unavailable)
            }
            if sqlState == "42501" {
                return StoreError(
                    refused + " (the role needs SELECT and INSERT on the store's tables: docs/store-postgres.md)",
                    code: .unavailable)
            }
            return StoreError(refused, code: .failed)
        case .cancelled:
            return StoreError(prefix + "cancelled", code: .failed)
        case .connectionLost:
            return StoreError(
                prefix + "the connection to PostgreSQL at \(endpoint) broke: \(error.reason); \(error.advice)",
                code: .unavailable)
        case .invalidConnectionString:
            return StoreError(
                prefix + "\(error.reason); check --store, $RUNBOOK_STORE or the config's store: (a libpq key=value "
                    + "string or postgres:// URI), and PGSERVICEFILE for a service", code: .unavailable)
        default:
            return StoreError(
                prefix + "cannot connect to PostgreSQL at \(endpoint): \(error.reason); \(error.advice)",
                code: .unavailable)
        }
    }
}
