import RunbookActions
import RunbookLanguage

/// How one try of a step's action ended.
enum AttemptOutcome: Sendable {
    case succeeded([String: Value])
    case failed(ActionFailure)
    case timedOut(Duration)
    case cancelled

    /// One try of an action, stopped (its process group killed) when it outlives `timeout` or the run is cancelled.
    static func of(
        _ body: @escaping @Sendable () async throws(ActionFailure) -> [String: Value], timeout: Duration?
    ) async -> AttemptOutcome {
        let outcome = await withTaskGroup(of: AttemptOutcome?.self) { group -> AttemptOutcome in
            group.addTask {
                do throws(ActionFailure) {
                    return .succeeded(try await body())
                } catch {
                    return Task.isCancelled ? .cancelled : .failed(error)
                }
            }
            if let timeout {
                group.addTask {
                    do {
                        try await Task.sleep(for: timeout)
                        return .timedOut(timeout)
                    } catch {
                        return nil
                    }
                }
            }
            return await group.firstAnswer() ?? .cancelled
        }
        return Task.isCancelled ? .cancelled : outcome
    }
}
