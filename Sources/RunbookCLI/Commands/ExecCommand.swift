import ArgumentParser
import Foundation
import RunbookEngine
import RunbookLanguage
import RunbookStore

/// `runbook exec NAME`: runs a runbook, recording every step in the audit log.
struct ExecCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a runbook: steps in graph order, gates before anything destructive, every event recorded.")

    @OptionGroup var library: LibraryOptions
    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "The runbook's name (or its file).")
    var name: String

    @Option(name: [.customShort("i"), .long], help: "An input, as key=value (repeatable).")
    var input: [String] = []

    @Option(name: .long, help: "The environment of runbook.config.yaml to run against.")
    var env: String?

    @Option(name: .long, help: "The severity (SEV1..SEV4 or P0..P3), instead of the runbook's; lowering it needs --reason and a permission.")
    var severity: String?

    @Option(name: .long, help: "Why --severity is lower than the runbook's (needs 'permissions.lower_severity').")
    var reason: String?

    @Option(name: .long, help: "The incident this run works on (several runs may share one).")
    var incident: String?

    @Option(name: .long, help: "When the incident started (RFC 3339, or a duration ago such as 10m).")
    var since: String?

    @Flag(name: [.customShort("y"), .long], help: "Approve gates, recorded as your approval.")
    var yes = false

    @Flag(name: .long, help: "Resolve every parameter that can be and print the plan; run nothing.")
    var dryRun = false

    @Flag(name: .long, help: ArgumentHelp("Run in a runner process of its own, apart from this terminal; print the "
            + "run's id once it has started ('runbook attach RUN' follows it)."))
    var detach = false

    @Option(name: .long, help: "text, or json for the run's events as NDJSON, exactly as stored.")
    var output: OutputFormat = .text

    func run(in context: CommandContext) async throws {
        try await ExecRequest(self).run(in: context)
    }

    static func parseSeverity(_ text: String) throws -> Severity {
        guard let severity = Severity(parsing: text) else {
            throw CommandFailure("unknown severity '\(text)'", hint: "use SEV1, SEV2, SEV3, SEV4 (or P0..P3)",
                                 status: .invalid)
        }
        return severity
    }
}
