/// Why talking to PostgreSQL failed: what libpq or the server said, on one line and without the password.
public struct PostgresError: Error, Sendable {
    /// The kinds of failure, each with its own advice.
    public enum Code: Sendable, Hashable {
        /// libpq rejected the connection string (a malformed option, an unknown service).
        case invalidConnectionString
        /// No connection: refused, unreachable, unknown host, missing database.
        case connectionFailed
        /// The server refused the credentials (or none were supplied).
        case authentication
        /// TLS could not be set up or verified.
        case tls
        /// The server took longer than the connect timeout to accept the connection.
        case timedOut
        /// The server has no free connection slot left.
        case tooManyConnections
        /// The connection broke off during a statement.
        case connectionLost
        /// The server refused a statement (`reason` is its message, `sqlState` its code).
        case server
        /// The task was cancelled; the running statement was cancelled on the server.
        case cancelled
    }

    /// The kind of failure.
    public var code: Code
    /// What libpq or the server said.
    public var reason: String
    /// The server's SQLSTATE for `.server`, e.g. `42501` for a missing privilege.
    public var sqlState: String?

    /// Creates an error.
    public init(_ code: Code, _ reason: String, sqlState: String? = nil) {
        self.code = code
        self.reason = reason
        self.sqlState = sqlState
    }

    /// What the user should check, for connection failures.
    public var advice: String {
        switch code {
        case .invalidConnectionString:
            "check the environment's postgres: setting or the step's dsn (a libpq key=value string or postgres:// URI), "
                + "and PGSERVICEFILE for a service"
        case .connectionFailed:
            "check host, port and dbname, that the server runs and accepts connections there, and firewalls between"
        case .authentication:
            "check the user and password (the connection string, PGPASSWORD, ~/.pgpass or PGPASSFILE) "
                + "and the server's pg_hba.conf"
        case .tls:
            "check sslmode, sslrootcert and the server's certificate and TLS settings"
        case .timedOut:
            "check host, port and firewalls, or raise connect_timeout"
        case .tooManyConnections:
            "every connection slot is taken; connect as a role that may use the reserved slots "
                + "(a superuser: superuser_reserved_connections)"
        case .connectionLost:
            "check the server's log: it may have restarted or terminated this session"
        case .server, .cancelled:
            ""
        }
    }

    /// Sorts a libpq connection failure by what the message says.
    public static func classifyingConnection(_ message: String) -> PostgresError {
        let lowered = message.lowercased()
        let code: Code
        if lowered.contains("too many clients") || lowered.contains("remaining connection slots are reserved") {
            code = .tooManyConnections
        } else if lowered.contains("password") || lowered.contains("authentication") || lowered.contains("scram")
            || lowered.contains("no pg_hba.conf entry")
        {
            code = .authentication
        } else if lowered.contains("ssl") || lowered.contains("certificate") || lowered.contains("tls") {
            code = .tls
        } else if lowered.contains("invalid connection option") || lowered.contains("connection info string")
            || lowered.contains("service file") || lowered.contains("definition of service")
            || lowered.contains("invalid uri") || lowered.contains("unterminated quoted string")
            || lowered.contains("invalid percent-encoded") || lowered.contains("invalid integer value")
            || lowered.contains("invalid sslmode") || lowered.contains("invalid port")
        {
            code = .invalidConnectionString
        } else {
            code = .connectionFailed
        }
        return PostgresError(code, message)
    }
}
