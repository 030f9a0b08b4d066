import ArgumentParser
import Foundation
import RunbookEngine
import RunbookLanguage
import RunbookStore

/// What `runbook exec` was asked to do, as plain values: built from the parsed ``ExecCommand``, or read straight from
/// the command line by ``init(quickParsing:)``.
///
/// ArgumentParser builds a command by reflecting over its property wrappers, which costs a `runbook exec` about
/// 2 ms, a tenth of a 20-step run. The command lines people and scripts type (`exec NAME` with long or short options,
/// `--opt value` or `--opt=value`) are read here directly; anything else — help, a mistake, `--`, an option this
/// reader does not know — goes to ArgumentParser, which stays the one authority on what `exec` accepts and how it
/// says no. A test checks that both readings agree.
struct ExecRequest: Equatable {
    var name: String
    var runbooks: String?
    var store: String?
    var config: String?
    var inputs: [String] = []
    var env: String?
    var severity: String?
    var reason: String?
    var incident: String?
    var since: String?
    var yes = false
    var dryRun = false
    var detach = false
    var json = false

    /// The request the parsed command makes.
    init(_ command: ExecCommand) {
        name = command.name
        runbooks = command.library.runbooks
        store = command.storeOptions.store
        config = command.storeOptions.config
        inputs = command.input
        env = command.env
        severity = command.severity
        reason = command.reason
        incident = command.incident
        since = command.since
        yes = command.yes
        dryRun = command.dryRun
        detach = command.detach
        json = command.output == .json
    }

    /// Reads `arguments` (the whole command line after the program's name) when they are a plain `exec`: its name
    /// once, and options spelled as `runbook exec --help` lists them, each value-taking one given once (`-i`/`--input`
    /// any number of times). Nil for anything else, which ArgumentParser then reads.
    init?(quickParsing arguments: [String]) {
        guard arguments.first == "exec" else { return nil }
        var name: String?
        var values: [String: String] = [:]
        var inputs: [String] = []
        var flags: Set<String> = []
        var rest = arguments.dropFirst()[...]
        while let argument = rest.popFirst() {
            guard argument.hasPrefix("-") else {
                guard name == nil else { return nil }
                name = argument
                continue
            }
            let (spelled, attached) = Self.split(argument)
            guard let option = Self.options[spelled] else { return nil }
            if Self.flags.contains(option) {
                guard attached == nil, flags.insert(option).inserted else { return nil }
                continue
            }
            guard let value = attached ?? rest.popFirst(), !value.isEmpty, !value.hasPrefix("-") else { return nil }
            if option == "input" {
                inputs.append(value)
            } else {
                guard values.updateValue(value, forKey: option) == nil else { return nil }
            }
        }
        guard let name, values["output"].map({ $0 == "text" || $0 == "json" }) ?? true else { return nil }
        self.name = name
        runbooks = values["runbooks"]
        store = values["store"]
        config = values["config"]
        self.inputs = inputs
        env = values["env"]
        severity = values["severity"]
        reason = values["reason"]
        incident = values["incident"]
        since = values["since"]
        yes = flags.contains("yes")
        dryRun = flags.contains("dry-run")
        detach = flags.contains("detach")
        json = values["output"] == "json"
    }

    /// `--name=value` as `("--name", "value")`; anything else as itself and nil.
    private static func split(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    /// `exec`'s options by spelling, as ArgumentParser declares them in ``ExecCommand``, ``LibraryOptions`` and
    /// ``StoreOptions``.
    static let options = [
        "--runbooks": "runbooks", "--store": "store", "--config": "config", "-i": "input", "--input": "input",
        "--env": "env", "--severity": "severity", "--reason": "reason", "--incident": "incident", "--since": "since", "-y": "yes",
        "--yes": "yes", "--dry-run": "dry-run", "--detach": "detach", "--output": "output",
    ]

    /// The options of ``options`` that take no value.
    private static let flags: Set = ["yes", "dry-run", "detach"]

    /// Loads the runbook, binds the inputs, and runs it (or prints the plan for `--dry-run`).
    func run(in context: CommandContext) async throws {
        let console = context.console
        let variables = context.environment.all
        // The workspace is found first, its problems kept for after the runbook's (which are reported first), so
        // that an existing store can be opened on another thread while the runbook is read: ~1 ms of every run.
        // A store that does not exist yet is created only once the run is sure to start.
        let found = Result {
            try Workspace(store: self.store, config: config, context: context, environment: variables)
        }
        let opening = dryRun ? nil : (try? found.get())?.openingExistingStore()
        let runbook = try LibraryOptions.load(
            name, runbooks: runbooks, console: console, config: config, environment: variables)
        let workspace: Workspace
        do {
            workspace = try found.get()
        } catch let invalid as InvalidConfiguration {
            throw invalid.reported(to: console)
        }
        // Who starts the run is, on a store that authenticates, the role it authenticated: known once it is open.
        let authenticated = dryRun || !workspace.storeAuthenticates ? nil : try workspace.openStore()
        let binder = InputBinder(runbook: runbook)
        let values: [String: Value]
        do throws(InputBindingError) {
            values = try binder.bind(try binder.parse(pairs: inputs))
        } catch {
            throw CommandFailure(error.message, hint: error.hint, status: .invalid)
        }
        let (runSeverity, lowering) = try runSeverity(of: runbook, workspace: workspace)
        let environment = try RunSetup.environment(
            named: env, config: workspace.config, console: console,
            using: RunSetup.channels(usedBy: runbook, severity: runSeverity, config: workspace.config))
        var redactor = Redactor(secrets: workspace.config.secrets)
        for secret in binder.secrets(in: values) { redactor.add(secret) }
        let start = try since.map { try RunSetup.parseSince($0, now: context.now()) }
        if detach, dryRun {
            throw CommandFailure(
                "--detach starts a run, and --dry-run runs nothing: give one of them", status: .invalid)
        }
        // A detached runner runs the run its launcher named (and printed).
        let runID = detach ? nil : context.environment[DetachedRunner.runVariable].flatMap { $0.isEmpty ? nil : $0 }
        var options = RunOptions(
            runbook: runbook, inputs: values, runID: runID ?? RunIdentifier.newRun(),
            incident: incident ?? RunIdentifier.newIncident(), severity: runSeverity, starter: workspace.user,
            environment: environment, autoApprove: yes, policy: workspace.config.policy(for: runSeverity),
            redactor: redactor,
            workingDirectory: FilePaths.currentDirectory, incidentStart: start)
        options.opensIncident = incident == nil
        options.starterDisplayName = workspace.identity.displayName
        options.severityLowering = lowering
        if dryRun {
            console.write(DryRunRenderer(catalog: .builtin).render(options))
            return
        }
        let store: any EventStore
        if let authenticated {
            store = authenticated
        } else {
            store = try await opening?.value ?? workspace.openStore()
        }
        if detach {
            try await launchDetached(options, workspace: workspace, store: store, context: context)
            return
        }
        let status = try await RunDriver(workspace: workspace, store: store, context: context, json: json)
            .drive(options, mode: .start)
        if status != .success { throw ExitCode(status.rawValue) }
    }

    /// Hands the run to a detached runner and prints its id (`--output json`: an object) once it has started.
    private func launchDetached(
        _ options: RunOptions, workspace: Workspace, store: any EventStore, context: CommandContext
    ) async throws {
        let runner = DetachedRunner(workspace: workspace, context: context)
        let (pid, started) = try await runner.launch(self, options: options, store: store)
        let log = runner.logPath(of: options.runID)
        if json {
            let value: Value = [
                "run": .string(options.runID), "incident": started.incident.map(Value.string) ?? .null,
                "pid": .number(Double(pid)), "log": .string(log),
            ]
            context.console.write(value.jsonString(pretty: false) + "\n")
            return
        }
        context.console.write(options.runID + "\n")
        context.console.writeError("started in the background (runner pid \(pid), output in \(log)); "
            + "follow it: runbook attach \(options.runID)\n")
    }

    /// The run's severity: the runbook's, or `--severity`. A higher one is always taken; a lower one, which would
    /// weaken the protection the runbook asks for, only from someone `permissions.lower_severity` names and with a
    /// `--reason`, both recorded.
    private func runSeverity(of runbook: Runbook, workspace: Workspace) throws
        -> (Severity, (from: Severity, reason: String)?)
    {
        guard let given = try severity.map(ExecCommand.parseSeverity) else {
            if reason != nil {
                throw CommandFailure("--reason explains a --severity lower than the runbook's; none was given",
                                     status: .invalid)
            }
            return (runbook.severity, nil)
        }
        guard given > runbook.severity else { return (given, nil) }
        guard workspace.config.permissions.lowerSeverity.allows(workspace.user) else {
            throw CommandFailure(
                "--severity \(given) is lower than \(runbook.name)'s own \(runbook.severity), and \(workspace.user) may "
                    + "not lower it: protection follows the higher severity",
                hint: "run it at \(runbook.severity) or higher; 'permissions.lower_severity' in runbook.config.yaml "
                    + "names who may lower it (with --reason)",
                status: .invalid)
        }
        guard let reason, !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw CommandFailure(
                "--severity \(given) is lower than \(runbook.name)'s own \(runbook.severity): say why with --reason",
                hint: "the reason is recorded and shown in the timeline", status: .invalid)
        }
        return (given, (runbook.severity, reason))
    }
}
