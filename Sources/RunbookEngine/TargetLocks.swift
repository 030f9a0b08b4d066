import RunbookStore

/// The targets a run's mutating steps hold while they act (see ``TargetLock``): a step waits while another run's step
/// holds one of its targets, recording `lock.waiting` once, up to a time limit.
struct TargetLocks: Sendable {
    /// The folder the lock files live in (beside the store).
    let directory: String
    /// How often a waiting step tries again.
    static let retryInterval: Duration = .milliseconds(200)

    /// How taking a step's targets ended.
    enum Outcome: Sendable {
        /// Held until the value is released.
        case held([TargetLock])
        /// Still held by another run after `limit`: the step fails with `message`.
        case timedOut(message: String)
        /// The run was cancelled while the step waited.
        case cancelled
    }

    /// Takes every target of `names` for `holder`, in name order (so two steps that want the same two targets
    /// cannot each hold one and wait for the other), waiting up to `limit` for those another run holds.
    /// - Parameter waiting: Called once, with the target and its holder, when the step first has to wait.
    func take(
        _ names: [String], for holder: TargetLock.Holder, limit: Duration,
        waiting: @Sendable (String, TargetLock.Holder) async throws(StoreError) -> Void
    ) async throws(StoreError) -> Outcome {
        let deadline = ContinuousClock.now + limit
        var held: [TargetLock] = []
        var announced = false
        for name in Set(names).sorted() {
            while true {
                let attempt: TargetLock.Attempt
                do throws(TargetLockError) {
                    attempt = try TargetLock.take(name, in: directory, for: holder)
                } catch {
                    return .timedOut(message: error.message)
                }
                switch attempt {
                case .taken(let lock):
                    held.append(lock)
                case .heldBy(let other):
                    if !announced {
                        announced = true
                        try await waiting(name, other)
                    }
                    guard ContinuousClock.now < deadline else {
                        return .timedOut(message: "run \(other.run) (step \(other.step)) still holds \(name) after "
                            + "\(limit); nothing was done")
                    }
                    do {
                        try await Task.sleep(for: Self.retryInterval)
                    } catch {
                        return .cancelled
                    }
                    continue
                }
                break
            }
        }
        return .held(held)
    }
}
