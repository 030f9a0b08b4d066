import Foundation

/// How a store waits out a broken connection (a server restart, a failover, a terminated session): pauses that double
/// from 100 ms to at most 5 s, for at most ``patience`` in all, each announced on standard error.
struct ReconnectBackoff {
    /// How long a call keeps retrying before it fails with the connection's error.
    static var patience: Duration { .seconds(60) }
    /// The longest single pause.
    static var longestPause: Duration { .seconds(5) }

    /// The store's name in messages (without its password).
    private let store: String
    /// What the retries are for, e.g. `an append`.
    private let work: String
    /// When to give up.
    private let deadline: ContinuousClock.Instant
    /// The next pause.
    private var pause: Duration = .milliseconds(100)

    /// Starts counting `patience` now.
    init(store: String, work: String, patience: Duration = ReconnectBackoff.patience) {
        self.store = store
        self.work = work
        deadline = .now + patience
    }

    /// The pause before the next try after `failure`, announced on standard error; nil once patience is spent.
    mutating func nextPause(after failure: String) -> Duration? {
        let left = deadline - .now
        guard left > .zero else { return nil }
        let chosen = min(pause, left)
        pause = min(pause * 2, Self.longestPause)
        let seconds = Double(chosen.components.seconds) + Double(chosen.components.attoseconds) / 1e18
        let message =
            "runbook: the connection to the store \(store) broke (\(failure)); retrying \(work) in "
            + "\(String(format: "%.1f", seconds)) s (for up to \(Self.patience.components.seconds) s in all)\n"
        FileHandle.standardError.write(Data(message.utf8))
        return chosen
    }
}
