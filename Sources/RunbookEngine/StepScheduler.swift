import RunbookLanguage
import RunbookStore

/// Runs a run's steps as they become ready (see ``ReadySet``), each in a task of its own, so roots and independent
/// steps run in parallel, until none is running and none can start. Once the run is cancelled it starts nothing more;
/// once an event cannot be recorded it stops every step.
struct StepScheduler: Sendable {
    /// The run.
    let options: RunOptions
    /// Runs each step.
    let runner: StepRunner
    /// Where the steps' ends go.
    let recorder: RunRecorder
    /// The incident's RTO clock, which runs beside the steps.
    let clock: RTOClock
    /// Raised to cancel the run.
    let cancellation: CancellationSignal
    /// Raised to launch nothing more (see ``DrainSignal``).
    let drain: DrainSignal
    /// Why a step must pass a gate whatever it says (a mutating step that had started when the run was
    /// interrupted), by step id.
    let rerun: [String: String]

    private enum Message: Sendable {
        case clockStopped
        case cancelRequested
        case finished(StepResult)
        case storeFailed(StoreError)
    }

    /// Where the run's steps stand.
    private struct Progress {
        var ready: ReadySet
        var running = 0
        var cancelled = false
        var failure: StoreError?
    }

    /// Runs every step not in `prior` and returns how the run ended.
    /// - Throws: `StoreError` when an event could not be recorded; no step acts after that.
    func run(prior: [String: StepResult]) async throws(StoreError) -> RunStatus {
        var progress = Progress(ready: ReadySet(options: options, prior: prior, incidentStart: clock.start))
        await withTaskGroup(of: Message.self) { group in
            group.addTask {
                await cancellation.wait()
                return .cancelRequested
            }
            group.addTask {
                await clock.run(recordingTo: recorder)
                return .clockStopped
            }
            while progress.failure == nil {
                guard await launchReady(into: &group, &progress), let message = await group.next() else { break }
                await handle(message, &progress, group: &group)
            }
            group.cancelAll()
        }
        if let failure = progress.failure { throw failure }
        if drain.isRaised, progress.ready.results.count < options.runbook.steps.count { return .interrupted }
        return progress.ready.status(cancelled: progress.cancelled)
    }

    /// Launches the steps that have become ready (none once the run is cancelled), holding the ends of those skipped.
    /// - Returns: Whether any step is running.
    private func launchReady(into group: inout TaskGroup<Message>, _ progress: inout Progress) async -> Bool {
        var launches: [ReadySet.Launch] = []
        if !progress.cancelled, !drain.isRaised {
            let ready = progress.ready.takeReady()
            for skipped in ready.skipped { recorder.holdEnd(of: skipped, reason: "its condition is false") }
            launches = ready.launches
        }
        progress.running += launches.count
        guard progress.running > 0 else { return false }
        do throws(StoreError) {
            try await recorder.launching(launches.count, running: progress.running)
        } catch {
            progress.failure = error
            group.cancelAll()
            return false
        }
        for launch in launches {
            let reason = rerun[launch.step.id]
            group.addTask {
                do throws(StoreError) {
                    return .finished(try await runner.run(launch.step, context: launch.context, gateReason: reason))
                } catch {
                    return .storeFailed(error)
                }
            }
        }
        return true
    }

    /// Takes in what a task of the run reported.
    private func handle(_ message: Message, _ progress: inout Progress, group: inout TaskGroup<Message>) async {
        switch message {
        case .clockStopped:
            break
        case .cancelRequested:
            progress.cancelled = true
            group.cancelAll()
        case .storeFailed(let error):
            recorder.stepReported()
            progress.running -= 1
            progress.failure = error
            group.cancelAll()
        case .finished(let result):
            recorder.stepReported()
            progress.running -= 1
            progress.ready.record(result)
            recorder.holdEnd(of: result, reason: nil)
            do throws(StoreError) {
                try await clock.recordRecovery(after: result, of: options.runbook.step(result.id), to: recorder)
            } catch {
                progress.failure = error
                group.cancelAll()
            }
        }
    }
}
