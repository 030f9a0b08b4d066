import RunbookActions
import RunbookLanguage
import RunbookStore

/// Runs one step: resolves its parameters, passes its gate when it has one, has its start recorded before its action
/// acts, and tries the action with its retries (`retry.attempts`, `until`, the delays) and timeout, keeping its
/// outputs redacted and capped.
struct StepRunner: Sendable {
    /// The run.
    let options: RunOptions
    /// The actions that can run, by name.
    let actions: [String: any Action]
    /// The specs of every action the language knows.
    let catalog: ActionCatalog
    /// Where the step's events go.
    let recorder: RunRecorder
    /// Where gated steps wait.
    let gates: GateController
    /// The incident's RTO clock, for gate prompts.
    let clock: RTOClock
    /// Where mutating steps lock their targets; nil to lock nothing.
    let locks: TargetLocks?

    /// How long a step waits for a target another run holds when it has no `timeout:` of its own.
    static let lockLimit: Duration = .seconds(600)

    /// One try of the step's action.
    private typealias Attempt = @Sendable () async throws(ActionFailure) -> [String: Value]

    /// A step whose action is known and whose parameters are resolved.
    private struct Setup: Sendable {
        let step: Step
        let spec: ActionSpec
        let action: any Action
        let resolved: ResolvedStep
        let context: ActionContext
        let mutating: Bool
    }

    /// How a try ended the step, or why the step is tried again.
    private enum Judgement {
        case ended(StepResult)
        case retry(reason: String)
    }

    /// Runs `step` in `context`: behind a gate when it is gated, or when `gateReason` says why it must be.
    /// - Throws: `StoreError` when one of its events cannot be recorded; the step does not act after that.
    func run(_ step: Step, context: EvaluationContext, gateReason: String?) async throws(StoreError) -> StepResult {
        let setup: Setup
        do throws(ActionFailure) {
            setup = try setUp(step, context: context)
        } catch {
            return StepTries(step: step, attempts: 1, began: .now).failure(error.message)
        }
        let gated = gateReason != nil || step.isGated(
            actionMutating: setup.spec.mutating,
            environmentRequiresConfirmation: options.environment.requiresConfirmation || options.isAlertStarted)
        if gated, let refused = try await passGate(setup, reason: gateReason) { return refused }
        let targets = self.targets(of: setup)
        guard let locks, !targets.isEmpty else { return try await execute(setup, evaluating: context) }
        let recorder = self.recorder
        let outcome = try await locks.take(
            targets, for: TargetLock.Holder(run: options.runID, step: step.id), limit: step.timeout ?? Self.lockLimit
        ) { lock, holder throws(StoreError) in
            // Whoever holds it, and whoever watches, see this step's wait (with the held ends before it).
            _ = try await recorder.record(recorder.draft(
                LockWaiting(lock: lock, heldByRun: holder.run, heldByStep: holder.step), step: step.id,
                actor: .system))
        }
        switch outcome {
        case .held(let held):
            let result = try await execute(setup, evaluating: context, holding: targets)
            withExtendedLifetime(held) {}
            return result
        case .timedOut(let message):
            return StepTries(step: step, attempts: 1, began: .now).failure(message)
        case .cancelled:
            return StepResult(id: step.id, outcome: .cancelled)
        }
    }

    /// The targets the step holds while it acts: its action's, when the step is mutating, and its own `lock:`.
    private func targets(of setup: Setup) -> [String] {
        var targets: [String] = []
        if setup.mutating, let target = setup.action.lock(setup.context) { targets.append(target) }
        if let lock = setup.step.lock, !targets.contains(lock) { targets.append(lock) }
        return targets
    }

    /// The step's action and its parameters resolved in `context`.
    /// - Throws: `ActionFailure` when the action is unknown or missing, or a parameter cannot be resolved.
    private func setUp(_ step: Step, context: EvaluationContext) throws(ActionFailure) -> Setup {
        guard let spec = catalog[step.action] else { throw ActionFailure("unknown action '\(step.action)'") }
        guard let action = actions[step.action] else {
            throw ActionFailure("the action '\(step.action)' is not available in this build of runbook")
        }
        let resolved: ResolvedStep
        do {
            resolved = try ResolvedStep(step, context: context, redactor: options.redactor)
        } catch {
            throw ActionFailure(error.message)
        }
        let recorder = self.recorder
        let actionContext = ActionContext(
            parameters: resolved.parameters, stepID: step.id, runID: options.runID,
            environment: resolved.environment, workingDirectory: options.workingDirectory,
            channels: options.environment.channels, target: options.environment.target,
            emit: { line in recorder.show(line, of: step.id) })
        return Setup(step: step, spec: spec, action: action, resolved: resolved, context: actionContext,
                     mutating: step.isMutating(actionMutating: spec.mutating))
    }

    /// Records the step's gate and waits for its answer.
    /// - Returns: The step's end when it may not run; nil when it may.
    private func passGate(_ setup: Setup, reason: String?) async throws(StoreError) -> StepResult? {
        let step = setup.step
        var request = setup.resolved.gateRequest(step, options: options, reason: reason)
        request.rtoRemaining = clock.remainingText()
        request.preview = await GatePreview.read(setup.action, setup.context, redactor: options.redactor)
        // Whoever answers the gate must see every step before it as ended.
        try await recorder.flush()
        let approved = try await gates.pass(
            request, confirmation: step.confirmation, options: options, mutating: setup.mutating)
        if Task.isCancelled { return StepResult(id: step.id, outcome: .cancelled) }
        return approved ? nil : StepResult(id: step.id, outcome: .denied)
    }

    /// Records the step's start, lets its first try act once the start is durable, and tries again while the
    /// step's retry policy says so.
    private func execute(_ setup: Setup, evaluating context: EvaluationContext, holding targets: [String] = [])
        async throws(StoreError) -> StepResult
    {
        let step = setup.step
        let timeout = step.timeout ?? setup.spec.defaultTimeout
        let tries = StepTries(step: step, attempts: step.retry?.attempts ?? 1, began: .now)
        // The first try is prepared (a shell started, waiting) before the start is committed, so that preparing
        // overlaps the commit, and so that the start records who its process is; it acts only once the start is
        // durable, and not at all if it is not.
        let (prepared, first) = prepare(setup)
        let started = recorder.draft(StepStarted(
            action: step.action, mutating: setup.mutating,
            parameters: options.redactor.redact(.object(setup.resolved.shownParameters)),
            timeoutMilliseconds: timeout.map(\.wholeMilliseconds), locks: targets.isEmpty ? nil : targets,
            process: prepared?.process?.value), step: step.id)
        guard try await recorder.start(prepared, after: started) else {
            return StepResult(id: step.id, outcome: .cancelled, duration: ContinuousClock.now - tries.began)
        }
        return try await retrying(setup, tries, first: first, timeout: timeout, evaluating: context)
    }

    /// A try of the step's action, prepared when the action prepares its tries (then not acting until it is
    /// started); the try throws the preparation's failure when that failed.
    private func prepare(_ setup: Setup) -> (prepared: (any PreparedAttempt)?, attempt: Attempt) {
        let (action, context) = (setup.action, setup.context)
        do throws(ActionFailure) {
            guard let prepared = try action.prepare(context) else {
                return (nil, { () async throws(ActionFailure) in try await action.execute(context) })
            }
            return (prepared, { () async throws(ActionFailure) in try await prepared.finish() })
        } catch {
            return (nil, { () async throws(ActionFailure) in throw error })
        }
    }

    /// Tries the step's action (`first` for the first try, already started) until a try ends the step. Each later
    /// try is prepared before its `step.retry` is recorded, which names its process, and started after the delay.
    private func retrying(
        _ setup: Setup, _ tries: StepTries, first: @escaping Attempt, timeout: Duration?, evaluating context: EvaluationContext
    ) async throws(StoreError) -> StepResult {
        var tries = tries
        var next = first
        while true {
            let reason: String
            switch judge(await AttemptOutcome.of(next, timeout: timeout), tries, evaluating: context) {
            case .ended(let result): return result
            case .retry(let why): reason = why
            }
            let upcoming = tries.attempt + 1
            let delay = setup.step.retry?.delay(beforeAttempt: upcoming) ?? .zero
            let (prepared, attempt) = prepare(setup)
            do {
                try await recorder.record(recorder.draft(StepRetry(
                    attempt: Int64(upcoming), of: Int64(tries.attempts), reason: reason,
                    delayMilliseconds: delay.wholeMilliseconds, process: prepared?.process?.value),
                    step: setup.step.id))
                try await Task.sleep(for: delay)
            } catch let error as StoreError {
                await prepared?.abandon()
                throw error
            } catch {
                await prepared?.abandon()
                return tries.cancelled()
            }
            prepared?.start()
            tries.attempt = upcoming
            next = attempt
        }
    }

    /// What a try's `outcome` means for the step.
    private func judge(_ outcome: AttemptOutcome, _ tries: StepTries, evaluating context: EvaluationContext)
        -> Judgement
    {
        let redactor = options.redactor
        switch outcome {
        case .cancelled:
            return .ended(tries.cancelled())
        case .succeeded(let outputs):
            let kept = OutputCap.apply(redactor.redact(.object(outputs)))
            guard let until = tries.step.retry?.until else { return .ended(tries.success(kept)) }
            return judge(until, outputs: kept, tries, evaluating: context)
        case .failed(let failure):
            let kept = OutputCap.apply(redactor.redact(.object(failure.outputs)))
            let message = redactor.redact(failure.message)
            return tries.isLast ? .ended(tries.failure(message, kept)) : .retry(reason: message)
        case .timedOut(let limit):
            let message = "the step ran longer than its timeout of \(DurationSyntax.format(limit)) and was stopped"
            return tries.isLast ? .ended(tries.failure(message)) : .retry(reason: message)
        }
    }

    /// Whether a try that succeeded with `outputs` ends the step under its `retry.until`, which reads the step's own
    /// latest outputs.
    private func judge(
        _ until: ConditionValue, outputs: [String: Value], _ tries: StepTries, evaluating context: EvaluationContext
    ) -> Judgement {
        let step = tries.step
        var untilContext = context
        var steps: [String: Value] = [:]
        if case .object(let fields)? = context.contexts["steps"] { steps = fields }
        steps[step.id] = StepResult(id: step.id, outcome: .success, outputs: outputs).contextValue
        untilContext.contexts["steps"] = .object(steps)
        let holds: Bool
        do {
            holds = try until.expression.evaluate(in: untilContext).isTruthy
        } catch {
            return .ended(tries.failure("the 'retry.until' expression failed: \(error.message)", outputs))
        }
        if holds { return .ended(tries.success(outputs)) }
        if tries.isLast {
            return .ended(tries.failure(
                "'retry.until' (\(until.site.content)) still did not hold after \(tries.attempt) attempts", outputs))
        }
        return .retry(reason: "'retry.until' (\(until.site.content)) does not hold yet")
    }
}
