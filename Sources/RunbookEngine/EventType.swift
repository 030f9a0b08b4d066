/// The names of the events the engine writes, as stored in the audit log.
public enum EventType {
    public static let runStarted = "run.started"
    public static let runResumed = "run.resumed"
    public static let runFinished = "run.finished"
    public static let runCancelRequested = "run.cancel_requested"
    public static let stepStarted = "step.started"
    public static let stepRetry = "step.retry"
    public static let stepFinished = "step.finished"
    public static let gateRequested = "gate.requested"
    public static let gateApproved = "gate.approved"
    public static let gateDenied = "gate.denied"
    public static let gateExpired = "gate.expired"
    public static let noteAdded = "note.added"
    public static let rtoWarning = "rto.warning"
    public static let rtoBreached = "rto.breached"
    public static let incidentRecovered = "incident.recovered"
}
