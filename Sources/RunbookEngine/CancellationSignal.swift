/// A request to cancel a run, raised from outside it (Ctrl-C, SIGTERM from `runbook cancel`).
public struct CancellationSignal: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    /// Creates a signal that has not been raised.
    public init() {
        (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Raises the signal; the run stops its steps and records them as cancelled.
    public func raise() { continuation.yield() }

    /// Returns when the signal is raised, or when the waiting task is cancelled.
    func wait() async {
        for await _ in stream { return }
    }
}
