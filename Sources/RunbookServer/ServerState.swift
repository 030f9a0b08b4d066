import Synchronization

/// The server's current context, swapped whole when SIGHUP reloads the configuration.
final class ServerState: Sendable {
    private let current: Mutex<ServeContext>

    init(_ context: ServeContext) {
        current = Mutex(context)
    }

    /// The context in force.
    var context: ServeContext { current.withLock { $0 } }

    /// Puts `context` in force.
    func replace(with context: ServeContext) { current.withLock { $0 = context } }
}
