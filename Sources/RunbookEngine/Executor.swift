import Foundation
import RunbookActions
import RunbookLanguage
import RunbookStore

/// Runs a runbook's step graph: roots in parallel, `needs`, `if:`, gates, retries, timeouts and cancellation,
/// recording every step in the event store before acting on it.
public struct Executor: Sendable {
    /// Where events go.
    public let store: any EventStore
    /// The actions that can run, by name.
    public let actions: [String: any Action]
    /// The specs of every action the language knows.
    public let catalog: ActionCatalog
    /// Who sees the run as it happens.
    public private(set) var observer: any RunObserver
    /// Asks the person at the terminal to answer gates; nil when nobody is there.
    public let prompter: (any GatePrompter)?
    /// Raised to cancel the run.
    public let cancellation: CancellationSignal
    /// Events waiting to be committed with the next one; each run gets its own (see ``schedule``).
    private var held = HeldEvents()

    /// The largest text kept for one output in an event.
    static let outputCap = 64 * 1_024

    /// Creates an executor.
    public init(
        store: any EventStore, actions: [String: any Action], catalog: ActionCatalog = .builtin,
        observer: any RunObserver, prompter: (any GatePrompter)?, cancellation: CancellationSignal
    ) {
        self.store = store
        self.actions = actions
        self.catalog = catalog
        self.observer = observer
        self.prompter = prompter
        self.cancellation = cancellation
    }

    /// Starts a new run and returns how it ended.
    /// - Throws: `StoreError` when an event cannot be recorded; the run stops at that point.
    public func start(_ options: RunOptions) async throws(StoreError) -> RunStatus {
        let clock = try await RTOClock.load(options, runStart: Date(), store: store)
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
        let started = EventDraft(run: options.runID, incident: options.incident, type: EventType.runStarted,
                                 actor: .user(options.starter), data: .object(data))
        // Nothing acts before the first step starts, so `run.started` can go out in that step's commit (one `fsync`
        // fewer) — unless something else may record for this run in between: the RTO clock (an incident that
        // started long ago breaches at once) or the alert server (a repeated alert joins the run).
        guard options.runbook.rto == nil, options.alert == .null else {
            for event in try await store.append([started]) { observer.recorded(event) }
            return try await schedule(options, prior: [:], rerun: [:], clock: clock)
        }
        return try await schedule(options, prior: [:], rerun: [:], clock: clock, holding: started)
    }

    /// Continues an interrupted run from its log: finished steps keep their results, a step that had started but not
    /// finished runs again (behind a gate when it is mutating), and the rest run as usual.
    /// - Parameter notes: More to record in `run.resumed` (such as a runbook file changed since the start).
    public func resume(_ state: RunState, options: RunOptions, notes: [String: Value] = [:]) async throws(StoreError)
        -> RunStatus
    {
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
        let clock = try await RTOClock.load(options, runStart: Date(), store: store)
        var data: [String: Value] = [
            "pid": .number(Double(getpid())), "host": .string(ProcessInfo.processInfo.hostName),
            "rerun": .array(state.unfinishedSteps.map { .string($0.id) }),
        ]
        if let name = options.starterDisplayName { data["display_name"] = .string(name) }
        try await record(options, EventType.runResumed, data: .object(data.merging(notes) { first, _ in first }),
                         actor: .user(options.starter))
        return try await schedule(options, prior: prior, rerun: rerun, clock: clock)
    }

    private enum Message: Sendable {
        case clockStopped
        case cancelRequested
        case finished(StepResult)
        case storeFailed(StoreError)
    }

    /// Runs the steps not in `prior`, with `holding` (if any) held for the first commit.
    private func schedule(
        _ options: RunOptions, prior: [String: StepResult], rerun: [String: String], clock: RTOClock,
        holding: EventDraft? = nil
    ) async throws(StoreError) -> RunStatus {
        let notifier = IncidentNotifier(channels: options.policy.channels.compactMap { options.environment.channels[$0] })
        // The run's own executor: this one's settings, the run's notifications, and the run's held events.
        var executor = self
        executor.observer = NotifyingObserver(observer: observer, notifier: notifier)
        executor.held = HeldEvents()
        if let holding { executor.held.hold(holding) }
        let result = await withTaskGroup(of: Void.self) { group -> Result<RunStatus, StoreError> in
            group.addTask {
                await notifier.deliver(options: options) { draft in
                    if let stored = try? await store.append([draft]) { for event in stored { observer.recorded(event) } }
                }
            }
            let result: Result<RunStatus, StoreError>
            do throws(StoreError) {
                result = .success(try await executor.scheduleSteps(options, prior: prior, rerun: rerun, clock: clock))
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

    /// How long a finished run waits for its last notifications before exiting.
    static let notificationGrace: Duration = .seconds(5)

    private func scheduleSteps(
        _ options: RunOptions, prior: [String: StepResult], rerun: [String: String], clock: RTOClock
    ) async throws(StoreError) -> RunStatus {
        let runbook = options.runbook
        let graph = StepGraph(steps: runbook.steps)
        let started = ContinuousClock.now
        var results = prior
        var launched = Set(prior.keys)
        var cancelling = false
        var failure: StoreError?
        await withTaskGroup(of: Message.self) { group in
            group.addTask {
                await cancellation.wait()
                return .cancelRequested
            }
            group.addTask {
                await clock.run { percent in
                    // An RTO event that cannot be stored is lost, not fatal: it records time, it gates nothing.
                    _ = try? await record(options, percent >= 100 ? EventType.rtoBreached : EventType.rtoWarning,
                                          data: clock.thresholdData(percent), actor: .system, takingHeld: false)
                }
                return .clockStopped
            }
            var running = 0
            // Whether the one running step was launched alone and so commits the held events with its first event:
            // until it reports, the loop must not commit them itself, or the two commits could land in either order.
            var heldOwedToStep = false
            while failure == nil {
                var launching: [(step: Step, context: EvaluationContext, status: StepStatus)] = []
                var progressed = !cancelling
                while progressed {
                    progressed = false
                    for step in runbook.steps where !launched.contains(step.id)
                        && step.needs.allSatisfy({ results[$0] != nil }) {
                        launched.insert(step.id)
                        let context = evaluationContext(options, results: results, incidentStart: clock.start)
                        switch decide(step, graph: graph, results: results, context: context) {
                        case .run(let status):
                            launching.append((step, context, status))
                        case .skip(let result):
                            results[step.id] = result
                            progressed = true
                            finish(result, options: options, reason: "its condition is false")
                        }
                    }
                }
                running += launching.count
                // Held events go out with the first event of the one step about to start, or with `run.finished`
                // when nothing runs any more; in any other case (several starting or running, or none starting) they
                // are committed now, before any step records anything.
                if running == 0 { break }
                if launching.count == 1, running == 1 { heldOwedToStep = true }
                if !heldOwedToStep, !held.isEmpty {
                    do throws(StoreError) {
                        try await commitHeld()
                    } catch {
                        failure = error
                        running -= launching.count
                        group.cancelAll()
                        break
                    }
                }
                for (step, context, status) in launching {
                    let reason = rerun[step.id]
                    group.addTask {
                        await runStep(step, context: context, status: status, options: options,
                                      gateReason: reason, rto: clock)
                    }
                }
                guard let message = await group.next() else { break }
                switch message {
                case .clockStopped:
                    break
                case .cancelRequested:
                    cancelling = true
                    group.cancelAll()
                case .storeFailed(let error):
                    running -= 1
                    heldOwedToStep = false
                    failure = error
                    group.cancelAll()
                case .finished(let result):
                    running -= 1
                    heldOwedToStep = false
                    results[result.id] = result
                    finish(result, options: options, reason: nil)
                    do throws(StoreError) {
                        if result.outcome == .success, runbook.step(result.id)?.recovery == true, clock.markRecovered() {
                            try await record(options, EventType.incidentRecovered, step: result.id,
                                             data: clock.recoveryData(step: result.id), actor: .system)
                        }
                    } catch {
                        failure = error
                        group.cancelAll()
                    }
                }
            }
            group.cancelAll()
        }
        if let failure { throw failure }
        let conclusions = results.values.map(\.conclusion)
        let status: RunStatus = if cancelling {
            .cancelled
        } else if conclusions.contains(.failure) {
            .failed
        } else if conclusions.contains(.denied) || conclusions.contains(.cancelled) {
            .denied
        } else {
            .succeeded
        }
        try await record(options, EventType.runFinished, data: [
            "status": .string(status.rawValue), "exit_code": .number(Double(status.exitCode)),
            "duration_ms": .number(Double(milliseconds(ContinuousClock.now - started))),
        ], actor: .system)
        return status
    }

    private enum Decision {
        case run(StepStatus)
        case skip(StepResult)
    }

    /// Whether a step whose needs have all ended runs, from its `if:` and the conclusions upstream of it.
    private func decide(_ step: Step, graph: StepGraph, results: [String: StepResult], context: EvaluationContext)
        -> Decision
    {
        let upstream = graph.upstream(of: step.id).compactMap { results[$0]?.conclusion }
        let status = StepStatus(
            upstreamFailed: upstream.contains(.failure) || upstream.contains(.denied),
            cancelled: upstream.contains(.cancelled))
        var evaluation = context
        evaluation.status = status
        guard let condition = step.condition else {
            return status.isSuccess ? .run(status) : .skip(StepResult(id: step.id, outcome: .skipped))
        }
        do {
            let value = try condition.expression.evaluate(in: evaluation)
            let holds = condition.expression.usesStatusFunction ? value.isTruthy : status.isSuccess && value.isTruthy
            return holds ? .run(status) : .skip(StepResult(id: step.id, outcome: .skipped))
        } catch {
            return .skip(StepResult(
                id: step.id, outcome: .failure, continueOnError: step.continueOnError,
                error: "the 'if:' expression failed: \(error.message)"))
        }
    }

    /// Gates, starts and runs one step with its retries and timeout.
    private func runStep(
        _ step: Step, context: EvaluationContext, status: StepStatus, options: RunOptions, gateReason: String?,
        rto: RTOClock
    ) async -> Message {
        var clock = ContinuousClock.now
        var attempt = 1
        func failed(_ message: String, _ outputs: [String: Value]) -> Message {
            .finished(StepResult(id: step.id, outcome: .failure, continueOnError: step.continueOnError,
                                 outputs: outputs, error: message, attempts: attempt, duration: ContinuousClock.now - clock))
        }
        guard let spec = catalog[step.action] else { return failed("unknown action '\(step.action)'", [:]) }
        guard let action = actions[step.action] else {
            return failed("the action '\(step.action)' is not available in this build of runbook", [:])
        }
        let resolved: ResolvedStep
        do {
            resolved = try ResolvedStep(step, context: context, redactor: options.redactor)
        } catch {
            return failed(error.message, [:])
        }
        let observer = self.observer
        let redactor = options.redactor
        let actionContext = ActionContext(
            parameters: resolved.parameters, stepID: step.id, runID: options.runID,
            environment: resolved.environment, workingDirectory: options.workingDirectory,
            channels: options.environment.channels, target: options.environment.target,
            emit: { line in observer.output(step: step.id, line: OutputLine(stream: line.stream, text: redactor.redact(line.text))) })
        let mutating = step.isMutating(actionMutating: spec.mutating)
        if gateReason != nil
            || step.isGated(actionMutating: spec.mutating,
                            environmentRequiresConfirmation: options.environment.requiresConfirmation
                                || options.isAlertStarted) {
            let gates = GateController(store: store, observer: observer, prompter: prompter)
            var request = resolved.gateRequest(step, options: options, reason: gateReason)
            request.rtoRemaining = rto.remainingText()
            request.preview = await Self.preview(action, actionContext, redactor: redactor)
            do {
                // Whoever answers the gate must see every step before it as ended.
                if !held.isEmpty { try await commitHeld() }
                let approved = try await gates.pass(
                    request, confirmation: step.confirmation, options: options, mutating: mutating)
                if Task.isCancelled { return .finished(StepResult(id: step.id, outcome: .cancelled)) }
                if !approved { return .finished(StepResult(id: step.id, outcome: .denied)) }
            } catch {
                return .storeFailed(error)
            }
        }
        let timeout = step.timeout ?? spec.defaultTimeout
        clock = ContinuousClock.now
        // The first attempt is prepared (a shell started, waiting) before the start is committed, so that preparing
        // overlaps the commit; it acts only once the start is durable, and not at all if it is not.
        let prepared: Result<(any PreparedAttempt)?, ActionFailure>
        do throws(ActionFailure) {
            prepared = .success(try action.prepare(actionContext))
        } catch {
            prepared = .failure(error)
        }
        do {
            try await record(options, EventType.stepStarted, step: step.id, data: [
                "action": .string(step.action), "mutating": .bool(mutating),
                "parameters": options.redactor.redact(.object(resolved.shownParameters)),
                "timeout_ms": timeout.map { .number(Double(milliseconds($0))) } ?? .null,
            ])
        } catch {
            if case .success(let attempt?) = prepared { await attempt.abandon() }
            return .storeFailed(error)
        }
        var firstAttempt: (@Sendable () async throws(ActionFailure) -> [String: Value])?
        switch prepared {
        case .success(let attempt?):
            if Task.isCancelled {
                await attempt.abandon()
                return .finished(StepResult(id: step.id, outcome: .cancelled, duration: ContinuousClock.now - clock))
            }
            attempt.start()
            firstAttempt = { () async throws(ActionFailure) in try await attempt.finish() }
        case .success(nil):
            firstAttempt = nil
        case .failure(let failure):
            firstAttempt = { () async throws(ActionFailure) in throw failure }
        }
        let execute: @Sendable () async throws(ActionFailure) -> [String: Value] = { () async throws(ActionFailure) in
            try await action.execute(actionContext)
        }
        let attempts = step.retry?.attempts ?? 1
        while true {
            let outcome = await Self.attempt(firstAttempt.take() ?? execute, timeout: timeout)
            let elapsed = ContinuousClock.now - clock
            var retryReason: String
            switch outcome {
            case .cancelled:
                return .finished(StepResult(id: step.id, outcome: .cancelled, attempts: attempt, duration: elapsed))
            case .succeeded(let outputs):
                let kept = Self.cap(redactor.redact(.object(outputs)))
                guard let until = step.retry?.until else {
                    return .finished(StepResult(id: step.id, outcome: .success, continueOnError: step.continueOnError,
                                                outputs: kept, attempts: attempt, duration: elapsed))
                }
                var untilContext = context
                var steps: [String: Value] = [:]
                if case .object(let fields)? = context.contexts["steps"] { steps = fields }
                steps[step.id] = StepResult(id: step.id, outcome: .success, outputs: kept).contextValue
                untilContext.contexts["steps"] = .object(steps)
                let holds: Bool
                do {
                    holds = try until.expression.evaluate(in: untilContext).isTruthy
                } catch {
                    return failed("the 'retry.until' expression failed: \(error.message)", kept)
                }
                if holds {
                    return .finished(StepResult(id: step.id, outcome: .success, continueOnError: step.continueOnError,
                                                outputs: kept, attempts: attempt, duration: elapsed))
                }
                if attempt >= attempts {
                    return failed("'retry.until' (\(until.site.content)) still did not hold after \(attempt) attempts", kept)
                }
                retryReason = "'retry.until' (\(until.site.content)) does not hold yet"
            case .failed(let failure):
                let kept = Self.cap(redactor.redact(.object(failure.outputs)))
                let message = redactor.redact(failure.message)
                if attempt >= attempts { return failed(message, kept) }
                retryReason = message
            case .timedOut(let limit):
                let message = "the step ran longer than its timeout of \(DurationSyntax.format(limit)) and was stopped"
                if attempt >= attempts { return failed(message, [:]) }
                retryReason = message
            }
            let delay = step.retry?.delay(beforeAttempt: attempt + 1) ?? .zero
            attempt += 1
            do {
                try await record(options, EventType.stepRetry, step: step.id, data: [
                    "attempt": .number(Double(attempt)), "of": .number(Double(attempts)),
                    "reason": .string(retryReason), "delay_ms": .number(Double(milliseconds(delay))),
                ])
            } catch {
                return .storeFailed(error)
            }
            do {
                try await Task.sleep(for: delay)
            } catch {
                return .finished(StepResult(id: step.id, outcome: .cancelled, attempts: attempt - 1,
                                            duration: ContinuousClock.now - clock))
            }
        }
    }

    private enum AttemptOutcome: Sendable {
        case succeeded([String: Value])
        case failed(ActionFailure)
        case timedOut(Duration)
        case cancelled
    }

    /// What a gated step would change, for its prompt; a preview that fails or takes longer than
    /// ``previewTimeout`` becomes one line saying so, and never keeps the gate from being asked.
    private static func preview(_ action: any Action, _ context: ActionContext, redactor: Redactor) async -> [String] {
        let lines = await withTaskGroup(of: [String]?.self) { group -> [String] in
            group.addTask {
                do throws(ActionFailure) {
                    return try await action.preview(context)
                } catch {
                    return ["(could not read the current state: \(error.message))"]
                }
            }
            group.addTask {
                try? await Task.sleep(for: previewTimeout)
                return Task.isCancelled ? nil : ["(could not read the current state within \(previewTimeout))"]
            }
            var first: [String] = []
            while let next = await group.next() {
                guard let next else { continue }
                first = next
                break
            }
            group.cancelAll()
            return first
        }
        return lines.map(redactor.redact)
    }

    /// How long a gate's preview may take.
    static let previewTimeout: Duration = .seconds(20)

    /// One try of an action, stopped (its process group killed) when it outlives `timeout` or the run is cancelled.
    private static func attempt(
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
            var first: AttemptOutcome = .cancelled
            while let next = await group.next() {
                guard let next else { continue }
                first = next
                break
            }
            group.cancelAll()
            return first
        }
        if Task.isCancelled, case .timedOut = outcome { return .cancelled }
        return Task.isCancelled ? .cancelled : outcome
    }

    /// Holds a step's end, to be committed with the next event (see ``HeldEvents``).
    private func finish(_ result: StepResult, options: RunOptions, reason: String?) {
        var data: [String: Value] = [
            "outcome": .string(result.outcome.rawValue), "conclusion": .string(result.conclusion.rawValue),
            "duration_ms": .number(Double(milliseconds(result.duration))), "attempts": .number(Double(result.attempts)),
            "outputs": .object(result.outputs),
        ]
        if let error = result.error { data["error"] = .string(options.redactor.redact(error)) }
        if let reason, result.outcome == .skipped { data["reason"] = .string(reason) }
        held.hold(EventDraft(run: options.runID, incident: options.incident, type: EventType.stepFinished,
                             step: result.id, actor: .system, data: .object(data)))
    }

    /// Commits the held step ends on their own.
    private func commitHeld() async throws(StoreError) {
        for event in try await store.append(held.take()) { observer.recorded(event) }
    }

    /// The values expressions see when a step starts.
    private func evaluationContext(_ options: RunOptions, results: [String: StepResult], incidentStart: Date)
        -> EvaluationContext
    {
        EvaluationContext(contexts: [
            "inputs": .object(options.inputs),
            "steps": .object(results.mapValues(\.contextValue)),
            "incident": [
                "id": .string(options.incident), "severity": .string(options.severity.description),
                "started_at": .string(Timestamp.format(incidentStart)),
            ],
            "alert": options.alert,
            "env": .object(options.environment.variables),
            "run": ["id": .string(options.runID), "actor": .string(options.starter)],
        ])
    }

    /// Records an event, with the held step ends before it unless `takingHeld` is false (events that act on
    /// nothing, such as the RTO clock's, and may be written concurrently with a step's).
    @discardableResult
    private func record(
        _ options: RunOptions, _ type: String, step: String? = nil, data: Value, actor: Actor? = nil,
        takingHeld: Bool = true
    ) async throws(StoreError) -> AuditEvent? {
        let draft = EventDraft(
            run: options.runID, incident: options.incident, type: type, step: step, actor: actor, data: data)
        let stored = try await store.append(takingHeld ? held.take() + [draft] : [draft])
        for event in stored { observer.recorded(event) }
        return stored.last
    }

    /// `value` with every string cut to the output cap.
    private static func cap(_ value: Value) -> [String: Value] {
        guard case .object(let fields) = value else { return [:] }
        return fields.mapValues { field in
            // Actions cap their own outputs at the same size with a marker; leave room for it.
            guard case .string(let text) = field, text.utf8.count > outputCap + 256 else { return field }
            let kept = String(decoding: text.utf8.suffix(outputCap), as: UTF8.self)
            return .string("…[truncated \(text.utf8.count - outputCap) bytes]\n" + kept)
        }
    }
}

/// Whole milliseconds in `duration`.
func milliseconds(_ duration: Duration) -> Int64 {
    duration.components.seconds * 1_000 + duration.components.attoseconds / 1_000_000_000_000_000
}
