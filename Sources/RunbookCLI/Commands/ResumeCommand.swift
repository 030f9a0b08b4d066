import ArgumentParser
import Foundation
import RunbookEngine
import RunbookLanguage
import RunbookStore

/// `runbook resume RUN`: continues an interrupted run from its log.
struct ResumeCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue an interrupted run: finished steps keep their results, the step that was running runs "
            + "again (behind a gate when it is mutating).")

    @OptionGroup var library: LibraryOptions
    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "The run's id.")
    var run: String

    @Option(name: [.customShort("i"), .long], help: "Secret inputs again, as key=value (they are never recorded).")
    var input: [String] = []

    @Option(name: .long, help: "The environment of runbook.config.yaml (default: the run's own).")
    var env: String?

    @Flag(name: [.customShort("y"), .long], help: "Approve gates, recorded as your approval.")
    var yes = false

    @Option(name: .long, help: "text, or json for the run's events as NDJSON.")
    var output: OutputFormat = .text

    func run(in context: CommandContext) async throws {
        let console = context.console
        let workspace = try Workspace(options: storeOptions, context: context)
        let (store, state) = try await workspace.open(run: run)
        // The run's full id: the argument may be a prefix of it, or @last.
        let run = state.id
        if let status = state.recordedStatus {
            throw CommandFailure("run \(run) has already ended (\(status.rawValue)); nothing to resume",
                                 hint: "start a new run with 'runbook exec \(state.runbook)'", status: .invalid)
        }
        if workspace.isAlive(run) {
            throw CommandFailure("run \(run) is still running in another process", status: .invalid)
        }
        // The run keeps its alert, and with it the engine's rules for alert-started runs (RunOptions.isAlertStarted):
        // --yes would approve nothing, so say so rather than let it look accepted.
        if state.isServed, yes {
            throw CommandFailure("run \(run) was started by an alert: its gates need a person, not --yes",
                                 hint: "resume it without --yes and answer its gates", status: .invalid)
        }
        let (runbook, change) = try Self.runbook(of: state, library: library, context: context,
                                                config: storeOptions.config)
        let binder = InputBinder(runbook: runbook)
        var given: [String: String] = [:]
        for (name, value) in state.inputs where value != .null && runbook.input(name)?.secret != true {
            given[name] = value.stringValue
        }
        let inputs: [String: Value]
        do throws(InputBindingError) {
            for (name, value) in try binder.parse(pairs: input) { given[name] = value }
            for secret in runbook.inputs where secret.secret && given[secret.name] == nil
                && state.inputs[secret.name] != nil && state.inputs[secret.name] != .null {
                throw InputBindingError("input '\(secret.name)' is secret and was not recorded",
                                        hint: "pass it again: runbook resume \(run) -i \(secret.name)=VALUE")
            }
            inputs = try binder.bind(given)
        } catch {
            throw CommandFailure(error.message, hint: error.hint, status: .invalid)
        }
        var redactor = Redactor(secrets: workspace.config.secrets)
        for secret in binder.secrets(in: inputs) { redactor.add(secret) }
        let severity = Severity(parsing: state.severity) ?? runbook.severity
        let environment = try RunSetup.environment(
            named: env ?? state.environment, config: workspace.config, console: console,
            using: RunSetup.channels(usedBy: runbook, severity: severity, config: workspace.config))
        var options = RunOptions(
            runbook: runbook, inputs: inputs, runID: run, incident: state.incident ?? RunIdentifier.newIncident(),
            severity: severity, starter: workspace.user, environment: environment,
            autoApprove: yes, policy: workspace.config.policy(for: severity),
            redactor: redactor, workingDirectory: FileManager.default.currentDirectoryPath,
            incidentStart: nil, alert: state.alert)
        options.runStarter = state.actor?.id ?? workspace.user
        options.starterDisplayName = workspace.identity.displayName
        let status = try await RunDriver(workspace: workspace, store: store, context: context, json: output == .json)
            .drive(options, mode: .resume(state, runbookChanged: change))
        if status != .success { throw ExitCode(status.rawValue) }
    }

    /// The runbook the run started with, as recorded, and what to note in `run.resumed` when its file changed
    /// since; for a run recorded before runbooks were kept, the file as it is now, with a warning.
    static func runbook(of state: RunState, library: LibraryOptions, context: CommandContext, config: String?)
        throws -> (Runbook, RunResumed.RunbookChange?)
    {
        let console = context.console
        guard let recorded = state.recordedRunbook() else {
            console.warning("run \(state.id) did not record its runbook (it was started by an older runbook); "
                + "it continues with \(state.file) as the file is now",
                hint: "a changed file is not detected for this run")
            return (try library.load(FileManager.default.fileExists(atPath: state.file) ? state.file : state.runbook,
                                     context: context, config: config), nil)
        }
        let runbook: Runbook
        switch recorded {
        case .success(let read): runbook = read
        case .failure(let failure):
            console.report(failure)
            throw CommandFailure("the runbook run \(state.id) started with no longer loads in this build of runbook",
                                 hint: "finish the incident by hand, or start a new run", status: .invalid)
        }
        let current = FileManager.default.contents(atPath: state.file).map { String(decoding: $0, as: UTF8.self) }
        guard let change = state.runbookChange(current: current) else { return (runbook, nil) }
        console.warning(
            "\(state.file) " + (change.onDisk == nil ? "is gone" : "has changed") + " since run \(state.id) started; "
                + "the run continues with the runbook it started with (\(change.recorded.prefix(19))…)",
            hint: "to use the file as it is now, start a new run: runbook exec \(state.runbook)")
        return (runbook, change)
    }
}
