import Logging
import RunbookActions
import RunbookEngine
import RunbookLanguage
import RunbookStore

/// Follows a run executing in the server: logs its events as structured records and keeps the gate metrics.
struct ServerRunObserver: RunObserver {
    let metrics: ServerMetrics
    let logger: Logger

    func recorded(_ event: AuditEvent) {
        metrics.observe(event)
        var metadata: Logger.Metadata = ["event": .string(event.type), "seq": .stringConvertible(event.seq)]
        if let step = event.step { metadata["step"] = .string(step) }
        if case .gateRequested(let gate) = event.body { metadata["approve"] = .string(gate.approveCommand ?? "") }
        logger.info("\(event.type)", metadata: metadata)
    }

    func output(step: String, line: OutputLine) {}
}
