import Foundation
import RunbookActions
import RunbookLanguage
import RunbookStore

/// Everything a command takes from the world outside its arguments: where it writes, the environment variables, the
/// time, who is at the keyboard, how a store is opened, the actions a run may use, and how the process ends at once.
///
/// The program's entry builds ``process(terminate:)`` once; a test builds its own, so that any command runs in the
/// test's process with its output collected, its variables given, and no signal trapped. Commands receive it as the
/// argument of ``ContextualCommand/run(in:)`` rather than reading a task-local value: what a command depends on is
/// then in its signature, a forgotten context does not compile, and nothing in the CLI can reach for a global.
public struct CommandContext: Sendable {
    /// Where the command writes.
    var console: Console
    /// The environment variables (`RUNBOOK_CONFIG`, `RUNBOOK_STORE`, `RUNBOOK_USER`, `NO_COLOR`, …).
    var environment: EnvironmentVariables
    /// The current time, for `--since 10m` and the duration of a run still going.
    var now: @Sendable () -> Date
    /// The person running the command, given the display name `$RUNBOOK_USER` asks for.
    var identify: @Sendable (_ displayName: String?) -> Identity
    /// Opens the event store at a location.
    var openStore: @Sendable (StoreLocation) throws(StoreError) -> any EventStore
    /// The actions a run may use, by name; asked only when a run starts, so that other commands never build them.
    var actions: @Sendable () -> [String: any Action]
    /// Ends the process at once with a status, without unwinding: what a second Ctrl-C during a run does. Nil when the
    /// commands run inside another program (a test), which then traps no signals.
    var terminate: (@Sendable (ExitStatus) -> Never)?

    /// The context of the `runbook` program: its own streams and variables, the system clock, its OS account, the
    /// built-in stores and actions. Reading it costs nothing more than the console's few `isatty` calls.
    /// - Parameter terminate: Ends the process with a status; given by the program's entry, the one place that exits.
    public static func process(terminate: @escaping @Sendable (ExitStatus) -> Never) -> CommandContext {
        let environment = EnvironmentVariables.process
        return CommandContext(
            console: .standard(environment: environment), environment: environment, now: { Date() },
            identify: { Identity.processOwner(displayName: $0) },
            openStore: { location throws(StoreError) in try StoreLocation.open(location) },
            actions: { ActionRegistry.builtin }, terminate: terminate)
    }
}
