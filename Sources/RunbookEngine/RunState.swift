import RunbookActions
import RunbookLanguage
import RunbookStore

/// A run as its events tell it: the fold that `status`, `runs` and `resume` read.
public struct RunState: Sendable {
    /// The run's id.
    public var id: String
    /// The runbook's name.
    public var runbook: String = ""
    /// The runbook file it was started from.
    public var file: String = ""
    /// The digest of the runbook's text when the run started (`sha256:…`); nil for runs recorded before digests were.
    public var runbookDigest: String?
    /// The runbook's text when the run started, which anything that continues the run uses; nil for runs recorded
    /// before sources were kept.
    public var runbookSource: String?
    /// The incident id.
    public var incident: String?
    /// The severity of the run.
    public var severity: String = ""
    /// Who started it.
    public var actor: Actor?
    /// The inputs, as recorded (secrets redacted).
    public var inputs: [String: Value] = [:]
    /// The environment it ran against.
    public var environment: String?
    /// The alert that started the run, as `${{ alert.… }}` read it; null when a person started it.
    public var alert: Value = .null
    /// When it started and, if it did, ended.
    public var startedAt: String = ""
    public var finishedAt: String?
    /// The status recorded by `run.finished`; nil while the log says it is still going.
    public var recordedStatus: RunStatus?
    /// The process that ran it last, for liveness checks and `cancel`.
    public var pid: Int32?
    public var host: String?
    /// Steps in the order they first appear in the log.
    public var stepOrder: [String] = []
    /// Each step's state.
    public var steps: [String: StepState] = [:]
    /// Every event of the run.
    public var events: [AuditEvent] = []

    /// Folds `events` (all of one run, in order); nil when there is no `run.started`.
    public init?(events: [AuditEvent]) {
        guard let first = events.first(where: { $0.type == EventType.runStarted }) else { return nil }
        id = first.run
        self.events = events
        for event in events { apply(event) }
    }

    /// Folds `later`, the run's events recorded after those folded so far, in order.
    public mutating func append(_ later: [AuditEvent]) {
        events += later
        for event in later { apply(event) }
    }

    /// The sequence number of the newest event folded.
    public var lastSeq: Int64 { events.last?.seq ?? 0 }

    /// The status, given whether a live process still holds the run.
    public func status(ownerAlive: Bool) -> RunStatus {
        if let recordedStatus { return recordedStatus }
        return ownerAlive ? .running : .interrupted
    }

    /// Whether an alert started the run, so that `runbook serve` runs it (with others, in one process).
    public var isServed: Bool { alert != .null }

    /// Whether a `runbook serve` took the run over (`run.taken_over`, and the `run.resumed` it records next) and no
    /// other process has continued it since.
    public var isTakenOver = false
    /// A `run.taken_over` whose own `run.resumed` has not been folded yet.
    private var takeoverResuming = false

    /// Whether the run's process is a `runbook serve`, which runs many runs: a cancel is a recorded request it
    /// watches for, never a signal to its process.
    public var isRunByServer: Bool { isServed || isTakenOver }

    /// The steps that had started and not ended when the log stops.
    public var unfinishedSteps: [StepState] { stepOrder.compactMap { steps[$0] }.filter(\.isRunning) }

    /// Folds one event of the run.
    private mutating func apply(_ event: AuditEvent) {
        switch event.body {
        case .runStarted(let started):
            runbook = started.runbook ?? ""
            file = started.file ?? ""
            runbookDigest = started.runbookDigest
            runbookSource = started.runbookSource
            incident = event.incident
            severity = started.severity ?? ""
            actor = event.actor
            if case .object(let values)? = started.inputs { inputs = values }
            environment = started.environment
            alert = started.alert ?? .null
            startedAt = event.timestamp
            pid = started.pid.map { Int32($0) }
            host = started.host
        case .runTakenOver:
            isTakenOver = true
            takeoverResuming = true
        case .runReleased:
            isTakenOver = false
        case .runResumed(let resumed):
            isTakenOver = takeoverResuming
            takeoverResuming = false
            pid = resumed.pid.map { Int32($0) }
            host = resumed.host
            recordedStatus = nil
            finishedAt = nil
        case .runFinished(let finished):
            recordedStatus = finished.status.flatMap(RunStatus.init(rawValue:)) ?? .failed
            finishedAt = event.timestamp
            for id in stepOrder { steps[id]?.gateWaiting = false }
        case let body:
            apply(body, of: event)
        }
    }

    /// Folds an event of one of the run's steps or of its gate.
    private mutating func apply(_ body: EventBody, of event: AuditEvent) {
        switch body {
        case .stepStarted(let started):
            update(event.step) { step in
                step.startedAt = event.timestamp
                step.outcome = nil
                step.conclusion = nil
                step.finishedAt = nil
                step.attempts = max(step.attempts, 1)
                step.mutating = started.mutating
                step.gateWaiting = false
                step.process = started.process.flatMap(StepProcess.init(value:))
            }
        case .stepRetry(let retry):
            update(event.step) { step in
                step.attempts = retry.attempt.map { Int($0) } ?? step.attempts + 1
                step.process = retry.process.flatMap(StepProcess.init(value:))
            }
        case .stepFinished(let finished):
            update(event.step) { step in
                step.outcome = finished.outcome.flatMap(StepOutcome.init(rawValue:))
                step.conclusion = finished.conclusion.flatMap(StepOutcome.init(rawValue:)) ?? step.outcome
                step.finishedAt = event.timestamp
                step.durationMilliseconds = finished.durationMilliseconds.map { Int($0) }
                if let outputs = finished.outputs { step.outputs = outputs }
                step.error = finished.error
                step.gateWaiting = false
                if let attempts = finished.attempts { step.attempts = Int(attempts) }
            }
        case .gateRequested(let requested):
            let rules = GateRules(requested: event, starter: actor?.id ?? "", startedByAlert: isServed)
            update(event.step) { step in
                step.gateWaiting = true
                step.mutating = requested.mutating
                step.gate = GateProgress(request: event, rules: rules)
            }
        case .gateAnswered, .gateExpired:
            update(event.step) { step in
                guard step.gateWaiting, var gate = step.gate else { return }
                gate.record(event)
                step.gate = gate
                step.gateWaiting = gate.isOpen
            }
        default:
            break
        }
    }

    private mutating func update(_ id: String?, _ change: (inout StepState) -> Void) {
        guard let id else { return }
        if steps[id] == nil {
            steps[id] = StepState(id: id)
            stepOrder.append(id)
        }
        if var state = steps[id] {
            change(&state)
            steps[id] = state
        }
    }
}
