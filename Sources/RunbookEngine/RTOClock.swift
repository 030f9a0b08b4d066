import Foundation
import RunbookLanguage
import RunbookStore
import Synchronization

/// An incident's recovery time objective, counted from the incident's start and shared by every run of the
/// incident: each threshold (50 %, 80 %, 100 %) is recorded once per incident, and the first successful
/// `recovery: true` step stops the clock for good.
final class RTOClock: Sendable {
    /// The objective; nil when the runbook has none (the clock then only times recovery).
    let rto: Duration?
    /// When the incident started.
    let start: Date
    /// The percentages recorded as `rto.warning` (50, 80) or `rto.breached` (100).
    static let thresholds = [50, 80, 100]
    private let state: Mutex<(recorded: Set<Int>, recovered: Bool)>

    /// A clock for `rto` from `start`, knowing what the incident's log already holds.
    init(rto: Duration?, start: Date, recorded: Set<Int>, recovered: Bool) {
        self.rto = rto
        self.start = start
        self.state = Mutex((recorded, recovered))
    }

    /// The clock of `options`' incident, from the incident's earlier events.
    static func load(_ options: RunOptions, runStart: Date, store: any EventStore) async throws(StoreError) -> RTOClock {
        let rto = options.runbook.rto
        let earlier = options.opensIncident ? [] : try await store.events(incident: options.incident)
        var start = options.incidentStart.flatMap(Timestamp.parse) ?? runStart
        var recorded = Set<Int>()
        var recovered = false
        for event in earlier {
            switch event.body {
            case .runStarted(let started):
                let began = started.incidentStartedAt.flatMap(Timestamp.parse) ?? Timestamp.parse(event.timestamp)
                if let began, began < start { start = began }
            case .rto(let threshold):
                if let percent = threshold.percent { recorded.insert(Int(percent)) }
            case .incidentRecovered:
                recovered = true
            default:
                break
            }
        }
        return RTOClock(rto: rto, start: start, recorded: recorded, recovered: recovered)
    }

    /// Whether the incident has recovered.
    var isRecovered: Bool { state.withLock { $0.recovered } }

    /// Marks the incident recovered; false when it already was.
    func markRecovered() -> Bool {
        state.withLock { state in
            guard !state.recovered else { return false }
            state.recovered = true
            return true
        }
    }

    /// Time elapsed since the incident started.
    func elapsed(at now: Date = Date()) -> Duration { .milliseconds(Int64(now.timeIntervalSince(start) * 1_000)) }

    /// Sleeps until each threshold not yet recorded and calls `record` with its percentage, until the incident
    /// recovers or the task is cancelled.
    func run(_ record: @Sendable (Int) async -> Void) async {
        guard let rto else { return }
        for percent in Self.thresholds {
            guard state.withLock({ !$0.recorded.contains(percent) }) else { continue }
            let due = start.addingTimeInterval(Self.seconds(rto) * Double(percent) / 100)
            let wait = due.timeIntervalSinceNow
            if wait > 0 {
                // Rounded up: a threshold is never recorded before it is due, which a millisecond RTO would show.
                do {
                    try await Task.sleep(for: .milliseconds(Int64((wait * 1_000).rounded(.up))))
                } catch {
                    return
                }
            }
            let fire = state.withLock { state -> Bool in
                guard !state.recovered, !state.recorded.contains(percent) else { return false }
                state.recorded.insert(percent)
                return true
            }
            if fire { await record(percent) }
        }
    }

    /// Runs the clock (see ``run(_:)``), recording each threshold as `rto.warning` or `rto.breached` beside the
    /// steps' events. One that cannot be stored is lost, not fatal: it records time, it gates nothing.
    func run(recordingTo recorder: RunRecorder) async {
        await run { percent in
            try? await recorder.recordAside(recorder.draft(threshold(percent), actor: .system))
        }
    }

    /// Records `incident.recovered` when `result` is the incident's first success of a `recovery: true` step.
    func recordRecovery(after result: StepResult, of step: Step?, to recorder: RunRecorder) async throws(StoreError) {
        guard result.outcome == .success, step?.recovery == true, markRecovered() else { return }
        try await recorder.record(recorder.draft(recovery(step: result.id), step: result.id, actor: .system))
    }

    /// The `rto.warning`/`rto.breached` payload at `percent`.
    func threshold(_ percent: Int) -> RTOThreshold {
        let elapsed = elapsed()
        let rto = self.rto ?? .zero
        return RTOThreshold(
            percent: Int64(percent), rto: DurationSyntax.format(rto), incidentStartedAt: Timestamp.format(start),
            elapsedMilliseconds: elapsed.wholeMilliseconds,
            remainingMilliseconds: max(0, (rto - elapsed).wholeMilliseconds))
    }

    /// The `incident.recovered` payload, when step `step` succeeded now.
    func recovery(step: String) -> IncidentRecovered {
        let elapsed = elapsed()
        return IncidentRecovered(
            step: step, incidentStartedAt: Timestamp.format(start), timeToRecoverMilliseconds: elapsed.wholeMilliseconds,
            rto: rto.map(DurationSyntax.format), met: rto.map { elapsed <= $0 },
            marginMilliseconds: rto.map { ($0 - elapsed).wholeMilliseconds })
    }

    /// "12m30s left" or "3m10s over", for headers and gate prompts.
    func remainingText(at now: Date = Date()) -> String? {
        guard let rto, !isRecovered else { return nil }
        let left = rto - elapsed(at: now)
        let seconds = Int64(left.components.seconds)
        return seconds >= 0 ? DurationSyntax.format(.seconds(seconds)) + " left"
            : DurationSyntax.format(.seconds(-seconds)) + " over"
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
