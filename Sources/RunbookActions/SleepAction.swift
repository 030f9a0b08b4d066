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
        let duration: Duration
        switch context.parameters["duration"] {
        case .number(let seconds)? where seconds >= 0 && seconds.isFinite:
            duration = .milliseconds(Int64((seconds * 1000).rounded()))
        default:
            let text = try context.requiredString("duration", action: "sleep")
            switch DurationSyntax.parse(text) {
            case .success(let parsed): duration = parsed
            case .failure(let error): throw ActionFailure("sleep: \(error)")
            }
        }
        do {
            try await Task.sleep(for: duration)
        } catch {
            throw ActionFailure("cancelled")
        }
        return [:]
    }
}
