import RunbookActions
import RunbookLanguage
import RunbookStore
import Synchronization

/// Writes one run's events to the store and shows each to the run's observer, keeping the engine's durability rule:
/// nothing acts before its event is durable. It is the one place that rule is kept:
///
/// - A step's action is let go only once its `step.started` is committed (``start(_:after:)``).
/// - Events held back to save a commit (``hold(_:)``: `run.started`, each `step.finished`) go out, in the order they
///   were held, in the same commit as the next event recorded here, or on their own (``flush()``). A commit that
///   carries held events is a barrier: a commit that begins while it is in flight waits for it, so nothing recorded
///   after an event was held can land before it.
/// - Held events stay held across a launch only when the one step launching alone will commit them with its first
///   event before doing anything else (``launching(_:running:)``); otherwise they are committed before any step
///   starts.
///
/// Events that act on nothing (the RTO clock's, notification deliveries) are written beside the rest with
/// ``recordAside(_:)``: they neither carry nor wait for held events.
final class RunRecorder: Sendable {
    private struct State {
        var held: [EventDraft] = []
        /// Whether the one running step, launched alone, will commit the held events with its first event.
        var owedToStep = false
        /// Whether a commit carrying held events is in flight.
        var barrier = false
        /// Commits waiting for the barrier to fall.
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let store: any EventStore
    private let observer: any RunObserver
    private let run: String
    private let incident: String
    private let redactor: Redactor
    private let state = Mutex(State())

    /// A recorder of `options`' run into `store`, showing what it records to `observer`.
    init(store: any EventStore, observer: any RunObserver, options: RunOptions) {
        self.store = store
        self.observer = observer
        self.run = options.runID
        self.incident = options.incident
        self.redactor = options.redactor
    }

    /// A draft of an event of this run.
    func draft(_ payload: some EventPayload, step: String? = nil, actor: Actor? = nil) -> EventDraft {
        EventDraft(run: run, incident: incident, step: step, actor: actor, payload)
    }

    /// Holds `draft` back, to be committed with the next event.
    func hold(_ draft: EventDraft) {
        state.withLock { $0.held.append(draft) }
    }

    /// Holds back the `step.finished` of `result`, with `reason` when the step was skipped.
    func holdEnd(of result: StepResult, reason: String?) {
        hold(draft(StepFinished(
            outcome: result.outcome.rawValue, conclusion: result.conclusion.rawValue,
            durationMilliseconds: result.duration.wholeMilliseconds, attempts: Int64(result.attempts),
            outputs: result.outputs, error: result.error.map(redactor.redact),
            reason: result.outcome == .skipped ? reason : nil), step: result.id, actor: .system))
    }

    /// Before `count` steps launch, with `running` steps running in all (them included): the held events stay held
    /// when the one step launching alone will commit them with its first event (its `step.started`, or the flush
    /// before its gate), and are committed now otherwise. They stay owed to that step until ``stepReported()``.
    func launching(_ count: Int, running: Int) async throws(StoreError) {
        let owed = state.withLock { state in
            if count == 1, running == 1 { state.owedToStep = true }
            return state.owedToStep
        }
        if !owed { try await flush() }
    }

    /// A step has reported its end or its failure to record: nothing held is owed to it any more.
    func stepReported() {
        state.withLock { $0.owedToStep = false }
    }

    /// Commits the held events on their own, and returns once everything held before this call is durable.
    func flush() async throws(StoreError) {
        _ = try await commit([], takingHeld: true)
    }

    /// Commits `draft` together with the held events before it.
    /// - Returns: `draft` as stored.
    @discardableResult
    func record(_ draft: EventDraft) async throws(StoreError) -> AuditEvent? {
        try await commit([draft], takingHeld: true).last
    }

    /// Commits `draft` on its own, beside whatever else is being committed: for events that act on nothing.
    func recordAside(_ draft: EventDraft) async throws(StoreError) {
        _ = try await commit([draft], takingHeld: false)
    }

    /// Commits `started`, a step's start, and only then lets `attempt` (its first attempt, prepared) act. The attempt
    /// is abandoned instead when the start cannot be recorded, or when the task was cancelled meanwhile. A step whose
    /// action prepared nothing calls its action only once this returns true.
    /// - Returns: Whether the step may act: false when it was cancelled before its prepared attempt started.
    /// - Throws: `StoreError` when the start could not be recorded; nothing of the step has acted then.
    func start(_ attempt: (any PreparedAttempt)?, after started: EventDraft) async throws(StoreError) -> Bool {
        do {
            try await record(started)
        } catch {
            await attempt?.abandon()
            throw error
        }
        guard let attempt else { return true }
        if Task.isCancelled {
            await attempt.abandon()
            return false
        }
        attempt.start()
        return true
    }

    /// A line of a step's live output, redacted, for the observer.
    func show(_ line: OutputLine, of step: String) {
        observer.output(step: step, line: OutputLine(stream: line.stream, text: redactor.redact(line.text)))
    }

    private func commit(_ drafts: [EventDraft], takingHeld: Bool) async throws(StoreError) -> [AuditEvent] {
        let (batch, raisedBarrier) = takingHeld ? await take(before: drafts) : (drafts, false)
        defer { if raisedBarrier { lowerBarrier() } }
        guard !batch.isEmpty else { return [] }
        let stored = try await store.append(batch)
        for event in stored { observer.recorded(event) }
        return stored
    }

    /// The held events followed by `drafts`, taken once no commit of held events is in flight; raises the barrier
    /// when any were held.
    private func take(before drafts: [EventDraft]) async -> (batch: [EventDraft], raisedBarrier: Bool) {
        while true {
            let taken = state.withLock { state -> (batch: [EventDraft], raisedBarrier: Bool)? in
                guard !state.barrier else { return nil }
                let held = state.held
                state.held.removeAll()
                state.barrier = !held.isEmpty
                return (held + drafts, !held.isEmpty)
            }
            if let taken { return taken }
            await withCheckedContinuation { continuation in
                let waits = state.withLock { state -> Bool in
                    guard state.barrier else { return false }
                    state.waiting.append(continuation)
                    return true
                }
                if !waits { continuation.resume() }
            }
        }
    }

    private func lowerBarrier() {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.barrier = false
            defer { state.waiting.removeAll() }
            return state.waiting
        }
        for continuation in woken { continuation.resume() }
    }
}
