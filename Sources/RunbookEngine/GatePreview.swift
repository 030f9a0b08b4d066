import RunbookActions

/// What a gated step would change, read from the live system for its prompt.
enum GatePreview {
    /// How long a preview may take.
    static let timeout: Duration = .seconds(20)

    /// The action's preview, redacted; a preview that fails or takes longer than ``timeout`` becomes one line saying
    /// so, and never keeps the gate from being asked.
    static func read(_ action: any Action, _ context: ActionContext, redactor: Redactor) async -> [String] {
        let lines = await withTaskGroup(of: [String]?.self) { group -> [String] in
            group.addTask {
                do throws(ActionFailure) {
                    return try await action.preview(context)
                } catch {
                    return ["(could not read the current state: \(error.message))"]
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return Task.isCancelled ? nil : ["(could not read the current state within \(timeout))"]
            }
            return await group.firstAnswer() ?? []
        }
        return lines.map(redactor.redact)
    }
}
