@preconcurrency import Dispatch
import Foundation
import RunbookActions
import RunbookEngine
import RunbookLanguage
import RunbookStore
import Synchronization
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Runs an executor in this process the way a terminal user expects: a lease that marks the run alive, Ctrl-C and
/// SIGTERM cancelling cleanly (a second Ctrl-C exits at once), live output, and the run's exit code.
struct RunDriver {
    let workspace: Workspace
    let store: any EventStore
    let console: Console
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
        let interactive = isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1
            && EnvironmentVariables.process["TERM"] != "dumb"
        let observer = TerminalObserver(console: console, json: json, interactive: isatty(STDERR_FILENO) == 1
                                        && console.colorsErrors)
        let cancellation = CancellationSignal()
        let signals = SignalTrap(cancellation: cancellation, console: console)
        let executor = Executor(
            store: store, actions: ActionRegistry.builtin, observer: observer,
            prompter: interactive ? TerminalGatePrompter(console: console, observer: observer) : nil,
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

/// Turns SIGINT and SIGTERM into a cancellation of the run; a second SIGINT exits at once with code 4.
///
/// `@unchecked Sendable`: the sources are created and resumed in `init` and only cancelled in `deinit`; Dispatch
/// sources are thread-safe objects, they just do not declare it.
final class SignalTrap: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]

    init(cancellation: CancellationSignal, console: Console) {
        var sources: [any DispatchSourceSignal] = []
        let count = Counter()
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if count.increment() > 1, number == SIGINT { exit(ExitStatus.cancelled.rawValue) }
                console.writeError(number == SIGINT
                    ? "\ncancelling: stopping running steps (Ctrl-C again to exit at once)\n"
                    : "\ncancelling (SIGTERM): stopping running steps\n")
                cancellation.raise()
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    deinit {
        for source in sources { source.cancel() }
    }

    /// A thread-safe counter of signals received.
    private final class Counter: Sendable {
        private let value = Mutex(0)
        func increment() -> Int { value.withLock { $0 += 1; return $0 } }
    }
}
