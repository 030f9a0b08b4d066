import RunbookEngine
import RunbookLanguage
import RunbookStore

/// Runs an executor in this process the way a terminal user expects: a lease that marks the run alive, Ctrl-C and
/// SIGTERM cancelling cleanly (a second Ctrl-C ends the process at once, when the context can), live output, and the
/// run's exit code. A terminal that hangs up or a pipe that closes stops nothing: `run.detached` records it and the
/// run carries on.
struct RunDriver {
    let workspace: Workspace
    let store: any EventStore
    let context: CommandContext
    let json: Bool

    enum Mode {
        case start
        case resume(RunState, runbookChanged: RunResumed.RunbookChange?)
    }

    func drive(_ options: RunOptions, mode: Mode) async throws -> ExitStatus {
        let lease: RunLease
        do throws(LeaseError) {
            lease = try RunLease(directory: workspace.stateDirectory, run: options.runID)
        } catch {
            throw CommandFailure(error.message, status: .internalError)
        }
        let console = context.console
        let observer = TerminalObserver(console: console, json: json, interactive: console.drawsStatus)
        let cancellation = CancellationSignal()
        let signals = context.terminate.map {
            SignalTrap(cancellation: cancellation, console: console, terminate: $0) { [store, workspace] in
                Task {
                    await Self.recordInterrupt(of: options, by: workspace.user, in: store)
                    cancellation.raise()
                }
            }
        }
        let executor = Executor(
            store: store, actions: context.actions(), observer: observer,
            prompter: console.asksPerson ? TerminalGatePrompter(console: console, observer: observer) : nil,
            cancellation: cancellation, lockDirectory: workspace.stateDirectory)
        let heartbeat = Task { await lease.keepAlive() }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(500))
                observer.tick()
            }
        }
        let detaching = Task { [store] in
            for await reason in console.viewLoss.reasons {
                // Not fatal either way: the run goes on, and a store that cannot take this fails the run's next event.
                _ = try? await store.append([EventDraft(
                    run: options.runID, incident: options.incident, actor: .system, RunDetached(reason: reason))])
            }
        }
        defer {
            ticker.cancel()
            heartbeat.cancel()
            // Released here, not when the heartbeat task lets go of it: the process may exit before that task runs.
            lease.release()
            withExtendedLifetime(signals) {}
        }
        let outcome: Result<RunStatus, StoreError>
        do throws(StoreError) {
            switch mode {
            case .start: outcome = .success(try await executor.start(options))
            case .resume(let state, let change):
                outcome = .success(try await executor.resume(state, options: options, runbookChanged: change))
            }
        } catch {
            outcome = .failure(error)
        }
        // A view lost at the very end is still recorded before the process exits.
        console.viewLoss.close()
        await detaching.value
        do throws(StoreError) {
            return ExitStatus(rawValue: try outcome.get().exitCode) ?? .internalError
        } catch {
            throw CommandFailure("the run stopped because an event could not be recorded: \(error.message)",
                                 hint: "nothing runs without being recorded; check the store, then 'runbook resume "
                                    + "\(options.runID)'", status: .internalError)
        }
    }

    /// Records that `person` pressed Ctrl-C, waiting at most two seconds for the store: the cancellation goes ahead
    /// either way (a store that cannot take this fails the run's next event, which stops it all the same).
    private static func recordInterrupt(of options: RunOptions, by person: String, in store: any EventStore) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                _ = try? await store.append([EventDraft(
                    run: options.runID, incident: options.incident, actor: .user(person),
                    RunCancelRequested(via: "ctrl-c"))])
            }
            group.addTask { try? await Task.sleep(for: .seconds(2)) }
            await group.next()
            group.cancelAll()
        }
    }
}
