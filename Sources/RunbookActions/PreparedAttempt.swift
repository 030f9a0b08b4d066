import RunbookLanguage

/// A step's first attempt, prepared by ``Action/prepare(_:)`` and not acting until ``start()``.
///
/// The engine calls ``start()`` once the step's `step.started` event is durable, then ``finish()``; or, when the start
/// could not be recorded (or the run was cancelled meanwhile), ``abandon()`` instead of both.
public protocol PreparedAttempt: Sendable {
    /// Lets the attempt act. Called once, right after the step's start is committed.
    func start()
    /// Waits for the attempt, as ``Action/execute(_:)`` does, with the same outputs and failures.
    func finish() async throws(ActionFailure) -> [String: Value]
    /// Undoes the preparation without acting, and waits until nothing of it is left.
    func abandon() async
    /// The process that will act, when the attempt is one: recorded with the step's start, before ``start()``.
    var process: StepProcess? { get }
}

extension PreparedAttempt {
    /// Most attempts run inside runbook's own process.
    public var process: StepProcess? { nil }
}
