/// Everything an expression can read while it is evaluated.
public struct EvaluationContext: Sendable {
    /// The root contexts by name: `inputs`, `steps`, `incident`, `alert`, `env`, `run`.
    ///
    /// A root that is not in this dictionary evaluates to `null`.
    public var contexts: [String: Value]
    /// The upstream status read by `success()`, `failure()` and `cancelled()`.
    public var status: StepStatus

    /// Creates a context.
    /// - Parameters:
    ///   - contexts: The root contexts by name, e.g. `["inputs": .object([...])]`.
    ///   - status: The upstream status for the status functions.
    public init(contexts: [String: Value] = [:], status: StepStatus = .init()) {
        self.contexts = contexts
        self.status = status
    }
}
