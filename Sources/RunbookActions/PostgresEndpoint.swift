/// Where a connection goes, for messages: host (or socket folder), port, database and user; never the password.
struct PostgresEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// The host name or address, or the Unix socket's folder; empty when libpq had not chosen one.
    var host: String
    /// The port.
    var port: String
    /// The database.
    var database: String
    /// The role.
    var user: String

    /// `127.0.0.1:5432 database 'app' user 'ops'`, or `socket /run/postgresql port 5432 …`.
    var description: String {
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
