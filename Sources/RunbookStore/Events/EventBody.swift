import RunbookLanguage

/// An event's data decoded by its type: what folds, timelines and notifications switch on.
public enum EventBody: Sendable, Equatable {
    case runStarted(RunStarted)
    case runResumed(RunResumed)
    case runDetached(RunDetached)
    case runTakenOver(RunTakenOver)
    case runReleased(RunReleased)
    case runCancelRequested(RunCancelRequested)
    case runFinished(RunFinished)
    case stepStarted(StepStarted)
    case stepRetry(StepRetry)
    case stepFinished(StepFinished)
    case lockWaiting(LockWaiting)
    case gateRequested(GateRequested)
    case gateAnswered(GateAnswered)
    case gateExpired(GateExpired)
    case noteAdded(NoteAdded)
    case rto(RTOThreshold)
    case incidentRecovered(IncidentRecovered)
    case notification(NotificationOutcome)
    case alert(AlertRecord)
    case webhookRejected(WebhookRejected)
    case auditCheckpoint(AuditCheckpoint)
    /// A type that no release of runbook writes.
    case unknown

    /// Decodes the data of an event of `type`.
    public init(type: String, data: Value) {
        func read<Payload: EventPayload>(_: Payload.Type) -> Payload? {
            Payload.types.contains(type) ? Payload(type: type, data: data) : nil
        }
        if let payload = read(RunStarted.self) { self = .runStarted(payload) }
        else if let payload = read(StepStarted.self) { self = .stepStarted(payload) }
        else if let payload = read(StepFinished.self) { self = .stepFinished(payload) }
        else if let payload = read(StepRetry.self) { self = .stepRetry(payload) }
        else if let payload = read(LockWaiting.self) { self = .lockWaiting(payload) }
        else if let payload = read(GateRequested.self) { self = .gateRequested(payload) }
        else if let payload = read(GateAnswered.self) { self = .gateAnswered(payload) }
        else if let payload = read(GateExpired.self) { self = .gateExpired(payload) }
        else if let payload = read(RunFinished.self) { self = .runFinished(payload) }
        else if let payload = read(RunResumed.self) { self = .runResumed(payload) }
        else if let payload = read(RunDetached.self) { self = .runDetached(payload) }
        else if let payload = read(RunTakenOver.self) { self = .runTakenOver(payload) }
        else if let payload = read(RunReleased.self) { self = .runReleased(payload) }
        else if let payload = read(RunCancelRequested.self) { self = .runCancelRequested(payload) }
        else if let payload = read(NoteAdded.self) { self = .noteAdded(payload) }
        else if let payload = read(RTOThreshold.self) { self = .rto(payload) }
        else if let payload = read(IncidentRecovered.self) { self = .incidentRecovered(payload) }
        else if let payload = read(NotificationOutcome.self) { self = .notification(payload) }
        else if let payload = read(AlertRecord.self) { self = .alert(payload) }
        else if let payload = read(WebhookRejected.self) { self = .webhookRejected(payload) }
        else if let payload = read(AuditCheckpoint.self) { self = .auditCheckpoint(payload) }
        else { self = .unknown }
    }

    /// The decoded payload; nil for an unknown type.
    public var payload: (any EventPayload)? {
        switch self {
        case .runStarted(let payload): payload
        case .runResumed(let payload): payload
        case .runDetached(let payload): payload
        case .runTakenOver(let payload): payload
        case .runReleased(let payload): payload
        case .runCancelRequested(let payload): payload
        case .runFinished(let payload): payload
        case .stepStarted(let payload): payload
        case .stepRetry(let payload): payload
        case .stepFinished(let payload): payload
        case .lockWaiting(let payload): payload
        case .gateRequested(let payload): payload
        case .gateAnswered(let payload): payload
        case .gateExpired(let payload): payload
        case .noteAdded(let payload): payload
        case .rto(let payload): payload
        case .incidentRecovered(let payload): payload
        case .notification(let payload): payload
        case .alert(let payload): payload
        case .webhookRejected(let payload): payload
        case .auditCheckpoint(let payload): payload
        case .unknown: nil
        }
    }
}

extension AuditEvent {
    /// The event's data, decoded by its type.
    public var body: EventBody { EventBody(type: type, data: data) }
}
