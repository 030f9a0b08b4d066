/// The events `runbook serve` adds to the audit log, besides a run's own.
enum ServeEventType {
    /// An alert that started a run, fired again while it is open, or resolved: in that run's log.
    static let alertReceived = "alert.received"
    /// An alert that satisfies a trigger whose inputs refuse its values (a `pattern` check): no run.
    static let alertRejected = "alert.rejected"
    /// An alert that satisfies no trigger: no run.
    static let alertUnmatched = "alert.unmatched"
    /// A webhook request whose payload could not be read (answered 400), or an SNS subscription confirmation that
    /// must not be followed (answered 403): no run.
    static let webhookRejected = "webhook.rejected"
}
