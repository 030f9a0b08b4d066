/// What the status functions `success()`, `failure()`, `cancelled()` and `always()` see.
public struct StepStatus: Sendable, Hashable {
    /// True when a step upstream concluded `failure` or `denied`.
    public var upstreamFailed: Bool = false
    /// True when the run is being cancelled.
    public var cancelled: Bool = false

    /// Creates a status; the default is "nothing failed, not cancelled", where `success()` is true.
    /// - Parameters:
    ///   - upstreamFailed: Whether a step upstream concluded `failure` or `denied`.
    ///   - cancelled: Whether the run is being cancelled.
    public init(upstreamFailed: Bool = false, cancelled: Bool = false) {
        self.upstreamFailed = upstreamFailed
        self.cancelled = cancelled
    }

    /// The value of `success()`: nothing upstream failed and the run is not being cancelled.
    public var isSuccess: Bool { !upstreamFailed && !cancelled }
}
