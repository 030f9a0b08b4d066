@preconcurrency import Dispatch
import RunbookEngine
import Synchronization
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Turns SIGINT and SIGTERM into a cancellation of the run; a second SIGINT ends the process at once with code 4. A
/// first Ctrl-C is handed to `interrupted`, which records who pressed it and then raises the cancellation; SIGTERM
/// (`runbook cancel` sends it, having recorded its sender) raises it at once.
/// SIGHUP (a dropped SSH or VPN session) and SIGPIPE (`runbook exec … | head`) stop nothing: a hang-up is reported as
/// the console's view lost, and a closed pipe fails its write, which reports the same; the run carries on.
///
/// `@unchecked Sendable`: the sources are created and resumed in `init` and only cancelled in `deinit`; Dispatch
/// sources are thread-safe objects, they just do not declare it.
final class SignalTrap: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]

    /// Traps the signals until released; `terminate` ends the process (the program's entry gives it).
    init(
        cancellation: CancellationSignal, console: Console, terminate: @escaping @Sendable (ExitStatus) -> Never,
        interrupted: @escaping @Sendable () -> Void
    ) {
        var sources: [any DispatchSourceSignal] = []
        let count = Counter()
        signal(SIGPIPE, SIG_IGN)
        signal(SIGHUP, SIG_IGN)
        let hangUp = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        hangUp.setEventHandler { console.viewLoss.report("the terminal hung up (SIGHUP)") }
        hangUp.resume()
        sources.append(hangUp)
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if count.increment() > 1, number == SIGINT { terminate(.cancelled) }
                console.writeError(number == SIGINT
                    ? "\ncancelling: stopping running steps (Ctrl-C again to exit at once)\n"
                    : "\ncancelling (SIGTERM): stopping running steps\n")
                if number == SIGINT { interrupted() } else { cancellation.raise() }
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
