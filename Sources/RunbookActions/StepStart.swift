import Synchronization

/// Whether a step's `step.started` event is durable yet.
///
/// An action whose ``Action/preparesWhileStartIsRecorded`` is true is called while the engine is still committing
/// that event, so it can get ready (a shell started and waiting) instead of idling through the commit. It must not
/// act until ``whenDecided(_:)`` reports the start recorded, and must act not at all when it reports it was not.
/// Every other action is called after the commit, with ``recorded``.
public final class StepStart: Sendable {
    /// A start that is already durable.
    public static let recorded = StepStart(decided: true)

    private enum State {
        case pending([@Sendable (Bool) -> Void])
        case decided(Bool)
    }

    private let state: Mutex<State>

    /// A start whose commit is under way.
    public init() {
        state = Mutex(.pending([]))
    }

    private init(decided recorded: Bool) {
        state = Mutex(.decided(recorded))
    }

    /// Whether the start is known to be durable already.
    public var isRecorded: Bool {
        state.withLock { if case .decided(true) = $0 { true } else { false } }
    }

    /// Calls `body` with whether the start was recorded: at once when that is known, otherwise on the thread that
    /// learns it, as soon as it does (so an action's go-ahead costs no hop between threads).
    public func whenDecided(_ body: @escaping @Sendable (Bool) -> Void) {
        let known: Bool? = state.withLock { state in
            switch state {
            case .decided(let recorded):
                return recorded
            case .pending(var waiting):
                waiting.append(body)
                state = .pending(waiting)
                return nil
            }
        }
        if let known { body(known) }
    }

    /// Settles the start (once; later calls are ignored) and calls whatever waits for it.
    public func decide(recorded: Bool) {
        let waiting: [@Sendable (Bool) -> Void] = state.withLock { state in
            guard case .pending(let waiting) = state else { return [] }
            state = .decided(recorded)
            return waiting
        }
        for body in waiting { body(recorded) }
    }
}
