import Foundation
import Prometheus
import RunbookEngine
import RunbookStore
import Synchronization

/// What `GET /metrics` reports, in the Prometheus text format: alerts received by source, webhooks by source and
/// status code with their latency, runs started and ended by outcome, runs active and queued, gates waiting.
public final class ServerMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let waitingGates = Mutex<Set<String>>([])
    private let executingSteps = Mutex<Set<String>>([])
    private let gatesGauge: Gauge
    private let activeGauge: Gauge
    private let queuedGauge: Gauge

    /// Metrics with every counter at zero.
    public init() {
        gatesGauge = registry.makeGauge(name: "runbook_gates_waiting", help: "Gates waiting for a person's answer.")
        activeGauge = registry.makeGauge(name: "runbook_runs_active", help: "Runs executing in this server.")
        queuedGauge = registry.makeGauge(
            name: "runbook_runs_queued", help: "Alert-started runs waiting for a free slot (max_concurrent_runs).")
    }

    /// The Prometheus text exposition of every metric.
    public func exposition() -> String { registry.emitToString() }

    /// Counts an alert read from a webhook.
    func alertReceived(source: String, status: String) {
        registry.makeCounter(
            name: "runbook_alerts_received_total", labels: [("source", source), ("status", status)],
            help: "Alerts read from webhooks, by source and status."
        ).increment()
    }

    /// Counts a webhook request and its latency.
    func webhook(source: String, code: Int, duration: Duration) {
        registry.makeCounter(
            name: "runbook_webhooks_total", labels: [("source", source), ("code", String(code))],
            help: "Webhook requests, by source and response status code."
        ).increment()
        registry.makeDurationHistogram(
            name: "runbook_webhook_duration_seconds", labels: [("source", source)],
            buckets: [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20),
                      .milliseconds(50), .milliseconds(100), .milliseconds(500), .seconds(1)],
            help: "Time from a webhook's arrival to its answer, the alerts durable in the store."
        ).record(duration)
    }

    /// Counts a run that started (`started`) or ended (its status).
    func run(_ outcome: String) {
        registry.makeCounter(
            name: "runbook_runs_total", labels: [("outcome", outcome)],
            help: "Alert-started runs: started, and ended by status."
        ).increment()
    }

    /// Sets the number of runs executing and queued.
    func runs(active: Int, queued: Int) {
        activeGauge.set(Int64(active))
        queuedGauge.set(Int64(queued))
    }

    /// Follows gates opening and closing, and steps starting and ending, in `event`.
    func observe(_ event: AuditEvent) {
        guard let step = event.step else { return }
        let key = event.run + "/" + step
        executingSteps.withLock { steps in
            if event.type == EventType.stepStarted { steps.insert(key) }
            if event.type == EventType.stepFinished { steps.remove(key) }
        }
        let count = waitingGates.withLock { gates -> Int in
            switch event.type {
            case EventType.gateRequested: gates.insert(key)
            case EventType.stepStarted, EventType.stepFinished, EventType.gateDenied, EventType.gateExpired:
                gates.remove(key)
            default: break
            }
            return gates.count
        }
        gatesGauge.set(Int64(count))
    }

    /// Waits until no step executes in this server, or `grace` has passed.
    func settle(within grace: Duration) async {
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline, !executingSteps.withLock({ $0.isEmpty }) {
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Forgets the gates and steps of `run`, which is no longer executing here.
    func forget(run: String) {
        executingSteps.withLock { steps in steps = steps.filter { !$0.hasPrefix(run + "/") } }
        let count = waitingGates.withLock { gates -> Int in
            gates = gates.filter { !$0.hasPrefix(run + "/") }
            return gates.count
        }
        gatesGauge.set(Int64(count))
    }
}
