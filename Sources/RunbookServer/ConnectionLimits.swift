import Synchronization

/// The bounds every connection of `runbook serve` is held to, and the count of connections open, shared by their
/// ``ConnectionGuard``s.
final class ConnectionLimits: Sendable {
    /// Time a new connection has to send its first request's whole header.
    let header: Duration
    /// Time a request has, from the end of its header, to send its whole body.
    let body: Duration
    /// Time a connection may wait between a response and its next request's whole header.
    let idle: Duration
    /// Connections open at once.
    let maximum: Int
    private let open = Atomic<Int>(0)

    /// Limits of `serve:`'s `header_timeout`, `body_timeout`, `idle_timeout` (seconds) and `max_connections`.
    init(header: Duration, body: Duration, idle: Duration, maximum: Int) {
        self.header = header
        self.body = body
        self.idle = idle
        self.maximum = maximum
    }

    /// Counts a connection in; false (and not counted) when `maximum` are open already.
    func admit() -> Bool {
        if open.add(1, ordering: .relaxed).newValue <= maximum { return true }
        open.subtract(1, ordering: .relaxed)
        return false
    }

    /// Counts an admitted connection out.
    func release() { open.subtract(1, ordering: .relaxed) }

    /// Connections open now.
    var count: Int { open.load(ordering: .relaxed) }
}
