import RunbookEngine
import RunbookLanguage
import RunbookStore

/// Runs an executor in this process the way a terminal user expects: a lease that marks the run alive, Ctrl-C and
/// SIGTERM cancelling cleanly (a second Ctrl-C ends the process at once, when the context can), live output, and the
/// run's exit code.
struct RunDriver {
    let workspace: Workspace
    let store: any EventStore
    let context: CommandContext
    let json: Bool

    enum Mode {
        case start
        case resume(RunState, notes: [String: Value])
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
            SignalTrap(cancellation: cancellation, console: console, terminate: $0)
        }
        let executor = Executor(
            store: store, actions: context.actions(), observer: observer,
            prompter: console.asksPerson ? TerminalGatePrompter(console: console, observer: observer) : nil,
            cancellation: cancellation)
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(500))
                observer.tick()
            }
        }
        defer {
            ticker.cancel()
            withExtendedLifetime((lease, signals)) {}
        }
        do throws(StoreError) {
            let status: RunStatus
            switch mode {
            case .start: status = try await executor.start(options)
            case .resume(let state, let notes): status = try await executor.resume(state, options: options, notes: notes)
            }
            return ExitStatus(rawValue: status.exitCode) ?? .internalError
        } catch {
            throw CommandFailure("the run stopped because an event could not be recorded: \(error.message)",
                                 hint: "nothing runs without being recorded; check the store, then 'runbook resume "
                                    + "\(options.runID)'", status: .internalError)
        }
    }
}
