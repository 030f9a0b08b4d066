import Synchronization

/// What the scripted side of a run did, in the order it did it: actions starting and ending, prepared attempts let
/// go, commits returning. The engine's own side is in the store.
final class Journal: Sendable {
    private let entries = Mutex<[String]>([])

    /// Notes `entry`.
    func note(_ entry: String) {
        entries.withLock { $0.append(entry) }
    }

    /// Everything noted, in order.
    var all: [String] { entries.withLock { $0 } }

    /// The entries noted that start with `prefix`.
    func notes(_ prefix: String) -> [String] { all.filter { $0.hasPrefix(prefix) } }
}
