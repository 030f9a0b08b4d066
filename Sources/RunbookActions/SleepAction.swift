import RunbookLanguage

/// `sleep`: waits for `duration` (`90s`, `1m30s`); cancelling the task ends the wait.
public struct SleepAction: Action {
    /// Creates the action.
    public init() {}

    /// The catalog's `sleep` spec.
    public var spec: ActionSpec { .builtin("sleep") }

    /// Waits; no outputs.
    /// - Throws: `ActionFailure` for a malformed duration, or `cancelled`.
    public func execute(_ context: ActionContext) async throws(ActionFailure) -> [String: Value] {
        guard let duration = try context.duration("duration", action: "sleep") else {
            throw ActionFailure("sleep: the parameter 'duration' is missing")
        }
        do {
            try await Task.sleep(for: duration)
        } catch {
            throw ActionFailure.cancelled()
        }
        return [:]
    }
}
