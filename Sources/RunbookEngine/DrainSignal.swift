import Synchronization

/// A request to stop launching steps without cancelling any (a draining `runbook serve`): steps running go on to
/// their end, none starts after it, and a run with steps left ends without `run.finished`, to be taken over.
public final class DrainSignal: Sendable {
    private let raised = Atomic<Bool>(false)

    /// Creates a signal that has not been raised.
    public init() {}

    /// Raises the signal.
    public func raise() { raised.store(true, ordering: .sequentiallyConsistent) }

    /// Whether the signal was raised.
    public var isRaised: Bool { raised.load(ordering: .sequentiallyConsistent) }
}
