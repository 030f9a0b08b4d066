import ArgumentParser

/// `runbook`: incident runbooks as YAML step graphs, with gates, RTO timers and an audit log.
struct RunbookCommand: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "runbook",
        abstract: "Run incident runbooks: YAML step graphs with severity, RTO timers, gates and an audit log.",
        discussion: """
            Runbooks live in runbooks/ beside runbook.config.yaml (or --runbooks DIR, or $RUNBOOK_PATH).

            Exit codes: 0 success, 1 a step failed, 2 invalid runbook, input or usage,
            3 a gate was denied or expired, 4 cancelled, 5 store or internal error.
            """,
        version: version,
        subcommands: [
            ExecCommand.self, ValidateCommand.self, ListCommand.self, ShowCommand.self, GraphCommand.self,
            RunsCommand.self, StatusCommand.self, LogCommand.self, ApproveCommand.self, DenyCommand.self,
            NoteCommand.self, CancelCommand.self, ResumeCommand.self, TimelineCommand.self, AuditCommand.self,
            SchemaCommand.self, ServeCommand.self,
        ]
    )
}
