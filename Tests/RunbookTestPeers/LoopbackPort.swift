import Foundation

/// Free TCP ports on 127.0.0.1 for the real peers the tests start (PostgreSQL, moto_server, the fake Kubernetes API
/// server), so suites run in parallel without colliding.
public enum LoopbackPort {
    /// A port nothing listens on right now: bound to port 0, read back, and closed.
    ///
    /// Another process could take it before the peer binds it; peers that fail to start are retried on a new port.
    public static func free() throws -> Int {
        let socketHandle = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketHandle >= 0 else { throw PeerError("socket() failed: errno \(errno)") }
        defer { close(socketHandle) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(socketHandle, raw, length) == 0 && getsockname(socketHandle, raw, &length) == 0
            }
        }
        guard bound else { throw PeerError("could not bind a loopback port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A peer that could not be started or used, with what went wrong.
public struct PeerError: Error, CustomStringConvertible {
    /// What went wrong.
    public var description: String

    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
