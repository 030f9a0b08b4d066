import RunbookLanguage

/// Where a step stands in its tries (`retry.attempts`), and the results it can end with from there.
struct StepTries: Sendable {
    /// The step.
    let step: Step
    /// The tries it may make, the first included.
    let attempts: Int
    /// When its first try began.
    let began: ContinuousClock.Instant
    /// The try under way, from 1.
    var attempt = 1

    /// Whether the try under way is the last one allowed.
    var isLast: Bool { attempt >= attempts }

    /// The step succeeded with `outputs`.
    func success(_ outputs: [String: Value]) -> StepResult {
        StepResult(id: step.id, outcome: .success, continueOnError: step.continueOnError, outputs: outputs,
                   attempts: attempt, duration: ContinuousClock.now - began)
    }

    /// The step failed, saying `message`, with `outputs`.
    func failure(_ message: String, _ outputs: [String: Value] = [:]) -> StepResult {
        StepResult(id: step.id, outcome: .failure, continueOnError: step.continueOnError, outputs: outputs,
                   error: message, attempts: attempt, duration: ContinuousClock.now - began)
    }

    /// The run was cancelled during the try under way.
    func cancelled() -> StepResult {
        StepResult(id: step.id, outcome: .cancelled, attempts: attempt, duration: ContinuousClock.now - began)
    }
}
