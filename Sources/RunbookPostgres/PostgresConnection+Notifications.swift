import CLibPQ
import Foundation

/// A notification a `LISTEN`ing connection received (`NOTIFY channel, 'payload'` from any session).
public struct PostgresNotification: Sendable, Hashable {
    /// The channel it was sent on.
    public var channel: String
    /// Its payload ("" when none was given).
    public var payload: String
}

extension PostgresConnection {
    /// Waits up to `milliseconds` for the server to send something, then returns every notification received so far
    /// (none when the wait timed out). The connection must be idle: `LISTEN` on it first, and run no statement
    /// while waiting.
    /// - Throws: `PostgresError` (`.connectionLost`) when the connection broke.
    public func notifications(waitingUpTo milliseconds: Int32) throws(PostgresError) -> [PostgresNotification] {
        var received = drainNotifications()
        guard received.isEmpty else { return received }
        if waitForSocket(reading: true, milliseconds: milliseconds) {
            guard libpq.PQconsumeInput(handle) == 1 else { throw PostgresError(.connectionLost, lastError()) }
            received = drainNotifications()
        }
        guard !isBroken else { throw PostgresError(.connectionLost, lastError()) }
        return received
    }

    /// The notifications libpq has already read from the socket.
    private func drainNotifications() -> [PostgresNotification] {
        var received: [PostgresNotification] = []
        while let notification = libpq.PQnotifies(handle) {
            defer { libpq.PQfreemem(notification) }
            let entry = notification.pointee
            received.append(
                PostgresNotification(
                    channel: entry.relname.map { String(cString: $0) } ?? "",
                    payload: entry.extra.map { String(cString: $0) } ?? ""))
        }
        return received
    }
}
