/// `HOST:PORT` as `serve.listen` and `--listen` give it (`127.0.0.1:8088`, `[::1]:8088`, `:8088` for every address).
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// The host or address to bind.
    public var host: String
    /// The TCP port.
    public var port: Int

    /// Reads `text`; nil when it is not `HOST:PORT` with a port from 1 to 65535.
    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65_535).contains(port)
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host.isEmpty ? "0.0.0.0" : host
        self.port = port
    }

    /// `HOST:PORT`.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
