import ArgumentParser
import RunbookLanguage

/// `runbook`: incident runbooks as YAML step graphs, with gates, RTO timers and an audit log.
struct RunbookCommand: ParsableCommand {
    static let version = "0.1.0"

    /// Every command, in the order help lists them.
    static let subcommands: [any ParsableCommand.Type] = [
        ExecCommand.self, ValidateCommand.self, ListCommand.self, ShowCommand.self, GraphCommand.self,
        RunsCommand.self, StatusCommand.self, GatesCommand.self, LogCommand.self, ApproveCommand.self, DenyCommand.self,
        NoteCommand.self, CancelCommand.self, ResumeCommand.self, AttachCommand.self, TimelineCommand.self,
        AuditCommand.self, SchemaCommand.self, ServeCommand.self, StoreCommand.self,
    ]

    static let configuration = rootConfiguration(listing: subcommands)

    /// The root command's configuration with `subcommands` under it.
    static func rootConfiguration(listing subcommands: [any ParsableCommand.Type]) -> CommandConfiguration {
        CommandConfiguration(
            commandName: "runbook",
            abstract: "Run incident runbooks: YAML step graphs with severity, RTO timers, gates and an audit log.",
            discussion: """
                Runbooks live in runbooks/ beside runbook.config.yaml (or --runbooks DIR, or $RUNBOOK_PATH).

                Exit codes: 0 success, 1 a step failed, 2 invalid runbook, input or usage,
                3 a gate was denied or expired, 4 cancelled, 5 store or internal error.
                """,
            version: version,
            subcommands: subcommands
        )
    }

    /// The root type to parse `arguments` with: when they start with a command's name, `runbook` with only that
    /// command under it. ArgumentParser builds (and reflects over) every command in the tree before parsing, which
    /// would cost each `runbook exec` about a millisecond; parsing, help and errors of the named command are the same
    /// either way, and anything else (`--help`, `help`, a mistyped command) gets the whole tree.
    static func root(for arguments: [String]) -> any ParsableCommand.Type {
        guard let first = arguments.first,
              let command = subcommands.first(where: { $0.configuration.commandName == first })
        else { return RunbookCommand.self }
        return root(with: command)
    }

    /// Refuses a command line whose first word is no command, with the nearest name: `runbook exex` → did you mean
    /// 'exec'? (ArgumentParser would only say "Unexpected argument").
    /// - Throws: `CommandFailure` (exit 2).
    static func checkCommandName(_ arguments: [String]) throws {
        guard let first = arguments.first, !first.hasPrefix("-") else { return }
        let names = subcommands.map { $0.configuration.commandName ?? "" } + ["help"]
        guard !names.contains(first) else { return }
        throw CommandFailure(
            "unknown command '\(first)'" + NearestName.didYouMean(first, among: names),
            hint: "'runbook --help' lists the commands", status: .invalid)
    }

    private static func root<Command: ParsableCommand>(with _: Command.Type) -> any ParsableCommand.Type {
        RunbookCommandWithOne<Command>.self
    }
}

/// `runbook` with one command under it (see ``RunbookCommand/root(for:)``).
struct RunbookCommandWithOne<Command: ParsableCommand>: ParsableCommand {
    static var configuration: CommandConfiguration { RunbookCommand.rootConfiguration(listing: [Command.self]) }
}
