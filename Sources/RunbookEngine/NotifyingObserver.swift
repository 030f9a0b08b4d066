import RunbookActions
import RunbookStore

/// Passes everything to the run's observer and hands the events worth announcing to the notifier.
struct NotifyingObserver: RunObserver {
    let observer: any RunObserver
    let notifier: IncidentNotifier

    func recorded(_ event: AuditEvent) {
        observer.recorded(event)
        notifier.consider(event)
    }

    func output(step: String, line: OutputLine) {
        observer.output(step: step, line: line)
    }
}
