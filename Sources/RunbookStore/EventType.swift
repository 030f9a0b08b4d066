/// The name of every kind of event in the audit log, as stored: the one place each is spelled.
public enum EventType {
    /// A run began: its runbook (text and digest), inputs, severity and who started it.
    public static let runStarted = "run.started"
    /// An interrupted run was continued by a new process.
    public static let runResumed = "run.resumed"
    /// A run ended, with its status and exit code.
    public static let runFinished = "run.finished"
    /// The run lost its terminal or output pipe (a hang-up, a closed pipe) and carries on without a view.
    public static let runDetached = "run.detached"
    /// A worker claimed a run whose runner's lease lapsed, and continues it.
    public static let runTakenOver = "run.taken_over"
    /// The process running a run let it go unfinished (a draining `serve`), for the next worker to take over.
    public static let runReleased = "run.released"
    /// Someone asked a live run to stop (`runbook cancel`, the API).
    public static let runCancelRequested = "run.cancel_requested"
    /// A step began, recorded before it acts.
    public static let stepStarted = "step.started"
    /// A step waits for a target another step holds.
    public static let lockWaiting = "lock.waiting"
    /// A step is about to be tried again.
    public static let stepRetry = "step.retry"
    /// A step ended, with its outcome and outputs.
    public static let stepFinished = "step.finished"
    /// A step waits at its gate.
    public static let gateRequested = "gate.requested"
    /// A person approved a gate (or `--yes` did).
    public static let gateApproved = "gate.approved"
    /// A person denied a gate.
    public static let gateDenied = "gate.denied"
    /// A gate's timeout passed and its default applied.
    public static let gateExpired = "gate.expired"
    /// A person added a note to a run or an incident.
    public static let noteAdded = "note.added"
    /// The RTO clock passed 50 % or 80 %.
    public static let rtoWarning = "rto.warning"
    /// The RTO clock passed 100 %.
    public static let rtoBreached = "rto.breached"
    /// The first successful recovery step of the incident.
    public static let incidentRecovered = "incident.recovered"
    /// An incident notification was posted to a channel.
    public static let notifySent = "notify.sent"
    /// An incident notification could not be posted.
    public static let notifyFailed = "notify.failed"
    /// An alert that started a run, fired again while it is open, or resolved: in that run's log.
    public static let alertReceived = "alert.received"
    /// An alert that satisfies a trigger whose inputs refuse its values (a `pattern` check): no run.
    public static let alertRejected = "alert.rejected"
    /// An alert that satisfies no trigger: no run.
    public static let alertUnmatched = "alert.unmatched"
    /// A webhook request whose payload could not be read (answered 400), or an SNS subscription confirmation that
    /// must not be followed (answered 403): no run.
    public static let webhookRejected = "webhook.rejected"
    /// A signed statement of the log's head (`runbook audit checkpoint`, `serve`'s interval, the end of an `exec`).
    public static let auditCheckpoint = "audit.checkpoint"

    /// Every type above.
    public static let all: [String] = [
        runStarted, runResumed, runFinished, runDetached, runTakenOver, runReleased, runCancelRequested, stepStarted,
        stepRetry, stepFinished, lockWaiting, gateRequested, gateApproved, gateDenied,
        gateExpired, noteAdded, rtoWarning, rtoBreached, incidentRecovered,
        notifySent, notifyFailed, alertReceived, alertRejected, alertUnmatched,
        webhookRejected, auditCheckpoint,
    ]
}
