/// How a step is tried again: after a failure, or until its `until` expression holds.
public struct RetryPolicy: Sendable, Hashable {
    /// Total tries, the first included.
    public var attempts: Int
    /// The wait before the second try.
    public var delay: Duration
    /// How the wait grows between tries.
    public var backoff: Backoff
    /// Retries a step that succeeded until this holds; it may read the step's own latest outputs.
    public var until: ConditionValue?

    /// The growth of the delay between tries.
    public enum Backoff: String, Sendable, Hashable, CaseIterable {
        case constant, exponential
    }

    /// The wait before try number `attempt` (2 is the first retry).
    public func delay(beforeAttempt attempt: Int) -> Duration {
        guard backoff == .exponential, attempt > 2 else { return delay }
        return delay * (1 << min(attempt - 2, 20))
    }
}
