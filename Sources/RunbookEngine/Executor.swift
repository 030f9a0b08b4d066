import RunbookActions
import RunbookLanguage
import RunbookStore

/// Runs a runbook's step graph: roots in parallel, `needs`, `if:`, gates, retries, timeouts and cancellation,
/// recording every step in the event store before acting on it.
///
/// The work is split by job: ``RunLifecycle`` (the run's first and last events, notifications, the RTO clock),
/// ``StepScheduler`` and ``ReadySet`` (which steps start when), ``StepRunner`` (one step), and ``RunRecorder``
/// (every event, and the rule that nothing acts before its event is durable).
public struct Executor: Sendable {
    /// Where events go.
    public let store: any EventStore
    /// The actions that can run, by name.
    public let actions: [String: any Action]
    /// The specs of every action the language knows.
    public let catalog: ActionCatalog
    /// Who sees the run as it happens.
    public let observer: any RunObserver
    /// Asks the person at the terminal to answer gates; nil when nobody is there.
    public let prompter: (any GatePrompter)?
    /// Raised to cancel the run.
    public let cancellation: CancellationSignal
    /// The folder beside the store where mutating steps lock their targets (`ecs:prod/api`), shared by every process
    /// that shares the store; nil to lock nothing (a store of this process only).
    public let lockDirectory: String?
    /// Raised to launch no more steps and leave the run unfinished for another worker.
    public let drain: DrainSignal

    /// Creates an executor.
    public init(
        store: any EventStore, actions: [String: any Action], catalog: ActionCatalog = .builtin,
        observer: any RunObserver, prompter: (any GatePrompter)?, cancellation: CancellationSignal,
        lockDirectory: String? = nil,
        drain: DrainSignal = DrainSignal()
    ) {
        self.drain = drain
        self.store = store
        self.actions = actions
        self.catalog = catalog
        self.observer = observer
        self.prompter = prompter
        self.cancellation = cancellation
        self.lockDirectory = lockDirectory
    }

    /// Starts a new run and returns how it ended.
    /// - Throws: `StoreError` when an event cannot be recorded; the run stops at that point.
    public func start(_ options: RunOptions) async throws(StoreError) -> RunStatus {
        try await RunLifecycle(executor: self, options: options).start()
    }

    /// Continues an interrupted run from its log: finished steps keep their results, a step that had started but not
    /// finished runs again (behind a gate when it is mutating), and the rest run as usual.
    /// - Parameter runbookChanged: The runbook file's change since the start, when it changed, for `run.resumed`.
    /// - Throws: `StoreError` when an event cannot be recorded; the run stops at that point.
    public func resume(
        _ state: RunState, options: RunOptions, runbookChanged: RunResumed.RunbookChange? = nil
    ) async throws(StoreError) -> RunStatus {
        try await RunLifecycle(executor: self, options: options).resume(state, runbookChanged: runbookChanged)
    }
}
