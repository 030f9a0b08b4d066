import RunbookLanguage

/// `log`: puts a message in the run's timeline; the engine records the `message` output.
public struct LogAction: Action {
    /// Creates the action.
    public init() {}

    /// The catalog's `log` spec.
    public var spec: ActionSpec { .builtin("log") }

    /// Returns `["message": message]`.
    /// - Throws: `ActionFailure` when `message` is missing.
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        ["message": .string(try context.requiredString("message", action: "log"))]
    }
}
