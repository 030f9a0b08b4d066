import Foundation
import RunbookLanguage
import RunbookStore

/// One run from its first event to its last: `run.started` (or `run.resumed`), the incident's RTO clock, the
/// severity's notifications sent beside the steps, the steps themselves (``StepScheduler``), and `run.finished`.
struct RunLifecycle: Sendable {
    /// The store, the actions and who watches.
    let executor: Executor
    /// The run.
    let options: RunOptions

    /// How long a finished run waits for its last notifications before exiting.
    static let notificationGrace: Duration = .seconds(5)

    /// Starts the run and returns how it ended.
    func start() async throws(StoreError) -> RunStatus {
        let clock = try await RTOClock.load(options, runStart: Date(), store: executor.store)
        let started = EventDraft(run: options.runID, incident: options.incident, actor: .user(options.starter),
                                 startedPayload(clock: clock))
        // Nothing acts before the first step starts, so `run.started` can go out in that step's commit (one `fsync`
        // fewer) — unless something else may record for this run in between: the RTO clock (an incident that
        // started long ago breaches at once) or the alert server (a repeated alert joins the run).
        let holding = options.runbook.rto == nil && options.alert == .null
        return try await run(opening: started, holding: holding, prior: [:], rerun: [:], clock: clock)
    }

    /// Continues the run that `state` folds: finished steps keep their results, a step that had started but not
    /// finished runs again (behind a gate when it is mutating), and the rest run as usual.
    /// - Parameter runbookChanged: The runbook file's change since the start, for `run.resumed`.
    func resume(_ state: RunState, runbookChanged: RunResumed.RunbookChange?) async throws(StoreError) -> RunStatus {
        var prior: [String: StepResult] = [:]
        for step in state.steps.values {
            guard let outcome = step.outcome else { continue }
            var result = StepResult(id: step.id, outcome: outcome, outputs: step.outputs, error: step.error,
                                    attempts: step.attempts)
            result.conclusion = step.conclusion ?? outcome
            prior[step.id] = result
        }
        var rerun: [String: String] = [:]
        for step in state.unfinishedSteps where step.mutating {
            rerun[step.id] = "this mutating step had started when the run was interrupted; it may have done part of its work"
        }
        let clock = try await RTOClock.load(options, runStart: Date(), store: executor.store)
        let resumed = EventDraft(run: options.runID, incident: options.incident, actor: .user(options.starter), RunResumed(
            pid: Int64(getpid()), host: ProcessInfo.processInfo.hostName, rerun: state.unfinishedSteps.map(\.id),
            displayName: options.starterDisplayName, runbookChanged: runbookChanged))
        return try await run(opening: resumed, holding: false, prior: prior, rerun: rerun, clock: clock)
    }

    /// The payload of `run.started`.
    private func startedPayload(clock: RTOClock) -> RunStarted {
        var inputs = options.inputs
        for input in options.runbook.inputs where input.secret && inputs[input.name] != nil {
            inputs[input.name] = "***"
        }
        return RunStarted(
            runbook: options.runbook.name, file: options.runbook.file,
            runbookDigest: ContentDigest.sha256(options.runbook.source.text),
            runbookSource: options.runbook.source.text, title: options.runbook.displayTitle,
            severity: options.severity.description, inputs: options.redactor.redact(.object(inputs)),
            pid: Int64(getpid()), host: ProcessInfo.processInfo.hostName, steps: Int64(options.runbook.steps.count),
            environment: options.environment.name, rto: options.runbook.rto.map(DurationSyntax.format),
            incidentStartedAt: Timestamp.format(clock.start), incidentRecovered: clock.isRecovered,
            alert: options.alert == .null ? nil : options.redactor.redact(options.alert),
            displayName: options.starterDisplayName,
            severityLowered: options.severityLowering.map {
                RunStarted.SeverityLowering(from: $0.from.description, reason: $0.reason)
            })
    }

    /// Records `opening` (or holds it for the first step's commit), runs the steps not in `prior` with the incident's
    /// notifications going out beside them, and records `run.finished`.
    private func run(
        opening: EventDraft, holding: Bool, prior: [String: StepResult], rerun: [String: String], clock: RTOClock
    ) async throws(StoreError) -> RunStatus {
        let notifier = IncidentNotifier(
            channels: options.policy.channels.compactMap { options.environment.channels[$0] })
        let observer = NotifyingObserver(observer: executor.observer, notifier: notifier)
        let recorder = RunRecorder(store: executor.store, observer: observer, options: options)
        if holding { recorder.hold(opening) } else { try await recorder.record(opening) }
        let runner = StepRunner(
            options: options, actions: executor.actions, catalog: executor.catalog, recorder: recorder,
            gates: GateController(store: executor.store, observer: observer, prompter: executor.prompter),
            clock: clock, locks: executor.lockDirectory.map(TargetLocks.init(directory:)))
        let scheduler = StepScheduler(
            options: options, runner: runner, recorder: recorder, clock: clock,
            cancellation: executor.cancellation, drain: executor.drain, rerun: rerun)
        let result = await withTaskGroup(of: Void.self) { group -> Result<RunStatus, StoreError> in
            group.addTask {
                await notifier.deliver(options: options) { draft in try? await recorder.recordAside(draft) }
            }
            let result: Result<RunStatus, StoreError>
            do throws(StoreError) {
                let began = ContinuousClock.now
                let status = try await scheduler.run(prior: prior)
                if status == .interrupted {
                    // Drained with steps left: no `run.finished`, so the run stays open for the next worker.
                    try await recorder.flush()
                } else {
                    try await recorder.record(recorder.draft(RunFinished(
                        status: status.rawValue, exitCode: Int64(status.exitCode),
                        durationMilliseconds: (ContinuousClock.now - began).wholeMilliseconds), actor: .system))
                }
                result = .success(status)
            } catch {
                result = .failure(error)
            }
            // The run is over: give queued notifications a short grace to go out, never more.
            notifier.finish()
            group.addTask { try? await Task.sleep(for: Self.notificationGrace) }
            _ = await group.next()
            group.cancelAll()
            return result
        }
        return try result.get()
    }
}
