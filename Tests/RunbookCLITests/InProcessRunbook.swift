import Foundation
import RunbookActions
import RunbookLanguage
import RunbookStore

@testable import RunbookCLI

/// `runbook` run inside the test's process, the way `main.swift` runs it: in a ``TemporaryWorkspace`` (found through
/// `$RUNBOOK_CONFIG`, so no test changes the process's folder), with its console captured, its variables and its
/// person given, and no signal trapped. Tests of one suite run in parallel, each with its own.
struct InProcessRunbook {
    /// What a command left behind.
    struct Outcome: Sendable {
        var status: ExitStatus
        var stdout: String
        var stderr: String
    }

    /// The workspace the commands run in, kept for as long as the runner is.
    let workspace: TemporaryWorkspace
    /// The context every command of this runner gets, less its console.
    private var context: CommandContext

    /// A runner in `workspace` as `user` (their name also given as `$RUNBOOK_USER`), with `environment` added to the
    /// workspace's variables; `now` and `openStore`, when given, replace the system clock and the built-in stores.
    init(
        _ workspace: TemporaryWorkspace, user: String = "alice", environment: [String: String] = [:],
        now: (@Sendable () -> Date)? = nil,
        openStore: (@Sendable (StoreLocation) throws(StoreError) -> any EventStore)? = nil
    ) {
        let variables = [
            "RUNBOOK_CONFIG": workspace.path("runbook.config.yaml"), "RUNBOOK_USER": user, "NO_COLOR": "1",
            "HOME": workspace.root.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ].merging(environment) { $1 }
        self.workspace = workspace
        context = CommandContext(
            console: Console(output: { _ in }, errors: { _ in }), environment: EnvironmentVariables(variables),
            now: { Date() }, identify: { Identity(name: user, displayName: $0) },
            openStore: { location throws(StoreError) in try StoreLocation.open(location) },
            actions: { ActionRegistry.builtin }, terminate: nil)
        if let now { context.now = now }
        if let openStore { context.openStore = openStore }
    }

    /// Runs `runbook ARGUMENTS` and waits for it.
    func run(_ arguments: [String]) async -> Outcome {
        let (stdout, stderr) = (CapturedText(), CapturedText())
        let status = await RunbookCLI.run(arguments: arguments, context: context(writingTo: stdout, stderr))
        return Outcome(status: status, stdout: stdout.value, stderr: stderr.value)
    }

    private func context(writingTo stdout: CapturedText, _ stderr: CapturedText) -> CommandContext {
        var context = self.context
        context.console = Console(output: { stdout.append($0) }, errors: { stderr.append($0) })
        return context
    }
}
