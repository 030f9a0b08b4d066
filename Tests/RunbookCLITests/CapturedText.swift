import Synchronization

/// The text written to one stream of a command run in process, collected as it is written (from any thread).
final class CapturedText: Sendable {
    private let text = Mutex("")

    /// Adds `more` at the end.
    func append(_ more: String) {
        text.withLock { $0 += more }
    }

    /// Everything written so far.
    var value: String { text.withLock { $0 } }
}
