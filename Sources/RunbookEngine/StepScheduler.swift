import RunbookLanguage
import RunbookStore

/// Runs a run's steps as they become ready (see ``ReadySet``), each in a task of its own, so roots and independent
/// steps run in parallel, until none is running and none can start. Once the run is cancelled it stops the steps that
/// are running and starts only clean-up steps — those whose `if:` asks for `always()` or `cancelled()` and holds —
/// which then run to their end (bounded by their timeouts); every other step is recorded as skipped. Once an event
/// cannot be recorded it stops every step.
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
        /// What stops each running step that was launched before the run was cancelled, by step id.
        var stops: [String: CancellationSignal] = [:]
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

    /// Launches the steps that have become ready (once the run is cancelled, only its clean-up steps), holding the
    /// ends of those skipped.
    /// - Returns: Whether any step is running.
    private func launchReady(into group: inout TaskGroup<Message>, _ progress: inout Progress) async -> Bool {
        var launches: [ReadySet.Launch] = []
        if !drain.isRaised {
            let ready = progress.ready.takeReady(cancelled: progress.cancelled)
            for skipped in ready.skipped { recorder.holdEnd(of: skipped.result, reason: skipped.reason) }
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
            // A clean-up step, launched after the cancel, is not stopped by it.
            let stop = progress.cancelled ? nil : CancellationSignal()
            progress.stops[launch.step.id] = stop
            group.addTask {
                await Self.stoppable(by: stop) { () async -> Message in
                    do throws(StoreError) {
                        return .finished(try await runner.run(launch.step, context: launch.context, gateReason: reason))
                    } catch {
                        return .storeFailed(error)
                    }
                }
            }
        }
        return true
    }

    /// What `step` reports, the task running it cancelled (its processes stopped) once `stop` is raised.
    private static func stoppable(
        by stop: CancellationSignal?, _ step: @escaping @Sendable () async -> Message
    ) async -> Message {
        guard let stop else { return await step() }
        return await withTaskGroup(of: Message?.self) { group -> Message in
            group.addTask { await step() }
            group.addTask {
                await stop.wait()
                return nil
            }
            while let next = await group.next() {
                guard let message = next else {
                    // Stopped: cancel the step, and take the end it then reports.
                    group.cancelAll()
                    continue
                }
                group.cancelAll()
                return message
            }
            // Not reached: the step's task always reports, stopped or not, and the loop returns its report.
            return .finished(StepResult(id: "", outcome: .cancelled))
        }
    }

    /// Takes in what a task of the run reported.
    private func handle(_ message: Message, _ progress: inout Progress, group: inout TaskGroup<Message>) async {
        switch message {
        case .clockStopped:
            break
        case .cancelRequested:
            progress.cancelled = true
            for stop in progress.stops.values { stop.raise() }
        case .storeFailed(let error):
            recorder.stepReported()
            progress.running -= 1
            progress.failure = error
            group.cancelAll()
        case .finished(let result):
            recorder.stepReported()
            progress.running -= 1
            progress.stops[result.id] = nil
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
