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
        let started = EventDraft(run: options.runID, incident: options.incident, type: EventType.runStarted,
                                 actor: .user(options.starter), data: startedData(clock: clock))
        // Nothing acts before the first step starts, so `run.started` can go out in that step's commit (one `fsync`
        // fewer) — unless something else may record for this run in between: the RTO clock (an incident that
        // started long ago breaches at once) or the alert server (a repeated alert joins the run).
        let holding = options.runbook.rto == nil && options.alert == .null
        return try await run(opening: started, holding: holding, prior: [:], rerun: [:], clock: clock)
    }

    /// Continues the run that `state` folds: finished steps keep their results, a step that had started but not
    /// finished runs again (behind a gate when it is mutating), and the rest run as usual.
    /// - Parameter notes: More to record in `run.resumed`.
    func resume(_ state: RunState, notes: [String: Value]) async throws(StoreError) -> RunStatus {
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
        var data: [String: Value] = [
            "pid": .number(Double(getpid())), "host": .string(ProcessInfo.processInfo.hostName),
            "rerun": .array(state.unfinishedSteps.map { .string($0.id) }),
        ]
        if let name = options.starterDisplayName { data["display_name"] = .string(name) }
        let resumed = EventDraft(run: options.runID, incident: options.incident, type: EventType.runResumed,
                                 actor: .user(options.starter), data: .object(data.merging(notes) { first, _ in first }))
        return try await run(opening: resumed, holding: false, prior: prior, rerun: rerun, clock: clock)
    }

    /// The data of `run.started`.
    private func startedData(clock: RTOClock) -> Value {
        var inputs = options.inputs
        for input in options.runbook.inputs where input.secret && inputs[input.name] != nil {
            inputs[input.name] = "***"
        }
        var data: [String: Value] = [
            "runbook": .string(options.runbook.name),
            "file": .string(options.runbook.file),
            "runbook_digest": .string(ContentDigest.sha256(options.runbook.source.text)),
            "runbook_source": .string(options.runbook.source.text),
            "title": .string(options.runbook.displayTitle),
            "severity": .string(options.severity.description),
            "inputs": options.redactor.redact(.object(inputs)),
            "pid": .number(Double(getpid())),
            "host": .string(ProcessInfo.processInfo.hostName),
            "steps": .number(Double(options.runbook.steps.count)),
        ]
        if let name = options.environment.name { data["environment"] = .string(name) }
        if let rto = options.runbook.rto { data["rto"] = .string(DurationSyntax.format(rto)) }
        data["incident_started_at"] = .string(Timestamp.format(clock.start))
        if clock.isRecovered { data["incident_recovered"] = .bool(true) }
        if options.alert != .null { data["alert"] = options.redactor.redact(options.alert) }
        if let name = options.starterDisplayName { data["display_name"] = .string(name) }
        if let lowered = options.severityLowering {
            data["severity_lowered"] = [
                "from": .string(lowered.from.description), "reason": .string(lowered.reason),
            ]
        }
        return .object(data)
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
            clock: clock)
        let scheduler = StepScheduler(
            options: options, runner: runner, recorder: recorder, clock: clock,
            cancellation: executor.cancellation, rerun: rerun)
        let result = await withTaskGroup(of: Void.self) { group -> Result<RunStatus, StoreError> in
            group.addTask {
                await notifier.deliver(options: options) { draft in try? await recorder.recordAside(draft) }
            }
            let result: Result<RunStatus, StoreError>
            do throws(StoreError) {
                let began = ContinuousClock.now
                let status = try await scheduler.run(prior: prior)
                try await recorder.record(recorder.draft(EventType.runFinished, data: [
                    "status": .string(status.rawValue), "exit_code": .number(Double(status.exitCode)),
                    "duration_ms": .number(Double((ContinuousClock.now - began).wholeMilliseconds)),
                ], actor: .system))
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
