/// Where a connection goes, for messages: host (or socket folder), port, database and user; never the password.
public struct PostgresEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// The host name or address, or the Unix socket's folder; empty when libpq had not chosen one.
    public var host: String
    /// The port.
    public var port: String
    /// The database.
    public var database: String
    /// The role.
    public var user: String

    /// Creates an endpoint.
    public init(host: String, port: String, database: String, user: String) {
        self.host = host
        self.port = port
        self.database = database
        self.user = user
    }

    /// `127.0.0.1:5432 database 'app' user 'ops'`, or `socket /run/postgresql port 5432 …`.
    public var description: String {
        var parts: [String] = []
        switch (host.isEmpty, host.hasPrefix("/")) {
        case (true, _): parts.append(port.isEmpty ? "the default host" : "the default host port \(port)")
        case (false, true): parts.append("socket \(host)" + (port.isEmpty ? "" : " port \(port)"))
        case (false, false): parts.append(port.isEmpty ? host : "\(host):\(port)")
        }
        if !database.isEmpty { parts.append("database '\(database)'") }
        if !user.isEmpty { parts.append("user '\(user)'") }
        return parts.joined(separator: " ")
    }
}
