import ArgumentParser

/// A command that runs with a ``CommandContext``: parsed by ArgumentParser like any other, then run by
/// ``RunbookCLI/run(arguments:context:)`` with the context it is given, never with ArgumentParser's `run()`.
protocol ContextualCommand: ParsableCommand {
    /// Does what the command was asked, with `context`'s console, variables, clock, identity, store and actions.
    /// - Throws: `CommandFailure` or `ExitCode` for a documented exit code.
    func run(in context: CommandContext) async throws
}
